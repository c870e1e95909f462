"""Parameters of the ``prediction_drift`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal, Self

from pydantic import Field, model_validator

from governance.rules.params import Params
from governance.rules.params.drift import NUMERIC, DriftMethod, _Thresholds


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


#: The parameters model of ``prediction_drift`` (read by the registry).
PARAMS: type[Params] = PredictionDriftParams
