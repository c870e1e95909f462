"""Parameters of the ``evaluation_coverage`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from typing import Literal

from pydantic import Field

from governance.rules.params import Params


class CoverageParams(Params):
    source: Literal["card", "predictions", "either", "both"] = Field(
        default="either", description="card: evaluation.sensitive_features_evaluated; "
        "predictions: a column of the predictions artifact")
    artifact: str | None = Field(default=None, description="Predictions artifact; default the "
                                 "only test-split (or only) predictions artifact")
    min_groups: int = Field(default=2, ge=1, description="Distinct values a predictions "
                            "column needs to count as coverage")
    require_sensitive_features: bool = True


#: The parameters model of ``evaluation_coverage`` (read by the registry).
PARAMS: type[Params] = CoverageParams
