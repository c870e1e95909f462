"""Parameters of the ``generalization_gap`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Self

from pydantic import Field, field_validator, model_validator

from governance.metrics.names import ALL_METRICS, Average, Direction, check_metric, direction
from governance.rules.params import Params
from governance.rules.params.metric import CIParams, no_sklearn_interval


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


#: The parameters model of ``generalization_gap`` (read by the registry).
PARAMS: type[Params] = GeneralizationGapParams
