"""Parameters of the ``pii_scan`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field, field_validator

from governance.card.enums import ArtifactRole
from governance.rules.params import Params
from governance.rules.params.allow import AllowedColumn
from governance.terms import new_dict, new_list

_W = r"(?:^|_)"


_END = r"(?:_|$)"


DEFAULT_NAME_PATTERNS: dict[str, str] = {
    "name": _W + r"(?:(?:first|last|full|given|family|middle|maiden|sur|fore|customer|client|"
            r"applicant|patient|person|contact)_?name|surname|forename)" + _END + r"|^name$",
    "email": _W + r"e_?mail(?:_?address)?" + _END,
    "phone": _W + r"(?:(?:tele)?phone(?:_?(?:number|no|nr))?|mobile|cell_?phone|fax|msisdn|tel)"
             + _END,
    "national_id": _W + r"(?:ssn|social_security(?:_number)?|national_(?:id|insurance)"
                   r"(?:_number)?|nino|passport(?:_?(?:number|no))?|tax_?id|tin|id_?card"
                   r"(?:_number)?|driver_?s?_?licen[cs]e|personal_?number|dni|nie|pesel|nir|"
                   r"codice_fiscale|bsn)" + _END,
    "bank_account": _W + r"(?:iban|bic|swift(?:_code)?|bank_?account(?:_number)?|account_?"
                    r"(?:number|no|nr)|sort_?code|routing_?number)" + _END,
    "payment_card": _W + r"(?:credit_?card(?:_number)?|card_?(?:number|no|nr)|pan|ccn|cvv|cvc)"
                    + _END,
    "address": _W + r"(?:(?:home_|street_|postal_|mailing_)?address|street|house_?number|"
               r"post_?code|postal_?code|zip(?:_?code)?)" + _END,
    "date_of_birth": _W + r"(?:dob|date_of_birth|birth_?date|birthday|birth_?day)" + _END,
    "ip_address": _W + r"(?:ip|ip_?address|ip_?addr|ipv4|ipv6)" + _END,
    "location": _W + r"(?:lat|latitude|lon|lng|longitude|gps|geo_?location)" + _END,
    "identifier": _W + r"(?:customer|user|client|patient|applicant|employee|member|person|"
                  r"account|citizen)_?(?:id|ref|reference|number|no)" + _END,
}


def _check_patterns(v: dict[str, str] | None) -> dict[str, str] | None:
    if v is None:
        return v
    from governance.userregex import PatternError, compile_user_pattern

    for category, pattern in v.items():
        try:
            compile_user_pattern(pattern)
        except PatternError as exc:
            raise ValueError(f"name pattern for {category!r}: {exc}") from None
    return v


class PiiScanParams(Params):
    artifacts: list[str] | None = Field(default=None, description="Artifact names to scan; "
                                        "default every artifact with one of `roles`")
    roles: list[ArtifactRole] = Field(
        default_factory=lambda: [ArtifactRole.DATASET, ArtifactRole.REFERENCE_DATASET])
    by_name: bool = True
    by_value: bool = True
    name_patterns: dict[str, str] | None = Field(
        default=None, description="category -> regex over the normalised column name "
        "(lower case, words joined by _); replaces the defaults")
    extra_name_patterns: dict[str, str] = Field(default_factory=new_dict)
    detectors: list[str] | None = Field(default=None, description="Value detector kinds; "
                                        "default all of governance.pii.DETECTORS")
    sample_rows: int = Field(default=1000, ge=1, le=1_000_000,
                             description="Seeded sample of non-null values per column")
    min_hit_rate: float = Field(default=0.05, gt=0, le=1,
                                description="Share of sampled values that must be PII")
    match: Literal["value", "text"] = Field(
        default="value", description="value: the whole cell is one PII item; text: PII "
        "anywhere in the cell (free text)")
    declared_pii: Literal["allow", "flag"] = Field(
        default="allow", description="Columns in privacy.pii_columns: allow them (they are "
        "governed by privacy_declarations) or flag them like any other")
    allowed_handling: list[str] | None = Field(
        default=None, description="Declared PII columns are only allowed when "
        "privacy.anonymisation mentions one of these words (e.g. pseudonym, hash, token)")
    allow: list[AllowedColumn] = Field(default_factory=new_list)

    @field_validator("name_patterns", "extra_name_patterns")
    @classmethod
    def _valid_patterns(cls, v: dict[str, str] | None) -> dict[str, str] | None:
        return _check_patterns(v)

    @field_validator("detectors")
    @classmethod
    def _known_detectors(cls, v: list[str] | None) -> list[str] | None:
        from governance.pii import DETECTORS

        if v is not None:
            unknown = [d for d in v if d not in DETECTORS]
            if unknown:
                raise ValueError(f"unknown detector(s) {', '.join(unknown)}; known: "
                                 + ", ".join(DETECTORS))
        return v


#: The parameters model of ``pii_scan`` (read by the registry).
PARAMS: type[Params] = PiiScanParams
