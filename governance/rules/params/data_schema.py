"""Parameters of the ``data_schema`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal, Self

from pydantic import Field, model_validator

from governance.rules.params import Params, check_range
from governance.rules.params.dataset import _DatasetParams


class ColumnSchema(Params):
    dtype: Literal["any", "numeric", "integer", "float", "string", "categorical", "boolean",
                   "datetime"] = "any"
    required: bool = True
    nullable: bool = True
    min: float | None = None
    max: float | None = None
    allowed: list[str | int | float | bool] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _range(self) -> Self:
        check_range(self.min, self.max, need_one=False)
        return self


class DataSchemaParams(_DatasetParams):
    columns: dict[str, ColumnSchema] = Field(min_length=1)
    allow_extra_columns: bool = True


#: The parameters model of ``data_schema`` (read by the registry).
PARAMS: type[Params] = DataSchemaParams
