"""Count and score metrics equal scikit-learn's (1e-9), overall and per group, with weights,
on German credit, Adult, COMPAS and random data; multiclass averaging; zero division."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from governance.metrics import compute
from governance.metrics.classification import binary_metric, count_metric, multiclass_metric
from governance.metrics.counts import binary_counts, encode_feature, make_grouping
from governance.metrics.names import CLASSIFICATION_METRICS
from governance.metrics.predictions import PredictionSet

TOL = 1e-9


def _fairlearn_selection_rate(y, p, sample_weight=None):
    from fairlearn.metrics import selection_rate

    return selection_rate(y, p, sample_weight=sample_weight)


def sk_metric(name: str, y, p, s, w=None, zero_division=0.0) -> float:
    kw = {"sample_weight": w}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if name == "accuracy":
            return skm.accuracy_score(y, p, **kw)
        if name == "balanced_accuracy":
            return skm.balanced_accuracy_score(y, p, **kw)
        if name == "precision":
            return skm.precision_score(y, p, zero_division=zero_division, **kw)
        if name == "recall":
            return skm.recall_score(y, p, zero_division=zero_division, **kw)
        if name == "f1":
            return skm.f1_score(y, p, zero_division=zero_division, **kw)
        if name == "specificity":
            return skm.recall_score(y, p, pos_label=0, zero_division=zero_division, **kw)
        if name == "fpr":
            return 1 - skm.recall_score(y, p, pos_label=0, zero_division=zero_division, **kw)
        if name == "fnr":
            return 1 - skm.recall_score(y, p, zero_division=zero_division, **kw)
        if name == "selection_rate":
            return _fairlearn_selection_rate(y, p, w)
        if name == "roc_auc":
            return skm.roc_auc_score(y, s, **kw)
        if name == "pr_auc":
            return skm.average_precision_score(y, s, **kw)
        if name == "log_loss":
            return skm.log_loss(y, s, **kw)
        if name == "brier":
            return skm.brier_score_loss(y, s, **kw)
    raise AssertionError(name)


def _ps(a, weighted: bool) -> PredictionSet:
    return PredictionSet("test", "binary", a.y_true, a.y_pred, a.y_score,
                         weight=a.weight if weighted else None, sensitive=dict(a.features))


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_overall_metrics_equal_sklearn(audit, weighted):
    ps = _ps(audit, weighted)
    w = audit.weight if weighted else None
    values = compute.group_values(ps, compute.whole(ps.n), list(CLASSIFICATION_METRICS))
    for name in CLASSIFICATION_METRICS:
        expected = sk_metric(name, audit.y_true, audit.y_pred, audit.y_score, w)
        assert values[name].overall == pytest.approx(expected, abs=TOL), (audit.name, name)
        assert values[name].values[0] == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_per_group_metrics_equal_sklearn(audit, weighted):
    ps = _ps(audit, weighted)
    feature = next(iter(audit.features))
    grouping = compute.groupings(ps, [(feature,)])[0]
    values = compute.group_values(ps, grouping, list(CLASSIFICATION_METRICS))
    col = audit.features[feature].astype(str)
    for i, (level,) in enumerate(grouping.values):
        m = col == level
        w = audit.weight[m] if weighted else None
        for name in CLASSIFICATION_METRICS:
            got = values[name].values[i]
            if name == "roc_auc" and len(set(audit.y_true[m])) < 2:
                assert np.isnan(got)
                continue
            expected = sk_metric(name, audit.y_true[m], audit.y_pred[m], audit.y_score[m], w)
            assert got == pytest.approx(expected, abs=TOL), (audit.name, level, name)


def test_intersection_counts_equal_direct_bincount(random_audit):
    a = random_audit
    ps = _ps(a, True)
    inter = compute.groupings(ps, [("g1", "g2")])[0]
    assert inter.labels == ("g1=a & g2=x", "g1=a & g2=y", "g1=b & g2=x", "g1=b & g2=y",
                            "g1=c & g2=x", "g1=c & g2=y")
    vals = compute.group_values(ps, inter, ["recall", "roc_auc"])
    for i, (l1, l2) in enumerate(inter.values):
        m = (a.features["g1"] == l1) & (a.features["g2"] == l2)
        assert vals["recall"].values[i] == pytest.approx(
            skm.recall_score(a.y_true[m], a.y_pred[m], sample_weight=a.weight[m]), abs=TOL)
        assert vals["roc_auc"].values[i] == pytest.approx(
            skm.roc_auc_score(a.y_true[m], a.y_score[m], sample_weight=a.weight[m]), abs=TOL)


def test_statistics_table_aggregates_every_grouping_from_one_pass(random_audit):
    """The statistics layer counts the finest groups once; every grouping aggregated from
    that table equals counting the rows of the grouping directly."""
    from governance.metrics import stats

    a = random_audit
    feats = [encode_feature(k, v) for k, v in a.features.items()]
    ps = PredictionSet("t", "binary", a.y_true, a.y_pred, weight=a.weight,
                       sensitive=dict(a.features))
    table, fg = stats.partial(ps, ["g1", "g2"])
    assert len(fg) == len(a.y_true) and table.rows == len(a.y_true)
    for combo in [("g1",), ("g2",), ("g1", "g2")]:
        c = stats.coarse(table, combo)
        grouping = make_grouping([f for f in feats if f.name in combo])
        direct = binary_counts(a.y_true, a.y_pred, grouping.codes, grouping.n_groups, a.weight)
        assert c.values == grouping.values
        np.testing.assert_allclose(stats.grouped_counts(table, c), direct, rtol=1e-12)
        assert (stats.sizes(table, c) == np.bincount(grouping.codes)).all()
        np.testing.assert_array_equal(c.parent[fg], grouping.codes)


@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
@pytest.mark.parametrize("weighted", [False, True])
def test_multiclass_averaging_equals_sklearn(average, weighted):
    rng = np.random.default_rng(11)
    n, k = 2000, 4
    y = rng.integers(0, k, n)
    p = np.where(rng.random(n) < 0.6, y, rng.integers(0, k, n))
    p[p == 3] = 2  # class 3 never predicted: precision of class 3 is 0/0
    w = rng.uniform(0.5, 2, n) if weighted else None
    cm = np.zeros((k, k))
    np.add.at(cm, (y, p), 1.0 if w is None else w)
    for zd in (0.0, 1.0):
        kw = {"average": average, "sample_weight": w, "zero_division": zd}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exp = {"precision": skm.precision_score(y, p, **kw),
                   "recall": skm.recall_score(y, p, **kw), "f1": skm.f1_score(y, p, **kw)}
        for name, e in exp.items():
            got = float(multiclass_metric(name, cm, average, zd))
            assert got == pytest.approx(e, abs=TOL), (name, average, zd)
    assert float(multiclass_metric("accuracy", cm)) == pytest.approx(
        skm.accuracy_score(y, p, sample_weight=w), abs=TOL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bal = skm.balanced_accuracy_score(y, p, sample_weight=w)
    assert float(multiclass_metric("balanced_accuracy", cm)) == pytest.approx(bal, abs=TOL)


def test_multiclass_score_metrics_equal_sklearn():
    rng = np.random.default_rng(5)
    n, k = 1500, 3
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)) + np.eye(k)[y] * 1.2
    proba = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    w = rng.uniform(0.5, 2, n)
    ps = PredictionSet("t", "multiclass", y, proba.argmax(1), None, proba, ("0", "1", "2"), w)
    for avg in ("macro", "weighted"):
        got = compute.metric_value(ps, "roc_auc", average=avg)
        assert got == pytest.approx(skm.roc_auc_score(y, proba, multi_class="ovr", average=avg,
                                                      sample_weight=w), abs=TOL)
    assert compute.metric_value(ps, "log_loss", average="macro") == pytest.approx(
        skm.log_loss(y, proba, sample_weight=w), abs=TOL)
    assert compute.metric_value(ps, "brier", average="macro") == pytest.approx(
        skm.brier_score_loss(y, proba, sample_weight=w), abs=TOL)
    assert compute.metric_value(ps, "f1", average="weighted") == pytest.approx(
        skm.f1_score(y, proba.argmax(1), average="weighted", sample_weight=w), abs=TOL)


def test_binary_with_average_equals_sklearn(german):
    a = german
    c = binary_counts(a.y_true, a.y_pred, np.zeros(len(a.y_true), dtype=np.int64), 1)[0]
    for avg in ("micro", "macro", "weighted"):
        assert float(count_metric("f1", c, avg)) == pytest.approx(
            skm.f1_score(a.y_true, a.y_pred, average=avg), abs=TOL)


def test_zero_division_matches_sklearn_or_is_undefined():
    y = np.array([0, 0, 0, 0])
    p = np.array([0, 0, 0, 0])  # no positive label and no positive prediction
    c = binary_counts(y, p, np.zeros(4, dtype=np.int64), 1)[0]
    for name, fn in (("precision", skm.precision_score), ("recall", skm.recall_score),
                     ("f1", skm.f1_score)):
        assert np.isnan(binary_metric(name, c))  # default: undefined, reported as None
        for zd in (0.0, 1.0):
            assert float(binary_metric(name, c, zd)) == fn(y, p, zero_division=zd)
        assert np.isnan(fn(y, p, zero_division=np.nan))
    # balanced accuracy ignores zero_division: the mean over classes present in y_true
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y2, p2 = np.array([1, 1, 1, 1]), np.array([1, 0, 1, 1])
        c2 = binary_counts(y2, p2, np.zeros(4, dtype=np.int64), 1)[0]
        assert float(binary_metric("balanced_accuracy", c2)) == skm.balanced_accuracy_score(
            y2, p2)


def test_auc_undefined_for_one_class_group():
    ps = PredictionSet("t", "binary", np.array([1, 1, 0, 1]), np.array([1, 0, 0, 1]),
                       np.array([0.9, 0.2, 0.3, 0.8]),
                       sensitive={"g": np.array(["a", "a", "b", "b"])})
    grouping = compute.groupings(ps, [("g",)])[0]
    v = compute.group_values(ps, grouping, ["roc_auc", "pr_auc"])
    assert np.isnan(v["roc_auc"].values[0])  # group a has only positives
    assert v["roc_auc"].values[1] == 1.0
    assert v["pr_auc"].values[0] == pytest.approx(
        skm.average_precision_score([1, 1], [0.9, 0.2]), abs=TOL)
    assert v["roc_auc"].overall == pytest.approx(
        skm.roc_auc_score([1, 1, 0, 1], [0.9, 0.2, 0.3, 0.8]), abs=TOL)


def test_log_loss_clips_like_sklearn():
    y = np.array([1, 0, 1, 0])
    s = np.array([1.0, 0.0, 0.0, 1.0])  # certain and wrong: clipped to eps, finite loss
    ps = PredictionSet("t", "binary", y, (s > 0.5).astype(int), s)
    assert compute.metric_value(ps, "log_loss") == pytest.approx(skm.log_loss(y, s), rel=1e-12)
