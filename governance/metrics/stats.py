"""The statistics layer for predictions: one mergeable partial per *finest* group.

A finest group is the intersection of every sensitive feature a run asks about, keyed by level
names (so that partials of different batches or Dask partitions merge). :func:`partial` is the
one function that turns a validated batch (:class:`~governance.metrics.predictions.PredictionSet`)
into a :class:`Stats`: unweighted row counts, weighted confusion counts (binary
``[tn, fp, fn, tp]`` or a multiclass ``K x K`` matrix), weighted sums of per-row log loss and
Brier score and of the weights, and regression moments ``(W, mean, M2, sse, sae, mean_lo)`` (merged
with Chan's parallel formula). In memory a table is one batch; the streaming engine merges
record batches; the Dask engine maps :func:`partial` over partitions and merges.

Every grouping (one feature, an intersection, the whole set) and the small-group exclusion
are derived from that table (:func:`coarse`), and :func:`group_metric_values` turns the
aggregated statistics into per-group and overall values, for every engine. Score ranks (ROC
AUC, average precision) come from score-key cells (:mod:`governance.metrics.sweep`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from governance.metrics.classification import NAN, count_metric, divide
from governance.metrics.counts import (
    FloatArray,
    IntArray,
    binary_counts,
    level_names,
    multiclass_counts,
)
from governance.metrics.names import COUNT_METRICS, REGRESSION_METRICS, Average

if TYPE_CHECKING:
    from governance.metrics.predictions import PredictionSet


@dataclass
class Stats:
    """Statistics per finest group (a tuple of level names, one per feature)."""

    features: tuple[str, ...]
    task: str
    n_cells: int = 4  # confusion cells per group: 4 (binary) or K * K (multiclass)
    groups: list[tuple[str, ...]] = field(default_factory=list)
    index: dict[tuple[str, ...], int] = field(default_factory=dict)
    n: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    counts: FloatArray | None = None
    wsum: FloatArray = field(default_factory=lambda: np.zeros(0))
    losses: FloatArray = field(default_factory=lambda: np.zeros((0, 2)))  # log loss, brier
    # W, mean, M2, sse, sae, mean's low part (the mean is hi + lo: a double-double, so that
    # merging groups of huge values (1e9 +- 1) keeps r2 equal to scikit-learn's two passes)
    reg: FloatArray = field(default_factory=lambda: np.zeros((0, REG_COLS)))
    labels_seen: set[str] = field(default_factory=set)
    true_labels: set[str] = field(default_factory=set)
    pred_labels: set[str] = field(default_factory=set)
    rows: int = 0

    def __post_init__(self) -> None:
        if self.counts is None:
            self.counts = np.zeros((0, self.n_cells))

    @property
    def cells(self) -> FloatArray:
        assert self.counts is not None
        return self.counts

    def group_ids(self, keys: Sequence[tuple[str, ...]]) -> IntArray:
        """Indices of ``keys``, adding new groups as needed."""
        out = np.empty(len(keys), dtype=np.int64)
        for i, k in enumerate(keys):
            j = self.index.get(k)
            if j is None:
                j = len(self.groups)
                self.index[k] = j
                self.groups.append(k)
            out[i] = j
        grow = len(self.groups) - len(self.n)
        if grow > 0:
            self.n = np.concatenate([self.n, np.zeros(grow, dtype=np.int64)])
            self.counts = np.vstack([self.cells, np.zeros((grow, self.n_cells))])
            self.wsum = np.concatenate([self.wsum, np.zeros(grow)])
            self.losses = np.vstack([self.losses, np.zeros((grow, 2))])
            self.reg = np.vstack([self.reg, np.zeros((grow, REG_COLS))])
        return out

    def merge(self, other: Stats) -> IntArray:
        """Fold ``other`` into ``self``; returns the map of other's groups to self's."""
        if other.n_cells != self.n_cells:
            raise ValueError("cannot merge statistics of different class sets")
        ids = self.group_ids(other.groups)
        np.add.at(self.n, ids, other.n)
        np.add.at(self.cells, ids, other.cells)
        np.add.at(self.wsum, ids, other.wsum)
        np.add.at(self.losses, ids, other.losses)
        for j, g in enumerate(ids):
            self.reg[g] = merge_moments(self.reg[g], other.reg[j])
        self.labels_seen |= other.labels_seen
        self.true_labels |= other.true_labels
        self.pred_labels |= other.pred_labels
        self.rows += other.rows
        return ids


REG_COLS = 6


def merge_moments(a: FloatArray, b: FloatArray) -> FloatArray:
    """Chan et al.'s merge of ``(W, mean, M2, sse, sae, mean_lo)`` rows (the mean a
    double-double ``mean + mean_lo``)."""
    wa, wb = a[0], b[0]
    w = wa + wb
    if wb == 0:
        return a.copy()
    if wa == 0:
        return b.copy()
    delta = (b[1] - a[1]) + (b[5] - a[5])
    step = delta * wb / w
    hi = a[1] + step
    lo = a[5] + ((a[1] - hi) + step)
    m2 = a[2] + b[2] + delta * delta * wa * wb / w
    return np.array([w, hi, m2, a[3] + b[3], a[4] + b[4], lo])


# ---------------------------------------------------------------------------------------------
# one batch -> one partial
# ---------------------------------------------------------------------------------------------


def finest_codes(ps: PredictionSet, features: Sequence[str], stats: Stats) -> IntArray:
    """Each row's finest group in ``stats`` (groups are added as they appear)."""
    if not features:
        return np.repeat(stats.group_ids([()]), ps.n)
    codes, names = [], []
    for f in features:
        c, nm = level_names(ps.sensitive[f])
        codes.append(c)
        names.append(nm)
    dims = tuple(max(len(nm), 1) for nm in names)
    combined = np.ravel_multi_index(tuple(codes), dims) if len(codes) > 1 else codes[0]
    size = int(np.prod(dims, dtype=np.int64))
    if size <= 10 * len(combined) + 1_000_000:  # dense: a bincount, no sort
        uniq = np.flatnonzero(np.bincount(combined, minlength=size))
        dense = np.zeros(size, dtype=np.int64)
        dense[uniq] = np.arange(len(uniq), dtype=np.int64)
        inv = dense[combined]
    else:
        uniq, inv = np.unique(combined, return_inverse=True)
    multi = np.unravel_index(uniq, dims)
    keys = [tuple(names[j][int(multi[j][i])] for j in range(len(features)))
            for i in range(len(uniq))]
    ids: IntArray = stats.group_ids(keys)[np.asarray(inv).reshape(-1)]
    return ids


def _row_losses(ps: PredictionSet) -> FloatArray | None:
    from governance.metrics import ranking

    if ps.binary and ps.y_score is not None:
        return np.column_stack([ranking.log_loss_rows(ps.y_true, ps.y_score),
                                ranking.brier_rows(ps.y_true, ps.y_score)])
    if ps.task == "multiclass" and ps.proba is not None:
        return np.column_stack([ranking.multiclass_log_loss_rows(ps.y_true, ps.proba),
                                ranking.multiclass_brier_rows(ps.y_true, ps.proba)])
    return None


def partial(ps: PredictionSet, features: Sequence[str], *, probability: bool = False
            ) -> tuple[Stats, IntArray]:
    """The statistics of one validated batch and each row's finest group: the one function
    every engine applies (in memory to the whole table, streaming to each record batch, Dask
    to each partition)."""
    k = len(ps.classes)
    stats = Stats(tuple(features), ps.task, 4 if ps.task != "multiclass" else k * k)
    fg = finest_codes(ps, features, stats)
    g = len(stats.groups)
    w = ps.weight
    stats.n += np.bincount(fg, minlength=g)
    stats.rows = ps.n
    if ps.task == "regression":
        stats.reg = _moments(fg, g, ps.y_true, ps.y_pred, w)
        return stats, fg
    if ps.y_pred is not None:
        stats.counts = (binary_counts(ps.y_true, ps.y_pred, fg, g, w) if ps.binary else
                        multiclass_counts(ps.y_true, ps.y_pred, k, fg, g, w).reshape(g, k * k))
    stats.wsum = np.bincount(fg, weights=w, minlength=g).astype(np.float64)
    losses = _row_losses(ps) if probability else None
    if losses is not None:
        ww = np.ones(ps.n) if w is None else w
        stats.losses = np.column_stack([np.bincount(fg, weights=ww * losses[:, j], minlength=g)
                                        for j in range(2)])
    return stats, fg


def _moments(fg: IntArray, g: int, y_true: Any, y_pred: Any, w: FloatArray | None
             ) -> FloatArray:
    y = np.asarray(y_true, dtype=np.float64)
    ww = np.ones(len(fg)) if w is None else w
    sw = np.bincount(fg, weights=ww, minlength=g)
    mean = divide(np.bincount(fg, weights=ww * y, minlength=g), sw, 0.0)
    # the rounding of the mean, kept apart (the mean is mean + lo)
    lo = divide(np.bincount(fg, weights=ww * (y - mean[fg]), minlength=g), sw, 0.0)
    dev = (y - mean[fg]) - lo[fg]
    m2 = np.bincount(fg, weights=ww * dev * dev, minlength=g)
    if y_pred is None:
        return np.column_stack([sw, mean, m2, np.zeros(g), np.zeros(g), lo])
    err = y - np.asarray(y_pred, dtype=np.float64)
    sse = np.bincount(fg, weights=ww * err * err, minlength=g)
    sae = np.bincount(fg, weights=ww * np.abs(err), minlength=g)
    return np.column_stack([sw, mean, m2, sse, sae, lo])


# ---------------------------------------------------------------------------------------------
# groupings of the finest table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coarse:
    """A grouping of the finest groups: sorted level tuples and the map finest -> coarse."""

    features: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]
    parent: IntArray  # finest group -> coarse index, -1 when left out


def coarse(stats: Stats, combo: Sequence[str], exclude: Sequence[tuple[str, ...]] = ()
           ) -> Coarse:
    """The grouping by ``combo`` (level tuples sorted like ``counts.make_grouping``)."""
    pos = [stats.features.index(f) for f in combo]
    sub = [tuple(g[p] for p in pos) for g in stats.groups]
    dropped = set(exclude)
    present = sorted({v for v, k in zip(sub, stats.n, strict=True) if k > 0} - dropped)
    index = {v: i for i, v in enumerate(present)}
    parent = np.array([index.get(v, -1) for v in sub], dtype=np.int64)
    return Coarse(tuple(combo), tuple(present), parent)


def whole(stats: Stats, exclude_parent: IntArray | None = None) -> Coarse:
    """Every (kept) row in one group."""
    parent = np.zeros(len(stats.groups), dtype=np.int64)
    if exclude_parent is not None:
        parent[exclude_parent < 0] = -1
    return Coarse((), ((),), parent)


def agg(values: FloatArray, parent: IntArray, n_out: int) -> FloatArray:
    """Sum the finest rows of ``values`` into ``n_out`` coarse groups (-1: left out)."""
    keep = parent >= 0
    out = np.zeros((n_out, *values.shape[1:]))
    np.add.at(out, parent[keep], values[keep])
    return out


def sizes(stats: Stats, c: Coarse) -> IntArray:
    """Unweighted rows per group of ``c``."""
    return agg(stats.n.astype(np.float64), c.parent, len(c.values)).astype(np.int64)


def grouped_counts(stats: Stats, c: Coarse) -> FloatArray:
    """Confusion counts per group of ``c``: ``(G, 4)`` binary, ``(G, K, K)`` multiclass."""
    out = agg(stats.cells, c.parent, len(c.values))
    if stats.task == "multiclass":
        k = round(stats.n_cells ** 0.5)
        return out.reshape(len(out), k, k)
    return out


def _agg_moments(reg: FloatArray, parent: IntArray, n_out: int) -> FloatArray:
    """Merge regression moments of finest groups into coarse groups (exact, stable: the
    means are double-doubles, so the deviations between group means keep their digits)."""
    keep = parent >= 0
    p, r = parent[keep], reg[keep]
    w = np.bincount(p, weights=r[:, 0], minlength=n_out)
    mean = divide(np.bincount(p, weights=r[:, 0] * r[:, 1], minlength=n_out), w, 0.0)
    off = (r[:, 1] - mean[p]) + r[:, 5]  # each group's mean minus the coarse mean's high part
    lo = divide(np.bincount(p, weights=r[:, 0] * off, minlength=n_out), w, 0.0)
    dev = off - lo[p]
    m2 = np.bincount(p, weights=r[:, 2] + r[:, 0] * dev * dev, minlength=n_out)
    sse = np.bincount(p, weights=r[:, 3], minlength=n_out)
    sae = np.bincount(p, weights=r[:, 4], minlength=n_out)
    return np.column_stack([w, mean, m2, sse, sae, lo])


@dataclass(frozen=True)
class RankValues:
    """ROC AUC and average precision per output group of one request."""

    auc: FloatArray
    ap: FloatArray
    var: FloatArray | None = None  # DeLong variance of the AUC (unweighted cells)


def _metric(stats: Stats, grouping: Coarse, m: str, n: IntArray, average: Average,
            zero_division: float, ranks: tuple[RankValues, RankValues] | None
            ) -> tuple[FloatArray, float]:
    g = len(grouping.values)
    if m in COUNT_METRICS:
        counts = grouped_counts(stats, grouping)
        binary = stats.task == "binary"
        return (count_metric(m, counts, average, zero_division, binary=binary),
                float(count_metric(m, counts.sum(axis=0), average, zero_division,
                                   binary=binary)))
    if m in ("log_loss", "brier"):
        col = 0 if m == "log_loss" else 1
        loss = agg(stats.losses[:, col], grouping.parent, g)
        ws = agg(stats.wsum, grouping.parent, g)
        return divide(loss, ws), float(divide(loss.sum(), ws.sum()))
    if m in ("roc_auc", "pr_auc"):
        if ranks is None:
            raise ValueError(f"{m} needs the score sweep")
        per, tot = ((ranks[0].auc, ranks[1].auc) if m == "roc_auc"
                    else (ranks[0].ap, ranks[1].ap))
        return per, float(tot[0])
    if m in REGRESSION_METRICS:
        whole_p = np.where(grouping.parent >= 0, 0, -1)
        return (regression_from_moments(m, _agg_moments(stats.reg, grouping.parent, g), n),
                float(regression_from_moments(m, _agg_moments(stats.reg, whole_p, 1),
                                              np.array([n.sum()]))[0]))
    raise ValueError(f"unknown metric {m!r}")


def group_metric_values(stats: Stats, grouping: Coarse, metrics: Sequence[str], *,
                        average: Average = "binary", zero_division: float = NAN,
                        ranks: RankValues | None = None, overall_ranks: RankValues | None = None
                        ) -> dict[str, tuple[FloatArray, float, IntArray]]:
    """``{metric: (per-group values, overall value, per-group row counts)}``."""
    n = sizes(stats, grouping)
    both = None if ranks is None or overall_ranks is None else (ranks, overall_ranks)
    out: dict[str, tuple[FloatArray, float, IntArray]] = {}
    for m in metrics:
        per, tot = _metric(stats, grouping, m, n, average, zero_division, both)
        out[m] = (np.asarray(per, dtype=np.float64), tot, n)
    return out


def regression_from_moments(metric: str, mom: FloatArray, n: IntArray) -> FloatArray:
    """mse, rmse, mae, r2 from ``(W, mean, M2, sse, sae)`` like ``regression.regression_metric``."""
    w, m2, sse, sae = mom[:, 0], mom[:, 2], mom[:, 3], mom[:, 4]
    if metric == "mae":
        return divide(sae, w)
    if metric == "mse":
        return divide(sse, w)
    if metric == "rmse":
        return np.sqrt(divide(sse, w))
    r2 = 1.0 - divide(sse, m2)
    r2 = np.where(m2 == 0, np.where(sse == 0, 1.0, 0.0), r2)
    out: FloatArray = np.where(n < 2, np.nan, r2)
    return out
