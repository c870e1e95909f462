"""Distribution drift between a reference sample and a current sample of one column.

Numeric columns: Population Stability Index on quantile bins of the reference, and the
two-sample Kolmogorov–Smirnov test (``scipy.stats.ks_2samp``). Categorical columns: the
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

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

Method = Literal["psi", "ks", "chi2", "jensenshannon"]
NUMERIC_METHODS: tuple[Method, ...] = ("psi", "ks")
CATEGORICAL_METHODS: tuple[Method, ...] = ("psi", "chi2", "jensenshannon")
# Tests decide on a p-value (drift when p < alpha); distances on a maximum statistic.
P_VALUE_METHODS: tuple[Method, ...] = ("ks", "chi2")

PSI_EPSILON = 1e-4


def quantile_edges(reference: FloatArray, bins: int) -> FloatArray:
    """Inner bin edges: the distinct reference quantiles at 1/bins, ..., (bins-1)/bins
    (numpy's linear method). Bins are (-inf, e1), [e1, e2), ..., [ek, inf)."""
    qs = np.quantile(reference, np.arange(1, bins) / bins)
    edges: FloatArray = np.unique(qs)
    return edges


def bin_shares(values: FloatArray, edges: FloatArray) -> FloatArray:
    idx = np.searchsorted(edges, values, side="right")
    counts = np.bincount(idx, minlength=edges.size + 1).astype(float)
    shares: FloatArray = counts / counts.sum()
    return shares


def psi_from_shares(ref: FloatArray, cur: FloatArray, epsilon: float = PSI_EPSILON) -> float:
    """PSI = sum((cur - ref) * ln(cur / ref)), empty bins floored at ``epsilon``."""
    r = np.clip(ref, epsilon, None)
    c = np.clip(cur, epsilon, None)
    return float(np.sum((c - r) * np.log(c / r)))


def psi_numeric(reference: FloatArray, current: FloatArray, bins: int = 10,
                epsilon: float = PSI_EPSILON) -> float:
    edges = quantile_edges(reference, bins)
    return psi_from_shares(bin_shares(reference, edges), bin_shares(current, edges), epsilon)


def category_labels(series: pd.Series) -> pd.Series:
    """Values as text labels; integral numbers print without '.0' (so 1.0 and 1 match)."""
    s = series.dropna()
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        values = s.to_numpy(dtype=float)
        if bool(np.all(np.isfinite(values) & (values == np.round(values)))):
            return pd.Series(values.astype(np.int64), index=s.index).astype("string")
    return s.astype("string")


def category_counts(reference: pd.Series, current: pd.Series) -> tuple[list[str], FloatArray,
                                                                          FloatArray]:
    """Counts per category (the union of both samples, sorted by label)."""
    ref = category_labels(reference).value_counts()
    cur = category_labels(current).value_counts()
    cats = sorted(set(ref.index) | set(cur.index))
    r = np.array([float(ref.get(c, 0)) for c in cats])
    c = np.array([float(cur.get(k, 0)) for k in cats])
    return [str(x) for x in cats], r, c


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


def numeric_drift(column: str, reference: FloatArray, current: FloatArray, *, bins: int = 10,
                  epsilon: float = PSI_EPSILON) -> ColumnDrift:
    from scipy.stats import ks_2samp

    ks = ks_2samp(reference, current)
    return ColumnDrift(
        column=column, kind="numeric", n_reference=int(reference.size),
        n_current=int(current.size),
        psi=_finite(psi_numeric(reference, current, bins, epsilon)),
        ks_statistic=_finite(float(ks.statistic)), ks_pvalue=_finite(float(ks.pvalue)),
    )


def categorical_drift(column: str, reference: pd.Series, current: pd.Series, *,
                      epsilon: float = PSI_EPSILON) -> ColumnDrift:
    from scipy.spatial.distance import jensenshannon
    from scipy.stats import chi2_contingency

    cats, r, c = category_counts(reference, current)
    if len(cats) < 2:
        chi2, p = 0.0, 1.0  # one category in both samples: identical distributions
    else:
        res = chi2_contingency(np.vstack([r, c]), correction=False)
        chi2, p = float(res[0]), float(res[1])
    js = float(jensenshannon(r / r.sum(), c / c.sum(), base=2))
    return ColumnDrift(
        column=column, kind="categorical", n_reference=int(r.sum()), n_current=int(c.sum()),
        psi=_finite(psi_from_shares(r / r.sum(), c / c.sum(), epsilon)),
        chi2=_finite(chi2), chi2_pvalue=_finite(p), js_distance=_finite(js if js > 0 else 0.0),
        categories=len(cats),
    )


def is_drifted(method: Method, statistic: float | None, p_value: float | None,
               threshold: float) -> bool | None:
    """p-value tests drift when p < threshold (alpha); distances when statistic > threshold.
    None when the statistic is undefined."""
    if method in P_VALUE_METHODS:
        return None if p_value is None else p_value < threshold
    return None if statistic is None else statistic > threshold
