"""Parameters of the ``missing_values`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Self

from pydantic import Field, model_validator

from governance.rules.params import Params
from governance.rules.params.dataset import _ColumnsParams
from governance.terms import new_dict, new_list


class MissingValuesParams(_ColumnsParams):
    max_column_rate: float = Field(default=0.05, ge=0, le=1,
                                   description="Highest share of missing cells per column")
    max_overall_rate: float | None = Field(default=None, ge=0, le=1,
                                           description="Highest share of missing cells "
                                           "over all checked columns")
    per_column: dict[str, float] = Field(default_factory=new_dict,
                                         description="Per-column max rate overrides")
    missing_markers: list[str] = Field(default_factory=new_list,
                                       description="Text values that also mean missing, "
                                       "e.g. '?', 'NA' (empty text always does)")

    @model_validator(mode="after")
    def _rates(self) -> Self:
        bad = [k for k, v in self.per_column.items() if not 0 <= v <= 1]
        if bad:
            raise ValueError(f"per_column rates must lie in [0, 1]: {', '.join(bad)}")
        return self


#: The parameters model of ``missing_values`` (read by the registry).
PARAMS: type[Params] = MissingValuesParams
