"""Issue 12 item 2: a waiver counts only when signed by a trusted key allowed to grant it."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from securesystemslib.dsse import Envelope as SslibEnvelope

from governance.api import CheckRequest, run_check
from governance.cli import main
from governance.errors import PolicyError
from governance.policy.loader import load_policies
from governance.report import Report, Scope, Status, Target, Waiver, WaiverSettings
from governance.reporters import render
from governance.signed_waivers import requirements
from governance.signing.waiver import WAIVER_PREDICATE_TYPE, envelope_bytes, sign_waiver

from .conftest import NOW, Keys, make_project, trust_yaml
from .test_interop import sslib_key

INLINE = """
  entries:
    - rule_id: DOC-1
      reason: licence review pending
      approved_by: someone@example.com
      expires: 2999-12-31
"""


@pytest.fixture()
def project(tmp_path: Path, keys: Keys) -> Path:
    root = tmp_path / "proj"
    make_project(root, fail=True)  # DOC-1 (high) fails: model.license is missing
    (root / "trusted-keys.yaml").write_text(trust_yaml(keys, [
        ("alice", ["author"]), ("bob", ["risk-officer"]), ("carol", ["approver"])]),
        encoding="utf-8")
    return root


def set_waivers(root: Path, text: str) -> None:
    policy = root / "policy.yaml"
    policy.write_text(policy.read_text("utf-8") + "waivers:\n" + text.lstrip("\n"),
                      encoding="utf-8")


def signed_waiver(root: Path, keys: Keys, name: str, *, role: str = "risk-officer",
                  expires: date = date(2026, 4, 30), rule_id: str = "DOC-1",
                  policy: str | None = "mini", file: str = "waivers/doc-1.dsse.json") -> Path:
    waiver = Waiver(rule_id=rule_id, reason="licence review pending (LEGAL-7)",
                    approved_by="Bob Risk <bob@example.com>", expires=expires,
                    ticket="LEGAL-7", scope=Scope(model="mini"))
    env = sign_waiver(waiver, keys.signing(name), role=role, policy=policy,
                      now=NOW - timedelta(days=1))
    path = root / file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(envelope_bytes(env))
    return path


def check(root: Path, *, trusted: bool = True) -> Report:
    return run_check(CheckRequest(
        policies=[root / "policy.yaml"], card=root / "card.yaml", root=root, now=NOW,
        report_id="r-1", target=Target(release="1"),
        trusted_keys=root / "trusted-keys.yaml" if trusted else None)).report


def doc1(report: Report) -> tuple[Status, Waiver | None]:
    f = next(f for f in report.findings if f.rule_id == "DOC-1")
    return f.status, f.waiver


def test_a_waiver_written_into_a_pull_request_is_refused(project: Path) -> None:
    """The forgery of the issue: any approved_by, expiry 2999; the gate used to pass."""
    set_waivers(project, "  require_signature: true\n" + INLINE)
    report = check(project)
    assert doc1(report) == (Status.FAIL, None)
    assert report.summary.status.value == "fail"
    [notice] = report.waivers
    assert notice.state == "refused"
    assert notice.message == ("waiver for DOC-1 (policy.yaml:21) refused: it is not signed, and "
                              "policy.yaml:18 requires signed waivers (`governance waiver "
                              "sign`)")
    assert notice.message in report.summary.reasons
    # the operator flag does the same for a policy that does not ask for it
    policy = project / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace("  require_signature: true\n", ""),
                      encoding="utf-8")
    assert doc1(check(project))[0] == Status.WAIVED  # unsigned waivers allowed: applies
    assert main(["check", "--policy", str(policy), "--card", str(project / "card.yaml"),
                 "--root", str(project), "--format", "json", "--output-dir",
                 str(project / "out"), "--quiet", "--require-signed-waivers"]) == 1


def test_a_waiver_signed_by_a_trusted_risk_officer_applies_and_shows_its_signer(
        project: Path, keys: Keys) -> None:
    path = signed_waiver(project, keys, "bob")
    set_waivers(project, "  require_signature: true\n  max_days: 90\n  signed: "
                         "[waivers/doc-1.dsse.json]\n")
    report = check(project)
    status, waiver = doc1(report)
    assert status == Status.WAIVED
    assert waiver is not None and waiver.signed_by is not None
    assert (waiver.signed_by.keyid, waiver.signed_by.owner, waiver.signed_by.role) == (
        keys.keyid("bob"), "bob", "risk-officer")
    assert report.summary.status.value == "pass"
    assert report.waivers == []
    # the waiver file is an input of the report, so a signature binds it
    inputs = {(i.role, i.path): i.sha256 for i in report.inputs}
    import hashlib

    assert inputs[("waiver", "waivers/doc-1.dsse.json")] == hashlib.sha256(
        path.read_bytes()).hexdigest()
    # JSON and the human formats show who signed it
    data = json.loads(render(report, "json"))
    f = next(f for f in data["findings"] if f["rule_id"] == "DOC-1")
    assert f["waiver"]["signed_by"] == {"keyid": keys.keyid("bob"), "owner": "bob",
                                        "role": "risk-officer",
                                        "signed_at": "2026-02-28T12:00:00Z"}
    line = f"waiver signed by bob as risk-officer (key {keys.keyid('bob')[:16]})"
    assert line in render(report, "text").decode()
    assert (f"(signed by bob as risk-officer, key `{keys.keyid('bob')[:16]}`)"
            in render(report, "markdown").decode())
    assert (f"Signed by bob as risk-officer (key {keys.keyid('bob')[:16]})"
            in render(report, "html").decode())
    # an independent verifier accepts the waiver envelope with bob's key
    env = SslibEnvelope.from_dict(json.loads(path.read_text("utf-8")))
    env.verify([sslib_key(keys, "bob")], 1)
    assert json.loads(env.payload)["predicateType"] == WAIVER_PREDICATE_TYPE


@pytest.mark.parametrize(("signer", "role", "expires", "why"), [
    ("mallory", "risk-officer", date(2026, 4, 30), "it is not signed by a key in the trust file"),
    ("carol", "risk-officer", date(2026, 4, 30),
     "the trust file does not allow key {carol} (carol) to sign as 'risk-officer' (allowed: "
     "approver)"),
    ("carol", "approver", date(2026, 4, 30),
     "role 'approver' may not grant waivers (allowed: risk-officer)"),
    ("bob", "risk-officer", date(2999, 12, 31),
     "it runs 355687 days (signed 2026-02-28, expires 2999-12-31), more than max_days 90"),
])
def test_refused_signed_waivers_say_why(project: Path, keys: Keys, signer: str, role: str,
                                        expires: date, why: str) -> None:
    signed_waiver(project, keys, signer, role=role, expires=expires)
    set_waivers(project, "  require_signature: true\n  max_days: 90\n  signed: "
                         "[waivers/doc-1.dsse.json]\n")
    report = check(project)
    assert doc1(report) == (Status.FAIL, None)
    assert report.summary.status.value == "fail"
    [notice] = report.waivers
    assert notice.state == "refused"
    assert notice.message == ("signed waiver waivers/doc-1.dsse.json for DOC-1 refused: "
                              + why.format(carol=keys.keyid("carol")[:16]))


def test_an_edited_signed_waiver_no_longer_verifies(project: Path, keys: Keys) -> None:
    import base64
    import hashlib

    path = signed_waiver(project, keys, "bob")
    env = json.loads(path.read_text("utf-8"))
    st = json.loads(base64.b64decode(env["payload"]))
    st["predicate"]["waiver"]["expires"] = "2026-12-31"  # stretch it, fix the digest too
    data = json.dumps(st["predicate"]["waiver"], sort_keys=True, separators=(",", ":"))
    st["subject"][0]["digest"]["sha256"] = hashlib.sha256(data.encode()).hexdigest()
    env["payload"] = base64.b64encode(json.dumps(st, sort_keys=True, separators=(",", ":"),
                                                 ensure_ascii=False).encode()).decode()
    path.write_text(json.dumps(env), encoding="utf-8")
    set_waivers(project, "  signed: [waivers/doc-1.dsse.json]\n")
    report = check(project)
    assert doc1(report) == (Status.FAIL, None)
    assert report.waivers[0].message.endswith("refused: it is not signed by a key in the trust "
                                              "file")
    # without a trust file a signed waiver cannot be checked: refused too
    signed_waiver(project, keys, "bob")
    assert check(project, trusted=False).waivers[0].message.endswith(
        "refused: there is no trust file to check its signature (pass --trusted-keys or set "
        "signing.trusted_keys)")


def test_a_waiver_signed_for_another_policy_or_rule_is_refused(project: Path,
                                                               keys: Keys) -> None:
    signed_waiver(project, keys, "bob", policy="other-policy")
    signed_waiver(project, keys, "bob", rule_id="NOPE-1", file="waivers/nope.dsse.json")
    set_waivers(project, "  signed: [waivers/doc-1.dsse.json, waivers/nope.dsse.json]\n")
    msgs = [n.message for n in check(project).waivers]
    assert msgs == [
        "signed waiver waivers/doc-1.dsse.json for DOC-1 refused: it was signed for policy "
        "'other-policy', not 'mini'",
        "signed waiver waivers/nope.dsse.json for NOPE-1 refused: the policy has no rule "
        "'NOPE-1'"]


def test_signed_by_cannot_be_written_in_a_policy(project: Path) -> None:
    set_waivers(project, INLINE + "      signed_by: {keyid: x, owner: me, role: risk-officer, "
                "signed_at: 2026-01-01T00:00:00Z}\n")
    with pytest.raises(PolicyError) as exc:
        load_policies([project / "policy.yaml"], display_base=project)
    assert str(exc.value) == ("policy.yaml:23:18: waivers.entries[0].signed_by: signed_by "
                              "cannot be written in a policy: it is set when a signed waiver "
                              "(`governance waiver sign`) verifies")


def test_the_eu_ai_act_pack_requires_signed_waivers(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("apiVersion: governance/v1\nkind: Policy\nmetadata: {name: p, version: "
                      "'1'}\nextends: [eu-ai-act-high-risk]\nwaivers:\n  max_days: 400\n",
                      encoding="utf-8")
    resolved = load_policies([policy], display_base=tmp_path)
    req = requirements(resolved.waiver_settings)
    assert req.require_signature and req.required_by == "pack:eu-ai-act-high-risk:17"
    assert req.max_days == 180  # the stricter of the pack's 180 and the policy's 400
    assert req.roles == ("risk-officer",)
    # a policy extending the pack cannot switch the requirement off
    child = WaiverSettings(require_signature=False)
    assert requirements([*resolved.waiver_settings, (child, resolved.waiver_settings[0][1])]
                        ).require_signature


def test_waiver_sign_command(project: Path, keys: Keys, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    out = project / "waivers" / "cli.dsse.json"
    args = ["waiver", "sign", "--rule-id", "DOC-1", "--reason", "licence review pending",
            "--approved-by", "Bob", "--expires", "2027-01-31", "--policy", "mini", "--model",
            "mini", "--key", str(keys.files["bob"].private), "--out", str(out)]
    assert main(args) == 0
    assert capsys.readouterr().out == (f"signed waiver for DOC-1 as risk-officer with key "
                                       f"{keys.keyid('bob')}\nwrote {out}\n")
    assert main(args) == 2  # never overwrites
    assert "file exists; refusing to overwrite" in capsys.readouterr().err
    set_waivers(project, "  require_signature: true\n  signed: [waivers/cli.dsse.json]\n")
    # evaluated today (the waiver was signed today)
    report = run_check(CheckRequest(
        policies=[project / "policy.yaml"], card=project / "card.yaml", root=project,
        trusted_keys=project / "trusted-keys.yaml")).report
    status, waiver = doc1(report)
    assert status == Status.WAIVED and waiver is not None and waiver.signed_by is not None
    assert waiver.signed_by.keyid == keys.keyid("bob")


def test_verify_checks_the_signed_waivers_a_report_shows(project: Path, keys: Keys,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """An author with a trusted key cannot claim a risk officer signed a waiver."""
    from governance.report import WaiverSigner, canonical_json
    from governance.signing.workflow import sign_report

    signed_waiver(project, keys, "bob")
    set_waivers(project, "  require_signature: true\n  signed: [waivers/doc-1.dsse.json]\n")
    report = check(project)
    out = project / "reports"
    out.mkdir()
    (out / "report.json").write_bytes(canonical_json(report))
    bundle = sign_report(report, outputs={"json": out / "report.json"}, root=project,
                         key=keys.signing("alice"), out_path=out / "report.dsse.json", now=NOW)
    trust = project / "trusted-keys.yaml"
    argv = ["verify", str(bundle), "--trusted-keys", str(trust), "--artifacts-root",
            str(project), "--require-role", "author"]
    assert main(argv) == 0
    # the verifier's trust file does not know the risk officer: the waiver does not verify
    other = project / "verifier-trust.yaml"
    other.write_text(trust_yaml(keys, [("alice", ["author"])]), encoding="utf-8")
    capsys.readouterr()
    assert main([*argv[:2], "--trusted-keys", str(other), *argv[4:]]) == 1
    assert ("  - signed waiver waivers/doc-1.dsse.json does not verify: it is not signed by a "
            "key in the trust file\n") in capsys.readouterr().out
    # a forged claim: an inline waiver dressed up as signed by bob, signed by the author
    set_waivers(project, INLINE)
    policy = project / "policy.yaml"
    policy.write_text(policy.read_text("utf-8").replace(
        "waivers:\n  require_signature: true\n  signed: [waivers/doc-1.dsse.json]\n", ""),
        encoding="utf-8")
    plain = check(project)
    findings = [f.model_copy(update={"waiver": f.waiver.model_copy(update={
        "signed_by": WaiverSigner(keyid=keys.keyid("bob"), owner="bob", role="risk-officer",
                                  signed_at=NOW)})}) if f.waiver else f for f in plain.findings]
    forged = plain.model_copy(update={"findings": findings})
    (out / "report.json").write_bytes(canonical_json(forged))
    bundle = sign_report(forged, outputs={"json": out / "report.json"}, root=project,
                         key=keys.signing("alice"), out_path=out / "report.dsse.json", now=NOW)
    assert main(argv) == 1
    assert ("  - finding DOC-1 shows a waiver signed by bob as risk-officer (key "
            f"{keys.keyid('bob')[:16]}) that no bound, verifying waiver file carries\n"
            ) in capsys.readouterr().out


def test_governance_yaml_can_require_and_list_signed_waivers(project: Path, keys: Keys,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    signed_waiver(project, keys, "bob")
    (project / "governance.yaml").write_text(
        "apiVersion: governance/v1\nkind: Config\npolicies: [policy.yaml]\ncard: card.yaml\n"
        "fail_on: low\nformats: [json]\nsigning: {trusted_keys: trusted-keys.yaml}\n"
        "waivers:\n  require_signature: true\n  max_days: 60\n"
        "  signed: [waivers/doc-1.dsse.json]\n", encoding="utf-8")
    argv = ["check", "--config", str(project / "governance.yaml"), "--as-of", "2026-03-01",
            "--output-dir", str(project / "out"), "--quiet"]
    # 61 days from signing (2026-02-28) to expiry (2026-04-30): more than max_days 60
    assert main(argv) == 1
    report = json.loads((project / "out" / "report.json").read_text("utf-8"))
    assert [n["message"] for n in report["waivers"]] == [
        "signed waiver waivers/doc-1.dsse.json for DOC-1 refused: it runs 61 days (signed "
        "2026-02-28, expires 2026-04-30), more than max_days 60"]
    assert report["run"]["waivers"]["max_days"] == 60
    cfg = project / "governance.yaml"
    cfg.write_text(cfg.read_text("utf-8").replace("max_days: 60", "max_days: 61"),
                   encoding="utf-8")
    assert main(argv) == 0
    # a listed waiver file that is missing is an input error naming where it is listed
    cfg.write_text(cfg.read_text("utf-8").replace("doc-1.dsse.json", "gone.dsse.json"),
                   encoding="utf-8")
    capsys.readouterr()
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "error: governance.yaml: waivers.signed[0]: artifact 'waivers/gone.dsse.json' not found "
        "under the project root\n")
