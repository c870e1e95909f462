"""Parameters of the ``privacy_declarations`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

import re
from typing import Literal

from pydantic import Field, field_validator

from governance.card.enums import RiskTier
from governance.rules.params import Params
from governance.terms import new_list

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


#: The parameters model of ``privacy_declarations`` (read by the registry).
PARAMS: type[Params] = PrivacyDeclarationsParams
