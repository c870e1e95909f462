"""Undefined values inside statistics (issue 12 item 6): bootstrap resamples in which a group's
metric is undefined are counted and reported; above 5% an interval is insufficient evidence for
a decision on its bound; an undefined impact ratio is an error, not "below 0.8"."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from governance.api import CheckRequest, run_check
from governance.metrics.bootstrap import count_resamples, make_rng
from governance.report import Finding

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from test_engines import make_project  # noqa: E402

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def _data() -> pd.DataFrame:
    """Group b has 2 positives in 60 rows: its recall is undefined in ~13% of resamples."""
    rng = np.random.default_rng(3)
    n_a, n_b = 400, 60
    y = np.concatenate([rng.integers(0, 2, n_a), [1, 1], np.zeros(n_b - 2, dtype=int)])
    pred = np.where(rng.random(n_a + n_b) < 0.8, y, 1 - y)
    return pd.DataFrame({"y_true": y, "y_pred": pred, "y_score": pred * 0.5 + 0.25,
                         "sex": ["a"] * n_a + ["b"] * n_b, "region": "x"})


def _run(tmp_path: Path, df: pd.DataFrame, rule: dict[str, Any]) -> Finding:
    root = make_project(tmp_path)
    df.to_parquet(root / "predictions" / "test.parquet")
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"id": "R", "title": "t", "severity": "high", **rule}]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    report = run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                    root=root, now=NOW, report_id="r", seed=5)).report
    (f,) = report.findings
    return f


def _expected_undefined(df: pd.DataFrame, n_resamples: int) -> int:
    """Resamples (drawn like the engine: multinomial over the (group, cell) counts with the
    rule's generator) in which group b has no positives."""
    codes = (df.sex == "b").to_numpy().astype(int) * 4 + 2 * df.y_true + df.y_pred
    counts = np.bincount(codes, minlength=8).reshape(2, 4).astype(float)
    res = count_resamples(counts, n_resamples, make_rng(5, "R:sex"))
    return int((res[:, 1, 2] + res[:, 1, 3] == 0).sum())


GAP = {"kind": "fairness_gap",
       "params": {"metric": "equal_opportunity", "max": 1.0, "features": ["sex"],
                  "min_group_size": 1, "n_resamples": 1000}}


def test_undefined_resamples_are_counted_and_decide_on_bound_is_an_error(tmp_path: Path
                                                                         ) -> None:
    df = _data()
    k = _expected_undefined(df, 1000)
    assert 50 < k < 300  # the data set up the case: above 5%
    rule = {**GAP, "params": {**GAP["params"], "decide_on": "ci_upper"}}
    f = _run(tmp_path, df, rule)
    assert f.status.value == "error"
    assert f.message == (
        f"equal opportunity difference across sex: undefined in {k} of 1000 bootstrap "
        f"resamples ({k / 1000:.1%}), left out of the interval: more than 5%, so the interval "
        "is insufficient evidence for a decision on its bound (decide on the point estimate, "
        "or use more data)")
    assert f.observed["sex"]["undefined_resamples"] == k  # type: ignore[index,call-overload]
    assert f.evidence[0].method == (  # type: ignore[union-attr]
        f"percentile bootstrap, 1000 resamples ({k} undefined, {k / 1000:.1%}, left out)")


def test_point_decision_reports_the_count_and_decides(tmp_path: Path) -> None:
    df = _data()
    k = _expected_undefined(df, 1000)
    f = _run(tmp_path, df, GAP)
    assert f.status.value == "pass"
    assert (f"equal opportunity difference across sex: undefined in {k} of 1000 bootstrap "
            f"resamples ({k / 1000:.1%}), left out of the interval") in f.notes


def test_undefined_impact_ratio_is_an_error_not_below_the_limit(tmp_path: Path) -> None:
    df = _data()
    df["y_pred"] = 0  # nobody selected: every ratio is 0/0
    f = _run(tmp_path, df, {"kind": "disparate_impact",
                            "params": {"features": ["sex"], "min_group_size": 1,
                                       "n_resamples": 0}})
    assert f.status.value == "error"
    assert f.message == ("impact ratio across sex is undefined for sex=a, sex=b (selection rate of "
                         "the most-selected group = 0): insufficient evidence")
