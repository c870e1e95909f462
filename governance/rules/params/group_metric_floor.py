"""Parameters of the ``group_metric_floor`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Self

from pydantic import Field, field_validator, model_validator

from governance.metrics.names import GROUP_METRICS, check_metric
from governance.rules.params import Params
from governance.rules.params.groups import GroupParams
from governance.rules.params.metric import no_sklearn_interval


class GroupMetricFloorParams(GroupParams):
    metric: str
    min: float | None = Field(default=None, description="Every group at least this")
    max: float | None = Field(default=None, description="Every group at most this (for "
                              "lower-is-better metrics such as fpr)")

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        return check_metric(v, GROUP_METRICS)

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        no_sklearn_interval(self.metric, self.n_resamples)
        if (self.min is None) == (self.max is None):
            raise ValueError("give exactly one of min (a floor) and max (a ceiling)")
        return self


#: The parameters model of ``group_metric_floor`` (read by the registry).
PARAMS: type[Params] = GroupMetricFloorParams
