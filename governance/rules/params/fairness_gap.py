"""Parameters of the ``fairness_gap`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from governance.metrics.names import FAIRNESS_CRITERIA, GROUP_METRICS, check_metric
from governance.rules.params import Params
from governance.rules.params.groups import GroupParams
from governance.rules.params.metric import no_sklearn_interval


class FairnessGapParams(GroupParams):
    metric: str = Field(default="demographic_parity", description="demographic_parity, "
                        "equalized_odds, equal_opportunity, or a group metric (recall, ...)")
    measure: Literal["difference", "ratio"] = "difference"
    method: Literal["between_groups", "to_overall"] = "between_groups"
    max: float | None = Field(default=None, ge=0, description="Largest allowed difference")
    min: float | None = Field(default=None, gt=0, le=1, description="Smallest allowed ratio")
    agg: Literal["worst_case", "mean"] = Field(default="worst_case", description="equalized "
                                               "odds: worst of (or mean of) TPR and FPR gaps")

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        return check_metric(v, FAIRNESS_CRITERIA + GROUP_METRICS)

    @model_validator(mode="after")
    def _limit(self) -> Self:
        no_sklearn_interval(self.metric, self.n_resamples)
        if self.measure == "difference":
            if self.max is None or self.min is not None:
                raise ValueError("measure difference takes max (the largest allowed "
                                 "difference), not min")
        elif self.min is None or self.max is not None:
            raise ValueError("measure ratio takes min (the smallest allowed ratio), not max")
        return self


#: The parameters model of ``fairness_gap`` (read by the registry).
PARAMS: type[Params] = FairnessGapParams
