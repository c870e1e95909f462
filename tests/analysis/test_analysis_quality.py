"""Data-quality statistics against hand counts and scipy / scikit-learn oracles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats.contingency import association
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

from governance.analysis import quality as q


def test_missing_markers_and_blanks() -> None:
    df = pd.DataFrame({"s": ["a", " ? ", "", None, "NA", "b"],
                       "n": [1.0, np.nan, 3.0, 4.0, np.nan, np.nan]})
    assert [m.missing for m in q.missing_values(df, ["s", "n"], [])] == [2, 3]
    got = q.missing_values(df, ["s", "n"], ["?", "NA"])
    assert [(m.missing, m.rows, m.rate) for m in got] == [(4, 6, 4 / 6), (3, 6, 0.5)]


def test_duplicates_and_constancy() -> None:
    df = pd.DataFrame({"a": [1, 1, 2, 1], "b": ["x", "x", "y", "z"], "k": [5, 5, 5, None]})
    assert q.duplicate_rows(df, ["a", "b"]) == 1
    assert q.duplicate_rows(df, ["a"]) == 2
    got = {c.column: c for c in q.constancy(df, ["a", "k"])}
    assert (got["a"].distinct, got["a"].dominant_share, got["a"].constant) == (2, 0.75, False)
    assert (got["k"].non_missing, got["k"].constant) == (3, True)


def test_class_balance_counts() -> None:
    b = q.class_balance(pd.Series([1, 0, 0, 0, None, 2, 2]))
    assert [(c.label, c.count) for c in b.classes] == [("0", 3), ("2", 2), ("1", 1)]
    assert (b.minority_share, b.imbalance_ratio, b.missing) == (1 / 6, 3.0, 1)


@pytest.mark.parametrize(("values", "expected"), [
    ([1, 2, 3], "integer"),
    ([1.0, None, 3.0], "integer"),
    ([1.5, 2.0], "float"),
    ([True, False], "boolean"),
    (["a", "b"], "string"),
])
def test_actual_dtype(values: list[object], expected: str) -> None:
    assert q.actual_dtype(pd.Series(values)) == expected


def test_dtype_matches_datetime_and_boolean_text() -> None:
    assert q.dtype_matches(pd.Series(["2024-01-02", "2024-03-04T10:00"]), "datetime")
    assert not q.dtype_matches(pd.Series(["2024-01-02", "soon"]), "datetime")
    assert q.dtype_matches(pd.Series(["true", "False"]), "boolean")
    assert not q.dtype_matches(pd.Series(["yes", "no"]), "boolean")
    assert q.dtype_matches(pd.Series([1, 2]), "float")


def test_allowed_and_range() -> None:
    assert q.not_allowed(pd.Series([1.0, 2.0, 3.0, None]), [1, 2]) == (1, ["3"])
    assert q.not_allowed(pd.Series(["a", "b", "c", "c"]), ["a"]) == (3, ["b", "c"])
    assert q.out_of_range(pd.Series([1, 5, 10, None]), 2, 9) == 2


def test_outliers_iqr_and_zscore_against_numpy_and_scipy() -> None:
    rng = np.random.default_rng(11)
    v = np.concatenate([rng.normal(0, 1, 500), [8.0, -9.0, 12.0]])
    q1, q3 = np.percentile(v, [25, 75])
    lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
    res = q.outliers_iqr(v, 1.5, "v")
    assert (res.lower, res.upper) == (lo, hi)
    assert res.outliers == int(((v < lo) | (v > hi)).sum())
    z = q.outliers_zscore(v, 3.0, "v")
    assert z.outliers == int((np.abs(stats.zscore(v)) > 3).sum())
    assert q.outliers_zscore(np.ones(5), 3.0, "c").outliers == 0


def test_correlations_against_scipy() -> None:
    rng = np.random.default_rng(5)
    a = rng.normal(size=200)
    b = a * 0.5 + rng.normal(size=200)
    c = np.exp(a)
    df = pd.DataFrame({"a": a, "b": b, "c": c})
    df.loc[3, "b"] = np.nan
    mask = df["b"].notna()
    pairs = {(p.a, p.b): p for p in q.numeric_correlations(df, ["a", "b", "c"], "pearson")}
    assert pairs[("a", "b")].value == pytest.approx(
        stats.pearsonr(a[mask], b[mask]).statistic, abs=1e-12)
    assert pairs[("a", "b")].n == 199
    sp = {(p.a, p.b): p for p in q.numeric_correlations(df, ["a", "b", "c"], "spearman")}
    assert sp[("a", "c")].value == pytest.approx(1.0)
    assert sp[("b", "c")].value == pytest.approx(
        stats.spearmanr(b[mask], c[mask]).statistic, abs=1e-12)


def test_cramers_v_against_scipy_association() -> None:
    rng = np.random.default_rng(2)
    x = pd.Series(rng.choice(list("abc"), 300))
    y = pd.Series(np.where(rng.random(300) < 0.7, x, rng.choice(list("pqr"), 300)))
    v, n = q.cramers_v(x, y)
    table = pd.crosstab(x, y).to_numpy()
    assert n == 300
    assert v == pytest.approx(association(table, method="cramer"), abs=1e-12)


def test_leakage_scores_against_sklearn() -> None:
    rng = np.random.default_rng(9)
    y = pd.Series(rng.integers(0, 2, 400))
    x = pd.Series(np.round(y * 0.8 + rng.normal(0, 1, 400), 1))  # rounded: many ties
    auc = roc_auc_score(y, x)
    s = q.leakage_score(x, y, "x", max_categories=50)
    assert (s.method, s.score) == ("roc_auc", pytest.approx(max(auc, 1 - auc), abs=1e-12))
    assert q.leakage_score(-x, y, "x", max_categories=50).score == pytest.approx(s.score)
    g = pd.Series(rng.choice(list("abcd"), 400))
    table = pd.crosstab(g, y)
    majority = table.idxmax(axis=1)
    sb = q.leakage_score(g, y, "g", max_categories=50)
    assert sb.method == "stump_balanced_accuracy"
    assert sb.score == pytest.approx(balanced_accuracy_score(y, g.map(majority)), abs=1e-12)
    many = q.leakage_score(g, y, "g", max_categories=3)
    assert (many.method, many.note) == ("skipped", "4 categories > max_categories 3")
    multi = q.leakage_score(x, pd.Series(rng.integers(0, 3, 400)), "x", max_categories=50)
    assert multi.method == "stump_balanced_accuracy" and 0 < multi.score < 1
