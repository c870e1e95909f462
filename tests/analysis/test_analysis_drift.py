"""Drift statistics on hand-computed data; scipy is the oracle for KS, chi-square and JS."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp

from governance.analysis import drift as d

REF = np.arange(1.0, 11.0)  # 1..10
CUR = np.array([1.0, 1, 1, 1, 5, 5, 9, 9, 10, 10])


def test_quantile_edges_and_shares_by_hand() -> None:
    # numpy linear quantiles of 1..10 at 0.2, 0.4, 0.6, 0.8: 1 + 9q
    edges = d.quantile_edges(REF, 5)
    assert edges.tolist() == pytest.approx([2.8, 4.6, 6.4, 8.2])
    # bins (-inf, 2.8), [2.8, 4.6), [4.6, 6.4), [6.4, 8.2), [8.2, inf)
    assert d.bin_shares(REF, edges).tolist() == pytest.approx([0.2] * 5)
    assert d.bin_shares(CUR, edges).tolist() == pytest.approx([0.4, 0.0, 0.2, 0.0, 0.4])
    # a value equal to an edge belongs to the bin above
    assert d.bin_shares(np.array([2.8, 8.2]), edges).tolist() == [0, 0.5, 0, 0, 0.5]


def test_psi_equals_the_direct_formula() -> None:
    ref = np.array([0.2] * 5)
    cur = np.array([0.4, 1e-4, 0.2, 1e-4, 0.4])  # empty bins floored at epsilon 1e-4
    direct = float(np.sum((cur - ref) * np.log(cur / ref)))
    # = 2 * 0.2 ln 2 + 2 * (1e-4 - 0.2) ln(1e-4 / 0.2)
    assert direct == pytest.approx(0.4 * np.log(2) + 2 * (1e-4 - 0.2) * np.log(5e-4))
    assert d.psi_numeric(REF, CUR, bins=5) == pytest.approx(direct, rel=1e-12)
    assert d.psi_numeric(REF, REF.copy(), bins=5) == 0.0
    # PSI is symmetric in its two share vectors
    assert d.psi_from_shares(cur, ref) == pytest.approx(d.psi_from_shares(ref, cur))


def test_psi_with_ties_merges_duplicate_edges() -> None:
    ref = np.array([0.0] * 8 + [1.0] * 2)
    edges = d.quantile_edges(ref, 10)
    # positions q * 9 in the sorted sample: q <= 0.7 -> 0, q = 0.8 -> 7.2 -> 0.2, 0.9 -> 1
    assert edges.tolist() == pytest.approx([0.0, 0.2, 1.0])
    cur = np.array([0.0] * 5 + [1.0] * 5)
    r, c = np.array([1e-4, 0.8, 1e-4, 0.2]), np.array([1e-4, 0.5, 1e-4, 0.5])
    assert d.psi_numeric(ref, cur) == pytest.approx(float(np.sum((c - r) * np.log(c / r))))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_numeric_drift_equals_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    ref = rng.normal(0, 1, 500)
    cur = rng.normal(0.2 * seed, 1.0 + 0.1 * seed, 300)
    res = d.numeric_drift("x", ref, cur)
    ks = ks_2samp(ref, cur)
    assert (res.ks_statistic, res.ks_pvalue) == (ks.statistic, ks.pvalue)
    # and the KS statistic is the largest ECDF gap, computed directly
    grid = np.concatenate([ref, cur])
    gap = np.max(np.abs((ref[:, None] <= grid).mean(0) - (cur[:, None] <= grid).mean(0)))
    assert res.ks_statistic == pytest.approx(gap, abs=1e-12)
    assert (res.n_reference, res.n_current, res.kind) == (500, 300, "numeric")


def test_categorical_drift_equals_scipy_on_hand_counts() -> None:
    ref = pd.Series(["a"] * 50 + ["b"] * 30 + ["c"] * 20)
    cur = pd.Series(["a"] * 20 + ["b"] * 30 + ["c"] * 45 + ["d"] * 5)
    res = d.categorical_drift("x", ref, cur)
    table = np.array([[50, 30, 20, 0], [20, 30, 45, 5]], dtype=float)
    chi = chi2_contingency(table, correction=False)
    assert res.chi2 == chi.statistic
    # the p-value's series is within an ulp or two of SciPy's (here 1.1e-15 relative, and
    # nearer the exact value: 4.68629329350207659e-06)
    assert res.chi2_pvalue == pytest.approx(chi.pvalue, rel=1e-13)
    js = jensenshannon(table[0] / 100, table[1] / 100, base=2)
    assert res.js_distance == pytest.approx(js, rel=1e-15)
    r = np.array([0.5, 0.3, 0.2, 1e-4])
    c = np.array([0.2, 0.3, 0.45, 0.05])
    assert res.psi == pytest.approx(float(np.sum((c - r) * np.log(c / r))), rel=1e-12)
    assert res.categories == 4


def test_categorical_labels_match_across_int_and_float_columns() -> None:
    ref = pd.Series([1.0, 0.0, None, 1.0])  # read as float because of the gap
    cur = pd.Series([1, 0, 1, 1])
    cats, r, c = d.category_counts(ref, cur)
    assert (cats, r.tolist(), c.tolist()) == (["0", "1"], [1.0, 2.0], [1.0, 3.0])


def test_js_extremes_and_single_category() -> None:
    res = d.categorical_drift("x", pd.Series(["a"] * 10), pd.Series(["b"] * 10))
    assert res.js_distance == pytest.approx(1.0)
    one = d.categorical_drift("x", pd.Series(["a"] * 10), pd.Series(["a"] * 4))
    assert (one.chi2, one.chi2_pvalue, one.js_distance) == (0.0, 1.0, 0.0)


@pytest.mark.parametrize(("method", "stat", "p", "threshold", "drifted"), [
    ("psi", 0.25, None, 0.2, True),
    ("psi", 0.2, None, 0.2, False),
    ("jensenshannon", 0.05, None, 0.1, False),
    ("ks", 0.3, 0.01, 0.05, True),
    ("ks", 0.3, 0.05, 0.05, False),
    ("chi2", 12.0, 0.2, 0.05, False),
    ("chi2", None, None, 0.05, None),
])
def test_is_drifted(method: d.Method, stat: float | None, p: float | None, threshold: float,
                    drifted: bool | None) -> None:
    assert d.is_drifted(method, stat, p, threshold) is drifted
