"""explainability_artifact, intended_use, evaluation_coverage: pass / fail / error / skipped /
waived."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from governance.api import CheckRequest, run_check
from governance.report import Finding, Report, Status

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


class _NoAlias(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAlias, sort_keys=False)


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


IMPORTANCE = [["feature", "importance", "std"], ["checking_status", 0.076, 0.012],
              ["duration_months", 0.031, 0.009], ["credit_history", 0.022, 0.011]]
PREDICTIONS = [["y_true", "y_pred", "sex", "age_group", "region"]] + [
    [i % 2, (i // 2) % 2, "female" if i % 3 else "male", "<25" if i % 4 == 0 else ">=25",
     "north"] for i in range(24)]

INTENDED = {
    "primary_uses": ["Rank consumer-credit applications for manual review."],
    "primary_users": ["Credit officers."],
    "out_of_scope": ["Fully automated credit decisions.", "Business loans and mortgages."],
    "limitations": ["Trained on 700 historical applications from one bank."],
}


def make_card(**sections: Any) -> dict[str, Any]:
    c: dict[str, Any] = {
        "apiVersion": "governance/v1", "kind": "ModelCard",
        "model": {"name": "scorer", "version": "1.0.0", "task": "binary_classification",
                  "risk_tier": "high"},
        "intended_use": INTENDED,
        "artifacts": [
            {"name": "importance", "role": "explainability", "path": "explain/fi.csv"},
            {"name": "test-preds", "role": "predictions", "path": "preds/test.csv",
             "split": "test"},
            {"name": "train-preds", "role": "predictions", "path": "preds/train.csv",
             "split": "train"},
        ],
        "sensitive_features": [{"name": "sex", "column": "sex"},
                               {"name": "age", "column": "age_group"}],
        "evaluation": {"sensitive_features_evaluated": ["sex", "age"]},
        "explainability": {"method": "permutation importance", "artifact": "importance",
                           "summary": "Checking status dominates."},
    }
    for key, value in sections.items():
        if value is None:
            c.pop(key, None)
        else:
            c[key] = value
    return c


def project(tmp: Path, the_card: dict[str, Any], importance: list[list[Any]] | None = None,
            predictions: list[list[Any]] | None = None) -> Path:
    write_csv(tmp / "explain" / "fi.csv", IMPORTANCE if importance is None else importance)
    write_csv(tmp / "preds" / "test.csv", PREDICTIONS if predictions is None else predictions)
    write_csv(tmp / "preds" / "train.csv", PREDICTIONS)
    (tmp / "card.yaml").write_text(dump(the_card), encoding="utf-8")
    return tmp


def run(root: Path, kind: str, params: dict[str, Any] | None = None,
        waivers: list[dict[str, Any]] | None = None) -> Report:
    policy: dict[str, Any] = {
        "apiVersion": "governance/v1", "kind": "Policy",
        "metadata": {"name": "t", "version": "1"},
        "rules": [{"id": "R1", "title": "t", "kind": kind, "severity": "high",
                   "params": params or {}}],
    }
    if waivers:
        policy["waivers"] = waivers
    (root / "policy.yaml").write_text(dump(policy), encoding="utf-8")
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                  root=root, now=NOW, report_id="r")).report


def only(report: Report) -> Finding:
    assert len(report.findings) == 1
    return report.findings[0]


# ---------------------------------------------------------------------------------------------
# explainability_artifact
# ---------------------------------------------------------------------------------------------


def _model(tier: str | None) -> dict[str, Any]:
    m: dict[str, Any] = {"name": "scorer", "version": "1.0.0", "task": "binary_classification"}
    if tier:
        m["risk_tier"] = tier
    return m


@pytest.mark.parametrize(("sections", "importance", "params", "status", "message"), [
    ({}, None, {}, Status.PASS,
     "explainability artifact 'importance' (explain/fi.csv) is present with 3 rows (required "
     "for risk tier high)"),
    ({}, None, {"min_rows": 3, "required_columns": ["feature", "importance"]}, Status.PASS,
     "explainability artifact 'importance' (explain/fi.csv) is present with 3 rows (required "
     "for risk tier high)"),
    ({}, None, {"min_rows": 10}, Status.FAIL,
     "explainability documentation incomplete (required for risk tier high): "
     "artifacts[0].path: artifact 'importance' has 3 row(s), at least 10 needed"),
    ({}, None, {"required_columns": ["feature", "mean_abs_shap"]}, Status.FAIL,
     "explainability documentation incomplete (required for risk tier high): "
     "artifacts[0].path: artifact 'importance' has no column(s) mean_abs_shap"),
    ({"model": _model("limited")}, None, {}, Status.SKIPPED,
     "an explainability artifact is not required for risk tier limited (required for: high)"),
    ({"model": _model("limited")}, None, {"risk_tiers": ["limited", "high"]}, Status.PASS,
     "explainability artifact 'importance' (explain/fi.csv) is present with 3 rows (required "
     "for risk tier limited)"),
    ({"model": _model(None)}, None, {}, Status.PASS,
     "explainability artifact 'importance' (explain/fi.csv) is present with 3 rows (required "
     "for risk tier not declared)"),
    ({"model": _model(None)}, None, {"required_when_tier_unknown": False}, Status.SKIPPED,
     "model.risk_tier is not declared; an explainability artifact is only required for risk "
     "tier(s) high"),
    ({"explainability": None}, None, {}, Status.FAIL,
     "the card has no explainability section (required for risk tier high)"),
    ({"explainability": {"summary": "x"}}, None, {}, Status.FAIL,
     "explainability documentation incomplete (required for risk tier high): "
     "explainability.method: missing; explainability.artifact: missing"),
    ({"explainability": {"method": "SHAP", "artifact": "importance"}}, None,
     {"require_summary": True}, Status.FAIL,
     "explainability documentation incomplete (required for risk tier high): "
     "explainability.summary: missing"),
    ({}, [["feature", "importance"]], {}, Status.ERROR,
     "artifact 'importance' (explain/fi.csv): the table has a header but no rows"),
])
def test_explainability_artifact_table(tmp_path: Path, sections: dict[str, Any],
                                       importance: list[list[Any]] | None,
                                       params: dict[str, Any], status: Status,
                                       message: str) -> None:
    f = only(run(project(tmp_path, make_card(**sections), importance), "explainability_artifact",
                 params))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert any(loc.role == "card" and loc.line is not None for loc in f.locations)


def test_explainability_artifact_missing_file_is_an_error(tmp_path: Path) -> None:
    root = project(tmp_path, make_card())
    (root / "explain" / "fi.csv").unlink()
    f = only(run(root, "explainability_artifact"))
    assert (f.status, f.message) == (
        Status.ERROR, "card.yaml: artifacts[0].path: artifact 'explain/fi.csv' not found under "
        "the project root")


@pytest.mark.parametrize(("content", "status", "message"), [
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, Status.PASS,
     "explainability artifact 'importance' (explain/shap.png) is present with 72 bytes "
     "(required for risk tier high)"),
    (b"", Status.FAIL,
     "explainability documentation incomplete (required for risk tier high): "
     "artifacts[0].path: artifact 'importance' (explain/shap.png) is empty"),
])
def test_explainability_artifact_non_table_file(tmp_path: Path, content: bytes, status: Status,
                                                message: str) -> None:
    c = make_card()
    c["artifacts"][0]["path"] = "explain/shap.png"
    root = project(tmp_path, c)
    (root / "explain" / "shap.png").write_bytes(content)
    f = only(run(root, "explainability_artifact"))
    assert (f.status, f.message) == (status, message)
    assert f.evidence[0].items["bytes"] == len(content)  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------------
# intended_use
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("intended", "params", "status", "message"), [
    (INTENDED, {}, Status.PASS,
     "intended use documented (1 primary uses, 1 primary users, 2 out of scope, 1 "
     "limitations)"),
    (INTENDED, {"min_out_of_scope": 3, "min_limitations": 2}, Status.FAIL,
     "intended use incomplete: intended_use.out_of_scope has 2 entries, at least 3 needed; "
     "intended_use.limitations has 1 entry, at least 2 needed"),
    (INTENDED | {"out_of_scope": []}, {}, Status.FAIL,
     "intended use incomplete: intended_use.out_of_scope has 0 entries, at least 1 needed"),
    (INTENDED | {"limitations": ["n/a", "TBD"]}, {}, Status.FAIL,
     "intended use incomplete: intended_use.limitations has 0 entries, at least 1 needed (2 "
     "shorter than 10 characters not counted)"),
    (INTENDED | {"limitations": ["n/a"]}, {"min_chars": 3}, Status.PASS,
     "intended use documented (1 primary uses, 1 primary users, 2 out of scope, 1 "
     "limitations)"),
    (INTENDED | {"primary_users": []}, {"min_primary_users": 1}, Status.FAIL,
     "intended use incomplete: intended_use.primary_users has 0 entries, at least 1 needed"),
    (None, {}, Status.FAIL,
     "intended use incomplete: intended_use.primary_uses has 0 entries, at least 1 needed; "
     "intended_use.out_of_scope has 0 entries, at least 1 needed; intended_use.limitations "
     "has 0 entries, at least 1 needed"),
])
def test_intended_use_table(tmp_path: Path, intended: dict[str, Any] | None,
                            params: dict[str, Any], status: Status, message: str) -> None:
    f = only(run(project(tmp_path, make_card(intended_use=intended)), "intended_use", params))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert f.observed == [p.split(" ")[0] for p in message.split(": ", 1)[1].split("; ")]
        assert all(loc.line is not None for loc in f.locations if loc.role == "card")


def test_intended_use_waived(tmp_path: Path) -> None:
    root = project(tmp_path, make_card(intended_use=INTENDED | {"out_of_scope": []}))
    report = run(root, "intended_use", waivers=[{
        "rule_id": "R1", "reason": "internal pilot, no external users", "approved_by": "cro",
        "expires": "2027-01-31"}])
    f = only(report)
    assert f.status is Status.WAIVED
    assert report.summary.status.value == "pass"


# ---------------------------------------------------------------------------------------------
# evaluation_coverage
# ---------------------------------------------------------------------------------------------

SF3 = [{"name": "sex", "column": "sex"}, {"name": "age", "column": "age_group"},
       {"name": "region", "column": "region"}]


@pytest.mark.parametrize(("sections", "predictions", "params", "status", "message"), [
    ({}, None, {}, Status.PASS,
     "all 2 sensitive feature(s) are covered by the card's evaluation"),
    ({}, None, {"source": "both"}, Status.PASS,
     "all 2 sensitive feature(s) are covered by the card's evaluation and the predictions "
     "(test-preds)"),
    ({"evaluation": {"sensitive_features_evaluated": ["sex"]}}, None, {}, Status.PASS,
     "all 2 sensitive feature(s) are covered by the card's evaluation or the predictions "
     "(test-preds)"),
    ({"evaluation": {"sensitive_features_evaluated": ["sex"]}}, None, {"source": "card"},
     Status.FAIL, "1 of 2 sensitive feature(s) not covered by the evaluation: age (not in "
                  "evaluation.sensitive_features_evaluated)"),
    ({"evaluation": {"sensitive_features_evaluated": ["sex", "age_group"]}}, None,
     {"source": "card"}, Status.PASS,
     "all 2 sensitive feature(s) are covered by the card's evaluation"),
    ({"sensitive_features": SF3}, None, {"source": "both"}, Status.FAIL,
     "1 of 3 sensitive feature(s) not covered by the evaluation: region (not in "
     "evaluation.sensitive_features_evaluated; column 'region' in test-preds has 1 group(s), "
     "at least 2 needed)"),
    ({"sensitive_features": SF3, "evaluation": None}, [["y_true", "y_pred", "sex"], [1, 0, "f"],
                                                       [0, 1, "m"]],
     {}, Status.FAIL,
     "2 of 3 sensitive feature(s) not covered by the evaluation: age (not in "
     "evaluation.sensitive_features_evaluated; no column 'age_group' in test-preds), region "
     "(not in evaluation.sensitive_features_evaluated; no column 'region' in test-preds)"),
    ({"sensitive_features": SF3}, None, {"source": "predictions", "min_groups": 1},
     Status.PASS, "all 3 sensitive feature(s) are covered by the predictions (test-preds)"),
    ({"sensitive_features": SF3}, None, {"source": "predictions", "artifact": "train-preds"},
     Status.FAIL, "1 of 3 sensitive feature(s) not covered by the evaluation: region (column "
                  "'region' in train-preds has 1 group(s), at least 2 needed)"),
    ({"sensitive_features": None}, None, {}, Status.FAIL,
     "the card declares no sensitive features to evaluate"),
    ({"sensitive_features": None}, None, {"require_sensitive_features": False}, Status.PASS,
     "the card declares no sensitive features"),
    ({}, None, {"source": "predictions", "artifact": "nope"}, Status.ERROR,
     "card.yaml: artifacts: the card has no artifact named 'nope'"),
])
def test_evaluation_coverage_table(tmp_path: Path, sections: dict[str, Any],
                                   predictions: list[list[Any]] | None, params: dict[str, Any],
                                   status: Status, message: str) -> None:
    f = only(run(project(tmp_path, make_card(**sections), predictions=predictions),
                 "evaluation_coverage", params))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert any(loc.role == "card" and loc.line is not None for loc in f.locations)


def test_evaluation_coverage_evidence_counts_groups(tmp_path: Path) -> None:
    f = only(run(project(tmp_path, make_card(sensitive_features=SF3)), "evaluation_coverage",
                 {"source": "both"}))
    rows = f.evidence[0].rows  # type: ignore[union-attr]
    # Oracle: distinct values per column of the predictions written above.
    header = PREDICTIONS[0]
    distinct = {c: len({r[header.index(c)] for r in PREDICTIONS[1:]}) for c in header}
    assert rows == [["sex", "sex", True, distinct["sex"], True, True],
                    ["age", "age_group", True, distinct["age_group"], True, True],
                    ["region", "region", False, distinct["region"], False, False]]


def test_evaluation_coverage_needs_one_predictions_artifact(tmp_path: Path) -> None:
    c = make_card(evaluation=None)
    for art in c["artifacts"]:
        art.pop("split", None)
    f = only(run(project(tmp_path, c), "evaluation_coverage"))
    assert (f.status, f.message) == (
        Status.ERROR, "card.yaml: artifacts: the card has several predictions artifacts "
        "(test-preds, train-preds); name one in the rule's params")


def test_evaluation_coverage_waived_for_one_feature(tmp_path: Path) -> None:
    root = project(tmp_path, make_card(sensitive_features=SF3))
    w = {"rule_id": "R1", "reason": "single-region pilot", "approved_by": "fairness lead",
         "expires": "2027-01-31", "scope": {"group": "region"}}
    f = only(run(root, "evaluation_coverage", {"source": "both"}, waivers=[w]))
    assert f.status is Status.WAIVED
