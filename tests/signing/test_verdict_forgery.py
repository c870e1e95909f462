"""Issue 12 items 7 and 8: a forged verdict never verifies; approvers never sign blind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from securesystemslib.dsse import Envelope as SslibEnvelope

from governance import engine, verdict
from governance.cli import main
from governance.report import Report, Status, Verdict, canonical_json, load_report
from governance.signing.approve import approval_envelope
from governance.signing.bundle import Bundle, save_bundle
from governance.signing.dsse import INTOTO_PAYLOAD_TYPE, sign
from governance.signing.statement import report_statement
from governance.signing.subjects import collect_subjects

from .conftest import NOW, Keys, SignFactory, check_report, make_project
from .test_interop import sslib_key


def forge_pass(report: Report) -> Report:
    """What a forger does: flip the verdict and clear the reasons, leave the findings."""
    assert report.summary.status == Verdict.FAIL
    summary = report.summary.model_copy(update={"status": Verdict.PASS, "reasons": []})
    return report.model_copy(update={"summary": summary})


def test_engine_and_signing_share_one_verdict_function() -> None:
    assert engine.summarize is verdict.summarize


def test_verdict_problems_name_every_disagreement(tmp_path: Path) -> None:
    make_project(tmp_path, fail=True)
    honest = check_report(tmp_path)
    assert verdict.verdict_problems(honest) == []
    assert verdict.verdict_problems(forge_pass(honest)) == [
        "summary.status is 'pass' but the findings give 'fail' at fail_on 'info'",
        "summary.reasons do not match the findings"]
    # the subtler forgery: turn the failing finding into 'waived' with no waiver
    f = honest.findings
    i = next(i for i, x in enumerate(f) if x.status.value == "fail")
    waived = [*f[:i], f[i].model_copy(update={"status": Status.WAIVED}), *f[i + 1:]]
    forged = honest.model_copy(update={"findings": waived,
                                       "summary": verdict.summarize(waived, [], honest.summary
                                                                    .fail_on)})
    assert verdict.verdict_problems(forged) == ["finding DOC-1 is 'waived' but carries no waiver"]


def test_sign_refuses_a_report_whose_verdict_was_edited(
        signed: SignFactory, keys: Keys, capsys: pytest.CaptureFixture[str]) -> None:
    s = signed(fail=True)
    path = s.root / "reports" / "report.json"
    forged = json.loads(path.read_text("utf-8"))
    forged["summary"]["status"] = "pass"
    forged["summary"]["reasons"] = []
    path.write_text(json.dumps(forged), encoding="utf-8")
    out = s.root / "forged.dsse.json"
    code = main(["sign", str(path), "--key", str(keys.files["alice"].private),
                 "--artifacts-root", str(s.root), "--out", str(out)])
    assert code == 1
    assert capsys.readouterr().err == (
        "error: refusing to sign: the report's verdict does not follow from its findings: "
        "summary.status is 'pass' but the findings give 'fail' at fail_on 'info'; "
        "summary.reasons do not match the findings\n")
    assert not out.exists()


def forged_bundle(root: Path, keys: Keys) -> Path:
    """A forger with the author's key who bypasses `governance sign` altogether."""
    report = forge_pass(load_report((root / "reports" / "report.json").read_bytes()))
    (root / "reports" / "report.json").write_bytes(canonical_json(report))
    subjects = collect_subjects(report, {"json": root / "reports" / "report.json"}, root)
    payload = report_statement(report, subjects)
    alice = keys.signing("alice")
    approval = approval_envelope(report_payload=payload, key=alice, role="author",
                                 decision="approve", comment=None, signer="alice", now=NOW,
                                 report_id=report.report_id, target=report.target)
    path = root / "reports" / "forged.dsse.json"
    save_bundle(path, Bundle(sign(payload, INTOTO_PAYLOAD_TYPE, alice), (approval,)))
    return path


def test_verify_refuses_a_validly_signed_forged_verdict(
        signed: SignFactory, keys: Keys, trust_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed(fail=True)
    path = forged_bundle(s.root, keys)
    # the signature itself is fine (an independent verifier accepts it) ...
    env = SslibEnvelope.from_dict(json.loads(path.read_text("utf-8"))["envelope"])
    env.verify([sslib_key(keys, "alice")], 1)
    assert json.loads(env.payload)["predicate"]["verdict"] == "pass"
    # ... but the verdict does not follow from the findings
    code = main(["verify", str(path), "--trusted-keys", str(trust_file), "--artifacts-root",
                 str(s.root), "--require-role", "author"])
    assert code == 1
    out = capsys.readouterr().out
    assert ("  - forged verdict: summary.status is 'pass' but the findings give 'fail' at "
            "fail_on 'info'\n") in out
    assert "  - forged verdict: summary.reasons do not match the findings\n" in out
    # and an approver is told so and refused
    code = main(["approve", str(path), "--role", "approver", "--key",
                 str(keys.files["bob"].private), "--trusted-keys", str(trust_file)])
    assert code == 1
    out = capsys.readouterr().out
    assert out.endswith(
        "refusing to approve (2 reasons):\n"
        "  - summary.status is 'pass' but the findings give 'fail' at fail_on 'info'\n"
        "  - summary.reasons do not match the findings\n")


def test_approve_shows_the_verdict_and_refuses_a_failing_report(
        signed: SignFactory, keys: Keys, trust_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed(fail=True)
    before = s.bundle_path.read_bytes()
    args = ["approve", str(s.bundle_path), "--role", "approver", "--key",
            str(keys.files["bob"].private), "--trusted-keys", str(trust_file)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert out == (
        f"report {s.report.report_id}: model mini 0.1.0, release 1.4.0, environment "
        "production\n"
        "verdict: fail (fail_on info)\n"
        f"signature: author alice key {keys.keyid('alice')[:16]} approve [ok]\n"
        "findings to review (1):\n"
        f"  fail DOC-1 (high): {s.report.findings[1].message}\n"
        "refusing to approve (1 reason):\n"
        "  - the report's verdict is 'fail'\n")
    assert s.report.findings[1].rule_id == "DOC-1"
    assert s.bundle_path.read_bytes() == before
    # a rejection is always possible, and is recorded
    assert main([*args, "--decision", "reject", "--comment", "license missing"]) == 0
    assert "rejected as approver" in capsys.readouterr().out
    assert len(s.bundle().approvals) == 2


def test_approve_refuses_a_bundle_whose_signatures_do_not_verify(
        signed: SignFactory, keys: Keys, trust_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from dataclasses import replace

    s = signed()
    b = s.bundle()
    # an author signature that no longer verifies (one bit flipped)
    sig = b.envelope.signatures[0]
    bad = replace(sig, sig=bytes([sig.sig[0] ^ 1]) + sig.sig[1:])
    s.save(Bundle(replace(b.envelope, signatures=(bad,)), b.approvals))
    args = ["approve", str(s.bundle_path), "--role", "approver", "--key",
            str(keys.files["bob"].private), "--trusted-keys", str(trust_file)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "verdict: pass (fail_on info)\n" in out
    assert (f"  - signature #1 by key {keys.keyid('alice')[:16]} (alice) is invalid: the "
            "payload or payloadType was altered after signing\n") in out
    assert "  - no existing signature verifies against the trust file\n" in out
    assert len(s.bundle().envelope.signatures) == 1
    # an author who is not in the trust file at all
    s2 = signed(author="mallory", name="p2")
    assert main(["approve", str(s2.bundle_path), "--role", "approver", "--key",
                 str(keys.files["bob"].private), "--trusted-keys", str(trust_file)]) == 1
    assert (f"  - signature #1 (keyid {keys.keyid('mallory')[:16]}) was not made by a "
            "trusted key\n") in capsys.readouterr().out


def test_approve_of_a_good_report_still_works(signed: SignFactory, keys: Keys,
                                              trust_file: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    assert main(["approve", str(s.bundle_path), "--role", "approver", "--key",
                 str(keys.files["bob"].private), "--trusted-keys", str(trust_file),
                 "--signer", "Bob"]) == 0
    out = capsys.readouterr().out
    assert "verdict: pass (fail_on info)\n" in out
    assert "findings to review" not in out
    assert out.endswith(f"approved as approver with key {keys.keyid('bob')}\n"
                        f"wrote {s.bundle_path} (2 signatures)\n")


def test_a_forged_report_can_still_be_rejected(signed: SignFactory, keys: Keys,
                                               trust_file: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    s = signed(fail=True)
    path = forged_bundle(s.root, keys)
    assert main(["approve", str(path), "--role", "approver", "--key",
                 str(keys.files["bob"].private), "--trusted-keys", str(trust_file),
                 "--decision", "reject", "--comment", "verdict forged"]) == 0
    assert "rejected as approver" in capsys.readouterr().out


def test_verify_can_require_fail_on_and_signed_waivers(tmp_path: Path, keys: Keys,
                                                       trust_file: Path) -> None:
    """A report evaluated less strictly (fail_on) or with unsigned waivers can be refused."""
    from governance.api import CheckRequest, run_check
    from governance.report import Severity, Target
    from governance.signing.trust import load_trust_file
    from governance.signing.verify import VerifyOptions, verify_bundle
    from governance.signing.workflow import sign_report

    make_project(tmp_path, fail=True)
    policy = tmp_path / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + "waivers:\n  - {rule_id: DOC-1, reason: r, "
                      "approved_by: x, expires: 2026-06-01}\n", encoding="utf-8")
    report = run_check(CheckRequest(policies=[policy], card=tmp_path / "card.yaml",
                                    root=tmp_path, now=NOW, fail_on=Severity.CRITICAL,
                                    target=Target(release="1"))).report
    assert report.summary.status == Verdict.PASS
    (tmp_path / "report.json").write_bytes(canonical_json(report))
    path = sign_report(report, outputs={"json": tmp_path / "report.json"}, root=tmp_path,
                       key=keys.signing("alice"), out_path=tmp_path / "b.dsse.json", now=NOW)
    from governance.signing.bundle import load_bundle

    def reasons(**kw: object) -> tuple[str, ...]:
        opts = VerifyOptions(artifacts_root=tmp_path, now=NOW, require_roles=("author",),
                             **kw)  # type: ignore[arg-type]
        return verify_bundle(load_bundle(path), load_trust_file(trust_file), opts).reasons

    assert reasons() == ()
    assert reasons(fail_on=Severity.HIGH, require_signed_waivers=True) == (
        "report was evaluated with fail_on 'critical', less strict than the required 'high' "
        "(--fail-on)",
        "finding DOC-1 is waived by an unsigned waiver (--require-signed-waivers)")
    assert reasons(fail_on=Severity.CRITICAL) == ()
