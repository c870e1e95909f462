"""The CLI end to end: check --sign-key, sign, approve, verify (exit 0/1/2), display, packs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from governance.cli import main
from governance.errors import SigningError
from governance.report import InputFile
from governance.signing.display import signature_infos
from governance.signing.keys import load_private_key
from governance.signing.trust import load_trust_file
from governance.signing.verify import VerifyOptions, verify_bundle
from governance.signing.workflow import sign_report

from .conftest import NOW, Keys, SignFactory, make_project, sha, trust_yaml, write

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    make_project(root)
    return root


def run_check(root: Path, keys: Keys, *extra: str) -> int:
    return main(["check", "--policy", str(root / "policy.yaml"), "--card",
                 str(root / "card.yaml"), "--root", str(root), "--format", "json",
                 "--output-dir", str(root / "reports"), "--release", "2.1.0",
                 "--environment", "production", "--quiet", *extra])


def test_check_sign_approve_verify(project: Path, keys: Keys, trust_file: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert run_check(project, keys, "--sign-key", str(keys.files["alice"].private)) == 0
    bundle = project / "reports" / "report.dsse.json"
    report = json.loads((project / "reports" / "report.json").read_text("utf-8"))
    capsys.readouterr()
    verify = ["verify", str(bundle), "--trusted-keys", str(trust_file), "--artifacts-root",
              str(project), "--require-role", "author", "--require-role", "approver",
              "--release", "2.1.0", "--environment", "production", "--max-age", "1"]
    assert main(verify) == 1
    out = capsys.readouterr().out
    assert out == (
        f"signature: author alice key {keys.keyid('alice')[:16]} approve [ok]\n"
        "verification FAILED (2 reasons):\n"
        "  - 1 distinct trusted key(s) signed the report, 2 required\n"
        "  - required role 'approver' has no valid approval by a trusted key allowed to sign "
        "as it\n")
    assert main(["approve", str(bundle), "--role", "approver", "--key",
                 str(keys.files["bob"].private), "--comment", "fairness reviewed",
                 "--signer", "Bob B.", "--trusted-keys", str(trust_file)]) == 0
    assert capsys.readouterr().out == (
        f"report {report['report_id']}: model mini 0.1.0, release 2.1.0, environment "
        "production\n"
        "verdict: pass (fail_on info)\n"
        f"signature: author alice key {keys.keyid('alice')[:16]} approve [ok]\n"
        f"approved as approver with key {keys.keyid('bob')}\n"
        f"wrote {bundle} (2 signatures)\n")
    assert main(verify) == 0
    assert capsys.readouterr().out == (
        f"signature: author alice key {keys.keyid('alice')[:16]} approve [ok]\n"
        f"signature: approver bob key {keys.keyid('bob')[:16]} approve [ok]\n"
        f"verified: report {report['report_id']} release 2.1.0; 2 distinct trusted key(s); "
        "5 subjects match\n")
    # the same key cannot approve twice
    assert main(["approve", str(bundle), "--role", "approver", "--key",
                 str(keys.files["bob"].private), "--trusted-keys", str(trust_file)]) == 2
    assert capsys.readouterr().err == (f"error: {bundle}: key {keys.keyid('bob')[:16]} has "
                                       "already signed this report; a key signs once\n")
    # the gate for another release fails
    assert main([*verify[:-6], "--release", "2.2.0"]) == 1
    assert "  - report is for release '2.1.0', not '2.2.0'\n" in capsys.readouterr().out


def test_sign_command_binds_extra_subjects(signed: SignFactory, keys: Keys, trust_file: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    s.bundle_path.unlink()
    reports = s.root / "reports"
    assert main(["sign", str(reports / "report.json"), "--key",
                 str(keys.files["alice"].private), "--artifacts-root", str(s.root),
                 "--subject", str(reports / "report.pdf")]) == 0
    assert capsys.readouterr().out == (f"signed as author with key {keys.keyid('alice')}\n"
                                       f"wrote {s.bundle_path}\n")
    # signed just now (the approval's time), verified now
    result = verify_bundle(s.bundle(), load_trust_file(trust_file),
                           VerifyOptions(artifacts_root=s.root, now=datetime.now(UTC),
                                         require_roles=("author",)))
    assert result.ok, result.reasons
    assert result.subjects_checked == 6
    pdf_sha = sha(reports / "report.pdf")
    (reports / "report.pdf").write_bytes(b"%PDF-1.7 forged")
    result = verify_bundle(s.bundle(), load_trust_file(trust_file),
                           VerifyOptions(artifacts_root=s.root, now=datetime.now(UTC)))
    assert result.reasons == (
        f"subject reports/report.pdf (output:pdf): sha256 mismatch: attested {pdf_sha}, found "
        f"{sha(reports / 'report.pdf')}",)


def test_sign_refuses_changed_inputs_and_files_outside_the_root(
        signed: SignFactory, keys: Keys, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    report = s.root / "reports" / "report.json"
    key = ["--key", str(keys.files["alice"].private)]
    outside = tmp_path / "elsewhere.pdf"
    outside.write_bytes(b"%PDF")
    assert main(["sign", str(report), *key, "--artifacts-root", str(s.root), "--subject",
                 str(outside)]) == 2
    assert capsys.readouterr().err == (
        f"error: {outside}: cannot bind {outside} into the attestation: it is outside the "
        f"project root {s.root}; write it under the root (or pass --root / --artifacts-root)\n")
    card = s.root / "card.yaml"
    old = sha(card)
    card.write_text(card.read_text("utf-8") + "# edited\n", encoding="utf-8")
    assert main(["sign", str(report), *key, "--artifacts-root", str(s.root)]) == 2
    assert capsys.readouterr().err == (
        f"error: card.yaml: card file changed since the report was generated (report sha256 "
        f"{old}, now {sha(card)}); re-run the check\n")


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "not a JSON sign-off bundle or DSSE envelope: Expecting property name "
     "enclosed in double quotes: line 1 column 2 (char 1)"),
    (b"[]", "not a sign-off bundle or DSSE envelope: expected a JSON object"),
    (b'{"bundleType": "https://governance-checker.dev/signoff-bundle/v1", "envelope": '
     b'{"payload": "%%%", "payloadType": "x", "signatures": []}}',
     "envelope.payload: not base64"),
    (b'{"bundleType": "https://governance-checker.dev/signoff-bundle/v1", "envelope": '
     b'{"payload": "", "payloadType": "x"}}', "envelope.signatures: required field is missing"),
    (b'{"bundleType": "https://example.com/other"}',
     "bundleType: unsupported bundleType 'https://example.com/other', expected "
     "'https://governance-checker.dev/signoff-bundle/v1'"),
])
def test_malformed_envelope_exits_2(tmp_path: Path, trust_file: Path, content: bytes,
                                    message: str, capsys: pytest.CaptureFixture[str]) -> None:
    env = tmp_path / "bad.dsse.json"
    env.write_bytes(content)
    assert main(["verify", str(env), "--trusted-keys", str(trust_file)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"error: {env}: {message}\n"
    assert captured.out == ""


def test_bad_trust_files_exit_2(signed: SignFactory, keys: Keys, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    trust = tmp_path / "trusted-keys.yaml"
    good = trust_yaml(keys, [("alice", ["author"])])
    cases = [
        (good.replace(keys.keyid("alice"), keys.keyid("bob")),
         f"4:5: keys[0].keyid: keyid does not match the public key (the key's keyid is "
         f"{keys.keyid('alice')})"),
        (good.replace("roles: [author]", "roles: []"),
         "6:12: keys[0].roles: List should have at least 1 item after validation, not 0"),
        (good.replace("roles: [author]", "roles: [Release Manager]"),
         "6:5: keys[0].roles: invalid role 'Release Manager': use lowercase letters, digits, "
         "'-' and '_'"),
        (good.replace("MCow", "XXXX"),
         "7:5: keys[0].public_key: malformed public key: expected PEM '-----BEGIN PUBLIC "
         "KEY-----'"),
        (good + "  - *alias\n", "11:5: aliases (*name) are not allowed"),
    ]
    for text, message in cases:
        trust.write_text(text, encoding="utf-8")
        assert main(["verify", str(s.bundle_path), "--trusted-keys", str(trust)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {trust}:"), err
        assert message in err, err
    assert main(["verify", str(s.bundle_path), "--trusted-keys", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"error: {tmp_path / 'nope'}: file not found\n"


def test_shipped_policy_pack_subjects(signed: SignFactory, keys: Keys, trust_file: Path,
                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import governance.policy.loader as loader

    packs = tmp_path / "packs"
    pack = write(packs / "fairness.yaml", "apiVersion: governance/v1\n")
    monkeypatch.setattr(loader, "packs_dir", lambda: packs)
    s = signed()
    report = s.report.model_copy(update={"inputs": [
        *s.report.inputs, InputFile(role="policy", path="pack:fairness", sha256=sha(pack))]})
    sign_report(report, outputs={}, root=s.root, key=keys.signing("alice"),
                out_path=s.bundle_path, now=NOW)
    opts = VerifyOptions(artifacts_root=s.root, now=NOW, require_roles=("author",))
    assert verify_bundle(s.bundle(), load_trust_file(trust_file), opts).reasons == ()
    old = sha(pack)
    pack.write_text("apiVersion: governance/v1\nkind: Policy\n", encoding="utf-8")
    assert verify_bundle(s.bundle(), load_trust_file(trust_file), opts).reasons == (
        f"subject pack:fairness (policy): sha256 mismatch: attested {old}, found {sha(pack)}",)
    bad = report.model_copy(update={"inputs": [
        InputFile(role="policy", path="pack:../secret", sha256="0" * 64)]})
    with pytest.raises(SigningError) as exc:
        sign_report(bad, outputs={}, root=s.root, key=keys.signing("alice"),
                    out_path=s.bundle_path, now=NOW)
    assert exc.value.message == ("cannot bind policy file 'pack:../secret': invalid policy pack "
                                 "name '../secret'")


def test_signature_infos_for_the_signoff_block(signed: SignFactory, keys: Keys,
                                               trust_file: Path) -> None:
    from governance.signing.approve import approve_bundle

    s = signed()
    s.save(approve_bundle(s.bundle(), keys.signing("bob"), role="approver", decision="approve",
                          comment="ship it", signer="Bob", now=NOW + timedelta(hours=2)))
    s.save(approve_bundle(s.bundle(), keys.signing("mallory"), role="approver",
                          decision="approve", comment=None, signer="Mallory", now=NOW))
    checked = signature_infos(s.bundle_path, trust_file)
    assert [(i.role, i.signer, i.keyid, i.decision, i.verified) for i in checked] == [
        ("author", "alice", keys.keyid("alice"), "approve", True),
        ("approver", "bob", keys.keyid("bob"), "approve", True),
        ("unknown", None, keys.keyid("mallory"), None, False),
    ]
    assert checked[1].comment == "ship it"
    assert checked[1].signed_at == NOW + timedelta(hours=2)
    assert checked[2].reason == (f"signature #3 (keyid {keys.keyid('mallory')[:16]}) was not "
                                 "made by a trusted key")
    claimed = signature_infos(s.bundle_path, None)
    assert [(i.role, i.signer, i.verified) for i in claimed] == [
        ("author", None, None), ("approver", "Bob", None), ("approver", "Mallory", None)]
    assert {i.reason for i in claimed} == {"not checked against a trust file"}


def test_verify_imports_nothing_heavy(signed: SignFactory, trust_file: Path) -> None:
    s = signed()
    probe = (
        "import json, sys\n"
        "from governance.cli import main\n"
        f"code = main(['verify', {str(s.bundle_path)!r}, '--trusted-keys', "
        f"{str(trust_file)!r}, '--artifacts-root', {str(s.root)!r}, '--require-role', "
        "'author'])\n"
        "heavy = [m for m in ('pandas', 'numpy', 'sklearn', 'fairlearn', 'weasyprint', "
        "'scipy', 'pyarrow') if m in sys.modules]\n"
        "print(json.dumps({'code': code, 'heavy': heavy}))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"code": 0, "heavy": []}


def test_encrypted_key_signs_in_check(project: Path, tmp_path: Path, keys: Keys,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KEYPASS", "s3cret")
    assert main(["keygen", "--out-dir", str(tmp_path / "k"), "--passphrase-env",
                 "KEYPASS"]) == 0
    key = tmp_path / "k" / "governance.key"
    monkeypatch.setenv("GOVERNANCE_KEY_PASSPHRASE", "s3cret")
    assert run_check(project, keys, "--sign-key", str(key)) == 0
    bundle = project / "reports" / "report.dsse.json"
    signer = load_private_key(key.read_bytes(), source="k", passphrase="s3cret")
    assert json.loads(bundle.read_text("utf-8"))["envelope"]["signatures"][0]["keyid"] == (
        signer.keyid)
    bundle.unlink()
    monkeypatch.setenv("GOVERNANCE_KEY_PASSPHRASE", "wrong")
    capsys.readouterr()
    assert run_check(project, keys, "--sign-key", str(key)) == 2
    err = capsys.readouterr().err
    assert err == f"error: {key}: cannot decrypt the private key: wrong passphrase\n"
    assert not bundle.exists()
