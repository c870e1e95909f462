"""Parameters of the rule kinds in :mod:`governance.rules.performance` (import-light: pydantic
and small shared modules only, so that linting a policy never imports the rule code)."""

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from governance.metrics.names import (
    ALL_METRICS,
    Average,
    Direction,
    check_metric,
    direction,
)
from governance.rules.params import Params

DecideOn = Literal["point", "ci_lower", "ci_upper"]


class CIParams(Params):
    """Confidence-interval settings shared by the performance and fairness rules."""

    decide_on: DecideOn = Field(default="point", description="Compare the point estimate or "
                                "a bound of the bootstrap confidence interval")
    confidence: float = Field(default=0.95, gt=0.5, lt=1.0)
    n_resamples: int = Field(default=1000, ge=0, le=100_000,
                             description="Bootstrap resamples (0: no confidence interval)")

    @model_validator(mode="after")
    def _ci(self) -> Self:
        if 0 < self.n_resamples < 100:
            raise ValueError("n_resamples must be 0 (no interval) or at least 100")
        if self.decide_on != "point" and self.n_resamples == 0:
            raise ValueError(f"decide_on {self.decide_on} needs a confidence interval; set "
                             "n_resamples to at least 100")
        return self


class MetricParams(Params):
    metric: str = Field(description="Metric name, e.g. accuracy, roc_auc, f1, rmse")
    average: Average | None = Field(default=None, description="Class averaging; default "
                                    "binary (positive class) or macro for multiclass")
    artifact: str | None = Field(default=None, description="Predictions artifact name; default "
                                 "the one with split (or test, or the only one)")
    split: str | None = None

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        return check_metric(v, ALL_METRICS)

    @model_validator(mode="after")
    def _sklearn(self) -> Self:
        no_sklearn_interval(self.metric, getattr(self, "n_resamples", 0))
        return self


def no_sklearn_interval(metric: str, n_resamples: int) -> None:
    """``sklearn:`` metrics come without confidence intervals (MetricFrame, in memory)."""
    if metric.startswith("sklearn:") and n_resamples:
        raise ValueError(f"{metric} has no confidence interval (computed once per group by "
                         "fairlearn MetricFrame); set n_resamples: 0 and decide on the point "
                         "estimate")


class RecomputedMetricParams(MetricParams, CIParams):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> Self:
        if self.min is None and self.max is None:
            raise ValueError("give at least one of min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class MetricRegressionParams(MetricParams, CIParams):
    tolerance: float | None = Field(default=None, description="Largest allowed worsening in "
                                    "absolute units; negative: must improve by at least that")
    relative_tolerance: float | None = Field(default=None, description="Largest allowed "
                                             "worsening as a fraction of the baseline value")
    direction: Direction | None = Field(default=None, description="Default: inferred from "
                                        "the metric")
    baseline_split: str | None = Field(default=None, description="Split of the baseline value "
                                       "(default: the artifact's split)")

    @model_validator(mode="after")
    def _direction(self) -> Self:
        if self.direction is None and direction(self.metric) is None:
            raise ValueError(f"{self.metric} has no natural direction; set direction to "
                             "higher_is_better or lower_is_better")
        if self.relative_tolerance is not None and abs(self.relative_tolerance) >= 1:
            raise ValueError("relative_tolerance must be between -1 and 1 (a fraction)")
        return self


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


#: kind name -> its parameters model (the registry checks it against the RuleKinds)
PARAMS: dict[str, type[Params]] = {
    "recomputed_metric": RecomputedMetricParams,
    "metric_regression": MetricRegressionParams,
    "claim_consistency": ClaimConsistencyParams,
}
