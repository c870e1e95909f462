"""keygen, key loading and key errors: modes, keyids (openssl), passphrases, exit code 2."""

from __future__ import annotations

import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from governance.cli import main
from governance.signing.keys import load_private_key

from .conftest import Keys, SignFactory


def keygen(out: Path, *extra: str) -> int:
    return main(["keygen", "--out-dir", str(out), *extra])


def test_keygen_writes_0600_key_and_openssl_reproduces_the_keyid(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert keygen(tmp_path / "k", "--name", "release") == 0
    out = capsys.readouterr().out
    priv, pub = tmp_path / "k" / "release.key", tmp_path / "k" / "release.pub"
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    assert priv.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----\n")
    assert pub.read_bytes().startswith(b"-----BEGIN PUBLIC KEY-----\n")
    der = subprocess.run(["openssl", "pkey", "-pubin", "-in", str(pub), "-outform", "DER"],
                         capture_output=True, check=True).stdout
    digest = subprocess.run(["sha256sum"], input=der, capture_output=True,
                            check=True).stdout.split()[0].decode()
    assert out.splitlines()[0] == f"keyid: {digest}"
    # openssl agrees the private key is Ed25519 and matches the public key
    derived = subprocess.run(["openssl", "pkey", "-in", str(priv), "-pubout"],
                             capture_output=True, check=True).stdout
    assert derived == pub.read_bytes()
    assert "PRIVATE KEY" not in out and priv.read_text() not in out


def test_keygen_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert keygen(tmp_path) == 0
    before = (tmp_path / "governance.key").read_bytes()
    capsys.readouterr()
    assert keygen(tmp_path) == 2
    err = capsys.readouterr().err
    assert err == (f"error: {tmp_path / 'governance.key'}: file exists; refusing to overwrite "
                   "a key\n")
    assert (tmp_path / "governance.key").read_bytes() == before


def test_encrypted_key_round_trip_and_openssl(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYPASS", "correct horse")
    assert keygen(tmp_path, "--passphrase-env", "KEYPASS") == 0
    priv = tmp_path / "governance.key"
    assert priv.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n")
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    key = load_private_key(priv.read_bytes(), source="k", passphrase="correct horse")
    derived = subprocess.run(["openssl", "pkey", "-in", str(priv), "-passin", "env:KEYPASS",
                              "-pubout"], capture_output=True, check=True).stdout
    pem = key.public.public_bytes(serialization.Encoding.PEM,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    assert derived == pem


def test_keygen_with_unset_passphrase_variable(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert keygen(tmp_path, "--passphrase-env", "NO_SUCH_VARIABLE_XYZ") == 2
    assert capsys.readouterr().err == ("error: --passphrase-env: environment variable "
                                       "NO_SUCH_VARIABLE_XYZ is not set or empty\n")
    assert not list(tmp_path.iterdir())


def _rsa_pem() -> bytes:
    k = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                           serialization.NoEncryption())


def _ec_pem() -> bytes:
    k = ec.generate_private_key(ec.SECP256R1())
    return k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                           serialization.NoEncryption())


@pytest.mark.parametrize(("content", "message"), [
    (b"not a key at all\n",
     "malformed private key: expected a PEM PKCS#8 Ed25519 key ('-----BEGIN PRIVATE "
     "KEY-----', see `governance keygen`)"),
    (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
     "malformed private key: the PEM data cannot be parsed"),
    (_ec_pem(), "unsupported key type ECDSA: only Ed25519 keys are supported"),
    (_rsa_pem(), "unsupported key type RSA: only Ed25519 keys are supported"),
    ("public", "this is a public key; signing needs the private key"),
    ("encrypted-no-passphrase", "the private key is encrypted: provide its passphrase "
     "(--passphrase-env VAR, default $GOVERNANCE_KEY_PASSPHRASE)"),
    ("encrypted-wrong-passphrase", "cannot decrypt the private key: wrong passphrase"),
])
def test_bad_keys_exit_2_with_a_clear_message(
        signed: SignFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, content: bytes | str, message: str) -> None:
    s = signed()
    monkeypatch.delenv("GOVERNANCE_KEY_PASSPHRASE", raising=False)
    keydir = tmp_path / "k"
    if content == "public":
        assert keygen(keydir) == 0
        key = keydir / "governance.pub"
    elif isinstance(content, str):
        monkeypatch.setenv("KEYPASS", "right")
        assert keygen(keydir, "--passphrase-env", "KEYPASS") == 0
        key = keydir / "governance.key"
        if content == "encrypted-wrong-passphrase":
            monkeypatch.setenv("GOVERNANCE_KEY_PASSPHRASE", "wrong")
    else:
        key = tmp_path / "bad.key"
        key.write_bytes(content)
    capsys.readouterr()
    before = s.bundle_path.read_bytes()
    for argv in (["sign", str(s.root / "reports" / "report.json"), "--artifacts-root",
                  str(s.root)],
                 ["approve", str(s.bundle_path), "--role", "approver"]):
        assert main([*argv, "--key", str(key)]) == 2
        captured = capsys.readouterr()
        assert captured.err == f"error: {key}: {message}\n"
        assert "Traceback" not in captured.err + captured.out
        assert "PRIVATE KEY-----\n" not in captured.err + captured.out
    assert s.bundle_path.read_bytes() == before  # nothing written


def test_key_from_environment_variable(signed: SignFactory, keys: Keys, trust_file: Path,
                                       monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    monkeypatch.setenv("GOVERNANCE_SIGNING_KEY", keys.files["bob"].private.read_text())
    assert main(["approve", str(s.bundle_path), "--role", "approver", "--signer", "Bob",
                 "--trusted-keys", str(trust_file)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-2] == f"approved as approver with key {keys.keyid('bob')}"
    monkeypatch.setenv("GOVERNANCE_SIGNING_KEY", "garbage")
    assert main(["approve", str(s.bundle_path), "--role", "other"]) == 2
    assert capsys.readouterr().err == (
        "error: $GOVERNANCE_SIGNING_KEY: malformed private key: expected a PEM PKCS#8 Ed25519 "
        "key ('-----BEGIN PRIVATE KEY-----', see `governance keygen`)\n")
    monkeypatch.delenv("GOVERNANCE_SIGNING_KEY")
    assert main(["approve", str(s.bundle_path), "--role", "other"]) == 2
    assert capsys.readouterr().err == ("error: --key: no signing key: pass --key FILE or set "
                                       "$GOVERNANCE_SIGNING_KEY to the PEM text\n")


def test_signing_key_repr_hides_the_key(tmp_path: Path) -> None:
    assert keygen(tmp_path) == 0
    key = load_private_key((tmp_path / "governance.key").read_bytes(), source="x")
    assert "private" not in repr(key)
    assert repr(key) == f"SigningKey(keyid='{key.keyid}', source='x')"


def test_keygen_if_missing_keeps_existing_pair(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from governance.cli import main

    assert main(["keygen", "--out-dir", str(tmp_path), "--name", "a"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    before = (tmp_path / "a.key").read_bytes()
    assert main(["keygen", "--out-dir", str(tmp_path), "--name", "a", "--if-missing"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == first  # same keyid printed
    assert "key pair exists, kept" in out
    assert (tmp_path / "a.key").read_bytes() == before
    assert main(["keygen", "--out-dir", str(tmp_path), "--name", "a"]) == 2
    assert "refusing to overwrite a key" in capsys.readouterr().err
