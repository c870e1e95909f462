"""The metric catalogue: names, families and directions. Import-light (no numpy).

Rule ``Params`` validate metric names against these tuples at policy-lint time, so an unknown
metric is reported with the list of valid ones.
"""

from __future__ import annotations

from typing import Literal

#: Metrics derived from confusion counts (vectorised, bootstrapped from the counts).
COUNT_METRICS: tuple[str, ...] = (
    "accuracy", "balanced_accuracy", "precision", "recall", "f1", "specificity", "fpr", "fnr",
    "selection_rate",
)
#: Metrics that need scores / probabilities (bootstrapped by resampling rows).
SCORE_METRICS: tuple[str, ...] = ("roc_auc", "pr_auc", "log_loss", "brier")
CLASSIFICATION_METRICS: tuple[str, ...] = COUNT_METRICS + SCORE_METRICS
REGRESSION_METRICS: tuple[str, ...] = ("mse", "rmse", "mae", "r2")
ALL_METRICS: tuple[str, ...] = CLASSIFICATION_METRICS + REGRESSION_METRICS

#: Metrics that are meaningful only for a binary task (one positive label).
BINARY_ONLY: frozenset[str] = frozenset({"selection_rate", "pr_auc"})
#: Metrics that need probabilities in [0, 1] rather than arbitrary scores.
PROBABILITY_METRICS: frozenset[str] = frozenset({"log_loss", "brier"})

Direction = Literal["higher_is_better", "lower_is_better"]

_DIRECTIONS: dict[str, Direction] = {
    **{m: "higher_is_better" for m in (
        "accuracy", "balanced_accuracy", "precision", "recall", "f1", "specificity", "roc_auc",
        "pr_auc", "r2")},
    **{m: "lower_is_better" for m in ("fpr", "fnr", "log_loss", "brier", "mse", "rmse", "mae")},
}

#: Averaging over classes for multiclass metrics (``binary`` = the positive label only).
Average = Literal["binary", "micro", "macro", "weighted"]

#: Fairness criteria that are not a single group metric.
FAIRNESS_CRITERIA: tuple[str, ...] = ("demographic_parity", "equalized_odds",
                                      "equal_opportunity")
#: Per-group metrics usable in fairness rules (binary classification).
GROUP_METRICS: tuple[str, ...] = CLASSIFICATION_METRICS + REGRESSION_METRICS


def direction(metric: str) -> Direction | None:
    """Whether larger values are better; None when the metric has no natural direction."""
    return _DIRECTIONS.get(metric)


def check_metric(name: str, allowed: tuple[str, ...] = ALL_METRICS) -> str:
    """Validate a metric name; the error lists the valid names (for pydantic validators)."""
    if name not in allowed:
        raise ValueError(f"unknown metric {name!r}; valid metrics: {', '.join(allowed)}")
    return name
