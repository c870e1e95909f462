"""Parameters of the rule kinds in :mod:`governance.rules.fairness_groups` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from governance.metrics.names import (
    GROUP_METRICS,
    check_metric,
)
from governance.rules.params import Params
from governance.rules.params.fairness import GroupParams
from governance.rules.params.performance import no_sklearn_interval


class DisparateImpactParams(GroupParams):
    min_ratio: float = Field(default=0.8, gt=0, le=1, description="Smallest allowed impact "
                             "ratio (four-fifths rule: 0.8)")
    reference: Literal["highest", "reference_group"] = Field(
        default="highest", description="Divide by the most-selected group's rate, or by the "
        "card's reference_group for the feature")


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


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "disparate_impact": DisparateImpactParams,
    "group_metric_floor": GroupMetricFloorParams,
}
