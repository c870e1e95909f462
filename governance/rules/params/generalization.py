"""Parameters of the rule kinds in :mod:`governance.rules.generalization` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

from typing import Self

from pydantic import Field, field_validator, model_validator

from governance.metrics.names import (
    ALL_METRICS,
    Average,
    Direction,
    check_metric,
    direction,
)
from governance.rules.params import Params
from governance.rules.params.performance import CIParams, no_sklearn_interval


class GeneralizationGapParams(CIParams):
    metric: str
    average: Average | None = None
    train_artifact: str | None = Field(default=None, description="Default: the predictions "
                                       "artifact with split train")
    test_artifact: str | None = Field(default=None, description="Default: the predictions "
                                      "artifact with split test")
    max_gap: float = Field(ge=0, description="Largest allowed train-minus-test worsening")
    relative: bool = Field(default=False, description="Gap as a fraction of the train value")
    direction: Direction | None = None

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        return check_metric(v, ALL_METRICS)

    @model_validator(mode="after")
    def _direction(self) -> Self:
        no_sklearn_interval(self.metric, self.n_resamples)
        if self.direction is None and direction(self.metric) is None:
            raise ValueError(f"{self.metric} has no natural direction; set direction to "
                             "higher_is_better or lower_is_better")
        return self


class CVSpreadParams(Params):
    artifact: str = Field(min_length=1, description="Table with one row per fold and metric")
    metric: str = Field(min_length=1, description="Value of the metric column to check")
    max_std: float | None = Field(default=None, ge=0, description="Largest sample standard "
                                  "deviation (ddof=1) over folds")
    max_range: float | None = Field(default=None, ge=0, description="Largest max-min over "
                                    "folds")
    min_folds: int = Field(default=2, ge=2)
    fold_column: str = "fold"
    metric_column: str = "metric"
    value_column: str = "value"

    @model_validator(mode="after")
    def _limits(self) -> Self:
        if self.max_std is None and self.max_range is None:
            raise ValueError("give at least one of max_std and max_range")
        return self


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "generalization_gap": GeneralizationGapParams,
    "cv_spread": CVSpreadParams,
}
