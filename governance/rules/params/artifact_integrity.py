"""Parameters of the ``artifact_integrity`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.card.enums import ArtifactRole
from governance.rules.params import Params


class IntegrityParams(Params):
    require_sha256: bool = Field(default=True, description="An artifact without sha256 fails")
    roles: list[ArtifactRole] | None = Field(default=None,
                                             description="Only check these roles")
    min_artifacts: int = Field(default=1, ge=0)


#: The parameters model of ``artifact_integrity`` (read by the registry).
PARAMS: type[Params] = IntegrityParams
