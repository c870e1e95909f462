"""Score metrics per group from one shared sort: ROC AUC, PR AUC (average precision),
log loss and Brier score.

Rows are sorted once by descending score and then (stably) by group, so every group is a
contiguous run sorted by score. Cumulative weighted positives/negatives over that order give
every group's ROC and precision-recall curves at once; per-group sums use ``np.add.reduceat``.
Weights may carry a leading resample axis ``(B, n)``: a bootstrap resample is a vector of row
multiplicities, so resampling never re-sorts.

Definitions match scikit-learn: ``roc_auc_score`` (trapezoidal area under the ROC curve, ties
handled as one threshold) and ``average_precision_score`` (sum over thresholds of
``(R_k - R_{k-1}) * P_k``). A group with only one class gives NaN (undefined).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from governance.metrics.classification import divide
from governance.metrics.counts import FloatArray, IntArray


@dataclass(frozen=True)
class RankIndex:
    """The shared sort of one grouping: row order and the threshold points of every group."""

    perm: IntArray  # row indices sorted by (group, descending score)
    group_starts: IntArray  # position in ``perm`` where each group begins
    ends: IntArray  # positions of the last row of each run of equal (group, score)
    end_group: IntArray  # group of each threshold point
    end_first: np.ndarray  # whether the threshold point is the first of its group
    seg_starts: IntArray  # index into ``ends`` where each group's points begin
    seg_last: IntArray  # index into ``ends`` of each group's last point
    n_groups: int


def rank_index(score: FloatArray, codes: IntArray, n_groups: int,
               score_order: IntArray | None = None) -> RankIndex:
    """Sort rows by descending score (or reuse ``score_order``), then stably by group."""
    order = np.argsort(-score, kind="stable") if score_order is None else score_order
    if n_groups == 1:
        perm = order
    else:  # small integer codes: numpy's stable sort is a linear-time radix sort for int16
        key = codes[order]
        if n_groups < 2**15:
            key = key.astype(np.int16)
        perm = order[np.argsort(key, kind="stable")]
    g = codes[perm]
    s = score[perm]
    n = len(perm)
    last = np.ones(n, dtype=bool)
    if n > 1:
        last[:-1] = (g[1:] != g[:-1]) | (s[1:] != s[:-1])
    ends = np.flatnonzero(last)
    end_group = g[ends]
    first = np.ones(len(ends), dtype=bool)
    first[1:] = end_group[1:] != end_group[:-1]
    seg_starts = np.flatnonzero(first)
    seg_last = np.append(seg_starts[1:] - 1, len(ends) - 1).astype(np.int64)
    group_starts = np.searchsorted(g, np.arange(n_groups))
    if len(seg_starts) != n_groups:
        raise ValueError("every group of a grouping must have at least one row")
    return RankIndex(perm, group_starts.astype(np.int64), ends, end_group, first,
                     seg_starts.astype(np.int64), seg_last, n_groups)


def _curves(idx: RankIndex, positive: np.ndarray, weight: FloatArray
            ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Group-relative cumulative (tp, fp) at each threshold and their previous points."""
    w = weight[..., idx.perm]
    pos = positive[idx.perm].astype(np.float64)
    tp_cum = np.cumsum(w * pos, axis=-1)
    fp_cum = np.cumsum(w * (1.0 - pos), axis=-1)
    before = idx.group_starts - 1
    zero = np.zeros((*tp_cum.shape[:-1], 1))
    tp_pad = np.concatenate([zero, tp_cum], axis=-1)
    fp_pad = np.concatenate([zero, fp_cum], axis=-1)
    base_tp = tp_pad[..., before + 1][..., idx.end_group]
    base_fp = fp_pad[..., before + 1][..., idx.end_group]
    tp = tp_cum[..., idx.ends] - base_tp
    fp = fp_cum[..., idx.ends] - base_fp
    prev_tp = np.where(idx.end_first, 0.0, np.roll(tp, 1, axis=-1))
    prev_fp = np.where(idx.end_first, 0.0, np.roll(fp, 1, axis=-1))
    return tp, fp, prev_tp, prev_fp


def roc_auc(idx: RankIndex, positive: np.ndarray, weight: FloatArray) -> FloatArray:
    """Per-group ROC AUC, shape ``(..., n_groups)`` (trapezoids under the ROC curve)."""
    tp, fp, prev_tp, prev_fp = _curves(idx, positive, weight)
    p = tp[..., idx.seg_last]
    neg = fp[..., idx.seg_last]
    area = np.add.reduceat((fp - prev_fp) * (tp + prev_tp) / 2.0, idx.seg_starts, axis=-1)
    auc: FloatArray = np.where((p > 0) & (neg > 0), divide(area, p * neg), np.nan)
    return auc


def average_precision(idx: RankIndex, positive: np.ndarray, weight: FloatArray
                      ) -> FloatArray:
    """Per-group average precision, shape ``(..., n_groups)``."""
    tp, fp, prev_tp, _ = _curves(idx, positive, weight)
    p = tp[..., idx.seg_last]
    precision = divide(tp, tp + fp, 0.0)
    ap_sum = np.add.reduceat((tp - prev_tp) * precision, idx.seg_starts, axis=-1)
    ap: FloatArray = np.where(p > 0, divide(ap_sum, p), np.nan)
    return ap


def group_means(idx: RankIndex, values: FloatArray, weight: FloatArray) -> FloatArray:
    """Weighted per-group mean of a per-row value (losses), shape ``(..., n_groups)``."""
    w = weight[..., idx.perm]
    v = values[idx.perm]
    num = np.add.reduceat(w * v, idx.group_starts, axis=-1)
    den = np.add.reduceat(w, idx.group_starts, axis=-1)
    return divide(num, den)


def log_loss_rows(positive: np.ndarray, proba: FloatArray) -> FloatArray:
    """Per-row binary cross-entropy with scikit-learn's clipping to ``[eps, 1 - eps]``."""
    eps = np.finfo(np.float64).eps
    p = np.clip(proba, eps, 1 - eps)
    out: FloatArray = np.where(positive.astype(bool), -np.log(p), -np.log(1 - p))
    return out


def multiclass_log_loss_rows(y_true: IntArray, proba: FloatArray) -> FloatArray:
    """Per-row multiclass cross-entropy (probability of the true class, clipped)."""
    eps = np.finfo(np.float64).eps
    p = np.clip(proba, eps, 1 - eps)
    out: FloatArray = -np.log(p[np.arange(len(y_true)), y_true])
    return out


def brier_rows(positive: np.ndarray, proba: FloatArray) -> FloatArray:
    """Per-row squared error of the positive-class probability."""
    d = positive.astype(np.float64) - proba
    return d * d


def multiclass_brier_rows(y_true: IntArray, proba: FloatArray) -> FloatArray:
    """Per-row sum over classes of squared errors against the one-hot truth."""
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(y_true)), y_true] = 1.0
    d = onehot - proba
    out: FloatArray = (d * d).sum(axis=1)
    return out


def group_auc_ranksum(y_true: IntArray, score: FloatArray, codes: IntArray, n_groups: int,
                      order: IntArray) -> FloatArray:
    """Per-group ROC AUC of unweighted binary data by the rank-sum (Mann-Whitney) formula,
    ties counted 1/2 (equal to the trapezoidal ROC AUC), in linear time after the shared
    descending ``order``: a radix sort of the group codes, then one pass over the tie blocks
    (runs of equal group and score) of the sorted rows."""
    n = len(order)
    if n_groups == 1:
        perm = order
        gs = np.zeros(n, dtype=np.int64)
    else:
        key = np.asarray(codes)[order]
        if n_groups < 2**15:
            key = key.astype(np.int16)
        perm = order[np.argsort(key, kind="stable")]
        gs = np.asarray(codes)[perm]
    ss = np.asarray(score)[perm]
    ys = np.asarray(y_true)[perm]
    size = np.bincount(gs, minlength=n_groups).astype(np.float64)
    group_start = np.concatenate([[0.0], np.cumsum(size)[:-1]])
    new = np.ones(n, dtype=bool)
    if n > 1:
        new[1:] = ss[1:] != ss[:-1]
        if n_groups > 1:
            new[1:] |= gs[1:] != gs[:-1]
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], n)
    g_of = gs[starts]
    # mean 1-based descending position of each tie block within its group -> ascending rank
    rank_asc = size[g_of] + 1.0 - ((starts + ends - 1) / 2.0 + 1.0 - group_start[g_of])
    pos_block = np.add.reduceat(ys, starts).astype(np.float64)
    r_pos = np.bincount(g_of, weights=pos_block * rank_asc, minlength=n_groups)
    m = np.bincount(g_of, weights=pos_block, minlength=n_groups)
    neg = size - m
    ok = (m > 0) & (neg > 0)
    out: FloatArray = np.where(ok, (r_pos - m * (m + 1) / 2.0) / np.where(ok, m * neg, 1.0),
                               np.nan)
    return out
