"""Parameters of the ``intended_use`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params


class IntendedUseParams(Params):
    min_primary_uses: int = Field(default=1, ge=0)
    min_primary_users: int = Field(default=0, ge=0)
    min_out_of_scope: int = Field(default=1, ge=0)
    min_limitations: int = Field(default=1, ge=0)
    min_chars: int = Field(default=10, ge=1, description="Shorter entries do not count")


#: The parameters model of ``intended_use`` (read by the registry).
PARAMS: type[Params] = IntendedUseParams
