"""Rule kinds of the drift family: feature, prediction and label drift between a reference
sample and a current one.

Import-light: only the parameter models live here; each ``evaluate`` imports
:mod:`governance.rules.drift_checks` (numpy, pandas, scipy) when the rule runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from governance.rules.base import Outcome, Params, RuleContext, RuleKind

if TYPE_CHECKING:
    from governance.evidence.needs import StatNeed

DriftMethod = Literal["psi", "ks", "chi2", "jensenshannon"]
NUMERIC = ("psi", "ks")
CATEGORICAL = ("psi", "chi2", "jensenshannon")


class ColumnDriftSpec(Params):
    """Per-column settings; ``threshold`` is a maximum statistic for psi / jensenshannon and
    a significance level (drift when p < threshold) for ks / chi2."""

    method: DriftMethod | None = None
    threshold: float | None = Field(default=None, gt=0)


class _Thresholds(Params):
    psi_threshold: float = Field(default=0.2, gt=0, description="Drift when PSI > this")
    ks_alpha: float = Field(default=0.05, gt=0, lt=1, description="Drift when the KS p-value "
                            "< this")
    chi2_alpha: float = Field(default=0.05, gt=0, lt=1, description="Drift when the "
                              "chi-square p-value < this")
    js_threshold: float = Field(default=0.1, gt=0, le=1, description="Drift when the "
                                "Jensen-Shannon distance (base 2) > this")
    bins: int = Field(default=10, ge=2, le=100, description="Quantile bins of the reference "
                      "for numeric PSI")
    min_rows: int = Field(default=20, ge=1, description="Fewest non-missing values per "
                          "column in each sample; fewer is insufficient evidence")


class FeatureDriftParams(_Thresholds):
    reference: str | None = Field(default=None, description="Reference artifact (default: the "
                                  "only reference_dataset artifact)")
    current: str | None = Field(default=None, description="Current artifact (default: the "
                                "only dataset artifact, or the one data.evaluation names)")
    columns: list[str] | None = Field(default=None, description="Default: every column the "
                                      "two tables share")
    exclude: list[str] = Field(default_factory=list)
    categorical: list[str] = Field(default_factory=list, description="Treat these numeric "
                                   "columns as categorical")
    numeric_method: Literal["psi", "ks"] = "psi"
    categorical_method: Literal["psi", "chi2", "jensenshannon"] = "jensenshannon"
    per_column: dict[str, ColumnDriftSpec] = Field(default_factory=dict)
    max_drifted_share: float = Field(default=0.0, ge=0, le=1, description="Highest share of "
                                     "checked columns allowed to drift")


class PredictionDriftParams(_Thresholds):
    reference: str = Field(min_length=1, description="Reference predictions artifact")
    current: str = Field(min_length=1, description="Current predictions artifact")
    target: Literal["y_score", "y_pred"] | None = Field(
        default=None, description="Compare scores or predictions. Default: y_pred when the "
        "card's task is regression, else y_score")
    method: DriftMethod | None = Field(default=None, description="Default: psi for y_score "
                                       "and for a regression card's y_pred (numeric: psi or "
                                       "ks); jensenshannon for predicted class labels")

    @model_validator(mode="after")
    def _method_fits(self) -> PredictionDriftParams:
        # y_pred is numeric on a regression card and categorical otherwise: the card's task
        # decides, so that check runs with the card (drift_checks.check_prediction_drift).
        if self.method is not None and self.target == "y_score" and self.method not in NUMERIC:
            raise ValueError(f"method {self.method} does not apply to numeric y_score; use "
                             "psi or ks")
        if self.method is not None and self.target is None and self.method not in NUMERIC:
            raise ValueError(f"method {self.method} does not apply to the default target "
                             "(numeric y_score, or y_pred of a regression card); use psi or ks")
        return self


class LabelDriftParams(_Thresholds):
    reference: str | None = Field(default=None, description="Default: the only "
                                  "reference_dataset artifact")
    current: str | None = Field(default=None, description="Default: the only dataset "
                                "artifact")
    label: str | None = Field(default=None, description="Default: each artifact's "
                              "columns.label (or columns.y_true)")
    method: DriftMethod | None = Field(default=None, description="Default: jensenshannon, "
                                       "or psi when the card's task is regression")


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
