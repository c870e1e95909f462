"""DeLong's ROC AUC variance (fast O(n log n) algorithm, Sun & Xu 2014) against the textbook
O(m n) definition, AUC against scikit-learn, and DeLong intervals against percentile bootstrap
intervals on the bundled example and synthetic data.

Stated tolerance: each 95% DeLong bound lies within 15% of the DeLong half-width of the
percentile bootstrap bound (1000 resamples); measured: at most ~5% on these data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from governance.metrics import compute, delong
from governance.metrics.bootstrap import make_rng
from governance.metrics.predictions import PredictionSet

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "credit-scoring"


def reference_delong(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """DeLong, DeLong & Clarke-Pearson (1988) by the definition: an m x n kernel matrix."""
    x, z = s[y == 1], s[y == 0]
    psi = (x[:, None] > z[None, :]) + 0.5 * (x[:, None] == z[None, :])
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    return float(psi.mean()), float(v10.var(ddof=1) / len(x) + v01.var(ddof=1) / len(z))


def synthetic(n: int, seed: int, decimals: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    return y, np.round(rng.normal(0.6 * y, 1.0), decimals)  # rounded: many ties


@pytest.mark.parametrize("n,seed,decimals", [(400, 1, 1), (1500, 2, 2), (999, 3, 6)])
def test_fast_delong_equals_the_quadratic_definition(n: int, seed: int, decimals: int) -> None:
    y, s = synthetic(n, seed, decimals)
    auc, var = delong.delong(y, s)
    ref_auc, ref_var = reference_delong(y, s)
    assert auc == pytest.approx(ref_auc, rel=1e-12)
    assert auc == pytest.approx(roc_auc_score(y, s), rel=1e-12)
    assert var == pytest.approx(ref_var, rel=1e-10)


@pytest.mark.parametrize("n,seed,decimals", [(1500, 6, 1), (5000, 7, 2)])
def test_delong_from_score_cells_equals_the_definition(n: int, seed: int, decimals: int
                                                       ) -> None:
    """The statistics layer's score cells (one per group, label and score value) give the
    same AUC and DeLong variance per group and overall as the rows."""
    from governance.metrics import sweep

    y, s = synthetic(n, seed, decimals)
    codes = np.random.default_rng(seed + 100).integers(0, 3, n)
    cells = sweep.memory_cells(s, codes * 2 + y, 6, None, n)
    assert cells is not None and len(cells.key) < n  # ties share a cell
    per, tot = sweep.rank_metrics(cells, [(np.arange(3), 3), (np.zeros(3, dtype=np.int64), 1)])
    assert per.var is not None and tot.var is not None
    for g in range(3):
        ref_auc, ref_var = reference_delong(y[codes == g], s[codes == g])
        assert per.auc[g] == pytest.approx(ref_auc, rel=1e-12)
        assert per.var[g] == pytest.approx(ref_var, rel=1e-9)
    ref_auc, ref_var = reference_delong(y, s)
    assert tot.auc[0] == pytest.approx(roc_auc_score(y, s), rel=1e-12)
    assert tot.var[0] == pytest.approx(ref_var, rel=1e-9)


def test_midranks_match_the_definition() -> None:
    x = np.array([3.0, 1.0, 3.0, 2.0, 3.0, 1.0])
    assert delong.midranks(x).tolist() == [5.0, 1.5, 5.0, 3.0, 5.0, 1.5]


def test_group_delong_equals_each_group_alone() -> None:
    y, s = synthetic(3000, 4)
    codes = np.random.default_rng(5).integers(0, 3, len(y))
    auc, var = delong.group_delong(y, s, codes, 3)
    for g in range(3):
        ref = reference_delong(y[codes == g], s[codes == g])
        assert (auc[g], var[g]) == pytest.approx(ref, rel=1e-10)


def bootstrap_interval(y: np.ndarray, s: np.ndarray, monkeypatch: pytest.MonkeyPatch
                       ) -> tuple[float, float]:
    monkeypatch.setattr(delong, "DELONG_MIN_ROWS", 10**12)  # force the row bootstrap
    ps = PredictionSet("x", "binary", y, None, s)
    gv = compute.group_values(ps, compute.whole(len(y)), ["roc_auc"],
                              bootstrap=compute.Bootstrap(1000, make_rng(0, "auc")))["roc_auc"]
    monkeypatch.undo()
    assert gv.method is None
    lo, hi = np.quantile(gv.overall_samples, [0.025, 0.975])
    return float(lo), float(hi)


def _data(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name == "example":
        df = pd.read_csv(EXAMPLE / "predictions" / "test.csv")
        return df.y_true.to_numpy(), df.y_score.to_numpy()
    return synthetic(1200, 9)


@pytest.mark.parametrize("name", ["example", "synthetic"])
def test_delong_and_bootstrap_intervals_agree(name: str, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    y, s = _data(name)
    auc, var = delong.delong(y, s)
    lo, hi = delong.normal_interval(auc, var, 0.95)
    b_lo, b_hi = bootstrap_interval(y, s, monkeypatch)
    half = (hi - lo) / 2
    assert abs(lo - b_lo) <= 0.15 * half, (lo, b_lo)
    assert abs(hi - b_hi) <= 0.15 * half, (hi, b_hi)


@pytest.mark.parametrize("cells", [False, True])
def test_large_data_use_delong_through_the_engine(tmp_path: Path, cells: bool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """From the rows (many distinct scores) and from the statistics layer's score cells
    (few distinct scores: here forced by a lower compaction threshold)."""
    import sys

    import yaml

    from governance.api import CheckRequest, run_check
    from governance.metrics import source, sweep

    swept: list[int] = []
    real = sweep.rank_metrics
    monkeypatch.setattr(sweep, "rank_metrics", lambda *a, **k: swept.append(1) or real(*a, **k))
    if cells:
        monkeypatch.setattr(source, "CELL_FRACTION", 1)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
    from test_engines import make_project, predictions

    root = make_project(tmp_path)  # 6,000 rows: above DELONG_MIN_ROWS
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"id": "AUC", "title": "t", "kind": "recomputed_metric",
                        "severity": "high", "params": {"metric": "roc_auc", "min": 0.5,
                                                       "n_resamples": 1000,
                                                       "decide_on": "ci_lower"}}]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    report = run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                    root=root, now=datetime(2026, 1, 1, tzinfo=UTC),
                                    report_id="r")).report
    (f,) = report.findings
    df = predictions()
    auc, var = reference_delong(df.y_true.to_numpy(), df.y_score.to_numpy())
    lo, hi = delong.normal_interval(auc, var, 0.95)
    assert f.status.value == "pass", f.message
    block = f.evidence[0]
    assert block.method == delong.METHOD  # type: ignore[union-attr]
    assert block.value == pytest.approx(auc, rel=1e-12)  # type: ignore[union-attr]
    assert block.ci_lower == pytest.approx(float(lo), rel=1e-9)  # type: ignore[union-attr]
    assert block.ci_upper == pytest.approx(float(hi), rel=1e-9)  # type: ignore[union-attr]
    assert f.status.value == "pass"
    assert bool(swept) == cells


def test_rank_sum_auc_per_group_equals_scikit_learn() -> None:
    from governance.metrics.ranking import group_auc_ranksum

    y, s = synthetic(5000, 11, decimals=1)  # heavy ties
    codes = np.random.default_rng(12).integers(0, 5, len(y))
    order = np.argsort(-s, kind="stable")
    got = group_auc_ranksum(y, s, codes, 5, order)
    for g in range(5):
        assert got[g] == pytest.approx(roc_auc_score(y[codes == g], s[codes == g]), rel=1e-12)
    whole = group_auc_ranksum(y, s, np.zeros(len(y), dtype=np.int64), 1, order)
    assert whole[0] == pytest.approx(roc_auc_score(y, s), rel=1e-12)
