"""Parameters of the ``constant_columns`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.dataset import _ColumnsParams


class ConstantColumnsParams(_ColumnsParams):
    max_constant: int = Field(default=0, ge=0, description="Constant columns allowed")
    near_constant_share: float | None = Field(
        default=None, gt=0, le=1,
        description="A column whose most frequent value covers at least this share of its "
        "non-missing cells is near-constant (None: not checked)")
    max_near_constant: int = Field(default=0, ge=0,
                                   description="Near-constant columns allowed")


#: The parameters model of ``constant_columns`` (read by the registry).
PARAMS: type[Params] = ConstantColumnsParams
