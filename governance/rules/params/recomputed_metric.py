"""Parameters of the ``recomputed_metric`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Self

from pydantic import model_validator

from governance.rules.params import Params, check_range
from governance.rules.params.metric import CIParams, MetricParams


class RecomputedMetricParams(MetricParams, CIParams):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        check_range(self.min, self.max, need_one=True)
        return self


#: The parameters model of ``recomputed_metric`` (read by the registry).
PARAMS: type[Params] = RecomputedMetricParams
