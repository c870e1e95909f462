"""Parameters of the ``feature_scaling`` rule kind; import-light, as all of
:mod:`governance.rules.params`."""

from pydantic import Field

from governance.rules.params import Params

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


#: The parameters model of ``feature_scaling`` (read by the registry).
PARAMS: type[Params] = FeatureScalingParams
