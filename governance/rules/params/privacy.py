"""Parameters of the rule kinds in :mod:`governance.rules.privacy` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from governance.card.enums import RiskTier
from governance.rules.params import Params
from governance.terms import new_dict, new_list


class AllowedColumn(Params):
    """One entry of ``allow:``, the same form in every rule kind that has an allow list."""

    column: str = Field(min_length=1)
    reason: str = Field(min_length=1, description="Why this column is acceptable here")
    artifact: str | None = Field(default=None, description="Only in this artifact")


class ForbiddenFeaturesParams(Params):
    attributes: list[str] | None = Field(
        default=None, description="Sensitive attributes; default a list of protected "
        "characteristics (race, religion, sex, ...)")
    extra_attributes: list[str] = Field(default_factory=new_list)
    include_card_sensitive_features: bool = True
    allow: list[AllowedColumn] = Field(default_factory=new_list, description="Input features "
                                       "allowed despite matching an attribute, each with the "
                                       "reason")
    artifacts: list[str] | None = Field(default=None, description="Dataset artifacts; default "
                                        "every dataset artifact")

    @model_validator(mode="before")
    @classmethod
    def _renamed_allowed(cls, data: Any) -> Any:
        """``allowed: [{feature, justification}]`` became ``allow: [{column, reason}]``."""
        if isinstance(data, dict) and "allowed" in data:
            entries = data["allowed"] if isinstance(data["allowed"], list) else []
            shown = ", ".join(
                f"{{column: {e.get('feature', '...')}, reason: ...}}" for e in entries
                if isinstance(e, dict)) or "{column: ..., reason: ...}"
            raise ValueError(f"'allowed' was renamed: write allow: [{shown}] (the same "
                             "allow-list form as pii_scan: column, reason, optional artifact)")
        return data


class KAnonymityParams(Params):
    k: int = Field(default=5, ge=2)
    quasi_identifiers: list[str] | None = Field(
        default=None, min_length=1, description="Default privacy.quasi_identifiers")
    artifact: str | None = Field(default=None, description="Default the training dataset")
    max_share_below_k: float = Field(default=0.0, ge=0, le=1, description="Share of records "
                                     "allowed in equivalence classes smaller than k")
    generalize: dict[str, float] = Field(
        default_factory=new_dict, description="Numeric quasi-identifier -> bin width")

    @field_validator("generalize")
    @classmethod
    def _positive(cls, v: dict[str, float]) -> dict[str, float]:
        for col, width in v.items():
            if not width > 0:
                raise ValueError(f"bin width of {col!r} must be positive")
        return v


LegalBasis = Literal["consent", "contract", "legal_obligation", "vital_interests",
                     "public_task", "legitimate_interests"]


_UNIT_DAYS = {"Y": 365.2425, "M": 365.2425 / 12, "W": 7.0, "D": 1.0}


# Patterns, compiled on first use (re caches them): not at import, which a lint pays.
_ISO_DURATION = r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$"


_WORD_UNITS = {"year": "Y", "years": "Y", "yr": "Y", "yrs": "Y", "y": "Y",
               "month": "M", "months": "M", "mo": "M", "mos": "M",
               "week": "W", "weeks": "W", "wk": "W", "wks": "W", "w": "W",
               "day": "D", "days": "D", "d": "D"}


_WORD_PART = r"(\d+)\s*([A-Za-z]+)"


def parse_duration(text: str) -> float | None:
    """Days in an ISO 8601 duration (``P2Y``, ``P1Y6M``, ``P90D``) or plain words (``24
    months``, ``2 years 6 months``); None if it is neither or is zero."""
    s = text.strip()
    m = re.match(_ISO_DURATION, s.upper())
    if m:
        days = sum(int(v) * _UNIT_DAYS[u] for v, u in zip(m.groups(), "YMWD", strict=True)
                   if v)
        return days or None
    rest = re.sub(r"[,;]|\band\b", " ", s.lower())
    days = 0.0
    pos = 0
    for part in re.finditer(_WORD_PART, rest):
        if rest[pos:part.start()].strip():
            return None
        unit = _WORD_UNITS.get(part.group(2))
        if unit is None:
            return None
        days += int(part.group(1)) * _UNIT_DAYS[unit]
        pos = part.end()
    if rest[pos:].strip() or pos == 0:
        return None
    return days or None


class PrivacyDeclarationsParams(Params):
    allowed_legal_bases: list[LegalBasis] | None = Field(
        default=None, description="Default every GDPR Art. 6(1) basis")
    extra_legal_bases: list[str] = Field(
        default_factory=new_list, description="Other accepted wordings (e.g. another law)")
    require_legal_basis: bool = True
    require_retention: bool = True
    max_retention: str | None = Field(default=None, description="e.g. P5Y or '60 months'")
    consent: Literal["always", "if_consent_basis", "never"] = Field(
        default="always", description="When privacy.consent must be filled in")
    dpia_for_tiers: list[RiskTier] = Field(
        default_factory=lambda: [RiskTier.HIGH, RiskTier.UNACCEPTABLE],
        description="Risk tiers that need a DPIA; an unknown tier needs one too")
    require_personal_data_flag: bool = True

    @field_validator("max_retention")
    @classmethod
    def _duration(cls, v: str | None) -> str | None:
        if v is not None and parse_duration(v) is None:
            raise ValueError(f"{v!r} is not a duration (use ISO 8601 like P2Y or words like "
                             "'24 months')")
        return v


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "forbidden_features": ForbiddenFeaturesParams,
    "k_anonymity": KAnonymityParams,
    "privacy_declarations": PrivacyDeclarationsParams,
}
