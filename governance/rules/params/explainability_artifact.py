"""Parameters of the ``explainability_artifact`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.card.enums import RiskTier
from governance.rules.params import Params
from governance.terms import new_list


class ExplainabilityParams(Params):
    risk_tiers: list[RiskTier] = Field(default_factory=lambda: [RiskTier.HIGH],
                                       description="Tiers that need an explainability artifact")
    required_when_tier_unknown: bool = True
    min_rows: int = Field(default=1, ge=1, description="Rows a table artifact must have")
    required_columns: list[str] = Field(default_factory=new_list)
    require_method: bool = True
    require_summary: bool = False


#: The parameters model of ``explainability_artifact`` (read by the registry).
PARAMS: type[Params] = ExplainabilityParams
