"""With several dataset artifacts, data rules default to the ones the card's data section names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from governance.api import CheckRequest, run_check
from governance.report import Status

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "credit-scoring"


def test_quality_uses_training_and_drift_uses_evaluation_data(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("""
apiVersion: governance/v1
kind: Policy
metadata: {name: p, version: "1"}
rules:
  - {id: Q, title: q, kind: class_balance, severity: low, params: {min_minority_share: 0.25}}
  - {id: D, title: d, kind: feature_drift, severity: low, params: {}}
""", encoding="utf-8")
    report = run_check(CheckRequest(policies=[policy], card=EXAMPLE / "model-card.yaml",
                                    root=EXAMPLE, now=datetime(2026, 11, 26, tzinfo=UTC),
                                    report_id="r")).report
    by_id = {f.rule_id: f for f in report.findings}
    assert by_id["Q"].status is Status.PASS, by_id["Q"].message
    assert by_id["Q"].message.startswith("label 'credit_risk' of 'train-data' is balanced")
    assert by_id["D"].status is Status.PASS, by_id["D"].message
    assert by_id["D"].message == ("no drift: 0 of 23 columns drifted between 'reference-data' "
                                  "and 'test-data'")
    assert by_id["D"].notes == ["identifier-like columns (every value distinct) not compared: "
                                "applicant_id"]
    paths = {i.path for i in report.inputs if i.role.startswith("artifact:")}
    assert {"data/train.csv", "data/test.csv"} <= paths
