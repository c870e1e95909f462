"""ROC AUC confidence intervals by DeLong's method, with the fast O(n log n) algorithm of
Sun & Xu (2014, IEEE Signal Processing Letters 21(11), "Fast implementation of DeLong's
algorithm for comparing the areas under correlated receiver operating characteristic curves").

For ``m`` positives ``X`` and ``n`` negatives ``Y`` with midranks ``T_X`` (within X), ``T_Y``
(within Y) and ``T_Z`` (within both):

- AUC = (sum T_Z[X] - m(m+1)/2) / (m n)   (the Mann-Whitney statistic, ties count 1/2)
- structural components V10_i = (T_Z[X_i] - T_X[i]) / n, V01_j = 1 - (T_Z[Y_j] - T_Y[j]) / m
- Var(AUC) = s^2(V10) / m + s^2(V01) / n   (sample variances, ddof=1)

One sort by descending score (shared with the point estimate, once per run) instead of the
m x n comparisons of the textbook definition: midranks of sorted data take linear time, and
per-group values need only a linear-time radix sort of the small group codes. The interval is the
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
    order = np.argsort(x, kind="mergesort")
    out = np.empty(len(x))
    out[order] = _sorted_midranks(x[order])
    return out


def _sorted_midranks(xs: FloatArray, descending: bool = False) -> FloatArray:
    """Ascending midranks of an already sorted array, in O(N)."""
    n = len(xs)
    if n == 0:
        return np.zeros(0)
    starts = np.flatnonzero(np.concatenate([[True], xs[1:] != xs[:-1]]))
    ends = np.concatenate([starts[1:], [n]])
    mid = np.repeat((starts + ends + 1) / 2.0, ends - starts)  # 1-based mean position
    return (n + 1.0) - mid if descending else mid


def _delong_sorted(y: IntArray, s: FloatArray) -> tuple[float, float]:
    """DeLong on rows sorted by descending score: every midrank in linear time."""
    pos_mask = np.asarray(y) == 1
    m = int(pos_mask.sum())
    n = len(s) - m
    if m < 2 or n < 2:
        return float("nan"), float("nan")
    tz = _sorted_midranks(s, descending=True)
    tx = _sorted_midranks(s[pos_mask], descending=True)
    ty = _sorted_midranks(s[~pos_mask], descending=True)
    tz_pos = tz[pos_mask]
    auc = (tz_pos.sum() - m * (m + 1) / 2.0) / (m * n)
    v10 = (tz_pos - tx) / n
    v01 = 1.0 - (tz[~pos_mask] - ty) / m
    var = float(v10.var(ddof=1) / m + v01.var(ddof=1) / n)
    return float(auc), var


def delong(y_true: IntArray, score: FloatArray, order: IntArray | None = None
           ) -> tuple[float, float]:
    """(AUC, DeLong variance); NaN when there are fewer than two positives or negatives.
    ``order``: the rows by descending score, when already known (one sort per run)."""
    s = np.asarray(score, dtype=np.float64)
    if order is None:
        order = np.argsort(-s, kind="stable")
    return _delong_sorted(np.asarray(y_true)[order], s[order])


def group_delong(y_true: IntArray, score: FloatArray, codes: IntArray, n_groups: int,
                 order: IntArray | None = None) -> tuple[FloatArray, FloatArray]:
    """Per-group (AUC, variance), shape ``(G,)`` each: the rows by descending score, then a
    linear-time stable radix sort by group, then each group's slice."""
    s = np.asarray(score, dtype=np.float64)
    if order is None:
        order = np.argsort(-s, kind="stable")
    key = np.asarray(codes)[order]
    if n_groups < 2**15:
        key = key.astype(np.int16)
    perm = order[np.argsort(key, kind="stable")]
    bounds = np.searchsorted(np.asarray(codes)[perm], np.arange(n_groups + 1))
    ys, ss = np.asarray(y_true)[perm], s[perm]
    auc = np.full(n_groups, np.nan)
    var = np.full(n_groups, np.nan)
    for g in range(n_groups):
        a, b = bounds[g], bounds[g + 1]
        auc[g], var[g] = _delong_sorted(ys[a:b], ss[a:b])
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
