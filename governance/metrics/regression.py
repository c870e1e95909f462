"""Regression metrics (mse, rmse, mae, r2) per group, with sample weights.

``r2`` follows scikit-learn: ``1 - SSE/SST``; when ``SST == 0`` it is 1.0 for a perfect fit
and 0.0 otherwise; NaN for fewer than two rows.
"""

from __future__ import annotations

import numpy as np

from governance.metrics.classification import divide
from governance.metrics.counts import FloatArray, IntArray
from governance.metrics.names import REGRESSION_METRICS


def regression_metric(metric: str, y_true: FloatArray, y_pred: FloatArray, codes: IntArray,
                      n_groups: int, weight: FloatArray | None = None) -> FloatArray:
    """``metric`` for each group (``codes`` in ``0..n_groups-1``), shape ``(n_groups,)``."""
    if metric not in REGRESSION_METRICS:
        raise ValueError(f"not a regression metric: {metric!r}; valid: "
                         f"{', '.join(REGRESSION_METRICS)}")
    w = np.ones(len(y_true)) if weight is None else np.asarray(weight, dtype=np.float64)
    sw = np.bincount(codes, weights=w, minlength=n_groups)
    err = y_true - y_pred
    if metric == "mae":
        return divide(np.bincount(codes, weights=w * np.abs(err), minlength=n_groups), sw)
    sse = np.bincount(codes, weights=w * err * err, minlength=n_groups)
    if metric == "mse":
        return divide(sse, sw)
    if metric == "rmse":
        return np.sqrt(divide(sse, sw))
    mean = divide(np.bincount(codes, weights=w * y_true, minlength=n_groups), sw)
    dev = y_true - mean[codes]
    sst = np.bincount(codes, weights=w * dev * dev, minlength=n_groups)
    n = np.bincount(codes, minlength=n_groups)
    r2 = 1.0 - divide(sse, sst)
    r2 = np.where(sst == 0, np.where(sse == 0, 1.0, 0.0), r2)
    return np.where(n < 2, np.nan, r2)
