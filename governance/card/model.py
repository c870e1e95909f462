"""The model card schema (``apiVersion: governance/v1``, ``kind: ModelCard``).

The card *declares*; the engine *checks*. Metrics declared here are claims that rules compare
with values recomputed from the artifacts the card points to.
"""

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from governance.card.enums import ArtifactRole as ArtifactRole
from governance.card.enums import RiskTier as RiskTier
from governance.card.enums import Task as Task
from governance.terms import new_dict, new_list

SHA256_PATTERN = r"^[0-9a-f]{64}$"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Owner(_Strict):
    name: str = Field(min_length=1)
    email: str | None = None
    role: str | None = None


class ModelInfo(_Strict):
    name: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=64)
    task: Task
    description: str | None = None
    owners: list[Owner] = Field(default_factory=new_list)
    license: str | None = None
    risk_tier: RiskTier | None = None
    algorithm: str | None = None
    framework: str | None = None
    release_date: dt.date | None = None


class IntendedUse(_Strict):
    primary_uses: list[str] = Field(default_factory=new_list)
    primary_users: list[str] = Field(default_factory=new_list)
    out_of_scope: list[str] = Field(default_factory=new_list)
    limitations: list[str] = Field(default_factory=new_list)


class DatasetRef(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    source: str | None = None
    license: str | None = None
    artifact: str | None = None  # name of an entry in ``artifacts``
    sha256: str | None = Field(default=None, pattern=SHA256_PATTERN)
    rows: int | None = Field(default=None, ge=0)


class DataSection(_Strict):
    training: DatasetRef | None = None
    evaluation: DatasetRef | None = None
    preprocessing: list[str] = Field(default_factory=new_list)


class ColumnMap(_Strict):
    """Which columns of a table hold what. Every name must exist in the file."""

    y_true: str | None = None
    y_pred: str | None = None
    y_score: str | None = None
    # Multiclass probabilities: one column per class, keyed by class label.
    y_proba: dict[str, str] | None = None
    sensitive_features: list[str] = Field(default_factory=new_list)
    sample_weight: str | None = None
    label: str | None = None  # target column of a dataset artifact
    features: list[str] | None = None  # model input columns of a dataset artifact
    positive_label: str | int | None = None


class Artifact(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")
    role: ArtifactRole
    path: str = Field(min_length=1)
    sha256: str | None = Field(default=None, pattern=SHA256_PATTERN)
    format: Literal["csv", "parquet", "jsonl", "json", "binary", "other"] | None = None
    split: Literal["train", "validation", "test", "production", "other"] | None = None
    description: str | None = None
    columns: ColumnMap | None = None

    @field_validator("path")
    @classmethod
    def _no_nul(cls, v: str) -> str:
        if "\x00" in v:
            raise ValueError("path contains a NUL byte")
        return v


class SensitiveFeature(_Strict):
    name: str = Field(min_length=1)
    column: str | None = None
    description: str | None = None
    reference_group: str | None = None


class DeclaredMetric(_Strict):
    """A claimed metric value. Its identity is (name, average, dataset, split, slice): e.g. f1
    with ``average: macro`` on dataset ``glue/mnli`` split ``validation``."""

    # Finite only: NaN compares false with every threshold, so a NaN claim would pass them all.
    name: str = Field(min_length=1)
    value: float = Field(allow_inf_nan=False)
    average: Literal["binary", "micro", "macro", "weighted", "samples"] | None = Field(
        default=None, description="Class averaging of a per-class metric (f1, precision, ...)")
    dataset: str | None = Field(default=None, description="Evaluation dataset the value was "
                                "measured on (e.g. a Hugging Face dataset id and config)")
    split: str | None = None
    artifact: str | None = None
    slice: str | None = None
    ci_lower: float | None = Field(default=None, allow_inf_nan=False)
    ci_upper: float | None = Field(default=None, allow_inf_nan=False)
    threshold: float | None = Field(default=None, allow_inf_nan=False)

    def identity(self) -> str:
        """``name[average][dataset][split][slice]`` with the parts that are set, labelled."""
        parts = [self.name]
        for label, value in (("average", self.average), ("dataset", self.dataset),
                             ("split", self.split), ("slice", self.slice)):
            if value:
                parts.append(f"{label} {value}")
        return parts[0] + (f" ({', '.join(parts[1:])})" if len(parts) > 1 else "")


class Privacy(_Strict):
    contains_personal_data: bool | None = None
    legal_basis: str | None = None
    retention_period: str | None = None
    consent: str | None = None
    pii_columns: list[str] = Field(default_factory=new_list)
    quasi_identifiers: list[str] = Field(default_factory=new_list)
    anonymisation: str | None = None
    dpia: str | None = None


class ChangelogEntry(_Strict):
    version: str = Field(min_length=1)
    date: dt.date | None = None
    changes: list[str] = Field(default_factory=new_list)


class Lineage(_Strict):
    parent_version: str | None = None
    code_commit: str | None = None
    code_repository: str | None = None
    training_data_sha256: str | None = Field(default=None, pattern=SHA256_PATTERN)
    changelog: list[ChangelogEntry] = Field(default_factory=new_list)


class Explainability(_Strict):
    method: str | None = None
    artifact: str | None = None  # name of an entry in ``artifacts``
    summary: str | None = None


class Evaluation(_Strict):
    """How the model was evaluated: which sensitive features and slices were covered."""

    sensitive_features_evaluated: list[str] = Field(default_factory=new_list)
    notes: str | None = None


class ModelCard(_Strict):
    apiVersion: Literal["governance/v1"]
    kind: Literal["ModelCard"]
    model: ModelInfo
    intended_use: IntendedUse | None = None
    data: DataSection | None = None
    artifacts: list[Artifact] = Field(default_factory=new_list)
    sensitive_features: list[SensitiveFeature] = Field(default_factory=new_list)
    metrics: list[DeclaredMetric] = Field(default_factory=new_list)
    evaluation: Evaluation | None = None
    privacy: Privacy | None = None
    lineage: Lineage | None = None
    explainability: Explainability | None = None
    ethical_considerations: list[str] = Field(default_factory=new_list)
    extensions: dict[str, Any] = Field(default_factory=new_dict)

    def artifact(self, name: str) -> Artifact | None:
        for a in self.artifacts:
            if a.name == name:
                return a
        return None

    def artifacts_with_role(self, role: ArtifactRole) -> list[Artifact]:
        return [a for a in self.artifacts if a.role == role]
