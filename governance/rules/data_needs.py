"""The statistics the data-quality and drift rules declare (``RuleKind.needs``): the dataset
columns each one reads, so the engine's pre-pass computes each column's statistics once per
run (provider ``columns``, :mod:`governance.analysis.colprovider`). Nothing here reads a file.
Imported only inside the ``needs`` wrappers of ``rules/data_quality.py`` and ``rules/drift.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.analysis.colprovider import declare
from governance.analysis.common import resolve_dataset
from governance.card.model import ArtifactRole
from governance.rules.drift_checks import _column_of, _label_name, _target

if TYPE_CHECKING:
    from governance.evidence.needs import StatNeed
    from governance.rules.base import RuleContext
    from governance.rules.params.class_balance import ClassBalanceParams
    from governance.rules.params.constant_columns import ConstantColumnsParams
    from governance.rules.params.data_schema import DataSchemaParams
    from governance.rules.params.feature_drift import FeatureDriftParams
    from governance.rules.params.label_drift import LabelDriftParams
    from governance.rules.params.missing_values import MissingValuesParams
    from governance.rules.params.outliers import OutliersParams
    from governance.rules.params.prediction_drift import PredictionDriftParams


def needs_columns(ctx: RuleContext, p: MissingValuesParams | ConstantColumnsParams
                  ) -> list[StatNeed]:
    """The checked columns (every column but the excluded ones when the rule names none)."""
    return declare(ctx, p.artifact, p.columns, exclude=p.exclude, prefer="training")


def needs_outliers(ctx: RuleContext, p: OutliersParams) -> list[StatNeed]:
    """The named columns, else every numeric one but the excluded ones and the label."""
    if p.columns is not None:
        return declare(ctx, p.artifact, p.columns, exclude=p.exclude, prefer="training")
    _, artifact = resolve_dataset(ctx, p.artifact, prefer="training")
    label = p.label or (artifact.columns.label if artifact.columns is not None else None)
    return declare(ctx, artifact.name, None, exclude=[*p.exclude, *([label] if label else [])],
                   numeric_only=True)


def needs_class_balance(ctx: RuleContext, p: ClassBalanceParams) -> list[StatNeed]:
    _, artifact = resolve_dataset(ctx, p.artifact, prefer="training")
    label = _label_name(artifact, p.label)
    return [] if label is None else declare(ctx, artifact.name, [label])


def needs_data_schema(ctx: RuleContext, p: DataSchemaParams) -> list[StatNeed]:
    return declare(ctx, p.artifact, list(p.columns), prefer="training")


def needs_feature_drift(ctx: RuleContext, p: FeatureDriftParams) -> list[StatNeed]:
    return (declare(ctx, p.reference, p.columns, exclude=p.exclude,
                    role=ArtifactRole.REFERENCE_DATASET)
            + declare(ctx, p.current, p.columns, exclude=p.exclude, prefer="evaluation"))


def needs_prediction_drift(ctx: RuleContext, p: PredictionDriftParams) -> list[StatNeed]:
    _, target = _target(ctx, p)
    out: list[StatNeed] = []
    for name in (p.reference, p.current):
        _, artifact = resolve_dataset(ctx, name, ArtifactRole.PREDICTIONS)
        out += declare(ctx, artifact.name, [_column_of(artifact, target)])
    return out


def needs_label_drift(ctx: RuleContext, p: LabelDriftParams) -> list[StatNeed]:
    out: list[StatNeed] = []
    for name, role, prefer in ((p.reference, ArtifactRole.REFERENCE_DATASET, None),
                               (p.current, ArtifactRole.DATASET, "evaluation")):
        _, artifact = resolve_dataset(ctx, name, role, prefer)  # type: ignore[arg-type]
        label = _label_name(artifact, p.label)
        if label is not None:
            out += declare(ctx, artifact.name, [label])
    return out
