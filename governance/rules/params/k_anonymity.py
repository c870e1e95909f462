"""Parameters of the ``k_anonymity`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field, field_validator

from governance.rules.params import Params
from governance.terms import new_dict


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


#: The parameters model of ``k_anonymity`` (read by the registry).
PARAMS: type[Params] = KAnonymityParams
