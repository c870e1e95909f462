"""What the data-quality and drift rules decide on, computed from :class:`ColumnStats` alone.

Every function here is exact with respect to the frame-based definitions it replaces: quantiles
follow numpy's ``linear`` method step by step (so edges equal ``np.quantile`` bit for bit), ECDFs
come from cumulative counts (so the KS statistic equals ``scipy.stats.ks_2samp``'s), and counts
are sums of exact integer counts.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from governance.analysis.colstats import ColumnStats, value_of
from governance.analysis.common import label_text

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]
#: scipy's ``ks_2samp(method="auto")`` computes the exact p-value up to this sample size.
KS_EXACT_MAX_N = 10_000


# ---------------------------------------------------------------------------------------------
# missing values, constancy, class balance
# ---------------------------------------------------------------------------------------------
def missing(st: ColumnStats, markers: list[str]) -> int:
    """Null cells, plus (text columns) cells that are blank or one of ``markers`` once
    stripped of whitespace."""
    if st.numeric or st.values.size == 0:
        return st.na
    text = pd.Series(st.values, dtype="string").str.strip()
    hit = (text == "").fillna(False)
    if markers:
        hit = hit | text.isin(markers).fillna(False)
    return st.na + int(st.counts[hit.to_numpy(dtype=bool)].sum())


def dominant_share(st: ColumnStats) -> float | None:
    """Share of the most frequent value among the non-null cells (None without values)."""
    if not st.non_missing:
        return None
    top = int(st.counts.max()) if st.kinds is None else max(st.groups()[1])
    return float(top) / st.non_missing


def classes(st: ColumnStats) -> list[tuple[str, int]]:
    """(label, count) per distinct value, most frequent first, ties by the value's text; a
    categorical column's declared categories without rows follow with a zero count (as
    pandas ``value_counts`` lists them)."""
    keys, counts = st.groups()
    pairs: list[tuple[Any, int]] = [(_shown(k), n) for k, n in zip(keys, counts, strict=True)]
    if st.declared and st.non_missing:
        seen = {str(k) for k in keys}
        pairs += [(c, 0) for c in st.declared if c not in seen]
    pairs = sorted(pairs, key=lambda kv: (-int(kv[1]), str(kv[0])))
    return [(label_text(k), int(n)) for k, n in pairs]


def _shown(key: Any) -> Any:
    """What a value of :meth:`ColumnStats.groups` prints as (an object's label)."""
    return key[1] if isinstance(key, tuple) else key


# ---------------------------------------------------------------------------------------------
# numbers: finite values, quantiles, bins, moments, outliers, ranges
# ---------------------------------------------------------------------------------------------
def finite_counts(st: ColumnStats) -> tuple[FloatArray, IntArray]:
    """The finite distinct values (as floats, sorted) and their counts."""
    values = st.values.astype(np.float64)
    keep = np.isfinite(values)
    return values[keep], st.counts[keep]


def quantiles(values: FloatArray, counts: IntArray, q: FloatArray) -> FloatArray:
    """``np.quantile(np.repeat(values, counts), q)`` (linear method) without expanding: the
    same virtual indexes, neighbours and interpolation as numpy, so equal bit for bit."""
    n = int(counts.sum())
    virtual = (n - 1) * q
    previous = np.floor(virtual)
    following = previous + 1
    above = virtual >= n - 1
    previous[above] = n - 1
    following[above] = n - 1
    below = virtual < 0
    previous[below] = 0
    following[below] = 0
    prev_i = previous.astype(np.intp)
    next_i = np.minimum(following.astype(np.intp), n - 1)
    ends = np.cumsum(counts)  # ends[i]: how many values are <= values[i]
    a = values[np.searchsorted(ends, prev_i, side="right")]
    b = values[np.searchsorted(ends, next_i, side="right")]
    # numpy's gamma is taken against the (bounded) previous index; above the end it is -1
    gamma = virtual - np.where(above, -1, prev_i)
    diff = b - a
    out: FloatArray = a + diff * gamma
    late = gamma >= 0.5
    out[late] = (b - diff * (1 - gamma))[late]
    return out


def quantile_edges(values: FloatArray, counts: IntArray, bins: int) -> FloatArray:
    """Inner bin edges: the distinct quantiles at 1/bins, ..., (bins-1)/bins."""
    edges: FloatArray = np.unique(quantiles(values, counts, np.arange(1, bins) / bins))
    return edges


def bin_counts(values: FloatArray, counts: IntArray, edges: FloatArray) -> FloatArray:
    """Cells per bin (-inf, e1), [e1, e2), ..., [ek, inf)."""
    idx = np.searchsorted(edges, values, side="right")
    out = np.bincount(idx, weights=counts.astype(np.float64), minlength=edges.size + 1)
    return out.astype(np.float64, copy=False)


def mean_std(values: FloatArray, counts: IntArray) -> tuple[float, float]:
    """Mean and population standard deviation (ddof=0) of the expanded values."""
    n = int(counts.sum())
    w = counts.astype(np.float64)
    mean = float(np.sum(values * w)) / n
    var = float(np.sum(w * (values - mean) ** 2)) / n
    return mean, math.sqrt(var) if math.isfinite(var) else var


def count_outside(values: FloatArray, counts: IntArray, lo: float | None,
                  hi: float | None) -> int:
    """Cells below ``lo`` or above ``hi``."""
    mask = np.zeros(values.size, dtype=bool)
    if lo is not None:
        mask |= values < lo
    if hi is not None:
        mask |= values > hi
    return int(counts[mask].sum())


def out_of_range(st: ColumnStats, lo: float | None, hi: float | None) -> int:
    """Non-null numbers below ``lo`` or above ``hi`` (infinities included)."""
    return count_outside(st.values.astype(np.float64), st.counts, lo, hi)


def not_allowed(st: ColumnStats, allowed: list[Any]) -> tuple[int, list[str]]:
    """Cells whose value is not in ``allowed``, and the distinct such labels."""
    keys = st.values.tolist()
    if st.kinds is not None:  # a mixed column: each value as Python has it (1.0 is "1")
        keys = [_shown(value_of(k, t)) for k, t in zip(keys, st.kinds, strict=True)]
    if st.numeric and all(isinstance(a, int | float) and not isinstance(a, bool)
                          for a in allowed):
        wanted_f = np.array([float(a) for a in allowed], dtype=np.float64)
        bad = ~np.isin(st.values.astype(np.float64), wanted_f)
    else:
        wanted = {str(a) for a in allowed}
        bad = np.array([label_text(k, 10_000) not in wanted for k in keys], dtype=bool)
    # one label per distinct bad value (pandas equality: the first of 1, 1.0, True)
    first = dict.fromkeys(k for k, b in zip(keys, bad.tolist(), strict=True) if b)
    labels = sorted({label_text(k) for k in first})
    return int(st.counts[bad].sum()), labels


# ---------------------------------------------------------------------------------------------
# categories and two-sample comparisons
# ---------------------------------------------------------------------------------------------
def category_counts(st: ColumnStats) -> dict[str, int]:
    """Cells per category label; integral numbers print without '.0' (so 1.0 and 1 match)."""
    if not st.numeric:
        if st.kinds is None:
            return dict(zip(st.values.tolist(), st.counts.tolist(), strict=True))
        acc: dict[str, int] = {}  # the text labels: 1 and "1" are one category, 1.0 another
        for label, n in zip(st.values.tolist(), st.counts.tolist(), strict=True):
            acc[label] = acc.get(label, 0) + int(n)
        return acc
    if st.values.dtype.kind in "iu":  # exact integers (no float round trip above 2**53)
        labels = [str(v) for v in st.values.tolist()]
    else:
        values = st.values.astype(np.float64)
        if bool(np.all(np.isfinite(values) & (values == np.round(values)))):
            # Python ints: exact at any magnitude (an int64 cast wraps from 2**63 on)
            labels = [str(int(v)) for v in values.tolist()]
        else:
            labels = [str(v) for v in pd.Series(st.values).astype("string").tolist()]
    out: dict[str, int] = {}
    for label, n in zip(labels, st.counts.tolist(), strict=True):
        out[str(label)] = out.get(str(label), 0) + int(n)
    return out


def ks_2samp(ref: tuple[FloatArray, IntArray], cur: tuple[FloatArray, IntArray]
             ) -> tuple[float, float]:
    """Two-sided two-sample KS statistic and p-value, as ``scipy.stats.ks_2samp`` (method
    'auto'): the exact distribution up to :data:`KS_EXACT_MAX_N` values per sample
    (:mod:`governance.analysis.pvalues`, or SciPy given the expanded samples where that is
    quicker), Smirnov's asymptotic distribution above. (nan, nan) for an empty sample."""
    from governance.analysis import pvalues

    (rv, rc), (cv, cc) = ref, cur
    n1, n2 = int(rc.sum()), int(cc.sum())
    if n1 == 0 or n2 == 0:
        return math.nan, math.nan
    points = np.union1d(rv, cv)
    ends1 = np.concatenate([[0], np.cumsum(rc)])
    ends2 = np.concatenate([[0], np.cumsum(cc)])
    cdf1 = ends1[np.searchsorted(rv, points, side="right")] / n1
    cdf2 = ends2[np.searchsorted(cv, points, side="right")] / n2
    cddiffs = cdf1 - cdf2
    min_s = float(np.clip(-cddiffs.min(), 0, 1))
    max_s = float(cddiffs.max())
    d = min_s if min_s > max_s else max_s
    if max(n1, n2) <= KS_EXACT_MAX_N:
        if not pvalues.ks_exact_is_cheap(n1, n2, d):
            from scipy.stats import ks_2samp as scipy_ks

            res = scipy_ks(np.repeat(rv, rc), np.repeat(cv, cc))
            return float(res.statistic), float(res.pvalue)
        d, p = pvalues.ks_exact(n1, n2, d)  # SciPy's rounded statistic, its p-value if any
        if p is not None:
            return d, p
    return d, pvalues.ks_asymptotic(n1, n2, d)
