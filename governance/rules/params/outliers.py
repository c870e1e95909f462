"""Parameters of the ``outliers`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.dataset import _ColumnsParams
from governance.terms import new_dict


class OutliersParams(_ColumnsParams):
    method: Literal["iqr", "zscore"] = "iqr"
    iqr_k: float = Field(default=1.5, gt=0)
    z_threshold: float = Field(default=3.0, gt=0)
    max_share: float = Field(default=0.05, ge=0, le=1,
                             description="Highest share of outliers per column")
    per_column: dict[str, float] = Field(default_factory=new_dict)
    label: str | None = Field(default=None, description="Left out of the default columns")


#: The parameters model of ``outliers`` (read by the registry).
PARAMS: type[Params] = OutliersParams
