"""Parameters of the ``dimensionality`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.dataset import _DatasetParams


class DimensionalityParams(_DatasetParams):
    features: list[str] | None = Field(default=None, description="Default: the artifact's "
                                       "columns.features, else every column but the label")
    label: str | None = None
    min_rows_per_feature: float = Field(default=10.0, gt=0)
    expand_categoricals: bool = Field(default=False, description="Count a categorical "
                                      "feature as (categories - 1) one-hot columns")
    max_features: int | None = Field(default=None, ge=1)


#: The parameters model of ``dimensionality`` (read by the registry).
PARAMS: type[Params] = DimensionalityParams
