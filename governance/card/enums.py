"""The model card's enumerations, apart from the card models: rule families (imported to lint a
policy) use them without building the whole card schema."""

from __future__ import annotations

from enum import StrEnum


class Task(StrEnum):
    BINARY = "binary_classification"
    MULTICLASS = "multiclass_classification"
    REGRESSION = "regression"
    OTHER = "other"


class RiskTier(StrEnum):
    MINIMAL = "minimal"
    LIMITED = "limited"
    HIGH = "high"
    UNACCEPTABLE = "unacceptable"


class ArtifactRole(StrEnum):
    PREDICTIONS = "predictions"
    DATASET = "dataset"
    REFERENCE_DATASET = "reference_dataset"
    MODEL = "model"
    EXPLAINABILITY = "explainability"
    OTHER = "other"
