"""card_fields, metric_threshold (declared) and artifact_integrity: pass / fail / error / waived."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.api import CheckRequest, run_check
from governance.report import Finding, Report, Status

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def run(project: Path, rules: str, waivers: str = "") -> Report:
    (project / "policy.yaml").write_text(
        "apiVersion: governance/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\n"
        f"rules:\n{rules}\n{waivers}\n", encoding="utf-8")
    return run_check(CheckRequest(policies=[project / "policy.yaml"], card=project / "card.yaml",
                                  root=project, now=NOW, report_id="r")).report


def only(report: Report) -> Finding:
    assert len(report.findings) == 1
    return report.findings[0]


def rule(kind: str, params: str) -> str:
    return f"  - {{id: R1, title: t, kind: {kind}, severity: high, params: {params}}}"


@pytest.mark.parametrize(("params", "status", "message"), [
    ("{fields: [model.owners, model.license, intended_use.primary_uses]}", Status.PASS,
     "all 3 required card fields are filled in"),
    ("{fields: [model.owners, model.risk_tier, intended_use.out_of_scope]}", Status.FAIL,
     "2 of 3 required card fields not filled in (missing: model.risk_tier; empty: "
     "intended_use.out_of_scope)"),
    ("{fields: [intended_use.out_of_scope], allow_empty: true}", Status.PASS,
     "all 1 required card fields are filled in"),
    ("{fields: ['artifacts[0].path', 'artifacts[3].path']}", Status.FAIL,
     "1 of 2 required card fields not filled in (missing: artifacts[3].path)"),
])
def test_card_fields(mini_project: Path, params: str, status: Status, message: str) -> None:
    f = only(run(mini_project, rule("card_fields", params)))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        card_locs = [loc for loc in f.locations if loc.role == "card"]
        assert card_locs and all(loc.path == "card.yaml" for loc in card_locs)


@pytest.mark.parametrize(("params", "status", "message"), [
    ("{metric: accuracy, min: 0.7}", Status.PASS,
     "declared accuracy = 0.8 is within bounds"),
    ("{metric: accuracy, min: 0.85}", Status.FAIL,
     "declared accuracy = 0.8 is below the minimum 0.85"),
    ("{metric: accuracy, split: test, max: 0.75}", Status.FAIL,
     "declared accuracy (split test) = 0.8 is above the maximum 0.75"),
    ("{metric: f1, min: 0.5}", Status.ERROR,
     "the card declares no metric f1: insufficient evidence"),
])
def test_metric_threshold(mini_project: Path, params: str, status: Status,
                          message: str) -> None:
    f = only(run(mini_project, rule("metric_threshold", params)))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert f.observed == 0.8
        assert any(loc.role == "card" and loc.line == 20 for loc in f.locations)


def test_artifact_integrity_pass_fail_error(mini_project: Path) -> None:
    f = only(run(mini_project, rule("artifact_integrity", "{}")))
    assert (f.status, f.message) == (Status.PASS,
                                     "all 1 artifacts present and matching their sha256")
    (mini_project / "data" / "preds.csv").write_text("y_true,y_pred\n1,1\n", encoding="utf-8")
    f = only(run(mini_project, rule("artifact_integrity", "{}")))
    assert f.status is Status.FAIL
    assert f.message == "1 of 1 artifacts failed integrity: preds (digest mismatch)"
    (mini_project / "data" / "preds.csv").unlink()
    f = only(run(mini_project, rule("artifact_integrity", "{}")))
    assert f.status is Status.FAIL
    assert f.message == ("1 of 1 artifacts failed integrity: preds (unreadable: artifact "
                         "'data/preds.csv' not found under the project root)")
    f = only(run(mini_project, rule("artifact_integrity", "{roles: [model]}")))
    assert (f.status, f.message) == (
        Status.ERROR,
        "the card references 0 artifacts, at least 1 needed: insufficient evidence")


@pytest.mark.parametrize(("path", "reason"), [
    ("../outside.csv", "path '../outside.csv' leaves the project root ('..')"),
    ("/etc/passwd", "absolute path '/etc/passwd' is not allowed; use a path relative to the "
                    "project root"),
    ("data", "artifact 'data' is not a regular file"),
    ("link.csv", "artifact 'link.csv' resolves outside the project root (symlink)"),
])
def test_artifact_integrity_refuses_unsafe_paths(mini_project: Path, tmp_path_factory:
                                                 pytest.TempPathFactory, path: str,
                                                 reason: str) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("x\n", encoding="utf-8")
    (mini_project / "link.csv").symlink_to(outside)
    card = (mini_project / "card.yaml").read_text(encoding="utf-8")
    (mini_project / "card.yaml").write_text(card.replace("path: data/preds.csv",
                                                         f"path: {path}"), encoding="utf-8")
    f = only(run(mini_project, rule("artifact_integrity", "{}")))
    assert f.status is Status.FAIL
    assert f.message == f"1 of 1 artifacts failed integrity: preds (unreadable: {reason})"


def test_waived_failure_stays_visible(mini_project: Path) -> None:
    report = run(mini_project, rule("metric_threshold", "{metric: accuracy, min: 0.9}"),
                 "waivers:\n  - {rule_id: R1, reason: known gap, approved_by: cro, "
                 "expires: 2027-01-31, ticket: RISK-1}")
    f = only(report)
    assert f.status is Status.WAIVED
    assert f.waiver is not None and f.waiver.ticket == "RISK-1"
    assert f.message == "declared accuracy = 0.8 is below the minimum 0.9"
    assert report.summary.status.value == "pass"
