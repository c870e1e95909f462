"""Parameters of the rule kinds in :mod:`governance.rules.documentation` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

from typing import Literal

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


class IntendedUseParams(Params):
    min_primary_uses: int = Field(default=1, ge=0)
    min_primary_users: int = Field(default=0, ge=0)
    min_out_of_scope: int = Field(default=1, ge=0)
    min_limitations: int = Field(default=1, ge=0)
    min_chars: int = Field(default=10, ge=1, description="Shorter entries do not count")


class CoverageParams(Params):
    source: Literal["card", "predictions", "either", "both"] = Field(
        default="either", description="card: evaluation.sensitive_features_evaluated; "
        "predictions: a column of the predictions artifact")
    artifact: str | None = Field(default=None, description="Predictions artifact; default the "
                                 "only test-split (or only) predictions artifact")
    min_groups: int = Field(default=2, ge=1, description="Distinct values a predictions "
                            "column needs to count as coverage")
    require_sensitive_features: bool = True


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "explainability_artifact": ExplainabilityParams,
    "intended_use": IntendedUseParams,
    "evaluation_coverage": CoverageParams,
}
