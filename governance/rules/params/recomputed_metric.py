"""Parameters of the ``recomputed_metric`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Self

from pydantic import model_validator

from governance.rules.params import Params
from governance.rules.params.metric import CIParams, MetricParams


class RecomputedMetricParams(MetricParams, CIParams):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.min is None and self.max is None:
            raise ValueError("give at least one of min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


#: The parameters model of ``recomputed_metric`` (read by the registry).
PARAMS: type[Params] = RecomputedMetricParams
