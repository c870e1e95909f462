"""The terms policies, rules and reports share: severities, source locations,
framework references and waivers (frozen pydantic values).

Apart from :mod:`governance.report` (which re-exports them) so that reading a policy does not
build the report models: ``policy lint`` imports this module, never the report.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


def new_list() -> list[Any]:
    """``Field(default_factory=new_list)``: as ``list``. pydantic reads the signature of a
    default factory; a Python function's is at hand, a builtin's is parsed from its text
    (the first parse ~1.5 ms of every start-up, then ~0.1 ms a field)."""
    return []


def new_dict() -> dict[Any, Any]:
    """``Field(default_factory=new_dict)``: as ``dict`` (see :func:`new_list`)."""
    return {}


class Frozen(BaseModel):
    """Base for every value that crosses a module boundary."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class SourceLocation(Frozen):
    """A place in a policy or card file that a finding is about."""

    role: Literal["policy", "card", "config", "artifact"]
    path: str
    line: int | None = None
    col: int | None = None
    field: str | None = None


class Reference(Frozen):
    """A framework clause a rule provides evidence for (e.g. EU AI Act Art. 10(2))."""

    framework: str
    clause: str
    title: str | None = None


class Scope(Frozen):
    """What a waiver applies to; an empty scope matches every finding of the rule."""

    model: str | None = None
    version: str | None = None
    group: str | None = None


class WaiverSigner(Frozen):
    """Who signed a waiver, as verified against the trust file (``governance waiver sign``)."""

    keyid: str
    owner: str
    role: str
    signed_at: datetime


class WaiverSettings(Frozen):
    """``waivers: {require_signature, max_days, roles, signed}`` in a policy or governance.yaml.

    Settings of every policy file (and the configuration) apply together; the strictest wins.
    ``signed`` lists signed waiver envelopes (``governance waiver sign``), relative to the
    project root.
    """

    require_signature: bool = False
    max_days: int | None = Field(default=None, ge=1, le=3650)
    roles: list[str] | None = Field(default=None, min_length=1)
    signed: list[str] = Field(default_factory=new_list, max_length=256)


class Waiver(Frozen):
    rule_id: str
    # ``justification`` is accepted as another name for ``reason`` (issue 7).
    reason: str = Field(validation_alias=AliasChoices("reason", "justification"))
    approved_by: str
    expires: date
    ticket: str | None = None
    scope: Scope = Field(default_factory=lambda: Scope())
    # Set only by signed-waiver verification (governance.signed_waivers), never by a policy.
    signed_by: WaiverSigner | None = None
