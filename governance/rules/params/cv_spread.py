"""Parameters of the ``cv_spread`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Self

from pydantic import Field, model_validator

from governance.rules.params import Params


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


#: The parameters model of ``cv_spread`` (read by the registry).
PARAMS: type[Params] = CVSpreadParams
