"""Parameters of the rule kinds in :mod:`governance.rules.versioning` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

from typing import Literal

from pydantic import Field

from governance.card.enums import ArtifactRole
from governance.rules.params import Params

Level = Literal["none", "patch", "minor", "major"]


class SemverParams(Params):
    allow_prerelease: bool = True
    allow_build_metadata: bool = True


class VersionBumpParams(Params):
    metrics_changed: Level = Field(default="minor", description="Bump needed when a declared "
                                   "metric changed (value, or metric added/removed)")
    training_data_changed: Level = "minor"
    model_changed: Level = "patch"
    artifacts_changed: Level = "patch"
    metric_tolerance: float = Field(default=0.0, ge=0, description="Metric changes up to "
                                    "this absolute size do not count")


LineageField = Literal["code_commit", "code_repository", "training_data_sha256",
                       "parent_version", "changelog"]


DEFAULT_LINEAGE: tuple[LineageField, ...] = ("code_commit", "training_data_sha256",
                                             "parent_version")


class LineageParams(Params):
    fields: list[LineageField] = Field(default_factory=lambda: list(DEFAULT_LINEAGE),
                                       min_length=1)
    parent_matches_baseline: bool = Field(
        default=True, description="parent_version equals the baseline's version when a "
        "baseline is given")
    training_digest_matches_card: bool = Field(
        default=True, description="lineage.training_data_sha256 equals data.training.sha256 "
        "when both are declared")


class ChangelogParams(Params):
    min_changes: int = Field(default=1, ge=1)
    require_date: bool = True


class PinnedParams(Params):
    roles: list[ArtifactRole] | None = Field(default=None,
                                             description="Only these roles; default all")
    check_training_digest: bool = Field(
        default=True, description="data.training.sha256 and lineage.training_data_sha256 match "
        "the training artifact's recomputed digest")
    min_artifacts: int = Field(default=1, ge=0)


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "semver": SemverParams,
    "version_bump": VersionBumpParams,
    "lineage_required": LineageParams,
    "changelog_entry": ChangelogParams,
    "artifacts_pinned": PinnedParams,
}
