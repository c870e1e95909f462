"""Parameters of the rule kinds in :mod:`governance.rules.integrity` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

from pydantic import Field

from governance.card.enums import ArtifactRole
from governance.rules.params import Params


class IntegrityParams(Params):
    require_sha256: bool = Field(default=True, description="An artifact without sha256 fails")
    roles: list[ArtifactRole] | None = Field(default=None,
                                             description="Only check these roles")
    min_artifacts: int = Field(default=1, ge=0)


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "artifact_integrity": IntegrityParams,
}
