"""Issue 12 item 9: `verify --reproduce` re-derives the findings from the attested inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.cli import main
from governance.report import Report, Status, canonical_json, load_report
from governance.reproduce import compare
from governance.signing.approve import approval_envelope
from governance.signing.bundle import Bundle, save_bundle
from governance.signing.dsse import INTOTO_PAYLOAD_TYPE, sign
from governance.signing.statement import report_statement
from governance.signing.subjects import collect_subjects
from governance.verdict import summarize

from .conftest import NOW, Keys, SignFactory


def verify(bundle: Path, root: Path, trust: Path, *extra: str) -> list[str]:
    return ["verify", str(bundle), "--trusted-keys", str(trust), "--artifacts-root", str(root),
            "--require-role", "author", *extra]


def test_an_honest_report_reproduces(signed: SignFactory, trust_file: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    assert s.report.run is not None and s.report.run.policies == ["policy.yaml"]
    assert main(verify(s.bundle_path, s.root, trust_file, "--reproduce")) == 0
    assert capsys.readouterr().out.endswith(
        "reproduced: 2 findings identical from the attested inputs\n")


def forge_finding(root: Path, keys: Keys) -> Path:
    """An author who turns the failing DOC-1 into a pass, keeps the summary consistent with
    the edited findings and signs with a trusted key: signatures and verdict both check out."""
    report = load_report((root / "reports" / "report.json").read_bytes())
    findings = [f.model_copy(update={"status": Status.PASS, "message": "all good"})
                if f.rule_id == "DOC-1" else f for f in report.findings]
    forged = report.model_copy(update={
        "findings": findings, "summary": summarize(findings, report.waivers,
                                                   report.summary.fail_on)})
    (root / "reports" / "report.json").write_bytes(canonical_json(forged))
    subjects = collect_subjects(forged, {"json": root / "reports" / "report.json"}, root)
    payload = report_statement(forged, subjects)
    alice = keys.signing("alice")
    approval = approval_envelope(report_payload=payload, key=alice, role="author",
                                 decision="approve", comment=None, signer="alice", now=NOW,
                                 report_id=forged.report_id, target=forged.target)
    path = root / "reports" / "forged.dsse.json"
    save_bundle(path, Bundle(sign(payload, INTOTO_PAYLOAD_TYPE, alice), (approval,)))
    return path


def test_a_forged_finding_verifies_but_does_not_reproduce(
        signed: SignFactory, keys: Keys, trust_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    s = signed(fail=True)
    path = forge_finding(s.root, keys)
    assert main(verify(path, s.root, trust_file)) == 0  # nothing else can tell
    capsys.readouterr()
    assert main(verify(path, s.root, trust_file, "--reproduce")) == 1
    out = capsys.readouterr().out
    fresh = next(f for f in s.report.findings if f.rule_id == "DOC-1")
    assert '  - not reproduced: DOC-1: status is "pass" in the report, "fail" when reproduced\n' \
        in out
    assert (f'  - not reproduced: DOC-1: message is "all good" in the report, '
            f'{json.dumps(fresh.message)} when reproduced\n') in out
    assert "  - not reproduced: summary is " in out


def test_changed_inputs_are_listed_before_anything_is_evaluated(
        signed: SignFactory, trust_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = signed()
    (s.root / "data" / "preds.csv").write_text("y_true,y_pred\n1,1\n", encoding="utf-8")
    assert main(verify(s.bundle_path, s.root, trust_file, "--reproduce")) == 1
    out = capsys.readouterr().out
    assert ("  - not reproduced: input data/preds.csv (artifact:predictions) changed: the "
            "report records sha256 ") in out


def test_compare_lists_every_difference(signed: SignFactory) -> None:
    s = signed()
    r: Report = s.report
    fewer = r.model_copy(update={"findings": r.findings[:1]})
    assert compare(r, fewer)[0] == "DOC-1: in the report, not produced when reproduced"
    assert compare(fewer, r)[0] == "DOC-1: produced when reproduced, not in the report"
    assert compare(r, r) == []
    old = r.model_copy(update={"run": None})
    assert compare(old, r) == []  # run settings are how to reproduce, not a result


def test_the_bundled_example_reproduces(example_copy: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Real data, bootstrap intervals, a signed waiver: same inputs, same findings."""
    out = example_copy / "reports"
    assert main(["check", "--config", str(example_copy / "governance.yaml"), "--format",
                 "json", "--output-dir", str(out), "--quiet"]) == 0
    author = example_copy / "keys" / "author.pub"
    from governance.signing.keys import keyid_of, load_public_key

    keyid = keyid_of(load_public_key(author.read_bytes(), source="a"))
    trust = example_copy / "trusted-keys.yaml"
    text = trust.read_text("utf-8")
    trust.write_text(text + f"  - keyid: {keyid}\n    owner: author\n    roles: [author]\n"
                     "    public_key: |\n" + "".join(
                         f"      {ln}\n" for ln in author.read_text().splitlines()),
                     encoding="utf-8")
    # the waiver file was bound as an input; the trust file (the verifier's) was not
    capsys.readouterr()
    assert main(verify(out / "report.dsse.json", example_copy, trust, "--reproduce")) == 0
    printed = capsys.readouterr().out
    assert printed.endswith("reproduced: 20 findings identical from the attested inputs\n")
