"""Parameters of the ``claim_consistency`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field, field_validator

from governance.metrics.names import ALL_METRICS, Average, check_metric
from governance.rules.params import Params


class ClaimConsistencyParams(Params):
    metrics: list[str] | None = Field(default=None, description="Declared metrics to check; "
                                      "default every recomputable declared metric")
    tolerance: float = Field(default=0.01, ge=0)
    relative_tolerance: float | None = Field(default=None, ge=0, lt=1)
    only_overstatement: bool = Field(default=False, description="Fail only on claims better "
                                     "than the recomputed value")
    average: Average | None = Field(default=None, description="Class averaging used to "
                                    "recompute; default: the one the card declares with the "
                                    "metric, else binary/macro")
    dataset: str | None = Field(default=None, description="Check only the metrics declared on "
                                "this evaluation dataset (the one the predictions hold); "
                                "default: those without a dataset, or of the only dataset")

    @field_validator("metrics")
    @classmethod
    def _metrics(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            if not v:
                raise ValueError("list at least one metric, or leave metrics out")
            for m in v:
                check_metric(m, ALL_METRICS, sklearn=False)
        return v


#: The parameters model of ``claim_consistency`` (read by the registry).
PARAMS: type[Params] = ClaimConsistencyParams
