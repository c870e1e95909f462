"""Fairness aggregates over per-group metric values, vectorised over resamples.

Definitions follow fairlearn (``MetricFrame.difference/ratio``, ``demographic_parity_*``,
``equalized_odds_*`` with ``agg='worst_case'`` by default, ``equal_opportunity_*``):

- difference, between_groups: ``max(v) - min(v)``; to_overall: ``max |v - overall|``
- ratio, between_groups: ``min(v) / max(v)``; to_overall: ``min(min(v/o, o/v))``
- impact ratio (four-fifths rule): ``v / max(v)`` per group (or ``v / v_reference``)

Groups whose value is undefined (NaN) are ignored, as pandas' ``max``/``min`` do in fairlearn.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from governance.metrics.classification import divide
from governance.metrics.counts import FloatArray

Method = Literal["between_groups", "to_overall"]
Measure = Literal["difference", "ratio"]
Agg = Literal["worst_case", "mean"]

#: The group metrics behind each fairness criterion.
CRITERIA: dict[str, tuple[str, ...]] = {
    "demographic_parity": ("selection_rate",),
    "equal_opportunity": ("recall",),
    "equalized_odds": ("recall", "fpr"),
}


def _nanmax(v: FloatArray) -> FloatArray:
    ok = ~np.isnan(v)
    out = np.where(ok, v, -np.inf).max(axis=-1)
    return np.where(ok.any(axis=-1), out, np.nan)


def _nanmin(v: FloatArray) -> FloatArray:
    ok = ~np.isnan(v)
    out = np.where(ok, v, np.inf).min(axis=-1)
    return np.where(ok.any(axis=-1), out, np.nan)


def difference(values: FloatArray, overall: FloatArray | float | None = None,
               method: Method = "between_groups") -> FloatArray:
    """Largest difference between groups (``values``: ``(..., G)``)."""
    v = np.asarray(values, dtype=np.float64)
    if method == "between_groups":
        return _nanmax(v) - _nanmin(v)
    if overall is None:
        raise ValueError("method 'to_overall' needs the overall value")
    o = np.asarray(overall, dtype=np.float64)[..., None]
    return _nanmax(np.abs(v - o))


def ratio(values: FloatArray, overall: FloatArray | float | None = None,
          method: Method = "between_groups") -> FloatArray:
    """Smallest ratio between groups, always <= 1."""
    v = np.asarray(values, dtype=np.float64)
    if method == "between_groups":
        return divide(_nanmin(v), _nanmax(v))
    if overall is None:
        raise ValueError("method 'to_overall' needs the overall value")
    o = np.asarray(overall, dtype=np.float64)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        r = v / o
        r = np.where(r > 1, 1.0 / r, r)
    return _nanmin(r)


def disparity(values: FloatArray, overall: FloatArray | float | None, measure: Measure,
              method: Method) -> FloatArray:
    if measure == "difference":
        return difference(values, overall, method)
    return ratio(values, overall, method)


def criterion(name: str, per_metric: dict[str, tuple[FloatArray, FloatArray]],
              measure: Measure, method: Method, agg: Agg = "worst_case") -> FloatArray:
    """A fairness criterion from per-group values of its metrics: ``{metric: (values,
    overall)}``. A plain metric name gives its own difference/ratio."""
    metrics = CRITERIA.get(name, (name,))
    parts = [disparity(per_metric[m][0], per_metric[m][1], measure, method) for m in metrics]
    if len(parts) == 1:
        return parts[0]
    stacked = np.stack(parts, axis=-1)
    if agg == "mean":
        out: FloatArray = stacked.mean(axis=-1)
        return out
    worst: FloatArray = (stacked.max(axis=-1) if measure == "difference"
                         else stacked.min(axis=-1))
    return worst


def impact_ratios(values: FloatArray, reference: int | None = None) -> FloatArray:
    """Each group's value divided by the highest group value (or by ``reference``'s)."""
    v = np.asarray(values, dtype=np.float64)
    base = _nanmax(v) if reference is None else v[..., reference]
    return divide(v, np.asarray(base)[..., None])
