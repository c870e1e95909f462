"""Fairness values equal fairlearn's (1e-9) on German credit, Adult, COMPAS and random data:
MetricFrame by_group/overall, demographic parity, equalized odds (both aggregations), equal
opportunity, difference and ratio, between groups and to overall, intersections; the
four-fifths rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm
from sklearn import metrics as skm

from governance.metrics import compute, fairness
from governance.metrics.predictions import PredictionSet

TOL = 1e-9
METHODS = ["between_groups", "to_overall"]


def _ps(a, weighted):
    return PredictionSet("t", "binary", a.y_true, a.y_pred, a.y_score,
                         weight=a.weight if weighted else None, sensitive=dict(a.features))


def _ours(a, combo, weighted, metrics, zero_division=np.nan):
    ps = _ps(a, weighted)
    grouping = compute.groupings(ps, [combo])[0]
    vals = compute.group_values(ps, grouping, list(metrics), zero_division=zero_division)
    return grouping, {m: (vals[m].values, vals[m].overall) for m in metrics}


def _sf(a, combo):
    if len(combo) == 1:
        return a.features[combo[0]]
    return pd.DataFrame({c: a.features[c] for c in combo})


def _combos(a):
    names = list(a.features)
    return [(names[0],), (names[0], names[1])]


# weighted criteria on German credit and random data only, to keep the suite fast
@pytest.mark.parametrize(("dataset", "weighted"), [
    ("german", False), ("adult", False), ("compas", False), ("random_audit", False),
    ("german", True), ("random_audit", True)])
def test_criteria_equal_fairlearn(request, dataset, weighted):
    a = request.getfixturevalue(dataset)
    w = a.weight if weighted else None
    for combo in _combos(a):
        sf = _sf(a, combo)
        # zero_division=0: fairlearn reports an undefined rate (no positives) as 0
        _, per = _ours(a, combo, weighted, ("selection_rate", "recall", "fpr"), 0.0)
        for method in METHODS:
            kw = {"sensitive_features": sf, "method": method, "sample_weight": w}
            cases = {
                ("demographic_parity", "difference", "worst_case"):
                    flm.demographic_parity_difference(a.y_true, a.y_pred, **kw),
                ("demographic_parity", "ratio", "worst_case"):
                    flm.demographic_parity_ratio(a.y_true, a.y_pred, **kw),
                ("equalized_odds", "difference", "worst_case"):
                    flm.equalized_odds_difference(a.y_true, a.y_pred, **kw),
                ("equalized_odds", "ratio", "worst_case"):
                    flm.equalized_odds_ratio(a.y_true, a.y_pred, **kw),
                ("equalized_odds", "difference", "mean"):
                    flm.equalized_odds_difference(a.y_true, a.y_pred, agg="mean", **kw),
                ("equalized_odds", "ratio", "mean"):
                    flm.equalized_odds_ratio(a.y_true, a.y_pred, agg="mean", **kw),
                ("equal_opportunity", "difference", "worst_case"):
                    flm.equal_opportunity_difference(a.y_true, a.y_pred, **kw),
                ("equal_opportunity", "ratio", "worst_case"):
                    flm.equal_opportunity_ratio(a.y_true, a.y_pred, **kw),
            }
            for (crit, measure, agg), expected in cases.items():
                got = float(fairness.criterion(crit, per, measure, method, agg))
                assert got == pytest.approx(expected, abs=TOL), (a.name, combo, method, crit,
                                                                 measure, agg)


def test_metric_frame_by_group_equals_ours(audit):
    a = audit
    combo = _combos(a)[1]  # the intersection
    metrics = {"accuracy": skm.accuracy_score, "recall": skm.recall_score,
               "precision": skm.precision_score, "selection_rate": flm.selection_rate,
               "fpr": flm.false_positive_rate, "balanced_accuracy": skm.balanced_accuracy_score}
    mf = flm.MetricFrame(metrics=metrics, y_true=a.y_true, y_pred=a.y_pred,
                         sensitive_features=_sf(a, combo))
    # fairlearn (via sklearn) reports 0 where a rate is undefined: zero_division=0 matches it
    grouping, per = _ours(a, combo, False, tuple(metrics), zero_division=0.0)
    _, undefined = _ours(a, combo, False, tuple(metrics))
    by_group = mf.by_group
    for i, values in enumerate(grouping.values):
        row = by_group.loc[values]
        for m in metrics:
            exp = row[m]
            assert per[m][0][i] == pytest.approx(exp, abs=TOL), (a.name, values, m)
            if np.isnan(undefined[m][0][i]):  # by default undefined stays undefined
                assert exp == 0.0
    for m in metrics:
        assert per[m][1] == pytest.approx(mf.overall[m], abs=TOL)
        for method in METHODS:
            exp_d = mf.difference(method=method)[m]
            assert float(fairness.difference(per[m][0], per[m][1], method)) == pytest.approx(
                exp_d, abs=TOL)
            exp_r = mf.ratio(method=method)[m]
            assert float(fairness.ratio(per[m][0], per[m][1], method)) == pytest.approx(
                exp_r, abs=TOL)


def test_group_auc_gap_equals_metric_frame(compas):
    a = compas
    mf = flm.MetricFrame(metrics=skm.roc_auc_score, y_true=a.y_true, y_pred=a.y_score,
                         sensitive_features=a.features["sex"],
                         sample_params={"sample_weight": a.weight})
    _, per = _ours(a, ("sex",), True, ("roc_auc",))
    assert float(fairness.difference(*per["roc_auc"])) == pytest.approx(mf.difference(),
                                                                         abs=TOL)
    np.testing.assert_allclose(per["roc_auc"][0], mf.by_group.to_numpy(), atol=TOL)


def test_four_fifths_rule_on_compas_race(compas):
    a = compas
    grouping, per = _ours(a, ("race",), False, ("selection_rate",))
    ratios = fairness.impact_ratios(per["selection_rate"][0])
    rates = pd.Series(a.y_pred).groupby(a.features["race"]).mean()
    expected = rates / rates.max()
    for i, (level,) in enumerate(grouping.values):
        assert ratios[i] == pytest.approx(expected[level], abs=TOL)
    # the lowest impact ratio is fairlearn's demographic parity ratio
    assert np.nanmin(ratios) == pytest.approx(
        flm.demographic_parity_ratio(a.y_true, a.y_pred,
                                     sensitive_features=a.features["race"]), abs=TOL)
    labels = dict(zip(grouping.labels, ratios, strict=True))
    # ProPublica's finding: African-American defendants are labelled high risk far more often
    # than Caucasian ones; the Caucasian impact ratio fails the four-fifths rule
    assert max(labels.values()) == 1.0
    assert labels["race=African-American"] > 0.8
    assert labels["race=Caucasian"] < 0.8
