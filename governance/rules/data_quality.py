"""Rule kinds of the data quality family.

Import-light: the parameters models live in ``rules/params``. Each ``evaluate`` imports its
computation from :mod:`governance.rules.quality_checks` (pandas, numpy, scipy) when the rule
runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.class_balance import ClassBalanceParams
from governance.rules.params.constant_columns import ConstantColumnsParams
from governance.rules.params.data_schema import DataSchemaParams
from governance.rules.params.dimensionality import DimensionalityParams
from governance.rules.params.duplicate_rows import DuplicateRowsParams
from governance.rules.params.feature_correlation import FeatureCorrelationParams
from governance.rules.params.feature_scaling import FeatureScalingParams
from governance.rules.params.label_leakage import LabelLeakageParams
from governance.rules.params.missing_values import MissingValuesParams
from governance.rules.params.outliers import OutliersParams

if TYPE_CHECKING:
    from governance.evidence.needs import StatNeed


def evaluate_missing_values(ctx: RuleContext, params: MissingValuesParams) -> Outcome:
    from governance.rules.quality_checks import check_missing_values

    return check_missing_values(ctx, params)


def evaluate_duplicate_rows(ctx: RuleContext, params: DuplicateRowsParams) -> Outcome:
    from governance.rules.quality_checks import check_duplicate_rows

    return check_duplicate_rows(ctx, params)


def evaluate_constant_columns(ctx: RuleContext, params: ConstantColumnsParams) -> Outcome:
    from governance.rules.quality_checks import check_constant_columns

    return check_constant_columns(ctx, params)


def evaluate_class_balance(ctx: RuleContext, params: ClassBalanceParams) -> Outcome:
    from governance.rules.quality_checks import check_class_balance

    return check_class_balance(ctx, params)


def evaluate_data_schema(ctx: RuleContext, params: DataSchemaParams) -> Outcome:
    from governance.rules.schema_checks import check_data_schema

    return check_data_schema(ctx, params)


def evaluate_outliers(ctx: RuleContext, params: OutliersParams) -> Outcome:
    from governance.rules.quality_checks import check_outliers

    return check_outliers(ctx, params)


def evaluate_dimensionality(ctx: RuleContext, params: DimensionalityParams) -> Outcome:
    from governance.rules.quality_checks import check_dimensionality

    return check_dimensionality(ctx, params)


def evaluate_feature_correlation(ctx: RuleContext,
                                 params: FeatureCorrelationParams) -> Outcome:
    from governance.rules.quality_checks import check_feature_correlation

    return check_feature_correlation(ctx, params)


def evaluate_label_leakage(ctx: RuleContext, params: LabelLeakageParams) -> Outcome:
    from governance.rules.quality_checks import check_label_leakage

    return check_label_leakage(ctx, params)


def evaluate_feature_scaling(ctx: RuleContext, params: FeatureScalingParams) -> Outcome:
    from governance.rules.scaling_checks import check_feature_scaling

    return check_feature_scaling(ctx, params)


def needs_columns(ctx: RuleContext, params: Any) -> Sequence[StatNeed]:
    from governance.rules.data_needs import needs_columns as declared

    return declared(ctx, params)


def needs_outliers(ctx: RuleContext, params: OutliersParams) -> Sequence[StatNeed]:
    from governance.rules.data_needs import needs_outliers as declared

    return declared(ctx, params)


def needs_class_balance(ctx: RuleContext, params: ClassBalanceParams) -> Sequence[StatNeed]:
    from governance.rules.data_needs import needs_class_balance as declared

    return declared(ctx, params)


def needs_data_schema(ctx: RuleContext, params: DataSchemaParams) -> Sequence[StatNeed]:
    from governance.rules.data_needs import needs_data_schema as declared

    return declared(ctx, params)


FAMILY = "data_quality"

KINDS: tuple[RuleKind[Any], ...] = (
    RuleKind("missing_values", FAMILY, "Share of missing cells per column (and overall) of a "
             "dataset artifact is at most a threshold.", MissingValuesParams,
             evaluate_missing_values, needs=needs_columns),
    RuleKind("duplicate_rows", FAMILY, "Share of rows that repeat an earlier row is at most "
             "a threshold.", DuplicateRowsParams, evaluate_duplicate_rows),
    RuleKind("constant_columns", FAMILY, "No (or at most N) constant or near-constant "
             "columns.", ConstantColumnsParams, evaluate_constant_columns,
             needs=needs_columns),
    RuleKind("class_balance", FAMILY, "The label's minority class share is at least x, or "
             "the majority/minority ratio at most y.", ClassBalanceParams,
             evaluate_class_balance, needs=needs_class_balance),
    RuleKind("data_schema", FAMILY, "Required columns, types, nullability, allowed "
             "categories and numeric ranges of a dataset.", DataSchemaParams,
             evaluate_data_schema, needs=needs_data_schema),
    RuleKind("outliers", FAMILY, "Share of outliers per numeric column (IQR fences or "
             "z-score) is at most a threshold.", OutliersParams, evaluate_outliers,
             needs=needs_outliers),
    RuleKind("dimensionality", FAMILY, "Enough rows per feature (curse of dimensionality).",
             DimensionalityParams, evaluate_dimensionality),
    RuleKind("feature_correlation", FAMILY, "No highly correlated (redundant) feature pairs "
             "(Pearson, Spearman, optionally Cramér's V).", FeatureCorrelationParams,
             evaluate_feature_correlation),
    RuleKind("label_leakage", FAMILY, "No single feature predicts the label almost "
             "perfectly (ROC AUC / decision-stump balanced accuracy).", LabelLeakageParams,
             evaluate_label_leakage),
    RuleKind("feature_scaling", FAMILY, "A scale-sensitive algorithm named in the card "
             "comes with declared feature scaling.", FeatureScalingParams,
             evaluate_feature_scaling),
)
