"""What reading a policy needs of the registry (:mod:`governance.rules.registry`, which
re-exports all of it): the literal map of built-in kinds, each kind's parameters model (its
light ``rules/params/<kind>.py`` module) and whether plugins are enabled. Apart so that
``policy lint`` does not compile the registry's family and plugin loading."""

from __future__ import annotations

import contextvars
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from governance.errors import GovernanceError
from governance.rules.params import Params

_PLUGINS: contextvars.ContextVar[bool] = contextvars.ContextVar("governance_plugins",
                                                                default=False)


@contextmanager
def plugins_enabled(enabled: bool = True) -> Iterator[None]:
    """Within the block, entry-point plugins are (or are not) part of the registry."""
    token = _PLUGINS.set(enabled)
    try:
        yield
    finally:
        _PLUGINS.reset(token)


def plugins_on() -> bool:
    return _PLUGINS.get()


BUILTIN_KINDS: dict[str, str] = {
    # card
    "card_fields": "governance.rules.card",
    "metric_threshold": "governance.rules.card",
    # integrity
    "artifact_integrity": "governance.rules.integrity",
    # performance
    "recomputed_metric": "governance.rules.performance",
    "metric_regression": "governance.rules.performance",
    "claim_consistency": "governance.rules.performance",
    "generalization_gap": "governance.rules.generalization",
    "cv_spread": "governance.rules.generalization",
    # fairness
    "fairness_gap": "governance.rules.fairness",
    "disparate_impact": "governance.rules.fairness_groups",
    "group_metric_floor": "governance.rules.fairness_groups",
    # data quality
    "missing_values": "governance.rules.data_quality",
    "duplicate_rows": "governance.rules.data_quality",
    "constant_columns": "governance.rules.data_quality",
    "class_balance": "governance.rules.data_quality",
    "data_schema": "governance.rules.data_quality",
    "outliers": "governance.rules.data_quality",
    "dimensionality": "governance.rules.data_quality",
    "feature_correlation": "governance.rules.data_quality",
    "label_leakage": "governance.rules.data_quality",
    "feature_scaling": "governance.rules.data_quality",
    # drift
    "feature_drift": "governance.rules.drift",
    "prediction_drift": "governance.rules.drift",
    "label_drift": "governance.rules.drift",
    # privacy
    "pii_scan": "governance.rules.pii_scan",
    "forbidden_features": "governance.rules.privacy",
    "k_anonymity": "governance.rules.privacy",
    "privacy_declarations": "governance.rules.privacy",
    # versioning and lineage
    "semver": "governance.rules.versioning",
    "version_bump": "governance.rules.versioning",
    "lineage_required": "governance.rules.versioning",
    "changelog_entry": "governance.rules.versioning",
    "artifacts_pinned": "governance.rules.versioning",
    # documentation and explainability
    "explainability_artifact": "governance.rules.documentation",
    "intended_use": "governance.rules.documentation",
    "evaluation_coverage": "governance.rules.documentation",
}


def params_module(kind: str) -> str:
    """Where a built-in kind's parameters model lives (as ``PARAMS``)."""
    return f"governance.rules.params.{kind}"


@cache
def _kind_params(kind: str) -> type[Params]:
    """The parameters model of a built-in kind: its light ``params`` module only."""
    name = params_module(kind)
    model = importlib.import_module(name).PARAMS
    if not (isinstance(model, type) and issubclass(model, Params)):
        raise GovernanceError(f"{name}: PARAMS is not a Params model: {model!r}")
    return model
