"""Test statistics and p-values of the drift and data rules, equal to SciPy's, without
importing ``scipy.stats`` on the common path.

``import scipy.stats`` takes about half a second (it also imports ``scipy.spatial``,
``scipy.optimize``, ``scipy.sparse`` and builds ~130 distributions); for a check on a few
thousand rows that is more than the rules' own work. What the rules need from it is small:

* the exact two-sided p-value of the two-sample Kolmogorov-Smirnov test, the one
  ``scipy.stats.ks_2samp`` (method ``auto``) computes up to 10,000 values per sample. It is
  computed here by the lattice-path recursions of Hodges (1958), in the form that gives
  ``1 - p`` directly (Viehmann 2021, arXiv:2102.08037), with the same floating-point
  operations as SciPy, so the values are SciPy's. Where that recursion would take long in
  Python (large unequal samples with a large statistic) the caller hands the samples to
  SciPy, as it does for the asymptotic distribution (``kstwo``) above 10,000 values;
* the chi-square test of homogeneity (``chi2_contingency`` without continuity correction):
  the statistic is a few array operations; its p-value (``scipy.special.chdtrc``) a finite
  series of positive terms at the integer degrees of freedom a contingency table has;
* the Jensen-Shannon distance (``scipy.spatial.distance.jensenshannon``).

So a check on small data does not import SciPy at all (``scipy.special`` alone takes ~0.1 s).
Every function here is checked against SciPy itself in ``tests/analysis/test_pvalues.py``:
the KS p-values bit for bit, the others to 1e-11 or better.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

#: Cells of the lattice-path recursion computed here (about 0.1 s); above, SciPy's compiled
#: code does it. A tenth of that once ``scipy.stats`` is imported anyway.
KS_PATH_CELLS_MAX = 1_000_000


def lattice(n1: int, n2: int, d: float) -> tuple[int, int]:
    """(h, lcm): ``d`` as the nearest attainable difference of two ECDFs, h / lcm(n1, n2)."""
    g = math.gcd(n1, n2)
    lcm = (n1 // g) * n2
    return int(np.round(d * lcm)), lcm


def ks_exact_is_cheap(n1: int, n2: int, d: float) -> bool:
    """Whether :func:`ks_exact` is quicker here than importing SciPy's compiled version:
    always for equal sample sizes (linear work), else when the lattice-path recursion has at
    most :data:`KS_PATH_CELLS_MAX` cells (a tenth of that when ``scipy.stats`` is loaded)."""
    if n1 == n2:
        return True
    h, _ = lattice(n1, n2, d)
    m, n = max(n1, n2), min(n1, n2)
    width = 2 * h // (m // math.gcd(m, n)) + 2  # cells of one column inside the band, at most
    limit = KS_PATH_CELLS_MAX // 10 if "scipy.stats" in sys.modules else KS_PATH_CELLS_MAX
    return m * min(width, n + 1) <= limit


def ks_exact(n1: int, n2: int, d: float) -> tuple[float, float | None]:
    """(statistic, p-value) of the exact two-sided test, as ``scipy.stats.ks_2samp`` (method
    ``exact``) computes them: the statistic is ``d`` rounded to the lattice h / lcm(n1, n2).
    The p-value is None where SciPy falls back to the asymptotic distribution (the value
    computed is not a probability); SciPy then uses that rounded statistic."""
    h, lcm = lattice(n1, n2, d)
    d = h * 1.0 / lcm
    if h == 0:
        return d, 1.0
    if n1 == n2:
        prob = _outside_square(n1, h)
    else:
        prob = _outside_band(max(n1, n2), min(n1, n2), math.gcd(n1, n2), h)
    return d, prob if 0 <= prob <= 1 else None


def ks_asymptotic(n1: int, n2: int, d: float) -> float:
    """Two-sided p-value from the distribution of D_n (``scipy.stats.kstwo``) at
    n = round(n1 * n2 / (n1 + n2)), as ``ks_2samp`` uses it for large samples."""
    from scipy.stats import kstwo

    m, n = sorted([float(n1), float(n2)], reverse=True)
    en = m * n / (m + n)
    return float(np.clip(kstwo.sf(d, np.round(en)), 0, 1))


def _outside_square(n: int, h: int) -> float:
    """P(D >= h/n) for two samples of n values each:
    2 * sum_k (-1)^(k+1) C(2n, n - kh) / C(2n, n), evaluated from the innermost term outwards
    (each ratio of binomials as a product of h factors), which avoids the cancellation of the
    alternating sum."""
    total = 0.0
    k = int(np.floor(n / h))
    while k >= 0:
        ratio = 1.0
        for j in range(h):
            ratio = (n - k * h - j) * ratio / (n + k * h + j + 1)
        total = ratio * (1.0 - total)
        k -= 1
    return 2 * total


def _outside_band(m: int, n: int, g: int, h: int) -> float:
    """Probability that a uniformly random monotone lattice path from (0, 0) to (m, n),
    m > n, leaves the band |x/m - y/n| < h / lcm(m, n), i.e. |x*n/g - y*m/g| < h.

    ``q[y]`` holds, for the current x, the probability that a random path to (x, y) has left
    the band: 1 outside it, 0 on the edge x = 0 inside it, else the mean of its two
    predecessors weighted by how many paths come from each,
    ``(q(x-1, y) * x + q(x, y-1) * y) / (x + y)``. The band moves up as x grows, so one array
    updated in place, in increasing y, holds q(x-1, y) ahead of the current cell and q(x, y-1)
    behind it; cells above the band still hold 1 from x = 0."""
    mg, ng = m // g, n // g
    q = [0.0 if mg * y < h else 1.0 for y in range(n + 1)]
    top = n + 1
    for x in range(1, m + 1):
        lo = (ng * x - h) // mg + 1  # first y inside the band
        if lo < 0:
            lo = 0
        hi = -(-(ng * x + h) // mg)  # first y above it
        if hi > top:
            hi = top
        if hi <= lo:
            return 1.0  # no path stays inside
        below = 0.0 if lo == 0 else 1.0
        xf = float(x)  # the same products and sums as with the integer (exact below 2**53)
        for y in range(lo, hi):
            below = (q[y] * xf + below * y) / (xf + y)
            q[y] = below
    return q[n]


# ---------------------------------------------------------------------------------------------
# chi-square test of homogeneity, Jensen-Shannon distance
# ---------------------------------------------------------------------------------------------
def chi2_statistic(table: Any) -> tuple[float, int]:
    """Pearson's chi-square statistic of a two-way contingency table and its degrees of
    freedom, as ``scipy.stats.chi2_contingency(table, correction=False)`` computes them
    (expected counts from the float margins; a zero expected count is an error)."""
    observed = np.asarray(table, dtype=np.float64)
    if observed.ndim != 2 or observed.size == 0:
        raise ValueError("a contingency table needs two dimensions and at least one cell")
    if np.any(observed < 0):
        raise ValueError("a contingency table has no negative counts")
    expected = (observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True)
                / observed.sum())
    if np.any(expected == 0):
        raise ValueError("a row or column of the contingency table is empty")
    dof = expected.size - sum(expected.shape) + expected.ndim - 1
    if dof == 0:
        return 0.0, 0
    return float(np.sum((observed - expected) ** 2 / expected)), dof


def chi2_contingency(table: Any) -> tuple[float, float]:
    """(statistic, p-value) of ``scipy.stats.chi2_contingency(table, correction=False)``."""
    stat, dof = chi2_statistic(table)
    if dof == 0:
        return 0.0, 1.0
    return stat, chi2_sf(dof, stat)


#: Degrees of freedom up to which :func:`chi2_sf` sums its series (relative error below
#: 1e-11 against ``scipy.special.chdtrc``, 1e-12 up to 1,000); above, SciPy computes it.
CHI2_SERIES_MAX_DOF = 10_000


def chi2_sf(dof: int, x: float) -> float:
    """P(X >= x) for X chi-square with ``dof`` degrees of freedom (``scipy.special.chdtrc``),
    as the finite series of the regularised upper incomplete gamma function Q(dof/2, x/2) at
    integer and half-integer order, y = x/2, m = dof // 2:

    * even dof: Q = e^-y * sum_{i<m} y^i / i!
    * odd dof:  Q = erfc(sqrt(y)) + e^-y * sum_{i<m} y^(i+1/2) / Gamma(i+3/2)

    All terms are positive (no cancellation). They are summed relative to the largest one,
    outwards from it until they no longer change the sum, and scaled by that term's
    logarithm, so neither e^-y nor y^i overflows or underflows on the way."""
    if math.isnan(x) or x < 0 or dof < 1:
        return math.nan  # as chdtrc for a negative x (no degrees of freedom: not used here)
    if x == 0:
        return 1.0
    if x == math.inf:
        return 0.0
    if dof > CHI2_SERIES_MAX_DOF:
        from scipy.special import chdtrc

        return float(chdtrc(dof, x))
    y = x / 2.0
    m, odd = divmod(dof, 2)
    h = 0.5 if odd else 0.0
    head = math.erfc(math.sqrt(y)) if odd else 0.0
    if m == 0:
        return head
    peak = min(m - 1, max(0, int(y - h)))  # the index of the largest term
    log_peak = (peak + h) * math.log(y) - math.lgamma(peak + h + 1)
    total = term = 1.0
    for i in range(peak, 0, -1):  # t(i-1) = t(i) * (i + h) / y
        term *= (i + h) / y
        total += term
        if term < 1e-17 * total:
            break
    term = 1.0
    for i in range(peak + 1, m):  # t(i) = t(i-1) * y / (i + h)
        term *= y / (i + h)
        total += term
        if term < 1e-17 * total:
            break
    return head + math.exp(-y + log_peak) * total


def jensenshannon(p: Any, q: Any) -> float:
    """Jensen-Shannon distance in base 2, as ``scipy.spatial.distance.jensenshannon(p, q,
    base=2)``: both vectors normalised to sum 1, m their mean, the relative entropies of p
    and q to m summed (:func:`rel_entr`)."""
    p = np.asarray(p, dtype=np.float64)
    q = np.asarray(q, dtype=np.float64)
    p = p / np.sum(p, axis=0, keepdims=True)
    q = q / np.sum(q, axis=0, keepdims=True)
    m = (p + q) / 2.0
    js = np.sum(rel_entr(p, m), axis=0) + np.sum(rel_entr(q, m), axis=0)
    js /= np.log(2)
    return float(np.sqrt(js / 2.0))


#: Up to this many categories :func:`rel_entr` uses the C library's ``log``/``log1p`` per
#: element, as ``scipy.special.rel_entr`` does (bit for bit); above, numpy's (within an ulp).
REL_ENTR_EXACT_MAX = 65_536


def rel_entr(x: Any, y: Any) -> Any:
    """``scipy.special.rel_entr`` elementwise for x >= 0, y > 0 wherever x > 0 (here y is the
    mean of two distributions, so y >= x / 2): x * log(x / y), as x * log1p((x - y) / y)
    where x / y lies in (0.5, 2) (SciPy's form, accurate near 1), 0 where x is 0."""
    if x.size <= REL_ENTR_EXACT_MAX:
        return np.array([_rel_entr_one(a, b) for a, b in zip(x.tolist(), y.tolist(),
                                                              strict=True)],
                        dtype=np.float64).reshape(x.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = x / y
        near = (ratio > 0.5) & (ratio < 2)
        out = np.where(near, x * np.log1p((x - y) / y), x * np.log(ratio))
    return np.where(x > 0, out, 0.0)


def _rel_entr_one(x: float, y: float) -> float:
    if x > 0 and y > 0:
        ratio = x / y
        if 0.5 < ratio < 2:
            return x * math.log1p((x - y) / y)
        return x * math.log(ratio)
    return 0.0 if x == 0 and y >= 0 else math.inf
