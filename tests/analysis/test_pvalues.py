"""The drift and data rules' tests without ``scipy.stats`` (governance.analysis.pvalues):
SciPy itself is the oracle. The exact KS p-values are SciPy's bit for bit (the same recursions
with the same floating-point operations), over every attainable statistic of small samples
and over random large ones; the chi-square test, the Jensen-Shannon distance and mid-ranks
equal SciPy's. And a drift check on small data does not import SciPy at all (the half second
``scipy.stats`` takes, or the tenth of one ``scipy.special`` takes, that this module saves)."""

from __future__ import annotations

import math
import subprocess
import sys
import warnings

import numpy as np
import pytest
from scipy import stats
from scipy.spatial.distance import jensenshannon

from governance.analysis import colmeasures as cm
from governance.analysis import pvalues as pv
from governance.analysis import quality


def _counts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v, c = np.unique(x, return_counts=True)
    return v.astype(np.float64), c.astype(np.int64)


def _two_samples(n1: int, n2: int, k1: int, k2: int) -> tuple[np.ndarray, np.ndarray]:
    """Samples whose largest ECDF difference is |k1/n1 - k2/n2|: k1 (k2) values at 0, the
    rest of sample 1 at 2 and of sample 2 at 1."""
    a = np.concatenate([np.zeros(k1), np.full(n1 - k1, 2.0)])
    b = np.concatenate([np.zeros(k2), np.ones(n2 - k2)])
    return a, b


def _scipy(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # SciPy's "switching to asymp"
        res = stats.ks_2samp(a, b)
    return float(res.statistic), float(res.pvalue)


@pytest.mark.parametrize("n1", [1, 2, 3, 5, 8, 13, 20])
def test_ks_every_attainable_statistic_is_scipys_bit_for_bit(n1: int) -> None:
    """Every (k1, k2) for every second sample size up to 20: all the lattice values of the
    statistic, the exact p-value of equal and unequal sizes, including 0 and 1."""
    checked = 0
    for n2 in range(1, 21):
        for k1 in range(n1 + 1):
            for k2 in range(n2 + 1):
                a, b = _two_samples(n1, n2, k1, k2)
                assert cm.ks_2samp(_counts(a), _counts(b)) == _scipy(a, b), (n1, n2, k1, k2)
                checked += 1
    assert checked > 20 * (n1 + 1)


@pytest.mark.parametrize("seed", range(12))
def test_ks_random_samples_up_to_the_exact_limit_equal_scipy(seed: int) -> None:
    """Random sizes up to 10,000 with ties: the exact path here, or SciPy's given the
    expanded samples where the recursion is long, or the asymptotic fallback: the same
    numbers as ``scipy.stats.ks_2samp`` in every case."""
    rng = np.random.default_rng(seed)
    for _ in range(4):
        n1 = int(rng.integers(1, 10_001))
        n2 = n1 if rng.random() < 0.25 else int(rng.integers(1, 10_001))
        shift = float(rng.choice([0.0, 0.02, 0.1, 0.5]))
        a = rng.normal(0, 1, n1).round(int(rng.integers(1, 4)))
        b = rng.normal(shift, 1, n2).round(int(rng.integers(1, 4)))
        assert cm.ks_2samp(_counts(a), _counts(b)) == _scipy(a, b), (seed, n1, n2, shift)


def test_ks_exact_matches_scipy_where_it_falls_back() -> None:
    """SciPy's exact value for two samples of 10,000 and a tiny statistic is not a
    probability; it then uses the asymptotic distribution at the lattice point, and so do we."""
    assert pv.ks_exact(10_000, 10_000, 0.001) == (0.001, None)
    a, b = _two_samples(10_000, 10_000, 10, 0)
    assert cm.ks_2samp(_counts(a), _counts(b)) == _scipy(a, b)


def test_ks_long_recursions_are_left_to_scipy() -> None:
    """The cell count decides: a long unequal-size recursion is not computed here."""
    assert pv.ks_exact_is_cheap(700, 300, 0.05)
    assert pv.ks_exact_is_cheap(10_000, 10_000, 0.9)  # equal sizes: linear work
    assert not pv.ks_exact_is_cheap(10_000, 9_999, 0.05)
    a, b = _two_samples(10_000, 9_999, 5_000, 4_000)
    assert cm.ks_2samp(_counts(a), _counts(b)) == _scipy(a, b)


def test_ks_empty_sample_is_nan() -> None:
    stat, p = cm.ks_2samp(_counts(np.array([])), _counts(np.array([1.0, 2.0])))
    assert math.isnan(stat) and math.isnan(p)


def test_chi2_and_jensen_shannon_equal_scipy() -> None:
    rng = np.random.default_rng(7)
    for _ in range(500):
        k = int(rng.integers(2, 40))
        table = rng.integers(0, 60, size=(2, k))
        table[:, table.sum(axis=0) == 0] = 1
        if 0 in table.sum(axis=1):
            continue
        want = stats.chi2_contingency(table, correction=False)
        stat, p_value = pv.chi2_contingency(table)
        assert stat == float(want[0])  # the same array operations: bit for bit
        assert p_value == pytest.approx(float(want[1]), rel=1e-12, abs=1e-300)
        p, q = table[0] / table[0].sum(), table[1] / table[1].sum()
        assert pv.jensenshannon(p, q) == float(jensenshannon(p, q, base=2))
    wide = rng.integers(1, 9, size=(5, 7))  # Cramér's V tables are not only 2 x k
    assert pv.chi2_statistic(wide) == (float(stats.chi2_contingency(wide,
                                                                     correction=False)[0]), 24)


@pytest.mark.parametrize(("low", "high", "rel"), [(1, 100, 1e-12), (100, 1_001, 1e-11),
                                                  (1_001, 10_001, 1e-10)])
def test_chi2_survival_equals_scipy_special(low: int, high: int, rel: float) -> None:
    """Degrees of freedom and statistics from the centre to both far tails (p-values from
    ~1 to 1e-300): the series equals ``scipy.special.chdtrc`` to ``rel``."""
    from scipy.special import chdtrc

    rng = np.random.default_rng(low)
    dofs = rng.integers(low, high, 1500)
    centre = dofs * np.exp(rng.normal(0, 1.5, dofs.size))
    anywhere = np.exp(rng.uniform(-15, 12, dofs.size))
    xs = np.where(rng.random(dofs.size) < 0.7, centre, anywhere)
    for dof, x in zip(dofs.tolist(), xs.tolist(), strict=True):
        want = float(chdtrc(dof, x))
        got = pv.chi2_sf(dof, x)
        if want < 1e-300:  # below the normal range: both are (nearly) zero
            assert got < 1e-295, (dof, x)
        else:
            assert got == pytest.approx(want, rel=rel), (dof, x)
    for dof in (1, 2, 3, 10, 11):
        assert pv.chi2_sf(dof, 0.0) == 1.0
        assert pv.chi2_sf(dof, 1e-12) == pytest.approx(float(chdtrc(dof, 1e-12)), rel=1e-14)
    assert pv.chi2_sf(20_001, 20_500.0) == float(chdtrc(20_001, 20_500.0))  # SciPy's, above
    assert math.isnan(pv.chi2_sf(3, math.nan))
    assert pv.chi2_sf(3, math.inf) == float(chdtrc(3, math.inf)) == 0.0
    assert math.isnan(pv.chi2_sf(3, -1.0)) and math.isnan(float(chdtrc(3, -1.0)))


def test_relative_entropy_equals_scipy_special() -> None:
    """Bit for bit up to REL_ENTR_EXACT_MAX elements (the C library's log and log1p, in
    SciPy's form), within an ulp or two above (numpy's)."""
    from scipy.special import rel_entr

    rng = np.random.default_rng(11)
    for scale in (1e-8, 1e-3, 1.0, 1e3):
        x = rng.random(4000) * scale
        x[::7] = 0.0
        y = x / 2 + rng.random(4000) * scale  # y >= x / 2, as the mean of two distributions
        assert pv.rel_entr(x, y).tolist() == rel_entr(x, y).tolist()
    x = rng.random(pv.REL_ENTR_EXACT_MAX + 1)
    y = x / 2 + rng.random(x.size)
    np.testing.assert_allclose(pv.rel_entr(x, y), rel_entr(x, y), rtol=1e-15, atol=0)


def test_chi2_refuses_what_scipy_refuses() -> None:
    with pytest.raises(ValueError, match="empty"):
        pv.chi2_statistic([[1, 0], [2, 0]])
    with pytest.raises(ValueError, match="negative"):
        pv.chi2_statistic([[1, -1], [2, 3]])
    assert pv.chi2_contingency([[3, 4]]) == (0.0, 1.0)  # no degree of freedom


def test_leakage_auc_mid_ranks_equal_scipy_rankdata() -> None:
    rng = np.random.default_rng(3)
    scores = rng.integers(0, 7, 400).astype(np.float64)
    positive = rng.random(400) < 0.3
    ranks = stats.rankdata(scores)
    n_pos = int(positive.sum())
    want = (float(ranks[positive].sum()) - n_pos * (n_pos + 1) / 2.0) / (n_pos * (400 - n_pos))
    assert quality.roc_auc(scores, positive) == want


def test_a_small_drift_check_does_not_import_scipy() -> None:
    code = (
        "import sys, numpy as np, pandas as pd\n"
        "from governance.analysis import drift\n"
        "rng = np.random.default_rng(0)\n"
        "r = drift.numeric_drift('x', rng.normal(0, 1, 700), rng.normal(0, 1, 300))\n"
        "c = drift.categorical_drift('c', pd.Series(list('aab' * 50)),\n"
        "                            pd.Series(list('abb' * 40)))\n"
        "assert r.ks_pvalue is not None and c.chi2_pvalue is not None and c.js_distance\n"
        "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
