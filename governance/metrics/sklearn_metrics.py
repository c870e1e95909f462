"""``metric: sklearn:<name>``: a scikit-learn metric per group through fairlearn's MetricFrame.

The fast count path stays for the built-in metrics; this path serves any metric in the
whitelist :data:`governance.metrics.names.SKLEARN_METRICS` (never an attribute or module named
by policy text). It runs in memory only, on at most :data:`MAX_ROWS` rows (MetricFrame costs
seconds per million rows), without confidence intervals. A group where scikit-learn cannot
compute the metric (e.g. ROC AUC with one class) gets an undefined value.

Imported only inside a rule's ``evaluate``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from governance.metrics.counts import FloatArray, Grouping
from governance.metrics.names import SKLEARN_METRICS, sklearn_name
from governance.metrics.predictions import PredictionSet

#: Largest predictions table a ``sklearn:`` metric is computed on.
MAX_ROWS = 2_000_000


def check(ps: PredictionSet, metric: str) -> None:
    """Raise ValueError when ``metric`` cannot be computed on ``ps``."""
    family, needs, _ = SKLEARN_METRICS[sklearn_name(metric)]
    if (family == "regression") != (ps.task == "regression"):
        raise ValueError(f"{metric} is a {family} metric; the model is a "
                         f"{ps.task} {'model' if ps.task == 'regression' else 'classifier'}")
    if needs == "score" and not ps.binary:
        raise ValueError(f"{metric} needs binary scores (y_score)")
    if ps.n > MAX_ROWS:
        raise ValueError(f"{metric} is computed by fairlearn MetricFrame in memory on at most "
                         f"{MAX_ROWS:,} rows; this table has {ps.n:,} (use a built-in metric, "
                         "which has no such limit)")


def values(ps: PredictionSet, grouping: Grouping, metric: str) -> tuple[FloatArray, float]:
    """Per-group values ``(G,)`` (in grouping order) and the overall value."""
    import sklearn.metrics as skm
    from fairlearn.metrics import MetricFrame

    check(ps, metric)
    name = sklearn_name(metric)
    _, needs, _ = SKLEARN_METRICS[name]
    fn = getattr(skm, name)  # a whitelisted name only (check_metric at lint time, and here)
    y_pred = ps.y_score if needs == "score" else ps.y_pred
    if y_pred is None:
        raise ValueError(f"{metric} needs {'y_score' if needs == 'score' else 'y_pred'}")

    def safe(y_true: Any, y_hat: Any, **kw: Any) -> float:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return float(fn(y_true, y_hat, **kw))
        except ValueError:  # e.g. only one class in a group
            return float("nan")

    sample_params = None if ps.weight is None else {"sample_weight": ps.weight}
    mf = MetricFrame(metrics=safe, y_true=np.asarray(ps.y_true), y_pred=np.asarray(y_pred),
                     sensitive_features=np.asarray(grouping.codes),
                     sample_params=sample_params)
    by = mf.by_group
    per = np.full(grouping.n_groups, np.nan)
    for code, v in by.items():
        per[int(code)] = float(v)
    return per, float(mf.overall)
