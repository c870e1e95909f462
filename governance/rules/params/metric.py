"""The metric and confidence-interval settings shared by the performance, generalization and
fairness kinds; import-light, as all of :mod:`governance.rules.params`."""

from typing import Literal, Self

from pydantic import Field, field_validator, model_validator

from governance.metrics.names import ALL_METRICS, Average, check_metric
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
