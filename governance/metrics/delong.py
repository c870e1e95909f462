"""ROC AUC confidence intervals by DeLong's method, with the fast O(n log n) algorithm of
Sun & Xu (2014, IEEE Signal Processing Letters 21(11), "Fast implementation of DeLong's
algorithm for comparing the areas under correlated receiver operating characteristic curves").

For ``m`` positives ``X`` and ``n`` negatives ``Y`` with midranks ``T_X`` (within X), ``T_Y``
(within Y) and ``T_Z`` (within both):

- AUC = (sum T_Z[X] - m(m+1)/2) / (m n)   (the Mann-Whitney statistic, ties count 1/2)
- structural components V10_i = (T_Z[X_i] - T_X[i]) / n, V01_j = 1 - (T_Z[Y_j] - T_Y[j]) / m
- Var(AUC) = s^2(V10) / m + s^2(V01) / n   (sample variances, ddof=1)

Three sorts instead of the m x n comparisons of the textbook definition. The interval is the
normal (Wald) interval ``AUC +- z * sqrt(Var)``, clipped to [0, 1].

Used for unweighted binary data with at least :data:`DELONG_MIN_ROWS` rows (the rows of the
group for per-group values); smaller samples keep the percentile bootstrap, whose coverage is
better when the normal approximation is poor. Groups are disjoint, so their AUC estimates are
independent: combinations (gaps between groups) are resampled from independent normal draws
around each group's AUC with its DeLong variance (a parametric bootstrap costing O(groups x
resamples), not O(rows x resamples)).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from governance.metrics.counts import FloatArray, IntArray

#: At or above this many rows, ROC AUC intervals use DeLong's method; below, the bootstrap.
DELONG_MIN_ROWS = 2_000

METHOD = "DeLong (fast algorithm, Sun & Xu 2014), normal approximation"


def midranks(x: FloatArray) -> FloatArray:
    """Ranks 1..N of ``x`` with ties given the mean of their ranks."""
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    if n == 0:
        return np.zeros(0)
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    starts = np.flatnonzero(np.concatenate([[True], xs[1:] != xs[:-1]]))
    ends = np.concatenate([starts[1:], [n]])
    mid = (starts + ends + 1) / 2.0  # mean of the 1-based ranks starts+1 .. ends
    ranks_sorted = np.repeat(mid, ends - starts)
    out = np.empty(n)
    out[order] = ranks_sorted
    return out


def delong(y_true: IntArray, score: FloatArray) -> tuple[float, float]:
    """(AUC, DeLong variance); NaN when there are fewer than two positives or negatives."""
    y = np.asarray(y_true)
    s = np.asarray(score, dtype=np.float64)
    pos = s[y == 1]
    neg = s[y == 0]
    m, n = len(pos), len(neg)
    if m < 2 or n < 2:
        return float("nan"), float("nan")
    tx = midranks(pos)
    ty = midranks(neg)
    tz = midranks(np.concatenate([pos, neg]))
    auc = (tz[:m].sum() - m * (m + 1) / 2.0) / (m * n)
    v10 = (tz[:m] - tx) / n
    v01 = 1.0 - (tz[m:] - ty) / m
    var = float(v10.var(ddof=1) / m + v01.var(ddof=1) / n)
    return float(auc), var


def group_delong(y_true: IntArray, score: FloatArray, codes: IntArray, n_groups: int
                 ) -> tuple[FloatArray, FloatArray]:
    """Per-group (AUC, variance), shape ``(G,)`` each; one stable sort by group."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(n_groups + 1))
    auc = np.full(n_groups, np.nan)
    var = np.full(n_groups, np.nan)
    for g in range(n_groups):
        idx = order[bounds[g]:bounds[g + 1]]
        auc[g], var[g] = delong(np.asarray(y_true)[idx], np.asarray(score)[idx])
    return auc, var


def z_value(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2.0)


def normal_interval(value: FloatArray | float, var: FloatArray | float, confidence: float
                    ) -> tuple[FloatArray, FloatArray]:
    """Wald interval clipped to [0, 1] (NaN where the variance is undefined)."""
    half = z_value(confidence) * np.sqrt(np.asarray(var, dtype=np.float64))
    v = np.asarray(value, dtype=np.float64)
    return np.clip(v - half, 0.0, 1.0), np.clip(v + half, 0.0, 1.0)


def normal_draws(value: FloatArray, var: FloatArray, n_resamples: int,
                 rng: np.random.Generator) -> FloatArray:
    """Independent normal draws ``(B, *value.shape)`` around ``value`` with variance ``var``
    (NaN where undefined): the parametric resamples combined into gaps."""
    v = np.asarray(value, dtype=np.float64)
    z = rng.standard_normal((n_resamples, *v.shape))
    out: FloatArray = v + z * np.sqrt(np.asarray(var, dtype=np.float64))
    return out
