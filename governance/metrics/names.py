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


#: ``metric: sklearn:<name>``: scikit-learn metric functions a policy may name, computed per
#: group by fairlearn's MetricFrame in memory. Only these names: policy text never reaches an
#: attribute lookup or an import. Value: (task family, input, direction) where the task
#: family is ``classification`` or ``regression`` and the input ``pred`` (y_pred) or
#: ``score`` (y_score: binary scores/probabilities).
SKLEARN_METRICS: dict[str, tuple[str, str, Direction]] = {
    "accuracy_score": ("classification", "pred", "higher_is_better"),
    "balanced_accuracy_score": ("classification", "pred", "higher_is_better"),
    "matthews_corrcoef": ("classification", "pred", "higher_is_better"),
    "cohen_kappa_score": ("classification", "pred", "higher_is_better"),
    "f1_score": ("classification", "pred", "higher_is_better"),
    "precision_score": ("classification", "pred", "higher_is_better"),
    "recall_score": ("classification", "pred", "higher_is_better"),
    "jaccard_score": ("classification", "pred", "higher_is_better"),
    "hamming_loss": ("classification", "pred", "lower_is_better"),
    "zero_one_loss": ("classification", "pred", "lower_is_better"),
    "roc_auc_score": ("classification", "score", "higher_is_better"),
    "average_precision_score": ("classification", "score", "higher_is_better"),
    "brier_score_loss": ("classification", "score", "lower_is_better"),
    "log_loss": ("classification", "score", "lower_is_better"),
    "mean_absolute_error": ("regression", "pred", "lower_is_better"),
    "mean_squared_error": ("regression", "pred", "lower_is_better"),
    "median_absolute_error": ("regression", "pred", "lower_is_better"),
    "max_error": ("regression", "pred", "lower_is_better"),
    "mean_absolute_percentage_error": ("regression", "pred", "lower_is_better"),
    "r2_score": ("regression", "pred", "higher_is_better"),
    "explained_variance_score": ("regression", "pred", "higher_is_better"),
    "d2_absolute_error_score": ("regression", "pred", "higher_is_better"),
}
SKLEARN_PREFIX = "sklearn:"


def is_sklearn(metric: str) -> bool:
    return metric.startswith(SKLEARN_PREFIX)


def sklearn_name(metric: str) -> str:
    return metric.removeprefix(SKLEARN_PREFIX)


def direction(metric: str) -> Direction | None:
    """Whether larger values are better; None when the metric has no natural direction."""
    if is_sklearn(metric) and sklearn_name(metric) in SKLEARN_METRICS:
        return SKLEARN_METRICS[sklearn_name(metric)][2]
    return _DIRECTIONS.get(metric)


def check_metric(name: str, allowed: tuple[str, ...] = ALL_METRICS,
                 sklearn: bool = True) -> str:
    """Validate a metric name; the error lists the valid names (for pydantic validators).
    ``sklearn``: also accept ``sklearn:<name>`` for the names in :data:`SKLEARN_METRICS`."""
    if sklearn and is_sklearn(name):
        if sklearn_name(name) not in SKLEARN_METRICS:
            raise ValueError(f"unknown scikit-learn metric {name!r}; allowed: "
                             + ", ".join(SKLEARN_PREFIX + k for k in SKLEARN_METRICS))
        return name
    if name not in allowed:
        raise ValueError(f"unknown metric {name!r}; valid metrics: {', '.join(allowed)}, or "
                         "sklearn:<name> (e.g. sklearn:matthews_corrcoef)")
    return name
