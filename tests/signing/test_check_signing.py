"""Signing fits CI (issue 15 item 3): which key signs, absent keys, hooks, outputs elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.cli import main
from governance.signing.bundle import load_bundle
from governance.signing.statement import parse_statement

from .conftest import Keys, make_project, write


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    make_project(root)
    (root / ".git").mkdir()  # the repository top: config discovery stops here
    write(root / "governance.yaml", """
        apiVersion: governance/v1
        kind: Config
        policies: [policy.yaml]
        card: card.yaml
        formats: [json]
        signing:
          key: keys/author.key
    """)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GOVERNANCE_SIGNING_KEY", raising=False)
    monkeypatch.delenv("GOVERNANCE_KEY_PASSPHRASE", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return root


def signer_keyid(bundle: Path) -> str:
    return load_bundle(bundle).envelope.signatures[0].keyid


def test_configured_key_absent_warns_and_exit_code_comes_from_the_gate(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err == (f"warning: signing key {project / 'keys' / 'author.key'} (signing.key of "
                   "governance.yaml) not found and $GOVERNANCE_SIGNING_KEY is not set: the "
                   "report is not signed (--require-signature makes this an error)\n")
    assert (project / "reports" / "report.json").is_file()
    assert not (project / "reports" / "report.dsse.json").exists()
    # a failing gate still exits 1, not 2
    write(project / "card.yaml", (project / "card.yaml").read_text("utf-8").replace(
        "owners:\n    - name: Team A\n", "owners: []\n"))
    assert main(["check", "--quiet"]) == 1


def test_require_signature_without_a_key_is_exit_2_and_writes_nothing(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--quiet", "--require-signature"]) == 2
    assert capsys.readouterr().err == (
        f"error: {project / 'keys' / 'author.key'}: --require-signature: signing key not "
        "found (signing.key of governance.yaml) and $GOVERNANCE_SIGNING_KEY is not set; "
        "--require-signature needs a key\n")
    assert not (project / "reports").exists()
    (project / "governance.yaml").write_text(
        (project / "governance.yaml").read_text("utf-8").split("signing:")[0], "utf-8")
    assert main(["check", "--quiet", "--require-signature"]) == 2
    assert capsys.readouterr().err == (
        "error: --require-signature: no signing key: pass --sign-key FILE or set "
        "$GOVERNANCE_SIGNING_KEY to the PEM text (--require-signature)\n")
    assert main(["check", "--quiet", "--require-signature", "--no-sign"]) == 2
    assert capsys.readouterr().err == (
        "error: --require-signature: --no-sign contradicts --require-signature\n")


def test_precedence_cli_then_environment_then_configuration(
        project: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = project / "reports" / "report.dsse.json"
    (project / "keys").mkdir()
    (project / "keys" / "author.key").write_bytes(keys.files["carol"].private.read_bytes())
    assert main(["check", "--quiet"]) == 0
    assert signer_keyid(bundle) == keys.keyid("carol")  # configuration
    monkeypatch.setenv("GOVERNANCE_SIGNING_KEY",
                       keys.files["bob"].private.read_text("ascii"))
    assert main(["check", "--quiet"]) == 0
    assert signer_keyid(bundle) == keys.keyid("bob")  # the environment wins over the file
    assert main(["check", "--quiet", "--sign-key", str(keys.files["alice"].private)]) == 0
    assert signer_keyid(bundle) == keys.keyid("alice")  # the flag wins over both
    bundle.unlink()
    assert main(["check", "--quiet", "--no-sign"]) == 0
    assert not bundle.exists()


def test_environment_key_signs_without_any_signing_configuration(
        project: Path, keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "governance.yaml").write_text(
        (project / "governance.yaml").read_text("utf-8").split("signing:")[0], "utf-8")
    monkeypatch.setenv("GOVERNANCE_SIGNING_KEY", keys.files["alice"].private.read_text("ascii"))
    assert main(["check", "--quiet", "--require-signature"]) == 0
    assert signer_keyid(project / "reports" / "report.dsse.json") == keys.keyid("alice")


def test_explicit_bad_key_is_exit_2_before_anything_is_written(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--quiet", "--sign-key", "missing.key"]) == 2
    assert capsys.readouterr().err == "error: missing.key: key file not found\n"
    assert not (project / "reports").exists()


def test_output_dir_outside_the_root_is_signed_relative_to_itself(
        project: Path, tmp_path: Path, keys: Keys, trust_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "elsewhere" / "out"
    assert main(["check", "--quiet", "--format", "json,markdown", "--output-dir", str(out),
                 "--sign-key", str(keys.files["alice"].private)]) == 0
    bundle = out / "report.dsse.json"
    statement, _ = parse_statement(load_bundle(bundle).envelope.payload, "statement")
    assert statement is not None
    names = {s.name: s.roles for s in statement.subjects}
    assert names["report.json"] == ("output:json",)
    assert names["report.md"] == ("output:markdown",)
    assert names["card.yaml"] == ("card",)
    capsys.readouterr()
    verify = ["verify", str(bundle), "--trusted-keys", str(trust_file), "--artifacts-root",
              str(project)]
    assert main(verify) == 1
    assert ("  - subject report.json (output:json) cannot be checked: "
            in capsys.readouterr().out)
    assert main([*verify, "--outputs-root", str(out)]) == 0
    assert capsys.readouterr().out.endswith("6 subjects match\n")


def test_report_to_stdout_is_not_signed(project: Path, keys: Keys,
                                        capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVERNANCE_SIGNING_KEY", keys.files["alice"].private.read_text("ascii"))
    assert main(["check", "--format", "json", "--output", "-"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["summary"]["status"] == "pass"
    assert not (project / "reports").exists()
    assert main(["check", "--format", "json", "--output", "-", "--sign-key",
                 str(keys.files["alice"].private)]) == 2
    assert capsys.readouterr().err == (
        "error: --output: a report written to standard output cannot be signed: pass --output "
        "FILE, or --no-sign\n")


def test_warning_about_an_absent_key_is_one_inert_line(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "governance.yaml").write_text(
        (project / "governance.yaml").read_text("utf-8").replace(
            "key: keys/author.key", 'key: "k\\n::error::x\\u001b[2J.key"'), "utf-8")
    assert main(["check", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "\x1b" not in err
    assert err.startswith(f"warning: signing key {project}/k\\n::error::x\\x1b[2J.key (signing")


def test_output_file_is_bound_by_the_signature(project: Path, keys: Keys, trust_file: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--quiet", "--format", "sarif", "--output", "gate.sarif",
                 "--sign-key", str(keys.files["alice"].private)]) == 0
    bundle = project / "reports" / "report.dsse.json"
    statement, _ = parse_statement(load_bundle(bundle).envelope.payload, "statement")
    assert statement is not None
    assert {s.name: s.roles for s in statement.subjects}["gate.sarif"] == ("output:sarif",)
    capsys.readouterr()
    verify = ["verify", str(bundle), "--trusted-keys", str(trust_file), "--artifacts-root",
              str(project)]
    assert main(verify) == 0
    (project / "gate.sarif").write_text("{}", "utf-8")
    assert main(verify) == 1
    assert "  - subject gate.sarif (output:sarif): sha256 mismatch" in capsys.readouterr().out
