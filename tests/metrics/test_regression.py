"""Regression metrics per group equal scikit-learn's (1e-9), with weights."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import metrics as skm

from governance.metrics import compute
from governance.metrics.predictions import PredictionSet
from governance.metrics.regression import regression_metric

SK = {"mse": skm.mean_squared_error, "mae": skm.mean_absolute_error, "r2": skm.r2_score,
      "rmse": skm.root_mean_squared_error}


@pytest.mark.parametrize("weighted", [False, True])
def test_regression_metrics_per_group_equal_sklearn(weighted):
    rng = np.random.default_rng(3)
    n = 2000
    y = rng.normal(100, 15, n)
    p = y + rng.normal(0, 5, n)
    g = rng.choice(["a", "b", "c"], n)
    w = rng.uniform(0.1, 2, n) if weighted else None
    ps = PredictionSet("t", "regression", y, p, weight=w, sensitive={"g": g})
    grouping = compute.groupings(ps, [("g",)])[0]
    vals = compute.group_values(ps, grouping, list(SK))
    for name, fn in SK.items():
        assert vals[name].overall == pytest.approx(fn(y, p, sample_weight=w), abs=1e-9)
        for i, (level,) in enumerate(grouping.values):
            m = g == level
            exp = fn(y[m], p[m], sample_weight=None if w is None else w[m])
            assert vals[name].values[i] == pytest.approx(exp, abs=1e-9), (name, level)


def test_r2_constant_target_follows_sklearn():
    codes = np.zeros(3, dtype=np.int64)
    y = np.array([2.0, 2.0, 2.0])
    assert regression_metric("r2", y, y.copy(), codes, 1)[0] == skm.r2_score(y, y)
    p = np.array([1.0, 2.0, 3.0])
    assert regression_metric("r2", y, p, codes, 1)[0] == skm.r2_score(y, p)
