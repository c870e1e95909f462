"""Parameters of the rule kinds in :mod:`governance.rules.drift` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

from typing import Literal, Self

from pydantic import Field, model_validator

from governance.rules.params import Params
from governance.terms import new_dict, new_list

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
    exclude: list[str] = Field(default_factory=new_list)
    categorical: list[str] = Field(default_factory=new_list, description="Treat these numeric "
                                   "columns as categorical")
    numeric_method: Literal["psi", "ks"] = "psi"
    categorical_method: Literal["psi", "chi2", "jensenshannon"] = "jensenshannon"
    per_column: dict[str, ColumnDriftSpec] = Field(default_factory=new_dict)
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
    def _method_fits(self) -> Self:
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


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "feature_drift": FeatureDriftParams,
    "prediction_drift": PredictionDriftParams,
    "label_drift": LabelDriftParams,
}
