"""Bootstrap CIs: reproducible with a seed, different across seeds, and the count-based
multinomial resampling has the same distribution as resampling rows."""

from __future__ import annotations

import numpy as np
import pytest

from governance.metrics import compute, fairness
from governance.metrics.bootstrap import make_rng, percentile_interval
from governance.metrics.predictions import PredictionSet


def _ps(a, weighted=False):
    return PredictionSet("t", "binary", a.y_true, a.y_pred, a.y_score,
                         weight=a.weight if weighted else None, sensitive=dict(a.features))


def _run(ps, seed, metrics=("accuracy", "selection_rate", "roc_auc")):
    grouping = compute.groupings(ps, [("sex",)])[0]
    boot = compute.Bootstrap(300, make_rng(seed, "rule-1"))
    return compute.group_values(ps, grouping, list(metrics), bootstrap=boot)


@pytest.mark.parametrize("weighted", [False, True])
def test_same_seed_same_resamples_other_seed_differs(german, weighted):
    ps = _ps(german, weighted)
    a, b, c = _run(ps, 42), _run(ps, 42), _run(ps, 43)
    for m in a:
        np.testing.assert_array_equal(a[m].samples, b[m].samples)
        np.testing.assert_array_equal(a[m].overall_samples, b[m].overall_samples)
        assert not np.array_equal(a[m].samples, c[m].samples)


def test_count_only_metrics_use_count_resampling(german):
    ps = _ps(german)
    one = _run(ps, 1, ("accuracy",))["accuracy"]
    assert one.samples.shape == (300, 2)
    # an ordinary row bootstrap of accuracy has sd sqrt(p(1-p)/n); the count multinomial too
    p, n = one.overall, ps.n
    assert np.std(one.overall_samples) == pytest.approx(np.sqrt(p * (1 - p) / n), rel=0.15)


def test_count_and_row_resampling_agree_in_distribution(compas):
    ps = _ps(compas)
    grouping = compute.groupings(ps, [("race",)])[0]
    counts = compute.group_values(ps, grouping, ["selection_rate"],
                                  bootstrap=compute.Bootstrap(2000, make_rng(0, "a")))
    rows = compute.group_values(ps, grouping, ["selection_rate", "roc_auc"],  # forces rows
                                bootstrap=compute.Bootstrap(2000, make_rng(0, "b")))
    gap_c = fairness.difference(counts["selection_rate"].samples)
    gap_r = fairness.difference(rows["selection_rate"].samples)
    assert np.mean(gap_c) == pytest.approx(np.mean(gap_r), abs=0.01)
    assert np.std(gap_c) == pytest.approx(np.std(gap_r), rel=0.1)


def test_interval_brackets_point_and_narrows_with_confidence(compas):
    ps = _ps(compas)
    v = _run(ps, 5)["roc_auc"]
    lo95, hi95, frac = percentile_interval(v.overall_samples[:, None], 0.95)
    lo80, hi80, _ = percentile_interval(v.overall_samples[:, None], 0.80)
    assert lo95[0] < lo80[0] < v.overall < hi80[0] < hi95[0]
    assert frac[0] == 0.0


def test_percentile_interval_ignores_undefined_resamples():
    s = np.array([[np.nan, 1.0], [np.nan, 2.0], [np.nan, 3.0], [np.nan, np.nan]])
    lo, hi, frac = percentile_interval(s, 0.5)
    assert np.isnan(lo[0]) and np.isnan(hi[0])
    assert lo[1] == pytest.approx(np.quantile([1, 2, 3], 0.25))
    assert hi[1] == pytest.approx(np.quantile([1, 2, 3], 0.75))
    np.testing.assert_allclose(frac, [1.0, 0.25])
