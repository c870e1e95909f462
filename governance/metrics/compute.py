"""The in-memory row path: metric values per group (and overall) computed from the rows of a
:class:`PredictionSet`, with joint bootstrap resamples so that gaps between groups get
confidence intervals too.

The rules reach it only through :func:`governance.metrics.groups.grouping_values`, for what
the statistics layer (:mod:`governance.metrics.stats`, every engine) cannot give without the
rows (:func:`governance.metrics.source.rows_needed`): ``sklearn:`` metrics (fairlearn
MetricFrame), ROC AUC / AP of scores with many distinct values (and their DeLong intervals),
multiclass ROC AUC, and intervals resampled by rows. It is also the scikit-learn-checked
reference the tests compare the statistics layer with.

Count metrics of unweighted data are resampled from the counts (multinomial over the
(group, cell) table); weighted data and score metrics (AUC, log loss, Brier) and regression
metrics are resampled by row multiplicities over one shared sort.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from governance.metrics import ranking
from governance.metrics.bootstrap import count_resamples, row_multiplicities
from governance.metrics.classification import NAN, count_metric, divide
from governance.metrics.counts import (
    FloatArray,
    Grouping,
    IntArray,
    binary_counts,
    encode_feature,
    make_grouping,
    multiclass_counts,
    sizes,
)
from governance.metrics.names import (
    BINARY_ONLY,
    COUNT_METRICS,
    REGRESSION_METRICS,
    SCORE_METRICS,
    SKLEARN_METRICS,
    Average,
    is_sklearn,
    sklearn_name,
)
from governance.metrics.predictions import PredictionSet, memoized
from governance.metrics.regression import regression_metric


@dataclass(frozen=True)
class Bootstrap:
    n_resamples: int
    rng: np.random.Generator


@dataclass(frozen=True)
class GroupValues:
    """One metric over a grouping: per-group values, the overall value, and resamples."""

    metric: str
    values: FloatArray  # (G,)
    overall: float
    n: IntArray  # (G,) unweighted rows per group
    samples: FloatArray | None = None  # (B, G)
    overall_samples: FloatArray | None = None  # (B,)
    # Analytic intervals (DeLong for ROC AUC): variances, and how the interval is computed.
    var: FloatArray | None = None  # (G,)
    overall_var: float | None = None
    method: str | None = None  # None: percentile bootstrap of ``samples``


def whole(n: int) -> Grouping:
    """The trivial grouping: every row in one group."""
    return Grouping((), ((),), np.zeros(n, dtype=np.int64))


def groupings(ps: PredictionSet, combos: Sequence[Sequence[str]]) -> list[Grouping]:
    """Groupings of the rows by each feature tuple in ``combos`` (intersections)."""
    feats = {name: encode_feature(name, ps.sensitive[name])
             for name in dict.fromkeys(n for c in combos for n in c)}
    return [make_grouping([feats[n] for n in combo]) for combo in combos]


def default_average(ps: PredictionSet, average: Average | None) -> Average:
    """The class averaging of a rule: as given, else binary (positive class) or macro."""
    if average is not None:
        return average
    return "binary" if ps.task != "multiclass" else "macro"


def check_supported(ps: PredictionSet, metric: str, average: Average) -> None:
    """Raise ValueError when ``metric`` cannot be computed for this task."""
    if is_sklearn(metric):
        from governance.metrics import sklearn_metrics

        sklearn_metrics.check(ps, metric)
        return
    if ps.task == "regression":
        if metric not in REGRESSION_METRICS:
            raise ValueError(f"{metric} is not a regression metric (valid: "
                             f"{', '.join(REGRESSION_METRICS)})")
        return
    if metric in REGRESSION_METRICS:
        raise ValueError(f"{metric} is a regression metric; the model is a {ps.task} "
                         "classifier")
    if not ps.binary and metric in BINARY_ONLY:
        raise ValueError(f"{metric} needs a binary task")
    if not ps.binary and average == "binary":
        raise ValueError("a multiclass metric needs average micro, macro or weighted")
    if metric in ("roc_auc",) and not ps.binary and average not in ("macro", "weighted"):
        raise ValueError("multiclass roc_auc (one-vs-rest) supports average macro or weighted")


def needs(metric: str) -> tuple[bool, bool, bool]:
    """(needs y_pred, needs scores, needs probabilities) for ``metric``."""
    if is_sklearn(metric):
        score = SKLEARN_METRICS[sklearn_name(metric)][1] == "score"
        return not score, score, sklearn_name(metric) in ("log_loss", "brier_score_loss")
    if metric in REGRESSION_METRICS:
        return True, False, False
    if metric in SCORE_METRICS:
        return False, True, metric in ("log_loss", "brier")
    return True, False, False


def _weights(ps: PredictionSet) -> FloatArray:
    return np.ones(ps.n) if ps.weight is None else ps.weight


def _pred(ps: PredictionSet) -> IntArray:
    if ps.y_pred is None:
        raise ValueError(f"{ps.source}: no y_pred column")
    return np.asarray(ps.y_pred)


def _counts(ps: PredictionSet, codes: IntArray, g: int, weight: FloatArray | None) -> FloatArray:
    if ps.binary:
        return binary_counts(ps.y_true, _pred(ps), codes, g, weight)
    return multiclass_counts(ps.y_true, _pred(ps), len(ps.classes), codes, g, weight)


def _from_counts(metric: str, counts: FloatArray, ps: PredictionSet, average: Average,
                 zero_division: float) -> FloatArray:
    return count_metric(metric, counts, average, zero_division, binary=ps.binary)


def _row_losses(ps: PredictionSet, metric: str) -> FloatArray:
    if ps.binary:
        assert ps.y_score is not None
        if metric == "log_loss":
            return ranking.log_loss_rows(ps.y_true, ps.y_score)
        return ranking.brier_rows(ps.y_true, ps.y_score)
    assert ps.proba is not None
    if metric == "log_loss":
        return ranking.multiclass_log_loss_rows(ps.y_true, ps.proba)
    return ranking.multiclass_brier_rows(ps.y_true, ps.proba)


class _ScoreMetrics:
    """Score metrics for one grouping (and overall), reusing the sorts across resamples."""

    def __init__(self, ps: PredictionSet, grouping: Grouping, average: Average) -> None:
        self.ps = ps
        self.g = grouping.n_groups
        self.average = average
        # one group holding every row (the overall value of recomputed_metric): the overall
        # value is that group's, the same index and arithmetic, so it is not computed twice
        self.single = self.g == 1 and not grouping.codes.any()
        one = np.zeros(ps.n, dtype=np.int64)
        if ps.binary:
            assert ps.y_score is not None
            score = ps.y_score
            order = memoized(ps.memo, ("score_order",),
                             lambda: np.argsort(-score, kind="stable"))
            self.idx = [ranking.rank_index(ps.y_score, grouping.codes, self.g, order)]
            self.all = [ranking.rank_index(ps.y_score, one, 1, order)]
            self.pos = [ps.y_true]
        else:
            assert ps.proba is not None
            self.idx, self.all, self.pos = [], [], []
            for k in range(len(ps.classes)):
                s = ps.proba[:, k]
                order = np.argsort(-s, kind="stable")
                self.idx.append(ranking.rank_index(s, grouping.codes, self.g, order))
                self.all.append(ranking.rank_index(s, one, 1, order))
                self.pos.append((ps.y_true == k).astype(np.int64))
        self.losses: dict[str, FloatArray] = {}

    def compute(self, metric: str, w: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Per-group values ``(..., G)`` and overall ``(...)`` for weights ``(..., n)``."""
        if metric in ("log_loss", "brier"):
            if metric not in self.losses:
                self.losses[metric] = _row_losses(self.ps, metric)
            loss = self.losses[metric]
            return (ranking.group_means(self.idx[0], loss, w),
                    ranking.group_means(self.all[0], loss, w)[..., 0])
        curve = ranking.roc_auc if metric == "roc_auc" else ranking.average_precision
        if self.ps.binary:
            per = curve(self.idx[0], self.pos[0], w)
            if self.single:
                return per, per[..., 0]
            memo = self.ps.memo if w.ndim == 1 and self.ps.weight is None else None
            # the overall point value is the same for every grouping: once per run
            tot = memoized(memo, ("overall", metric), lambda: curve(
                self.all[0], self.pos[0], w)[..., 0])
            return per, tot
        # multiclass one-vs-rest roc_auc, averaged over classes present in y_true
        per_k, tot_k, sup_k, sup_all = [], [], [], []
        for k in range(len(self.ps.classes)):
            per_k.append(ranking.roc_auc(self.idx[k], self.pos[k], w))
            tot_k.append(ranking.roc_auc(self.all[k], self.pos[k], w)[..., 0])
            sup_k.append(ranking.group_means(self.idx[k], self.pos[k].astype(float), w))
            sup_all.append(ranking.group_means(self.all[k], self.pos[k].astype(float),
                                               w)[..., 0])
        return (_class_average(np.stack(per_k, -1), np.stack(sup_k, -1), self.average),
                _class_average(np.stack(tot_k, -1), np.stack(sup_all, -1), self.average))


def _class_average(values: FloatArray, support: FloatArray, average: Average) -> FloatArray:
    """Mean over classes present in y_true (weighted by support for ``weighted``)."""
    ok = ~np.isnan(values) & (support > 0)
    w = np.where(ok, support if average == "weighted" else 1.0, 0.0)
    return divide((np.where(ok, values, 0.0) * w).sum(-1), w.sum(-1))


def uses_delong(ps: PredictionSet, metric: str, n_groups: int, joint_overall: bool) -> bool:
    """Whether ``metric``'s interval comes from DeLong's method rather than the bootstrap:
    ROC AUC of unweighted binary data with at least ``DELONG_MIN_ROWS`` rows (and, when a group
    is compared with the overall value, only for the whole-data grouping: the overall AUC is
    correlated with each group's, and the draws are independent)."""
    from governance.metrics.delong import DELONG_MIN_ROWS

    return (metric == "roc_auc" and ps.binary and ps.weight is None
            and ps.n >= DELONG_MIN_ROWS and not (joint_overall and n_groups > 1))


class _Rows:
    """The metrics of one grouping computed from the rows (shared sorts and counts)."""

    def __init__(self, ps: PredictionSet, grouping: Grouping, average: Average,
                 zero_division: float) -> None:
        self.ps, self.grouping, self.average, self.zd = ps, grouping, average, zero_division
        self.g = grouping.n_groups
        self.w = _weights(ps)
        self.one = np.zeros(ps.n, dtype=np.int64)
        self.counts: FloatArray | None = None
        self._scorer: _ScoreMetrics | None = None

    @property
    def scorer(self) -> _ScoreMetrics:
        if self._scorer is None:
            self._scorer = _ScoreMetrics(self.ps, self.grouping, self.average)
        return self._scorer

    def from_counts(self, m: str, counts: FloatArray) -> FloatArray:
        return _from_counts(m, counts, self.ps, self.average, self.zd)

    def point(self, m: str) -> tuple[FloatArray, float]:
        ps, grouping = self.ps, self.grouping
        if is_sklearn(m):  # fairlearn MetricFrame, in memory, no intervals
            from governance.metrics import sklearn_metrics

            return sklearn_metrics.values(ps, grouping, m)
        if m in COUNT_METRICS:  # per-group confusion counts: once per run and grouping
            self.counts = memoized(ps.memo, ("counts", grouping.features, ps.task,
                                             len(ps.classes)),
                                   lambda: _counts(ps, grouping.codes, self.g, ps.weight))
            return (self.from_counts(m, self.counts),
                    float(self.from_counts(m, self.counts.sum(axis=0))))
        if m == "roc_auc" and ps.binary and ps.weight is None:  # rank sums, one shared sort
            return _auc_point(ps, grouping)
        if m in SCORE_METRICS:
            per, tot = self.scorer.compute(m, self.w)
            return per, float(tot)
        return (regression_metric(m, ps.y_true, _pred(ps), grouping.codes, self.g, ps.weight),
                float(regression_metric(m, ps.y_true, _pred(ps), self.one, 1, ps.weight)[0]))

    def resample_rows(self, metrics: Sequence[str], bootstrap: Bootstrap
                      ) -> dict[str, tuple[FloatArray, FloatArray]]:
        """Every metric on row-multiplicity resamples: ``(samples (B, G), overall (B,))``."""
        ps, g = self.ps, self.g
        count_ms = [m for m in metrics if m in COUNT_METRICS]
        cell, n_cells = _cell_codes(ps, self.grouping) if count_ms else (None, 0)
        samples: dict[str, list[FloatArray]] = {m: [] for m in metrics}
        overall: dict[str, list[FloatArray]] = {m: [] for m in metrics}
        for mult in row_multiplicities(ps.n, bootstrap.n_resamples, bootstrap.rng):
            wb = mult * self.w
            if cell is not None:
                shape = (len(wb), g, 4) if ps.binary else (len(wb), g, len(ps.classes),
                                                           len(ps.classes))
                c = _cell_sums(cell, n_cells, wb).reshape(shape)
                for m in count_ms:
                    samples[m].append(self.from_counts(m, c))
                    overall[m].append(self.from_counts(m, c.sum(axis=1)))
            for m in metrics:
                if m in SCORE_METRICS:
                    per, tot = self.scorer.compute(m, wb)
                elif m in REGRESSION_METRICS:
                    per = np.stack([regression_metric(m, ps.y_true, _pred(ps),
                                                      self.grouping.codes, g, row)
                                    for row in wb])
                    tot = np.array([regression_metric(m, ps.y_true, _pred(ps), self.one, 1,
                                                      row)[0] for row in wb])
                else:
                    continue
                samples[m].append(per)
                overall[m].append(tot)
        return {m: (np.concatenate(samples[m]), np.concatenate(overall[m])) for m in metrics}

    def resample_counts(self, metrics: Sequence[str], bootstrap: Bootstrap
                        ) -> dict[str, tuple[FloatArray, FloatArray]]:
        """Count metrics of unweighted data: multinomial resamples of the counts."""
        assert self.counts is not None
        res = count_resamples(self.counts, bootstrap.n_resamples, bootstrap.rng)
        tot = res.sum(axis=1)
        return {m: (self.from_counts(m, res), self.from_counts(m, tot)) for m in metrics}


def group_values(ps: PredictionSet, grouping: Grouping, metrics: Sequence[str], *,
                 average: Average = "binary", zero_division: float = NAN,
                 bootstrap: Bootstrap | None = None, joint_overall: bool = False
                 ) -> dict[str, GroupValues]:
    """Every metric of ``metrics`` per group of ``grouping`` and overall, from the rows.

    With ``bootstrap``, every metric is evaluated on the same resamples (so that a criterion
    combining two metrics, like equalized odds, gets a joint interval). Count metrics of
    unweighted data are resampled from the per-group confusion counts (multinomial), never
    rows; ROC AUC of large unweighted data by DeLong (:mod:`governance.metrics.delong`); the
    rest by row multiplicities. ``joint_overall``: the caller combines group values with the
    overall value in one resample (fairness ``to_overall``).
    """
    for m in metrics:
        check_supported(ps, m, average)
    rows = _Rows(ps, grouping, average, zero_division)
    n = sizes(grouping.codes, grouping.n_groups)
    point = {m: rows.point(m) for m in metrics}
    if bootstrap is None or any(is_sklearn(m) for m in metrics):
        return {m: GroupValues(m, point[m][0], point[m][1], n) for m in metrics}
    analytic = [m for m in metrics
                if m in SCORE_METRICS and uses_delong(ps, m, grouping.n_groups, joint_overall)]
    rest = [m for m in metrics if m not in analytic]
    by_counts = ps.weight is None and all(m in COUNT_METRICS for m in rest)
    drawn = (rows.resample_counts(rest, bootstrap) if by_counts and rest
             else rows.resample_rows(rest, bootstrap) if rest else {})
    out = {m: GroupValues(m, point[m][0], point[m][1], n, *drawn[m]) for m in rest}
    for m in analytic:
        out[m] = _delong_values(ps, grouping, m, point[m], n, bootstrap)
    return {m: out[m] for m in metrics}


def _auc_point(ps: PredictionSet, grouping: Grouping) -> tuple[FloatArray, float]:
    assert ps.y_score is not None
    score = ps.y_score
    order = memoized(ps.memo, ("score_order",), lambda: np.argsort(-score, kind="stable"))
    per = ranking.group_auc_ranksum(ps.y_true, score, grouping.codes, grouping.n_groups, order)
    one = np.zeros(ps.n, dtype=np.int64)
    tot = memoized(ps.memo, ("overall-ranksum",),
                   lambda: ranking.group_auc_ranksum(ps.y_true, score, one, 1, order))
    return per, float(np.asarray(tot).reshape(-1)[0])


def _delong_values(ps: PredictionSet, grouping: Grouping, metric: str,
                   point: tuple[FloatArray, float], n: IntArray, bootstrap: Bootstrap
                   ) -> GroupValues:
    from governance.metrics import delong

    g = grouping.n_groups
    assert ps.y_score is not None
    score = ps.y_score
    order = memoized(ps.memo, ("score_order",), lambda: np.argsort(-score, kind="stable"))
    _, overall_var = memoized(ps.memo, ("delong",),
                              lambda: delong.delong(ps.y_true, score, order))
    if g == 1:
        var = np.array([overall_var])
    else:
        _, var = delong.group_delong(ps.y_true, score, grouping.codes, g, order)
    per = np.asarray(point[0], dtype=np.float64)
    draws = delong.normal_draws(per, var, bootstrap.n_resamples, bootstrap.rng)
    tot = draws[:, 0] if g == 1 else delong.normal_draws(
        np.array(point[1]), np.array(overall_var), bootstrap.n_resamples, bootstrap.rng)
    return GroupValues(metric, point[0], point[1], n, draws, tot, var, overall_var,
                       delong.METHOD)


def _cell_codes(ps: PredictionSet, grouping: Grouping) -> tuple[IntArray, int]:
    if ps.binary:
        return grouping.codes * 4 + 2 * ps.y_true + ps.y_pred, grouping.n_groups * 4
    k = len(ps.classes)
    return (grouping.codes * k * k + ps.y_true * k + ps.y_pred, grouping.n_groups * k * k)


def _cell_sums(cell: IntArray, n_cells: int, w: FloatArray) -> FloatArray:
    """Per-cell sums of weights ``(b, n)`` -> ``(b, n_cells)`` without a Python loop."""
    order = np.argsort(cell, kind="stable")
    sorted_cells = cell[order]
    present = np.flatnonzero(np.bincount(cell, minlength=n_cells))
    starts = np.searchsorted(sorted_cells, present)
    out = np.zeros((w.shape[0], n_cells))
    out[:, present] = np.add.reduceat(w[:, order], starts, axis=1)
    return out


def metric_value(ps: PredictionSet, metric: str, *, average: Average = "binary",
                 zero_division: float = NAN) -> float:
    """One metric on all rows (no groups, no resampling)."""
    gv = group_values(ps, whole(ps.n), [metric], average=average,
                      zero_division=zero_division)
    return gv[metric].overall
