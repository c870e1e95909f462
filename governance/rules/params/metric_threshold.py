"""Parameters of the ``metric_threshold`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal, Self

from pydantic import Field, model_validator

from governance.rules.params import Params, check_range


class DeclaredMetricParams(Params):
    metric: str = Field(min_length=1)
    min: float | None = None
    max: float | None = None
    average: Literal["binary", "micro", "macro", "weighted", "samples"] | None = Field(
        default=None, description="Class averaging of the declared metric; default: the "
        "metric declared without one")
    dataset: str | None = Field(default=None, description="Evaluation dataset of the declared "
                                "metric; default: any (it must then be unique)")
    split: str | None = None
    slice: str | None = Field(default=None, description="Slice of the declared metric; "
                              "default: the metric declared without a slice")

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        check_range(self.min, self.max, need_one=True)
        return self


#: The parameters model of ``metric_threshold`` (read by the registry).
PARAMS: type[Params] = DeclaredMetricParams
