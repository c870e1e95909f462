"""Ed25519 keys: generate, load, key ids.

* Private keys are PEM PKCS#8 (``-----BEGIN PRIVATE KEY-----``), optionally encrypted with a
  passphrase (``-----BEGIN ENCRYPTED PRIVATE KEY-----``): PBES2 with the **scrypt** KDF
  (N=2^14, r=8, p=5: OWASP's minimum, within OpenSSL's default 32 MiB scrypt memory limit)
  and AES-256-CBC, as ``openssl pkcs8 -topk8 -scrypt`` writes. cryptography's
  ``BestAvailableEncryption`` would use PBKDF2 with only 2048 iterations, and its
  encryption builder does not cover PKCS#8, so :func:`encrypt_pkcs8_scrypt` writes the DER
  itself. Keys encrypted by earlier versions (PBKDF2) still load. Public keys are PEM
  SubjectPublicKeyInfo.
* ``keyid`` = lowercase hex sha256 of the public key's DER SubjectPublicKeyInfo, reproducible
  with ``openssl pkey -pubin -in key.pub -outform DER | sha256sum``.
* Keys can come from a file or, for CI, from PEM text in an environment variable
  (:data:`KEY_ENV`, passphrase in :data:`PASSPHRASE_ENV`); the CLI layer reads the environment,
  this module only receives the text.
* A private key is never printed, logged or put into an error message: errors name the key's
  *source* (a path or ``$VARIABLE``) and what is wrong. Wrong passphrase, malformed PEM and
  unsupported key types raise :class:`~governance.errors.SigningError` (exit 2).
* :func:`write_keypair` refuses to overwrite: the files are written to temporary files and
  hard-linked into place, which fails if the target exists; the private key has mode 0600.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from governance.errors import SigningError

KEY_ENV = "GOVERNANCE_SIGNING_KEY"
PASSPHRASE_ENV = "GOVERNANCE_KEY_PASSPHRASE"  # noqa: S105 - a variable name
MAX_KEY_BYTES = 64 * 1024


SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 5

_OID_PBES2 = "1.2.840.113549.1.5.13"
_OID_SCRYPT = "1.3.6.1.4.1.11591.4.11"
_OID_AES256_CBC = "2.16.840.1.101.3.4.1.42"


def _der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def _der_int(value: int) -> bytes:
    return _der(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def _der_oid(dotted: str) -> bytes:
    parts = [int(x) for x in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out.extend(reversed(chunk))
    return _der(0x06, bytes(out))


def _seq(*items: bytes) -> bytes:
    return _der(0x30, b"".join(items))


def encrypt_pkcs8_scrypt(key: Ed25519PrivateKey, passphrase: bytes, *, n: int = SCRYPT_N,
                         r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    """PEM ``ENCRYPTED PRIVATE KEY``: PKCS#8 EncryptedPrivateKeyInfo, PBES2(scrypt, AES-256-CBC).

    The same structure as ``openssl pkcs8 -topk8 -scrypt`` (RFC 8018 PBES2, RFC 7914 scrypt
    parameters); OpenSSL and cryptography both decrypt it.
    """
    import base64

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    plain = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    salt, iv = os.urandom(16), os.urandom(16)
    derived = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(derived), modes.CBC(iv)).encryptor()
    ciphertext = enc.update(padded) + enc.finalize()
    kdf = _seq(_der_oid(_OID_SCRYPT),
               _seq(_der(0x04, salt), _der_int(n), _der_int(r), _der_int(p), _der_int(32)))
    scheme = _seq(_der_oid(_OID_AES256_CBC), _der(0x04, iv))
    info = _seq(_seq(_der_oid(_OID_PBES2), _seq(kdf, scheme)), _der(0x04, ciphertext))
    b64 = base64.encodebytes(info).decode("ascii").replace("\n", "")
    lines = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ("-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + "\n".join(lines)
            + "\n-----END ENCRYPTED PRIVATE KEY-----\n").encode("ascii")


def key_file_warning(path: Path) -> str | None:
    """A warning when a private key file is readable or writable by group or others."""
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if os.name != "posix" or not stat.S_ISREG(mode) or not mode & 0o077:
        return None
    return (f"warning: {path}: private key file is accessible to group/others (mode "
            f"{stat.S_IMODE(mode):04o}); run: chmod 600 {path}")


def keyid_of(public_key: Ed25519PublicKey) -> str:
    """sha256 hex of the DER SubjectPublicKeyInfo."""
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of a public key: the identity used to count distinct keys."""
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    """A loaded private key; its ``repr`` never shows the key material."""

    private: Ed25519PrivateKey = field(repr=False)
    keyid: str
    source: str

    @property
    def public(self) -> Ed25519PublicKey:
        return self.private.public_key()

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def _kind_name(key: object) -> str:
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, rsa, x448, x25519

    for cls, name in ((rsa.RSAPrivateKey, "RSA"), (rsa.RSAPublicKey, "RSA"),
                      (ec.EllipticCurvePrivateKey, "ECDSA"), (ec.EllipticCurvePublicKey, "ECDSA"),
                      (ed448.Ed448PrivateKey, "Ed448"), (ed448.Ed448PublicKey, "Ed448"),
                      (dsa.DSAPrivateKey, "DSA"), (dsa.DSAPublicKey, "DSA"),
                      (x25519.X25519PrivateKey, "X25519"), (x448.X448PrivateKey, "X448")):
        if isinstance(key, cls):
            return name
    return type(key).__name__


def load_private_key(pem: bytes, *, source: str, passphrase: str | None = None) -> SigningKey:
    """Parse a PEM PKCS#8 Ed25519 private key (``source`` names it in error messages)."""
    if len(pem) > MAX_KEY_BYTES:
        raise SigningError(f"key is {len(pem)} bytes, not a PEM private key", path=source)
    if b"-----BEGIN PUBLIC KEY-----" in pem and b"PRIVATE KEY-----" not in pem:
        raise SigningError("this is a public key; signing needs the private key", path=source)
    if b"-----BEGIN" not in pem or b"PRIVATE KEY-----" not in pem:
        raise SigningError("malformed private key: expected a PEM PKCS#8 Ed25519 key "
                           "('-----BEGIN PRIVATE KEY-----', see `governance keygen`)",
                           path=source)
    encrypted = b"ENCRYPTED" in pem
    if encrypted and not passphrase:
        raise SigningError("the private key is encrypted: provide its passphrase "
                           f"(--passphrase-env VAR, default ${PASSPHRASE_ENV})", path=source)
    password = passphrase.encode("utf-8") if (encrypted and passphrase) else None
    try:
        key = serialization.load_pem_private_key(pem, password=password)
    except ValueError:
        if encrypted:
            raise SigningError("cannot decrypt the private key: wrong passphrase",
                               path=source) from None
        raise SigningError("malformed private key: the PEM data cannot be parsed",
                           path=source) from None
    except (TypeError, UnsupportedAlgorithm):
        raise SigningError("malformed private key: unsupported PEM encryption or key format",
                           path=source) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningError(f"unsupported key type {_kind_name(key)}: only Ed25519 keys are "
                           "supported", path=source)
    return SigningKey(private=key, keyid=keyid_of(key.public_key()), source=source)


def load_public_key(pem: bytes | str, *, source: str, field_name: str | None = None,
                    line: int | None = None, col: int | None = None) -> Ed25519PublicKey:
    """Parse a PEM SubjectPublicKeyInfo Ed25519 public key."""
    data = pem.encode("utf-8") if isinstance(pem, str) else pem
    if b"PRIVATE KEY-----" in data:
        raise SigningError("a private key where a public key is expected; never share or "
                           "register private keys", path=source, line=line, col=col,
                           field=field_name)
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        raise SigningError("malformed public key: expected PEM '-----BEGIN PUBLIC KEY-----'",
                           path=source, line=line, col=col, field=field_name) from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningError(f"unsupported key type {_kind_name(key)}: only Ed25519 keys are "
                           "supported", path=source, line=line, col=col, field=field_name)
    return key


def read_key_file(path: Path) -> bytes:
    """A key file's bytes; a FIFO, device or folder is refused without blocking."""
    from governance.paths import read_regular

    return read_regular(path, str(path), max_bytes=MAX_KEY_BYTES, error_type=SigningError,
                        what="key file")


def resolve_signing_key(*, key_path: Path | None, key_pem: str | None,
                        passphrase: str | None, env_name: str = KEY_ENV) -> SigningKey:
    """The key from a file if given, else from PEM text (taken from ``$env_name``)."""
    if key_path is not None:
        return load_private_key(read_key_file(key_path), source=str(key_path),
                                passphrase=passphrase)
    if key_pem:
        return load_private_key(key_pem.encode("utf-8"), source=f"${env_name}",
                                passphrase=passphrase)
    raise SigningError(f"no signing key: pass --key FILE or set ${env_name} to the PEM text",
                       field="--key")


def check_key_pair(private: Path, public: Path, passphrase: str | None) -> str:
    """The keyid of an existing key pair; raises SigningError when the two do not match."""
    pub = load_public_key(read_key_file(public), source=str(public))
    pem = read_key_file(private)
    if b"ENCRYPTED" in pem and not passphrase:
        raise SigningError("the existing private key is encrypted: give its passphrase "
                           "(--passphrase-env VAR) so that it can be checked against "
                           f"{public}", path=str(private))
    key = load_private_key(pem, source=str(private), passphrase=passphrase)
    if raw_public(key.public) != raw_public(pub):
        raise SigningError(f"the existing public key {public} (keyid {keyid_of(pub)[:16]}) "
                           f"does not belong to this private key (keyid {key.keyid[:16]}); "
                           "remove the wrong file or choose another --name", path=str(private))
    return key.keyid


@dataclass(frozen=True)
class KeyPairFiles:
    private: Path
    public: Path
    keyid: str


def _write_new(path: Path, data: bytes, mode: int) -> None:
    """Write a new file atomically; never replace an existing one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.link(tmp, path)
    except FileExistsError:
        raise SigningError("file exists; refusing to overwrite a key", path=str(path)) from None
    except OSError as exc:
        raise SigningError(f"cannot write key file: {exc.strerror}", path=str(path)) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def write_keypair(out_dir: Path, name: str = "governance", *,
                  passphrase: str | None = None) -> KeyPairFiles:
    """Generate an Ed25519 key pair as ``NAME.key`` (0600) and ``NAME.pub`` in ``out_dir``."""
    if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        raise SigningError(f"invalid key name {name!r}", field="--name")
    priv_path = out_dir / f"{name}.key"
    pub_path = out_dir / f"{name}.pub"
    for p in (priv_path, pub_path):
        if p.exists() or p.is_symlink():
            raise SigningError("file exists; refusing to overwrite a key", path=str(p))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SigningError(f"cannot create folder: {exc.strerror}", path=str(out_dir)) from None
    key = Ed25519PrivateKey.generate()
    if passphrase:
        priv_pem = encrypt_pkcs8_scrypt(key, passphrase.encode("utf-8"))
    else:
        priv_pem = key.private_bytes(serialization.Encoding.PEM,
                                     serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
    _write_new(priv_path, priv_pem, 0o600)
    try:
        _write_new(pub_path, public_pem(key.public_key()).encode("ascii"), 0o644)
    except SigningError:
        priv_path.unlink(missing_ok=True)
        raise
    return KeyPairFiles(private=priv_path, public=pub_path, keyid=keyid_of(key.public_key()))
