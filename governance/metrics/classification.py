"""Classification metrics from confusion counts, vectorised over any leading axes.

Binary counts are ``(..., 4)`` arrays ``[tn, fp, fn, tp]``; multiclass counts are ``(..., K, K)``
confusion matrices (rows true, columns predicted). Leading axes are groups and/or bootstrap
resamples, so one call computes a metric for every group of every resample.

Undefined values (a zero denominator) are ``zero_division`` -- NaN by default, which reports
render as "undefined"; pass ``0.0`` or ``1.0`` to reproduce scikit-learn's ``zero_division``.
``balanced_accuracy`` ignores ``zero_division`` like scikit-learn: classes absent from
``y_true`` are left out of the mean. In a macro or weighted average, a class whose own value
is 0/0 counts as 0.0 (scikit-learn's default) unless ``zero_division`` is given.
"""

from __future__ import annotations

import numpy as np

from governance.metrics.counts import FN, FP, TN, TP, FloatArray
from governance.metrics.names import COUNT_METRICS, Average

NAN = float("nan")


def divide(num: FloatArray, den: FloatArray, zero_division: float = NAN) -> FloatArray:
    """``num / den`` with ``zero_division`` where ``den == 0``."""
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    out = np.full(np.broadcast(num, den).shape, zero_division, dtype=np.float64)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _nanmean(values: FloatArray, axis: int = -1) -> FloatArray:
    ok = ~np.isnan(values)
    total = np.where(ok, values, 0.0).sum(axis=axis)
    count = ok.sum(axis=axis)
    return divide(total, count.astype(np.float64))


def binary_metric(metric: str, counts: FloatArray, zero_division: float = NAN) -> FloatArray:
    """A count metric for the positive class from ``[tn, fp, fn, tp]`` counts."""
    c = np.asarray(counts, dtype=np.float64)
    tn, fp, fn, tp = c[..., TN], c[..., FP], c[..., FN], c[..., TP]
    total = tn + fp + fn + tp
    if metric == "accuracy":
        return divide(tn + tp, total, zero_division)
    if metric == "balanced_accuracy":
        per_class = np.stack([divide(tn, tn + fp), divide(tp, tp + fn)], axis=-1)
        return _nanmean(per_class)
    if metric == "precision":
        return divide(tp, tp + fp, zero_division)
    if metric == "recall":
        return divide(tp, tp + fn, zero_division)
    if metric == "f1":
        return divide(2 * tp, 2 * tp + fp + fn, zero_division)
    if metric == "specificity":
        return divide(tn, tn + fp, zero_division)
    if metric == "fpr":
        return divide(fp, fp + tn, zero_division)
    if metric == "fnr":
        return divide(fn, fn + tp, zero_division)
    if metric == "selection_rate":
        return divide(tp + fp, total, zero_division)
    raise ValueError(f"not a count metric: {metric!r}; valid: {', '.join(COUNT_METRICS)}")


def binary_to_matrix(counts: FloatArray) -> FloatArray:
    """``[tn, fp, fn, tp]`` -> 2x2 confusion matrices ``[[tn, fp], [fn, tp]]``."""
    c = np.asarray(counts, dtype=np.float64)
    return c.reshape(*c.shape[:-1], 2, 2)


def _average(values: FloatArray, present: np.ndarray, weights: FloatArray | None,
             zero_division: float) -> FloatArray:
    """Average per-class values over the classes present (in y_true or y_pred)."""
    w = present.astype(np.float64) if weights is None else np.where(present, weights, 0.0)
    ok = present & ~np.isnan(values)
    num = np.where(ok, values * w, 0.0).sum(axis=-1)
    den = np.where(ok, w, 0.0).sum(axis=-1)
    out = divide(num, den)
    if weights is not None:
        # scikit-learn: weighted average with zero total support -> zero_division
        support = np.where(present, weights, 0.0).sum(axis=-1)
        out = np.where(support == 0, zero_division, out)
    return out


def multiclass_metric(metric: str, matrix: FloatArray, average: Average = "macro",
                      zero_division: float = NAN) -> FloatArray:
    """A count metric from confusion matrices ``(..., K, K)`` with class averaging.

    ``micro`` pools one-vs-rest counts over classes, ``macro`` is the unweighted mean over the
    classes present, ``weighted`` weights classes by their support in ``y_true``.
    """
    cm = np.asarray(matrix, dtype=np.float64)
    tp = np.diagonal(cm, axis1=-2, axis2=-1)
    true = cm.sum(axis=-1)
    pred = cm.sum(axis=-2)
    total = true.sum(axis=-1)
    if metric == "accuracy":
        return divide(tp.sum(axis=-1), total, zero_division)
    if metric == "balanced_accuracy":
        return _nanmean(divide(tp, true))
    if metric == "selection_rate":
        raise ValueError("selection_rate needs a positive label (binary task)")
    if metric not in COUNT_METRICS:
        raise ValueError(f"not a count metric: {metric!r}; valid: {', '.join(COUNT_METRICS)}")
    fp = pred - tp
    fn = true - tp
    tn = total[..., None] - tp - fp - fn
    present = (true + pred) > 0
    if average == "micro":
        keep = present.astype(np.float64)
        pooled = np.stack([(tn * keep).sum(-1), (fp * keep).sum(-1), (fn * keep).sum(-1),
                           (tp * keep).sum(-1)], axis=-1)
        return binary_metric(metric, pooled, zero_division)
    # A class of the average whose own value is 0/0 (recall of a class only predicted,
    # precision of a class never predicted) counts as scikit-learn's default (0.0, with its
    # warning) unless a zero_division is given: NaN (undefined) is for the average itself,
    # when no class is present at all.
    class_zd = 0.0 if np.isnan(zero_division) else zero_division
    per_class = binary_metric(metric, np.stack([tn, fp, fn, tp], axis=-1), class_zd)
    if average == "macro":
        return _average(per_class, present, None, zero_division)
    if average == "weighted":
        return _average(per_class, present, true, zero_division)
    raise ValueError(f"unknown average {average!r} for a multiclass metric")


def count_metric(metric: str, counts: FloatArray, average: Average = "binary",
                 zero_division: float = NAN, *, binary: bool = True) -> FloatArray:
    """Dispatch: binary ``(..., 4)`` counts with ``average='binary'`` use the positive class;
    other averages (and multiclass ``(..., K, K)`` matrices) average over classes."""
    c = np.asarray(counts, dtype=np.float64)
    if average == "binary":
        if not binary:
            raise ValueError("average 'binary' needs a binary task; use micro, macro or "
                             "weighted for a multiclass task")
        return binary_metric(metric, c, zero_division)
    matrix = binary_to_matrix(c) if binary else c
    return multiclass_metric(metric, matrix, average, zero_division)
