"""Waiver lifecycle through the CLI with an injected clock (--as-of)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from governance.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "credit-scoring"

RULES = """
apiVersion: governance/v1
kind: Policy
metadata: {name: waivers, version: "1"}
rules:
  - id: W-001
    title: Card has a release date and a homepage
    kind: card_fields
    severity: high
    params: {fields: [model.release_date, model.homepage]}
  - id: W-002
    title: Card names its owners
    kind: card_fields
    severity: low
    params: {fields: [model.owners]}
waivers:
"""


def run(tmp_path: Path, waivers: str, as_of: str,
        capsys: pytest.CaptureFixture[str]) -> tuple[int, str, dict[str, object]]:
    policy = tmp_path / "policy.yaml"
    policy.write_text(RULES + textwrap.indent(textwrap.dedent(waivers).strip("\n"), "  ")
                      + "\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["check", "--policy", str(policy), "--card", str(EXAMPLE / "model-card.yaml"),
                 "--root", str(EXAMPLE), "--format", "text,json", "--output-dir", str(out),
                 "--as-of", as_of])
    text = capsys.readouterr().out
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return code, text, report


def finding(report: dict[str, object], rule_id: str) -> dict[str, object]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return next(f for f in findings if f["rule_id"] == rule_id)


WAIVER = """
- rule_id: W-001
  justification: Release date and homepage are added with the next card revision.
  approved_by: Jane Roe (model risk)
  expires: {expires}
  ticket: MRM-42
"""


def test_expired_waiver_fails_the_gate_naming_its_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, report = run(tmp_path, WAIVER.format(expires="2026-01-31"), "2026-02-01",
                             capsys)
    assert code == 1
    policy = tmp_path / "policy.yaml"
    line = policy.read_text(encoding="utf-8").splitlines().index("  - rule_id: W-001") + 1
    notice = (f"waiver for W-001 expired on 2026-01-31; renew or remove it "
              f"({policy}:{line})")
    assert f"waiver expired: {notice}\n" in text
    assert f"  - {notice}\n" in text  # a reason of the failed verdict
    f = finding(report, "W-001")
    assert f["status"] == "fail"
    assert f["notes"] == ["waiver approved by Jane Roe (model risk) expired on 2026-01-31"]
    assert report["summary"]["status"] == "fail"
    assert notice in report["summary"]["reasons"]
    assert [w["state"] for w in report["waivers"]] == ["expired"]


def test_expired_waiver_fails_even_when_the_rule_now_passes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    waiver = WAIVER.replace("W-001", "W-002").format(expires="2026-01-31")
    code, text, report = run(tmp_path, waiver, "2026-03-01", capsys)
    assert finding(report, "W-002")["status"] == "pass"
    assert code == 1
    assert "waiver expired: waiver for W-002 expired on 2026-01-31" in text


def test_active_waiver_expiring_soon_warns_and_stays_visible(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, report = run(tmp_path, WAIVER.format(expires="2026-02-10"), "2026-02-05",
                             capsys)
    assert code == 0
    assert "waiver expiring: waiver for W-001 expires in 5 day(s) on 2026-02-10\n" in text
    assert ("WAIVED [high    ] W-001: Card has a release date and a homepage\n" in text)
    assert ("waived by Jane Roe (model risk) until 2026-02-10: Release date and homepage are "
            "added with the next card revision. [MRM-42]") in text
    f = finding(report, "W-001")
    assert f["status"] == "waived"
    assert f["message"].startswith("2 of 2 required card fields not filled in")
    assert f["waiver"]["reason"] == ("Release date and homepage are added with the next card "
                                     "revision.")
    assert f["waiver"]["ticket"] == "MRM-42"
    assert report["summary"]["counts"]["by_status"]["waived"] == 1
    # Outside the warning window: no notice at all.
    code, text, report = run(tmp_path, WAIVER.format(expires="2026-12-31"), "2026-02-05",
                             capsys)
    assert code == 0
    assert report["waivers"] == []
    # Expiry day itself still counts as valid.
    code, _, report = run(tmp_path, WAIVER.format(expires="2026-02-05"), "2026-02-05", capsys)
    assert code == 0
    assert [w["state"] for w in report["waivers"]] == ["expiring"]


def test_stale_waiver_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    waiver = WAIVER.format(expires="2026-12-31") + WAIVER.replace("W-001", "W-002").format(
        expires="2026-12-31")
    code, text, report = run(tmp_path, waiver, "2026-02-05", capsys)
    assert code == 0
    policy = tmp_path / "policy.yaml"
    lines = policy.read_text(encoding="utf-8").splitlines()
    line = lines.index("  - rule_id: W-002") + 1
    assert (f"waiver stale: waiver for W-002 matched no failing finding; remove it "
            f"({policy}:{line})\n") in text
    assert [w["state"] for w in report["waivers"]] == ["stale"]


def test_group_scoped_waivers_must_cover_every_failing_subject(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = """
    - rule_id: W-001
      reason: Release date comes from the release pipeline.
      approved_by: Jane Roe
      expires: 2026-12-31
      scope: {group: model.release_date}
    """
    code, text, report = run(tmp_path, one, "2026-02-05", capsys)
    assert code == 1
    f = finding(report, "W-001")
    assert f["status"] == "fail"
    assert f["notes"] == ["group-scoped waivers do not cover: model.homepage"]
    both = one + """
    - rule_id: W-001
      reason: No homepage for internal models.
      approved_by: Jane Roe
      expires: 2026-12-31
      scope: {group: model.homepage}
    """
    code, text, report = run(tmp_path, both, "2026-02-05", capsys)
    assert code == 0
    assert finding(report, "W-001")["status"] == "waived"
    assert report["waivers"] == []


def test_model_and_version_scope(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other_version = """
    - rule_id: W-001
      reason: Only for the previous release.
      approved_by: Jane Roe
      expires: 2026-12-31
      scope: {model: credit-scoring, version: 1.0.0}
    """
    code, _, report = run(tmp_path, other_version, "2026-02-05", capsys)
    assert code == 1
    assert finding(report, "W-001")["status"] == "fail"
    assert [w["state"] for w in report["waivers"]] == ["stale"]
    this_release = other_version.replace("1.0.0", "1.1.0")
    code, _, report = run(tmp_path, this_release, "2026-02-05", capsys)
    assert code == 0
    assert finding(report, "W-001")["status"] == "waived"
    other_model = this_release.replace("model: credit-scoring", "model: fraud")
    code, _, report = run(tmp_path, other_model, "2026-02-05", capsys)
    assert code == 1


def test_waiver_for_unknown_rule_is_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(RULES + "  - {rule_id: W-404, reason: r, approved_by: a, "
                      "expires: 2026-12-31}\n", encoding="utf-8")
    code = main(["check", "--policy", str(policy), "--card", str(EXAMPLE / "model-card.yaml"),
                 "--root", str(EXAMPLE), "--format", "text", "--as-of", "2026-02-05"])
    assert code == 2
    assert capsys.readouterr().err == (
        f"error: {policy}:17:15: waivers[0].rule_id: waiver for unknown rule id 'W-404'\n")
