"""Rule kinds of the data quality family.

Import-light: only the parameter models live here. Each ``evaluate`` imports its computation
from :mod:`governance.rules.quality_checks` (pandas, numpy, scipy) when the rule runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, model_validator

from governance.rules.base import Outcome, Params, RuleContext, RuleKind

if TYPE_CHECKING:
    from governance.evidence.needs import StatNeed

ARTIFACT_HELP = ("Name of a dataset artifact in the card (default: the only dataset artifact, "
                 "or the one the card's data.training section names)")


class _DatasetParams(Params):
    artifact: str | None = Field(default=None, description=ARTIFACT_HELP)


class _ColumnsParams(_DatasetParams):
    columns: list[str] | None = Field(default=None, description="Columns to check (default: "
                                      "all, or the artifact's declared features where noted)")
    exclude: list[str] = Field(default_factory=list, description="Columns to leave out")


class MissingValuesParams(_ColumnsParams):
    max_column_rate: float = Field(default=0.05, ge=0, le=1,
                                   description="Highest share of missing cells per column")
    max_overall_rate: float | None = Field(default=None, ge=0, le=1,
                                           description="Highest share of missing cells "
                                           "over all checked columns")
    per_column: dict[str, float] = Field(default_factory=dict,
                                         description="Per-column max rate overrides")
    missing_markers: list[str] = Field(default_factory=list,
                                       description="Text values that also mean missing, "
                                       "e.g. '?', 'NA' (empty text always does)")

    @model_validator(mode="after")
    def _rates(self) -> MissingValuesParams:
        bad = [k for k, v in self.per_column.items() if not 0 <= v <= 1]
        if bad:
            raise ValueError(f"per_column rates must lie in [0, 1]: {', '.join(bad)}")
        return self


class DuplicateRowsParams(_ColumnsParams):
    max_share: float = Field(default=0.0, ge=0, le=1,
                             description="Highest share of rows repeating an earlier row")


class ConstantColumnsParams(_ColumnsParams):
    max_constant: int = Field(default=0, ge=0, description="Constant columns allowed")
    near_constant_share: float | None = Field(
        default=None, gt=0, le=1,
        description="A column whose most frequent value covers at least this share of its "
        "non-missing cells is near-constant (None: not checked)")
    max_near_constant: int = Field(default=0, ge=0,
                                   description="Near-constant columns allowed")


class ClassBalanceParams(_DatasetParams):
    label: str | None = Field(default=None, description="Label column (default: the "
                              "artifact's columns.label)")
    min_minority_share: float | None = Field(default=None, ge=0, le=1)
    max_imbalance_ratio: float | None = Field(default=None, ge=1,
                                              description="Majority count / minority count")
    min_classes: int = Field(default=2, ge=1)

    @model_validator(mode="after")
    def _some_bound(self) -> ClassBalanceParams:
        if self.min_minority_share is None and self.max_imbalance_ratio is None:
            raise ValueError("give min_minority_share or max_imbalance_ratio")
        return self


class ColumnSchema(Params):
    dtype: Literal["any", "numeric", "integer", "float", "string", "categorical", "boolean",
                   "datetime"] = "any"
    required: bool = True
    nullable: bool = True
    min: float | None = None
    max: float | None = None
    allowed: list[str | int | float | bool] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _range(self) -> ColumnSchema:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class DataSchemaParams(_DatasetParams):
    columns: dict[str, ColumnSchema] = Field(min_length=1)
    allow_extra_columns: bool = True


class OutliersParams(_ColumnsParams):
    method: Literal["iqr", "zscore"] = "iqr"
    iqr_k: float = Field(default=1.5, gt=0)
    z_threshold: float = Field(default=3.0, gt=0)
    max_share: float = Field(default=0.05, ge=0, le=1,
                             description="Highest share of outliers per column")
    per_column: dict[str, float] = Field(default_factory=dict)
    label: str | None = Field(default=None, description="Left out of the default columns")


class DimensionalityParams(_DatasetParams):
    features: list[str] | None = Field(default=None, description="Default: the artifact's "
                                       "columns.features, else every column but the label")
    label: str | None = None
    min_rows_per_feature: float = Field(default=10.0, gt=0)
    expand_categoricals: bool = Field(default=False, description="Count a categorical "
                                      "feature as (categories - 1) one-hot columns")
    max_features: int | None = Field(default=None, ge=1)


CorrelationMethod = Literal["pearson", "spearman"]
CORRELATION_METHODS: tuple[CorrelationMethod, ...] = ("pearson", "spearman")


class FeatureCorrelationParams(_ColumnsParams):
    methods: list[CorrelationMethod] = Field(
        default_factory=lambda: list(CORRELATION_METHODS), min_length=1)
    max_abs_correlation: float = Field(default=0.95, gt=0, le=1)
    categorical: bool = Field(default=False, description="Also Cramér's V between "
                              "categorical columns")
    max_cramers_v: float = Field(default=0.95, gt=0, le=1)
    max_categories: int = Field(default=50, ge=2)
    max_pairs: int = Field(default=0, ge=0, description="Redundant pairs allowed")
    label: str | None = Field(default=None, description="Left out of the default columns")


class LabelLeakageParams(_DatasetParams):
    label: str | None = None
    features: list[str] | None = Field(default=None, description="Default: the artifact's "
                                       "columns.features, else every column but the label")
    exclude: list[str] = Field(default_factory=list)
    max_score: float = Field(default=0.95, gt=0.5, le=1,
                             description="Highest single-feature ROC AUC / stump balanced "
                             "accuracy")
    max_categories: int = Field(default=50, ge=2)


DEFAULT_SCALE_SENSITIVE = [
    "knn", "k-nn", "k-nearest", "nearest neighbo", "kneighbors", "svm", "svc", "svr",
    "support vector", "k-means", "kmeans", "pca", "principal component", "logistic",
    "ridge", "lasso", "elastic net", "elasticnet", "sgd",
    "neural", "mlp", "perceptron", "deep learning",
]
DEFAULT_SCALING_TERMS = [
    "scal", "standardi", "normali", "z-score", "zscore", "minmax", "min-max", "robustscaler",
    "standardscaler",
]


class FeatureScalingParams(Params):
    sensitive_algorithms: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SCALE_SENSITIVE), min_length=1,
        description="Terms (matched at a word start, case-insensitive) naming scale-sensitive "
        "algorithms in model.algorithm")
    scaling_terms: list[str] = Field(
        default_factory=lambda: list(DEFAULT_SCALING_TERMS), min_length=1,
        description="Terms in data.preprocessing that declare scaling")


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
