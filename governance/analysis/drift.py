"""Distribution drift between a reference sample and a current sample of one column.

Numeric columns: Population Stability Index on quantile bins of the reference, and the
two-sample Kolmogorov–Smirnov test (equal to ``scipy.stats.ks_2samp``). Everything is
computed from the exact value counts of :mod:`governance.analysis.colstats`; the array and
series functions below are the one-batch case. The tests' p-values and the Jensen-Shannon
distance come from :mod:`governance.analysis.pvalues` (SciPy's values without importing
``scipy.stats``). Categorical columns: the
chi-square test of homogeneity on the reference/current contingency table
(``scipy.stats.chi2_contingency``, no continuity correction), the Jensen–Shannon distance
(``scipy.spatial.distance.jensenshannon``, base 2, so it lies in [0, 1]) and PSI over
categories.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from governance.analysis import colmeasures as cm
from governance.analysis.colstats import ColumnStats, of_series

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]

Method = Literal["psi", "ks", "chi2", "jensenshannon"]
NUMERIC_METHODS: tuple[Method, ...] = ("psi", "ks")
CATEGORICAL_METHODS: tuple[Method, ...] = ("psi", "chi2", "jensenshannon")
# Tests decide on a p-value (drift when p < alpha); distances on a maximum statistic.
P_VALUE_METHODS: tuple[Method, ...] = ("ks", "chi2")

PSI_EPSILON = 1e-4


def _counts(values: FloatArray) -> tuple[FloatArray, IntArray]:
    v, c = np.unique(values, return_counts=True)
    return v, c.astype(np.int64)


def quantile_edges(reference: FloatArray, bins: int) -> FloatArray:
    """Inner bin edges: the distinct reference quantiles at 1/bins, ..., (bins-1)/bins
    (numpy's linear method). Bins are (-inf, e1), [e1, e2), ..., [ek, inf)."""
    return cm.quantile_edges(*_counts(reference), bins)


def bin_shares(values: FloatArray, edges: FloatArray) -> FloatArray:
    counts = cm.bin_counts(*_counts(values), edges)
    shares: FloatArray = counts / counts.sum()
    return shares


def psi_from_shares(ref: FloatArray, cur: FloatArray, epsilon: float = PSI_EPSILON) -> float:
    """PSI = sum((cur - ref) * ln(cur / ref)), empty bins floored at ``epsilon``."""
    r = np.clip(ref, epsilon, None)
    c = np.clip(cur, epsilon, None)
    return float(np.sum((c - r) * np.log(c / r)))


def psi_counts(ref: tuple[FloatArray, IntArray], cur: tuple[FloatArray, IntArray],
               bins: int = 10, epsilon: float = PSI_EPSILON) -> float:
    """PSI on the quantile bins of the reference, from (distinct values, counts)."""
    edges = cm.quantile_edges(*ref, bins)
    r = cm.bin_counts(*ref, edges)
    c = cm.bin_counts(*cur, edges)
    return psi_from_shares(r / r.sum(), c / c.sum(), epsilon)


def psi_numeric(reference: FloatArray, current: FloatArray, bins: int = 10,
                epsilon: float = PSI_EPSILON) -> float:
    return psi_counts(_counts(reference), _counts(current), bins, epsilon)


def category_table(reference: ColumnStats, current: ColumnStats
                   ) -> tuple[list[str], FloatArray, FloatArray]:
    """Counts per category (the union of both samples, sorted by label)."""
    ref = cm.category_counts(reference)
    cur = cm.category_counts(current)
    cats = sorted(set(ref) | set(cur))
    r = np.array([float(ref.get(c, 0)) for c in cats])
    c = np.array([float(cur.get(k, 0)) for k in cats])
    return cats, r, c


def category_counts(reference: pd.Series, current: pd.Series) -> tuple[list[str], FloatArray,
                                                                          FloatArray]:
    return category_table(of_series("reference", reference), of_series("current", current))


@dataclass(frozen=True)
class ColumnDrift:
    """Every statistic computed for one column; ``None`` where not applicable."""

    column: str
    kind: Literal["numeric", "categorical"]
    n_reference: int
    n_current: int
    psi: float | None = None
    ks_statistic: float | None = None
    ks_pvalue: float | None = None
    chi2: float | None = None
    chi2_pvalue: float | None = None
    js_distance: float | None = None
    categories: int | None = None

    def statistic(self, method: Method) -> tuple[float | None, float | None]:
        """(statistic, p-value) of ``method``."""
        if method == "psi":
            return self.psi, None
        if method == "ks":
            return self.ks_statistic, self.ks_pvalue
        if method == "chi2":
            return self.chi2, self.chi2_pvalue
        return self.js_distance, None


def _finite(x: float) -> float | None:
    return x if math.isfinite(x) else None


def numeric_drift_counts(column: str, ref: tuple[FloatArray, IntArray],
                         cur: tuple[FloatArray, IntArray], *, bins: int = 10,
                         epsilon: float = PSI_EPSILON) -> ColumnDrift:
    """PSI and KS from the finite (distinct values, counts) of both samples."""
    ks_stat, ks_p = cm.ks_2samp(ref, cur)
    return ColumnDrift(
        column=column, kind="numeric", n_reference=int(ref[1].sum()),
        n_current=int(cur[1].sum()), psi=_finite(psi_counts(ref, cur, bins, epsilon)),
        ks_statistic=_finite(ks_stat), ks_pvalue=_finite(ks_p),
    )


def numeric_drift(column: str, reference: FloatArray, current: FloatArray, *, bins: int = 10,
                  epsilon: float = PSI_EPSILON) -> ColumnDrift:
    return numeric_drift_counts(column, _counts(reference), _counts(current), bins=bins,
                                epsilon=epsilon)


def categorical_drift_stats(column: str, reference: ColumnStats, current: ColumnStats, *,
                            epsilon: float = PSI_EPSILON) -> ColumnDrift:
    """Chi-square, Jensen-Shannon and PSI over the category labels of both samples."""
    from governance.analysis.pvalues import chi2_contingency, jensenshannon

    cats, r, c = category_table(reference, current)
    if len(cats) < 2:
        chi2, p = 0.0, 1.0  # one category in both samples: identical distributions
    else:
        chi2, p = chi2_contingency(np.vstack([r, c]))
    js = jensenshannon(r / r.sum(), c / c.sum())
    return ColumnDrift(
        column=column, kind="categorical", n_reference=int(r.sum()), n_current=int(c.sum()),
        psi=_finite(psi_from_shares(r / r.sum(), c / c.sum(), epsilon)),
        chi2=_finite(chi2), chi2_pvalue=_finite(p), js_distance=_finite(js if js > 0 else 0.0),
        categories=len(cats),
    )


def categorical_drift(column: str, reference: pd.Series, current: pd.Series, *,
                      epsilon: float = PSI_EPSILON) -> ColumnDrift:
    return categorical_drift_stats(column, of_series(column, reference),
                                   of_series(column, current), epsilon=epsilon)


def is_drifted(method: Method, statistic: float | None, p_value: float | None,
               threshold: float) -> bool | None:
    """p-value tests drift when p < threshold (alpha); distances when statistic > threshold.
    None when the statistic is undefined."""
    if method in P_VALUE_METHODS:
        return None if p_value is None else p_value < threshold
    return None if statistic is None else statistic > threshold
