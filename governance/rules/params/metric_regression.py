"""Parameters of the ``metric_regression`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Self

from pydantic import Field, model_validator

from governance.metrics.names import Direction, direction
from governance.rules.params import Params
from governance.rules.params.metric import CIParams, MetricParams


class MetricRegressionParams(MetricParams, CIParams):
    tolerance: float | None = Field(default=None, description="Largest allowed worsening in "
                                    "absolute units; negative: must improve by at least that")
    relative_tolerance: float | None = Field(default=None, description="Largest allowed "
                                             "worsening as a fraction of the baseline value")
    direction: Direction | None = Field(default=None, description="Default: inferred from "
                                        "the metric")
    baseline_split: str | None = Field(default=None, description="Split of the baseline value "
                                       "(default: the artifact's split)")

    @model_validator(mode="after")
    def _direction(self) -> Self:
        if self.direction is None and direction(self.metric) is None:
            raise ValueError(f"{self.metric} has no natural direction; set direction to "
                             "higher_is_better or lower_is_better")
        if self.relative_tolerance is not None and abs(self.relative_tolerance) >= 1:
            raise ValueError("relative_tolerance must be between -1 and 1 (a fraction)")
        return self


#: The parameters model of ``metric_regression`` (read by the registry).
PARAMS: type[Params] = MetricRegressionParams
