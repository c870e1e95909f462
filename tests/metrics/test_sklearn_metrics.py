"""``metric: sklearn:<name>`` (issue 14 item 4): any whitelisted scikit-learn metric per group
through fairlearn's MetricFrame, in memory, with a row limit; values checked against
scikit-learn directly."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sklearn import metrics as skm

from governance.api import CheckRequest, run_check
from governance.errors import GovernanceError, MultiError
from governance.metrics import sklearn_metrics
from governance.report import Finding

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from test_engines import make_project, predictions  # noqa: E402


def _run(tmp_path: Path, rules: list[dict[str, Any]], engine: str = "auto") -> list[Finding]:
    root = make_project(tmp_path)
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"title": "t", "severity": "high", **r} for r in rules]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                  root=root, now=datetime(2026, 1, 1, tzinfo=UTC),
                                  report_id="r", engine=engine)).report.findings


def test_recomputed_and_per_group_values_equal_scikit_learn(tmp_path: Path) -> None:
    df = predictions()
    found = _run(tmp_path, [
        {"id": "MCC", "kind": "recomputed_metric",
         "params": {"metric": "sklearn:matthews_corrcoef", "min": 0.1, "n_resamples": 0}},
        {"id": "AP", "kind": "group_metric_floor",
         "params": {"metric": "sklearn:average_precision_score", "min": 0.1,
                    "features": ["sex"], "n_resamples": 0}}])
    by = {f.rule_id: f for f in found}
    mcc = skm.matthews_corrcoef(df.y_true, df.y_pred)
    assert by["MCC"].status.value == "pass"
    assert by["MCC"].observed["value"] == pytest.approx(mcc, rel=1e-12)  # type: ignore[index,call-overload]
    table = next(b for b in by["AP"].evidence if b.type == "table")
    got = {row[0]: row[2] for row in table.rows}  # type: ignore[union-attr]
    for sex in ("female", "male"):
        part = df[df.sex == sex]
        assert got[f"sex={sex}"] == pytest.approx(
            skm.average_precision_score(part.y_true, part.y_score), rel=1e-12)
    assert got["overall"] == pytest.approx(skm.average_precision_score(df.y_true, df.y_score),
                                           rel=1e-12)


def test_row_limit_and_memory_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sklearn_metrics, "MAX_ROWS", 1000)
    rule = {"id": "MCC", "kind": "recomputed_metric",
            "params": {"metric": "sklearn:matthews_corrcoef", "min": 0.1, "n_resamples": 0}}
    (f,) = _run(tmp_path / "a", [rule])
    assert (f.status.value, f.message) == (
        "error", "artifact 'test-predictions' (predictions/test.parquet): "
        "sklearn:matthews_corrcoef is computed by fairlearn MetricFrame in memory on at most "
        "1,000 rows; this table has 6,000 (use a built-in metric, which has no such limit)")
    monkeypatch.undo()
    (f,) = _run(tmp_path / "b", [rule], engine="streaming")
    assert f.message == ("engine streaming cannot evaluate artifact 'test-predictions': "
                         "sklearn: metrics are computed by fairlearn MetricFrame in memory "
                         "only; use --engine memory")


@pytest.mark.parametrize(("metric", "extra", "message"), [
    ("sklearn:__import__", {"n_resamples": 0}, "unknown scikit-learn metric "
     "'sklearn:__import__'; allowed: sklearn:accuracy_score"),
    ("sklearn:matthews_corrcoef", {}, "sklearn:matthews_corrcoef has no confidence interval "
     "(computed once per group by fairlearn MetricFrame); set n_resamples: 0 and decide on "
     "the point estimate"),
])
def test_policy_errors(tmp_path: Path, metric: str, extra: dict[str, Any], message: str
                       ) -> None:
    with pytest.raises(GovernanceError) as exc:
        _run(tmp_path, [{"id": "X", "kind": "recomputed_metric",
                         "params": {"metric": metric, "min": 0.1, **extra}}])
    errors = exc.value.errors if isinstance(exc.value, MultiError) else [exc.value]
    assert any(message in str(e) for e in errors), [str(e) for e in errors]
    assert exc.value.exit_code == 2
