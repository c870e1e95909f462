"""Real data sets (German credit, Adult, COMPAS) turned into predictions to audit.

German credit and Adult get scores from a small logistic regression (fitted here, fixed
seed); COMPAS uses the vendor's own decile score (y_pred = decile_score >= 5), as in
ProPublica's analysis. Adult is subsampled to keep the tests fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[1] / "data"  # tests/data (see LICENSE.md there)


@dataclass(frozen=True)
class Audit:
    name: str
    y_true: np.ndarray
    y_pred: np.ndarray
    y_score: np.ndarray
    features: dict[str, np.ndarray]
    weight: np.ndarray


def _fit_scores(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    xs = StandardScaler().fit_transform(x)
    model = LogisticRegression(max_iter=500).fit(xs, y)
    return model.predict_proba(xs)[:, 1]


def _weights(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.2, 3.0, n)


@pytest.fixture(scope="session")
def german() -> Audit:
    df = pd.read_csv(DATA / "german-credit" / "german.data", sep=" ", header=None)
    y = (df[20] == 1).astype(int).to_numpy()
    x = df[[1, 4, 7, 10, 12, 15, 17]].to_numpy(dtype=float)
    score = np.round(_fit_scores(x, y), 3)  # rounding makes ties, as real scores have
    sex = np.where(df[8].isin(["A92", "A95"]), "female", "male")
    age = np.where(df[12] < 25, "<25", ">=25")
    return Audit("german", y, (score >= 0.5).astype(int), score,
                 {"sex": sex, "age_group": age, "foreign_worker": df[19].to_numpy()},
                 _weights(len(y), 1))


@pytest.fixture(scope="session")
def adult() -> Audit:
    cols = ["age", "workclass", "fnlwgt", "education", "education_num", "marital", "occupation",
            "relationship", "race", "sex", "capital_gain", "capital_loss", "hours", "country",
            "income"]
    df = pd.read_csv(DATA / "adult" / "adult.data", header=None, names=cols,
                     skipinitialspace=True)
    df = df.sample(n=4000, random_state=0).reset_index(drop=True)
    y = (df["income"] == ">50K").astype(int).to_numpy()
    x = df[["age", "education_num", "capital_gain", "capital_loss", "hours"]].to_numpy(float)
    score = _fit_scores(x, y)
    return Audit("adult", y, (score >= 0.5).astype(int), score,
                 {"sex": df["sex"].to_numpy(), "race": df["race"].to_numpy()},
                 df["fnlwgt"].to_numpy(dtype=float))


@pytest.fixture(scope="session")
def compas() -> Audit:
    df = pd.read_csv(DATA / "compas" / "compas-scores-two-years.csv")
    y = df["two_year_recid"].to_numpy(dtype=int)
    decile = df["decile_score"].to_numpy(dtype=int)
    return Audit("compas", y, (decile >= 5).astype(int), decile / 10.0,
                 {"race": df["race"].to_numpy(), "sex": df["sex"].to_numpy()},
                 _weights(len(y), 2))


@pytest.fixture(scope="session")
def random_audit() -> Audit:
    rng = np.random.default_rng(7)
    n = 3000
    g1 = rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2])
    g2 = rng.choice(["x", "y"], n)
    y = rng.integers(0, 2, n)
    score = np.clip(0.35 * y + rng.normal(0.35, 0.25, n), 0, 1)
    score = np.round(score, 2)
    return Audit("random", y, (score >= 0.5).astype(int), score, {"g1": g1, "g2": g2},
                 _weights(n, 3))


@pytest.fixture(scope="session", params=["german", "adult", "compas", "random_audit"])
def audit(request: pytest.FixtureRequest) -> Audit:
    value: Audit = request.getfixturevalue(request.param)
    return value
