"""Parameters of the ``forbidden_features`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Any

from pydantic import Field, model_validator

from governance.rules.params import Params
from governance.rules.params.allow import AllowedColumn
from governance.terms import new_list


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


#: The parameters model of ``forbidden_features`` (read by the registry).
PARAMS: type[Params] = ForbiddenFeaturesParams
