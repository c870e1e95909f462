"""`governance trust add KEY --owner O --role R` writes trust-file entries verify accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.cli import main
from governance.signing.trust import load_trust_file

from .conftest import Keys, make_project


def test_trust_add_creates_appends_and_refuses_duplicates(
        tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    trust = tmp_path / "trusted-keys.yaml"
    alice, bob = keys.files["alice"].public, keys.files["bob"].public
    assert main(["trust", "add", str(alice), "--owner", "Alice <alice@example.org>", "--role",
                 "author", "--trusted-keys", str(trust)]) == 0
    assert capsys.readouterr().out == (
        f"added key {keys.keyid('alice')} (Alice <alice@example.org>; roles author) to "
        f"{trust} (1 key)\n")
    # comments survive: entries are appended to the file as written
    trust.write_text("# reviewed by security\n" + trust.read_text("utf-8"), "utf-8")
    assert main(["trust", "add", str(bob), "--owner", "Bob", "--role", "approver", "--role",
                 "security", "--trusted-keys", str(trust)]) == 0
    capsys.readouterr()
    store = load_trust_file(trust)
    assert [(k.keyid, k.owner, k.roles) for k in store.keys] == [
        (keys.keyid("alice"), "Alice <alice@example.org>", ("author",)),
        (keys.keyid("bob"), "Bob", ("approver", "security"))]
    assert trust.read_text("utf-8").startswith("# reviewed by security\n")
    before = trust.read_bytes()
    assert main(["trust", "add", str(bob), "--owner", "Bob again", "--role", "author",
                 "--trusted-keys", str(trust)]) == 2
    assert capsys.readouterr().err == (
        f"error: {trust}: keys: key {keys.keyid('bob')[:16]} is already registered at keys[1] "
        "(owner 'Bob', roles approver, security); a key may appear in one entry only\n")
    assert trust.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (["--owner", "X", "--role", "Author"],
     "error: --role: invalid role 'Author': use lowercase letters, digits, '-' and '_'\n"),
    (["--owner", "", "--role", "author"],
     "error: --owner: must be 1-200 printable characters\n"),
    (["--owner", "X\x1b[2J", "--role", "author"],
     "error: --owner: must be 1-200 printable characters\n"),
])
def test_trust_add_rejects_bad_values(tmp_path: Path, keys: Keys, args: list[str],
                                      message: str, capsys: pytest.CaptureFixture[str]) -> None:
    trust = tmp_path / "t.yaml"
    assert main(["trust", "add", str(keys.files["alice"].public), *args, "--trusted-keys",
                 str(trust)]) == 2
    assert capsys.readouterr().err == message
    assert not trust.exists()


def test_trust_add_refuses_a_private_key(tmp_path: Path, keys: Keys,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    priv = keys.files["alice"].private
    assert main(["trust", "add", str(priv), "--owner", "A", "--role", "author",
                 "--trusted-keys", str(tmp_path / "t.yaml")]) == 2
    assert capsys.readouterr().err == (
        f"error: {priv}: a private key where a public key is expected; never share or register "
        "private keys\n")


def test_trust_file_written_by_trust_add_verifies_a_sign_off(
        tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "proj"
    make_project(root)
    monkeypatch.delenv("GOVERNANCE_SIGNING_KEY", raising=False)
    trust = tmp_path / "trusted-keys.yaml"
    for name, role in (("alice", "author"), ("bob", "approver")):
        assert main(["trust", "add", str(keys.files[name].public), "--owner", name, "--role",
                     role, "--trusted-keys", str(trust)]) == 0
    assert main(["check", "--policy", str(root / "policy.yaml"), "--card",
                 str(root / "card.yaml"), "--root", str(root), "--format", "json",
                 "--output-dir", str(root / "reports"), "--quiet", "--sign-key",
                 str(keys.files["alice"].private)]) == 0
    bundle = root / "reports" / "report.dsse.json"
    assert main(["approve", str(bundle), "--role", "approver", "--key",
                 str(keys.files["bob"].private), "--trusted-keys", str(trust)]) == 0
    capsys.readouterr()
    assert main(["verify", str(bundle), "--trusted-keys", str(trust), "--artifacts-root",
                 str(root), "--require-role", "author", "--require-role", "approver"]) == 0
    assert "2 distinct trusted key(s)" in capsys.readouterr().out


def test_trust_file_of_the_nearest_config_is_the_default(
        tmp_path: Path, keys: Keys, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    make_project(root)
    (root / ".git").mkdir()
    (root / "governance.yaml").write_text(
        "apiVersion: governance/v1\nkind: Config\npolicies: [policy.yaml]\ncard: card.yaml\n"
        "formats: [json]\nsigning: {trusted_keys: security/trusted-keys.yaml}\n", "utf-8")
    (root / "security").mkdir()
    deep = root / "data"
    monkeypatch.chdir(deep)
    monkeypatch.delenv("GOVERNANCE_SIGNING_KEY", raising=False)
    assert main(["trust", "add", str(keys.files["alice"].public), "--owner", "alice",
                 "--role", "author"]) == 0
    assert (root / "security" / "trusted-keys.yaml").is_file()
    assert main(["check", "--quiet", "--sign-key", str(keys.files["alice"].private)]) == 0
    capsys.readouterr()
    assert main(["verify", str(root / "reports" / "report.dsse.json"), "--artifacts-root",
                 str(root)]) == 0
    assert capsys.readouterr().out.startswith(
        f"signature: author alice key {keys.keyid('alice')[:16]} approve [ok]\n")
    monkeypatch.chdir(tmp_path)  # above the repository: no configuration, no default
    assert main(["trust", "add", str(keys.files["bob"].public), "--owner", "bob", "--role",
                 "approver"]) == 2
    assert capsys.readouterr().err == (
        "error: --trusted-keys: no trust file: pass --trusted-keys FILE (or set "
        "$GOVERNANCE_TRUSTED_KEYS, or signing.trusted_keys in governance.yaml)\n")


def test_trust_add_records_the_pdf_certificate(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import hashlib

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    assert main(["keygen", "--out-dir", str(tmp_path / "k"), "--name", "ann"]) == 0
    crt = tmp_path / "k" / "ann.crt"
    trust = tmp_path / "trusted-keys.yaml"
    assert main(["trust", "add", str(tmp_path / "k" / "ann.pub"), "--owner", "Ann", "--role",
                 "author", "--certificate", str(crt), "--trusted-keys", str(trust)]) == 0
    (entry,) = load_trust_file(trust).keys
    der = x509.load_pem_x509_certificate(crt.read_bytes()).public_bytes(
        serialization.Encoding.DER)
    assert entry.certificate_sha256 == hashlib.sha256(der).hexdigest()
    capsys.readouterr()
    assert main(["trust", "add", str(tmp_path / "k" / "ann.pub"), "--owner", "Ann", "--role",
                 "author", "--certificate", str(tmp_path / "k" / "ann.pub"),
                 "--trusted-keys", str(tmp_path / "t2.yaml")]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path / 'k' / 'ann.pub'}: malformed certificate: expected PEM "
        "'-----BEGIN CERTIFICATE-----'\n")
