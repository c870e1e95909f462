"""Parameters of the ``changelog_entry`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params


class ChangelogParams(Params):
    min_changes: int = Field(default=1, ge=1)
    require_date: bool = True


#: The parameters model of ``changelog_entry`` (read by the registry).
PARAMS: type[Params] = ChangelogParams
