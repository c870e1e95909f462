"""Issue 12 item 12: scrypt-encrypted keys, a warning for readable key files, --if-missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from governance.cli import main
from governance.signing.keys import keyid_of, load_private_key

from .conftest import Keys, SignFactory


def keygen(out: Path, *extra: str) -> int:
    return main(["keygen", "--out-dir", str(out), *extra])


def asn1(path: Path) -> str:
    return subprocess.run(["openssl", "asn1parse", "-in", str(path)], capture_output=True,
                          check=True, text=True).stdout


def test_encrypted_key_uses_scrypt_and_openssl_decrypts_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEYPASS", "correct horse")
    assert keygen(tmp_path, "--passphrase-env", "KEYPASS") == 0
    priv, pub = tmp_path / "governance.key", tmp_path / "governance.pub"
    parsed = asn1(priv)
    assert ":PBES2" in parsed and ":scrypt" in parsed and ":aes-256-cbc" in parsed
    assert "PBKDF2" not in parsed
    ints = [ln.rsplit(":", 1)[1] for ln in parsed.splitlines() if "prim: INTEGER" in ln]
    assert [int(x, 16) for x in ints] == [2**14, 8, 5, 32]  # N, r, p, key length
    # openssl (independent) decrypts it with the passphrase and gets the same public key
    out = subprocess.run(["openssl", "pkey", "-in", str(priv), "-passin", "pass:correct horse",
                          "-pubout"], capture_output=True, check=True).stdout
    assert out == pub.read_bytes()
    bad = subprocess.run(["openssl", "pkey", "-in", str(priv), "-passin", "pass:wrong",
                          "-pubout"], capture_output=True)
    assert bad.returncode != 0
    key = load_private_key(priv.read_bytes(), source="k", passphrase="correct horse")
    assert key.keyid == keyid_of(serialization.load_pem_public_key(pub.read_bytes()))  # type: ignore[arg-type]


def test_keys_encrypted_the_old_way_and_by_openssl_still_load(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    old = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.BestAvailableEncryption(b"pw"))
    (tmp_path / "old.key").write_bytes(old)
    assert ":PBKDF2" in asn1(tmp_path / "old.key")
    loaded = load_private_key(old, source="old", passphrase="pw")
    assert loaded.keyid == keyid_of(key.public_key())
    plain = tmp_path / "plain.pem"
    plain.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                        serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()))
    subprocess.run(["openssl", "pkcs8", "-topk8", "-scrypt", "-in", str(plain), "-out",
                    str(tmp_path / "ossl.key"), "-passout", "pass:pw"], check=True)
    ossl = load_private_key((tmp_path / "ossl.key").read_bytes(), source="o", passphrase="pw")
    assert ossl.keyid == loaded.keyid


def test_a_key_file_readable_by_others_prints_a_warning(
        signed: SignFactory, keys: Keys, tmp_path: Path, trust_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    loose = tmp_path / "loose.key"
    loose.write_bytes(keys.files["bob"].private.read_bytes())
    loose.chmod(0o644)
    capsys.readouterr()
    warning = (f"warning: {loose}: private key file is accessible to group/others (mode 0644); "
               f"run: chmod 600 {loose}\n")
    assert main(["approve", str(s.bundle_path), "--role", "approver", "--key", str(loose),
                 "--trusted-keys", str(trust_file)]) == 0
    assert capsys.readouterr().err == warning
    # the library never prints: loading the same file is silent
    load_private_key(loose.read_bytes(), source=str(loose))
    assert capsys.readouterr() == ("", "")
    # a 0600 key: no warning
    assert main(["sign", str(s.root / "reports" / "report.json"), "--key",
                 str(keys.files["alice"].private), "--artifacts-root", str(s.root), "--out",
                 str(tmp_path / "b.dsse.json")]) == 0
    assert capsys.readouterr().err == ""


def test_keygen_if_missing_checks_that_the_pair_matches(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert keygen(tmp_path, "--name", "a") == 0
    assert keygen(tmp_path, "--name", "b") == 0
    keyid_a = capsys.readouterr().out.splitlines()[0]
    assert keygen(tmp_path, "--name", "a", "--if-missing") == 0
    assert capsys.readouterr().out.startswith("keyid: ")
    # a.pub replaced by b's public key: the pair no longer matches
    (tmp_path / "a.pub").write_bytes((tmp_path / "b.pub").read_bytes())
    assert keygen(tmp_path, "--name", "a", "--if-missing") == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {tmp_path / 'a.key'}: the existing public key "
                                   f"{tmp_path / 'a.pub'} (keyid ")
    assert captured.err.endswith("; remove the wrong file or choose another --name\n")
    assert keyid_a  # the first key pair was written
