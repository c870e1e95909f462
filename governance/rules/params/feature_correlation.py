"""Parameters of the ``feature_correlation`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.dataset import _ColumnsParams

CorrelationMethod = Literal["pearson", "spearman"]


CORRELATION_METHODS: tuple[CorrelationMethod, ...] = ("pearson", "spearman")


class FeatureCorrelationParams(_ColumnsParams):
    methods: list[CorrelationMethod] = Field(
        default_factory=lambda: list(CORRELATION_METHODS), min_length=1)
    max_abs_correlation: float = Field(default=0.95, gt=0, le=1)
    categorical: bool = Field(default=False, description="Also Cramér's V between "
                              "categorical columns")
    max_cramers_v: float = Field(default=0.95, gt=0, le=1)
    max_categories: int = Field(default=50, ge=2)
    max_pairs: int = Field(default=0, ge=0, description="Redundant pairs allowed")
    label: str | None = Field(default=None, description="Left out of the default columns")


#: The parameters model of ``feature_correlation`` (read by the registry).
PARAMS: type[Params] = FeatureCorrelationParams
