"""Parameters of the ``lineage_required`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field

from governance.rules.params import Params

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


#: The parameters model of ``lineage_required`` (read by the registry).
PARAMS: type[Params] = LineageParams
