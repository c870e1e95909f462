"""The dataset artifact and column selection shared by the data-quality kinds; import-light, as
all of :mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params
from governance.terms import new_list

ARTIFACT_HELP = ("Name of a dataset artifact in the card (default: the only dataset artifact, "
                 "or the one the card's data.training section names)")


class _DatasetParams(Params):
    artifact: str | None = Field(default=None, description=ARTIFACT_HELP)


class _ColumnsParams(_DatasetParams):
    columns: list[str] | None = Field(default=None, description="Columns to check (default: "
                                      "all, or the artifact's declared features where noted)")
    exclude: list[str] = Field(default_factory=new_list, description="Columns to leave out")
