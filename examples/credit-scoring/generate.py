"""Regenerate the credit-scoring example deterministically from the German credit data.

    python examples/credit-scoring/generate.py

Reads data/german.data (UCI Statlog German Credit, CC BY 4.0), decodes it into readable columns,
splits it (stratified, seed 42), trains a scikit-learn logistic-regression pipeline, and writes:
the train/test datasets, prediction files with sensitive features, cross-validation scores,
permutation feature importances, the fitted model (a joblib pickle: the checker only hashes
it, never loads it), the model card of this release (1.1.0) and of the previous release
(1.0.0, the baseline), each with the sha256 of every artifact.

Sensitive attributes (sex, age group, foreign worker) are kept in the data and prediction files
for fairness evaluation but are not model inputs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

HERE = Path(__file__).resolve().parent
SEED = 42

RAW_COLUMNS = [
    "checking_status", "duration_months", "credit_history", "purpose", "credit_amount",
    "savings", "employment_since", "installment_rate", "personal_status", "other_debtors",
    "residence_since", "property", "age", "other_installment_plans", "housing",
    "existing_credits", "job", "num_dependents", "telephone", "foreign_worker", "class",
]
MAPS = {  # column -> key in values_maps.json
    "checking_status": "status", "credit_history": "credit_history", "purpose": "purpose",
    "savings": "savings", "employment_since": "present_employment",
    "personal_status": "status_sex", "other_debtors": "other_debtors", "property": "property",
    "other_installment_plans": "installment_plans", "housing": "housing", "job": "job",
}
SENSITIVE = ["sex", "age_group", "foreign_worker"]
NUMERIC = ["duration_months", "credit_amount", "installment_rate", "residence_since",
           "existing_credits", "num_dependents"]
CATEGORICAL = ["checking_status", "credit_history", "purpose", "savings", "employment_since",
               "other_debtors", "property", "other_installment_plans", "housing", "job",
               "telephone"]
FEATURES = NUMERIC + CATEGORICAL


def load() -> pd.DataFrame:
    raw = pd.read_csv(HERE / "data" / "german.data", sep=" ", header=None, names=RAW_COLUMNS)
    maps = json.loads((HERE / "data" / "values_maps.json").read_text())
    df = raw.copy()
    for col, key in MAPS.items():
        df[col] = raw[col].map(lambda v, m=maps[key]: str(m[v]).strip())
    df["telephone"] = raw["telephone"].map({"A191": "none", "A192": "yes"})
    df["foreign_worker"] = raw["foreign_worker"].map({"A201": "yes", "A202": "no"})
    df["sex"] = raw["personal_status"].map(
        lambda v: "female" if v in ("A92", "A95") else "male")
    df["age_group"] = np.where(raw["age"] < 25, "<25", ">=25")
    df["credit_risk"] = (raw["class"] == 1).astype(int)  # 1 = good credit risk
    df = df.drop(columns=["class"])
    df.insert(0, "applicant_id", [f"A{i:04d}" for i in range(1, len(df) + 1)])
    return df


def build(c: float) -> Pipeline:
    pre = ColumnTransformer([
        ("num", StandardScaler(), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), CATEGORICAL),
    ])
    return Pipeline([("pre", pre), ("clf", LogisticRegression(C=c, max_iter=2000))])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def metrics(y: np.ndarray, pred: np.ndarray, score: np.ndarray) -> dict[str, float]:
    return {
        "accuracy": accuracy_score(y, pred),
        "balanced_accuracy": balanced_accuracy_score(y, pred),
        "precision": precision_score(y, pred),
        "recall": recall_score(y, pred),
        "f1": f1_score(y, pred),
        "roc_auc": roc_auc_score(y, score),
        "log_loss": log_loss(y, score),
        "brier": brier_score_loss(y, score),
    }


def predictions(model: Pipeline, df: pd.DataFrame) -> pd.DataFrame:
    score = np.round(model.predict_proba(df[FEATURES])[:, 1], 10)
    return pd.DataFrame({
        "applicant_id": df["applicant_id"].to_numpy(),
        "y_true": df["credit_risk"].to_numpy(),
        "y_pred": (score >= 0.5).astype(int),
        "y_score": score,
        **{s: df[s].to_numpy() for s in SENSITIVE},
    })


def main() -> None:
    df = load()
    train, test = train_test_split(df, test_size=0.3, random_state=SEED,
                                   stratify=df["credit_risk"])
    train = train.sort_values("applicant_id").reset_index(drop=True)
    test = test.sort_values("applicant_id").reset_index(drop=True)
    for sub in ("data", "predictions", "evaluation", "model", "explain", "baseline"):
        (HERE / sub).mkdir(exist_ok=True)
    train.to_csv(HERE / "data" / "train.csv", index=False)
    test.to_csv(HERE / "data" / "test.csv", index=False)

    model = build(c=1.0)
    model.fit(train[FEATURES], train["credit_risk"])
    pred_test = predictions(model, test)
    pred_train = predictions(model, train)
    pred_test.to_csv(HERE / "predictions" / "test.csv", index=False)
    pred_train.to_csv(HERE / "predictions" / "train.csv", index=False)
    joblib.dump(model, HERE / "model" / "model.pkl", compress=3)

    cv = cross_validate(build(c=1.0), train[FEATURES], train["credit_risk"],
                        cv=StratifiedKFold(5, shuffle=True, random_state=SEED),
                        scoring=["accuracy", "roc_auc"])
    rows = [(i + 1, m, round(float(cv[f"test_{m}"][i]), 10)) for m in ("accuracy", "roc_auc")
            for i in range(5)]
    pd.DataFrame(rows, columns=["fold", "metric", "value"]).to_csv(
        HERE / "evaluation" / "cv_scores.csv", index=False)

    imp = permutation_importance(model, test[FEATURES], test["credit_risk"], n_repeats=10,
                                 random_state=SEED, scoring="roc_auc")
    fi = pd.DataFrame({"feature": FEATURES, "importance": np.round(imp.importances_mean, 10),
                       "std": np.round(imp.importances_std, 10)})
    fi.sort_values(["importance", "feature"], ascending=[False, True]).to_csv(
        HERE / "explain" / "feature_importance.csv", index=False)

    current = metrics(pred_test["y_true"].to_numpy(), pred_test["y_pred"].to_numpy(),
                      pred_test["y_score"].to_numpy())
    # The previous release (1.0.0): a more strongly regularised model, evaluated on the same
    # test split. Only its card is kept, as the baseline.
    base_model = build(c=0.05)
    base_model.fit(train[FEATURES], train["credit_risk"])
    bp = predictions(base_model, test)
    bp.to_csv(HERE / "baseline" / "predictions.csv", index=False)
    joblib.dump(base_model, HERE / "baseline" / "model.pkl", compress=3)
    previous = metrics(bp["y_true"].to_numpy(), bp["y_pred"].to_numpy(),
                       bp["y_score"].to_numpy())

    digests = {p: sha256(HERE / p) for p in (
        "data/train.csv", "data/test.csv", "predictions/test.csv", "predictions/train.csv",
        "evaluation/cv_scores.csv", "model/model.pkl", "explain/feature_importance.csv",
        "baseline/model.pkl", "baseline/predictions.csv")}
    template = (HERE / "model-card.template.yaml").read_text()
    (HERE / "model-card.yaml").write_text(render_card(template, "1.1.0", current, digests))
    # The baseline card describes release 1.0.0: its own model file and test predictions.
    base = (HERE / "baseline-card.template.yaml").read_text()
    base = base.replace("path: model/model.pkl\n    sha256: {sha_model_model_pkl}",
                        "path: baseline/model.pkl\n    sha256: {sha_baseline_model_pkl}")
    base = base.replace("path: predictions/test.csv\n    sha256: {sha_predictions_test_csv}",
                        "path: baseline/predictions.csv\n"
                        "    sha256: {sha_baseline_predictions_csv}")
    (HERE / "baseline" / "model-card.yaml").write_text(
        render_card(base, "1.0.0", previous, digests))
    print(json.dumps({"current": current, "previous": previous}, indent=2))


def render_card(template: str, version: str, m: dict[str, float],
                digests: dict[str, str]) -> str:
    values: dict[str, str] = {"version": version}
    for k, v in m.items():
        values[f"m_{k}"] = f"{v:.4f}"
    for path, digest in digests.items():
        values["sha_" + path.replace("/", "_").replace(".", "_")] = digest
    return template.format(**values)


if __name__ == "__main__":
    main()
