"""Data-quality statistics of one table: missing values, duplicates, constant columns, class
balance, schema conformance, outliers, correlation, single-feature label leakage.

Per-column statistics come from the mergeable counts of :mod:`governance.analysis.colstats`
(the functions taking a ``ColumnStats`` or counts; those taking a frame or a series are the
one-batch case); the pairwise ones (duplicates, correlation, leakage) work on the frame. Each
returns frozen values with aggregate statistics only (counts, shares, correlations) and
category labels, never raw records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from governance.analysis import colmeasures as cm
from governance.analysis.colstats import ColumnStats, of_series
from governance.analysis.common import is_numeric


# ---------------------------------------------------------------------------------------------
# Missing values
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnMissing:
    column: str
    rows: int
    missing: int

    @property
    def rate(self) -> float:
        return self.missing / self.rows if self.rows else 0.0


def column_missing(st: ColumnStats, markers: list[str]) -> ColumnMissing:
    """Missing cells: NaN/None/empty, or (text columns) one of ``markers`` after stripping
    whitespace."""
    return ColumnMissing(st.column, st.rows, cm.missing(st, markers))


def missing_values(df: pd.DataFrame, columns: list[str],
                   markers: list[str]) -> list[ColumnMissing]:
    return [column_missing(of_series(c, df[c]), markers) for c in columns]


# ---------------------------------------------------------------------------------------------
# Duplicates and constant columns
# ---------------------------------------------------------------------------------------------
def duplicate_rows(df: pd.DataFrame, columns: list[str]) -> int:
    """Rows that repeat an earlier row on ``columns`` (the first occurrence is not counted)."""
    return int(df[columns].duplicated(keep="first").sum())


@dataclass(frozen=True)
class ColumnConstancy:
    column: str
    non_missing: int
    distinct: int
    dominant_share: float | None  # share of the most frequent value among non-missing cells

    @property
    def constant(self) -> bool:
        return self.distinct <= 1


def column_constancy(st: ColumnStats) -> ColumnConstancy:
    return ColumnConstancy(st.column, st.non_missing, st.distinct, cm.dominant_share(st))


def constancy(df: pd.DataFrame, columns: list[str]) -> list[ColumnConstancy]:
    return [column_constancy(of_series(c, df[c])) for c in columns]


# ---------------------------------------------------------------------------------------------
# Class balance
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ClassCount:
    label: str
    count: int
    share: float


@dataclass(frozen=True)
class Balance:
    classes: tuple[ClassCount, ...]  # most frequent first
    missing: int

    @property
    def minority_share(self) -> float:
        return min(c.share for c in self.classes) if self.classes else 0.0

    @property
    def imbalance_ratio(self) -> float | None:
        """Majority count / minority count (None with fewer than two classes, or a class
        without rows)."""
        counts = [c.count for c in self.classes]
        if len(counts) < 2 or min(counts) == 0:  # a declared class without rows: unbounded
            return None
        return max(counts) / min(counts)


def balance_of(st: ColumnStats) -> Balance:
    n = st.non_missing
    return Balance(tuple(ClassCount(label, count, count / n)
                         for label, count in cm.classes(st)), st.na)


def class_balance(series: pd.Series) -> Balance:
    return balance_of(of_series("label", series))


# ---------------------------------------------------------------------------------------------
# Schema
# ---------------------------------------------------------------------------------------------
DType = Literal["any", "numeric", "integer", "float", "string", "categorical", "boolean",
                "datetime"]


def actual_dtype(series: pd.Series) -> str:
    """A plain-language type: integer, float, boolean, datetime or string."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        vals = series.dropna().to_numpy(dtype=float)
        if len(vals) and bool(np.all(np.isfinite(vals) & (vals == np.round(vals)))):
            return "integer"  # integers with missing values are read as floats
        return "float"
    if pd.api.types.is_numeric_dtype(series):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    return "string"


def _parses_as_datetime(series: pd.Series) -> bool:
    s = series.dropna()
    if not len(s):
        return True
    parsed = pd.to_datetime(s.astype("string"), errors="coerce", format="mixed")
    return bool(parsed.notna().all())


def dtype_matches(series: pd.Series, expected: DType) -> bool:
    actual = actual_dtype(series)
    if expected == "any":
        return True
    if expected == "numeric":
        return actual in ("integer", "float")
    if expected == "integer":
        return actual == "integer"
    if expected == "float":
        return actual in ("integer", "float")
    if expected in ("string", "categorical"):
        return actual == "string"
    if expected == "boolean":
        if actual == "boolean":
            return True
        values = {str(v).strip().lower() for v in series.dropna().unique()}
        return values <= {"true", "false", "0", "1"}
    return actual == "datetime" or (actual == "string" and _parses_as_datetime(series))


def not_allowed(series: pd.Series, allowed: list[Any]) -> tuple[int, list[str]]:
    """Rows whose (non-missing) value is not in ``allowed``, and the distinct such labels."""
    return cm.not_allowed(of_series("column", series), allowed)


def out_of_range(series: pd.Series, lo: float | None, hi: float | None) -> int:
    return cm.out_of_range(of_series("column", series), lo, hi)


# ---------------------------------------------------------------------------------------------
# Outliers
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColumnOutliers:
    column: str
    values: int  # non-missing values examined
    outliers: int
    lower: float | None  # the fence (IQR) or mean - z*std (z-score)
    upper: float | None

    @property
    def share(self) -> float:
        return self.outliers / self.values if self.values else 0.0


Counts = tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.int64]]]


def _counts(values: np.ndarray[Any, np.dtype[np.float64]]) -> Counts:
    v, c = np.unique(values, return_counts=True)
    return v, c.astype(np.int64)


def iqr_outliers(counts: Counts, k: float, column: str) -> ColumnOutliers:
    """Tukey fences: below Q1 - k*IQR or above Q3 + k*IQR (numpy's linear quantiles), from
    the (finite distinct values, counts) of a column."""
    values, n = counts
    q1, q3 = cm.quantiles(values, n, np.array([25.0, 75.0]) / 100)
    iqr = q3 - q1
    lo, hi = float(q1 - k * iqr), float(q3 + k * iqr)
    return ColumnOutliers(column, int(n.sum()), cm.count_outside(values, n, lo, hi), lo, hi)


def zscore_outliers(counts: Counts, z: float, column: str) -> ColumnOutliers:
    """|x - mean| / std > z with the population std (ddof=0, as scipy.stats.zscore)."""
    values, n = counts
    mean, std = cm.mean_std(values, n)
    if std == 0.0 or not math.isfinite(std):
        return ColumnOutliers(column, int(n.sum()), 0, mean, mean)
    far = np.abs(values - mean) / std > z
    return ColumnOutliers(column, int(n.sum()), int(n[far].sum()), mean - z * std,
                          mean + z * std)


def outliers_iqr(values: np.ndarray[Any, np.dtype[np.float64]], k: float,
                 column: str) -> ColumnOutliers:
    return iqr_outliers(_counts(values), k, column)


def outliers_zscore(values: np.ndarray[Any, np.dtype[np.float64]], z: float,
                    column: str) -> ColumnOutliers:
    return zscore_outliers(_counts(values), z, column)


# ---------------------------------------------------------------------------------------------
# Correlation
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PairAssociation:
    a: str
    b: str
    method: str  # pearson | spearman | cramers_v
    value: float  # r (signed) or Cramér's V
    n: int  # rows where both are present


def numeric_correlations(df: pd.DataFrame, columns: list[str],
                         method: Literal["pearson", "spearman"]) -> list[PairAssociation]:
    """Every pair of ``columns``, on the rows where both are present (pandas ``corr``).
    Pairs with an undefined coefficient (a constant column) are left out."""
    sub = df[columns].astype(float)
    present = sub.notna().astype(float)
    counts = present.T @ present
    corr = sub.corr(method=method)
    out = []
    for i, a in enumerate(columns):
        for b in columns[i + 1:]:
            r = float(corr.loc[a, b])
            if math.isfinite(r):
                out.append(PairAssociation(a, b, method, r, int(counts.loc[a, b])))
    return out


def cramers_v(x: pd.Series, y: pd.Series) -> tuple[float | None, int]:
    """Cramér's V (no continuity correction) on the rows where both are present."""
    from governance.analysis.pvalues import chi2_statistic

    both = pd.DataFrame({"x": x, "y": y}).dropna()
    table = pd.crosstab(both["x"], both["y"]).to_numpy()
    n = int(table.sum())
    k = min(table.shape) - 1
    if n == 0 or k < 1:
        return None, n
    chi2, _ = chi2_statistic(table)
    return math.sqrt(chi2 / (n * k)), n


# ---------------------------------------------------------------------------------------------
# Label leakage
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LeakageScore:
    column: str
    method: str  # roc_auc | stump_balanced_accuracy | skipped
    score: float | None
    note: str | None = None


def roc_auc(scores: np.ndarray[Any, np.dtype[np.float64]],
            positive: np.ndarray[Any, np.dtype[np.bool_]]) -> float | None:
    """ROC AUC of a score for a binary target (Mann–Whitney U with mid-ranks for ties)."""
    n_pos = int(positive.sum())
    n_neg = int(positive.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return None
    ranks = pd.Series(scores).rank(method="average").to_numpy()  # scipy's rankdata
    u = float(ranks[positive].sum()) - n_pos * (n_pos + 1) / 2.0
    return u / (n_pos * n_neg)


def stump_balanced_accuracy(groups: pd.Series, label: pd.Series) -> float | None:
    """Balanced accuracy of predicting, for each value of ``groups``, its majority label
    (ties broken by the label's sort order)."""
    both = pd.DataFrame({"g": groups, "y": label}).dropna()
    if both.empty or both["y"].nunique() < 2:
        return None
    table = pd.crosstab(both["g"], both["y"])
    predicted = table.to_numpy().argmax(axis=1)
    recalls = []
    for j in range(table.shape[1]):
        support = float(table.iloc[:, j].sum())
        correct = float(table.iloc[:, j].to_numpy()[predicted == j].sum())
        recalls.append(correct / support)
    return float(np.mean(recalls))


def leakage_score(feature: pd.Series, label: pd.Series, column: str, *,
                  max_categories: int, bins: int = 10) -> LeakageScore:
    """How well the one feature alone predicts the label, on a 0.5..1 scale.

    Numeric feature, binary label: ROC AUC of the feature as a score, max(AUC, 1 - AUC).
    Numeric feature, multiclass label: balanced accuracy of a majority-label stump on
    ``bins`` quantile bins. Categorical feature: balanced accuracy of predicting each
    category's majority label; features with more than ``max_categories`` categories are
    not assessed, nor are identifier-like features with more categories than half the rows.
    """
    both = pd.DataFrame({"x": feature, "y": label}).dropna()
    if both.empty:
        return LeakageScore(column, "skipped", None, "no rows with both values")
    classes = both["y"].unique()
    if len(classes) < 2:
        return LeakageScore(column, "skipped", None, "the label has one class")
    if is_numeric(feature):
        x = both["x"].to_numpy(dtype=float)
        if len(classes) == 2:
            positive = (both["y"] == sorted(classes, key=str)[1]).to_numpy(dtype=bool)
            auc = roc_auc(x, positive)
            if auc is None:
                return LeakageScore(column, "skipped", None, "the label has one class")
            return LeakageScore(column, "roc_auc", max(auc, 1.0 - auc))
        binned = pd.qcut(both["x"], q=bins, duplicates="drop")
        return LeakageScore(column, "stump_balanced_accuracy",
                            stump_balanced_accuracy(binned.astype("string"), both["y"]))
    n_cat = int(both["x"].nunique())
    if n_cat > max_categories:
        return LeakageScore(column, "skipped", None,
                            f"{n_cat} categories > max_categories {max_categories}")
    if 2 * n_cat > len(both):
        return LeakageScore(column, "skipped", None, f"{n_cat} categories in {len(both)} rows: "
                            "identifier-like, a one-value-per-row column predicts trivially")
    return LeakageScore(column, "stump_balanced_accuracy",
                        stump_balanced_accuracy(both["x"], both["y"]))
