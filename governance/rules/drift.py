"""Rule kinds of the drift family: feature, prediction and label drift between a reference
sample and a current one.

Import-light: the parameters models live in ``rules/params``; each ``evaluate`` imports
:mod:`governance.rules.drift_checks` (numpy, pandas, scipy) when the rule runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.feature_drift import FeatureDriftParams
from governance.rules.params.label_drift import LabelDriftParams
from governance.rules.params.prediction_drift import PredictionDriftParams

if TYPE_CHECKING:
    from governance.evidence.needs import StatNeed


def evaluate_feature_drift(ctx: RuleContext, params: FeatureDriftParams) -> Outcome:
    from governance.rules.drift_checks import check_feature_drift

    return check_feature_drift(ctx, params)


def evaluate_prediction_drift(ctx: RuleContext, params: PredictionDriftParams) -> Outcome:
    from governance.rules.drift_checks import check_prediction_drift

    return check_prediction_drift(ctx, params)


def evaluate_label_drift(ctx: RuleContext, params: LabelDriftParams) -> Outcome:
    from governance.rules.drift_checks import check_label_drift

    return check_label_drift(ctx, params)


def needs_feature_drift(ctx: RuleContext, params: FeatureDriftParams) -> Sequence[StatNeed]:
    from governance.rules.data_needs import needs_feature_drift as declared

    return declared(ctx, params)


def needs_prediction_drift(ctx: RuleContext,
                           params: PredictionDriftParams) -> Sequence[StatNeed]:
    from governance.rules.data_needs import needs_prediction_drift as declared

    return declared(ctx, params)


def needs_label_drift(ctx: RuleContext, params: LabelDriftParams) -> Sequence[StatNeed]:
    from governance.rules.data_needs import needs_label_drift as declared

    return declared(ctx, params)


FAMILY = "drift"

KINDS: tuple[RuleKind[Any], ...] = (
    RuleKind("feature_drift", FAMILY, "Per-column drift between a reference and a current "
             "dataset (PSI / Kolmogorov-Smirnov for numeric, chi-square / Jensen-Shannon for "
             "categorical); at most a share of columns may drift.", FeatureDriftParams,
             evaluate_feature_drift, needs=needs_feature_drift),
    RuleKind("prediction_drift", FAMILY, "Drift of model scores, predicted labels or (on a "
             "regression card) numeric predictions between two predictions artifacts.",
             PredictionDriftParams, evaluate_prediction_drift, needs=needs_prediction_drift),
    RuleKind("label_drift", FAMILY, "Drift of the label distribution between a reference and "
             "a current dataset.", LabelDriftParams, evaluate_label_drift,
             needs=needs_label_drift),
)
