"""Parameters of the ``duplicate_rows`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params
from governance.rules.params.dataset import _ColumnsParams


class DuplicateRowsParams(_ColumnsParams):
    max_share: float = Field(default=0.0, ge=0, le=1,
                             description="Highest share of rows repeating an earlier row")


#: The parameters model of ``duplicate_rows`` (read by the registry).
PARAMS: type[Params] = DuplicateRowsParams
