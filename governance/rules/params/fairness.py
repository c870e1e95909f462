"""Parameters of the rule kinds in :mod:`governance.rules.fairness` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from governance.metrics.names import (
    FAIRNESS_CRITERIA,
    GROUP_METRICS,
    Average,
    check_metric,
)
from governance.rules.params import Params
from governance.rules.params.performance import CIParams, no_sklearn_interval


class GroupParams(CIParams):
    """Which predictions, which groupings, and what to do with small groups."""

    artifact: str | None = None
    split: str | None = None
    features: list[str] | None = Field(default=None, description="Sensitive feature columns; "
                                       "default the artifact's columns.sensitive_features")
    intersections: bool | list[list[str]] = Field(
        default=False, description="true: every combination of two or more features; or a "
        "list of feature lists")
    min_group_size: int = Field(default=30, ge=1)
    min_group_fraction: float | None = Field(default=None, gt=0, lt=1, description="Groups "
                                             "below this share of rows are small too")
    small_groups: Literal["error", "exclude"] = "error"
    average: Average | None = None

    @field_validator("intersections")
    @classmethod
    def _inter(cls, v: bool | list[list[str]]) -> bool | list[list[str]]:
        if isinstance(v, list):
            for combo in v:
                if len(combo) < 2:
                    raise ValueError("each intersection lists at least two features")
                if len(set(combo)) != len(combo):
                    raise ValueError(f"intersection {combo} repeats a feature")
        return v


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


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "fairness_gap": FairnessGapParams,
}
