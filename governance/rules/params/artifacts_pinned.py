"""Parameters of the ``artifacts_pinned`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.card.enums import ArtifactRole
from governance.rules.params import Params


class PinnedParams(Params):
    roles: list[ArtifactRole] | None = Field(default=None,
                                             description="Only these roles; default all")
    check_training_digest: bool = Field(
        default=True, description="data.training.sha256 and lineage.training_data_sha256 match "
        "the training artifact's recomputed digest")
    min_artifacts: int = Field(default=1, ge=0)


#: The parameters model of ``artifacts_pinned`` (read by the registry).
PARAMS: type[Params] = PinnedParams
