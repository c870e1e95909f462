"""The allow-list entry shared by ``pii_scan`` and ``forbidden_features``; import-light, as all
of :mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params


class AllowedColumn(Params):
    """One entry of ``allow:``, the same form in every rule kind that has an allow list."""

    column: str = Field(min_length=1)
    reason: str = Field(min_length=1, description="Why this column is acceptable here")
    artifact: str | None = Field(default=None, description="Only in this artifact")
