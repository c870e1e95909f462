"""Pydantic models of the policy language (``apiVersion: governance/v1``, ``kind: Policy``).

Validation is two-phase: this envelope checks the shape of every rule with ``params`` as a
free mapping; the loader then validates ``params`` against the rule kind's own ``Params``
model, so that an unknown kind or a misspelt parameter is an error naming file, line and field.
"""

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from governance.terms import (
    Frozen,
    Reference,
    Severity,
    Waiver,
    WaiverSettings,
    new_dict,
    new_list,
)

RULE_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$"


class Metadata(Frozen):
    name: str = Field(pattern=NAME_PATTERN)
    version: str = Field(min_length=1, max_length=64)
    owner: str | None = None
    description: str | None = None


class Rule(Frozen):
    id: str = Field(pattern=RULE_ID_PATTERN)
    title: str = Field(min_length=1, max_length=200)
    kind: str = Field(min_length=1)
    severity: Severity
    params: dict[str, Any] = Field(default_factory=new_dict)
    references: list[Reference] = Field(default_factory=new_list)
    remediation: str | None = None
    description: str | None = None
    enabled: bool = True


class RuleOverride(Frozen):
    """Changes to an inherited rule, by id. ``params`` are merged key by key."""

    title: str | None = None
    severity: Severity | None = None
    params: dict[str, Any] | None = None
    references: list[Reference] | None = None
    remediation: str | None = None
    enabled: bool | None = None


class WaiverSection(WaiverSettings):
    """The mapping form of ``waivers:``: settings, signed waiver files and inline ``entries``."""

    entries: list[Waiver] = Field(default_factory=new_list)


def _waivers_form(value: Any) -> str:
    return "mapping" if isinstance(value, dict | WaiverSection) else "list"


class Policy(Frozen):
    apiVersion: Literal["governance/v1"]
    kind: Literal["Policy"]
    metadata: Metadata
    extends: list[str] = Field(default_factory=new_list)
    rules: list[Rule] = Field(default_factory=new_list)
    overrides: dict[str, RuleOverride] = Field(default_factory=new_dict)
    # A list of inline waivers, or a mapping with settings (require_signature, max_days,
    # roles), signed waiver files and inline entries.
    waivers: Annotated[
        Annotated[list[Waiver], Tag("list")] | Annotated[WaiverSection, Tag("mapping")],
        Discriminator(_waivers_form)] = Field(default_factory=new_list)
