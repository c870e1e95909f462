"""Data-quality rule kinds through the engine: pass / fail / error / waived, exact messages.

Synthetic tables are built by hand so the expected numbers can be worked out on paper; the
real data sets (German credit example, COMPAS, Adult) are checked against values computed
independently here with pandas / scipy / scikit-learn.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from governance.api import CheckRequest, run_check
from governance.errors import PolicyError
from governance.report import Finding, KeyValueEvidence, Status, TableEvidence

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "credit-scoring"

Tables = dict[str, tuple[pd.DataFrame, str, dict[str, Any] | None]]


def make_project(tmp: Path, tables: Tables, model: dict[str, Any] | None = None,
                 data: dict[str, Any] | None = None) -> Path:
    artifacts = []
    (tmp / "data").mkdir(exist_ok=True)
    for name, (df, role, cols) in tables.items():
        df.to_csv(tmp / "data" / f"{name}.csv", index=False)
        art: dict[str, Any] = {"name": name, "role": role, "path": f"data/{name}.csv"}
        if cols:
            art["columns"] = cols
        artifacts.append(art)
    card: dict[str, Any] = {
        "apiVersion": "governance/v1", "kind": "ModelCard",
        "model": {"name": "m", "version": "1.0.0", "task": "binary_classification",
                  **(model or {})},
        "artifacts": artifacts}
    if data is not None:
        card["data"] = data
    (tmp / "card.yaml").write_text(json.dumps(card, indent=1), encoding="utf-8")
    return tmp


def check(root: Path, kind: str, params: dict[str, Any], *, card: Path | None = None,
          waivers: list[dict[str, Any]] | None = None, policy_dir: Path | None = None) -> Finding:
    where = policy_dir or root
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "t", "version": "1"},
              "rules": [{"id": "R1", "title": "t", "kind": kind, "severity": "high",
                         "params": params}],
              "waivers": waivers or []}
    (where / "policy.yaml").write_text(json.dumps(policy, indent=1), encoding="utf-8")
    report = run_check(CheckRequest(policies=[where / "policy.yaml"],
                                    card=card or root / "card.yaml", root=root, now=NOW,
                                    report_id="r")).report
    (finding,) = report.findings
    return finding


def table(f: Finding, index: int = 0) -> TableEvidence:
    blocks = [e for e in f.evidence if isinstance(e, TableEvidence)]
    return blocks[index]


def kv(f: Finding) -> KeyValueEvidence:
    return next(e for e in f.evidence if isinstance(e, KeyValueEvidence))


def one(df: pd.DataFrame, cols: dict[str, Any] | None = None) -> Tables:
    return {"ds": (df, "dataset", cols)}


# ---------------------------------------------------------------------------------------------
# missing_values
# ---------------------------------------------------------------------------------------------
MISSING = pd.DataFrame({
    "a": [1, 2, None, 4, 5, 6, 7, 8, 9, 10],  # 1 of 10 missing
    "b": ["x", "?", "y", "", "z", "x", "y", "z", "x", "y"],  # "" always missing, "?" a marker
    "c": list(range(10)),
})


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"max_column_rate": 0.2}, Status.PASS,
     "missing values of 'ds' within limits: highest column rate 10.0% (a), overall 6.7%"),
    ({}, Status.FAIL,
     "2 of 3 columns of 'ds' exceed their missing-value limit: a 10.0% > 5.0%, "
     "b 10.0% > 5.0%"),
    ({"missing_markers": ["?"], "max_column_rate": 0.15}, Status.FAIL,
     "1 of 3 columns of 'ds' exceed their missing-value limit: b 20.0% > 15.0%"),
    ({"max_column_rate": 0.5, "per_column": {"a": 0.0}}, Status.FAIL,
     "1 of 3 columns of 'ds' exceed their missing-value limit: a 10.0% > 0.0%"),
    ({"max_column_rate": 0.5, "max_overall_rate": 0.05}, Status.FAIL,
     "overall missing rate 6.7% of 'ds' exceeds 5.0%"),
    ({"columns": ["c"], "max_column_rate": 0.0}, Status.PASS,
     "no missing values in 1 column(s) of 'ds'"),
    ({"columns": ["nope"]}, Status.ERROR,
     "artifact 'ds' (data/ds.csv) has no column(s) 'nope' (columns: a, b, c)"),
    ({"artifact": "other"}, Status.ERROR,
     "card.yaml: artifacts: the card has no artifact named 'other'"),
])
def test_missing_values(tmp_path: Path, params: dict[str, Any], status: Status,
                        message: str) -> None:
    f = check(make_project(tmp_path, one(MISSING)), "missing_values", params)
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL and "per_column" not in params and "max_overall_rate" not in params:
        assert table(f).columns == ["column", "missing", "rows", "missing rate", "max rate",
                                    "exceeds"]
        assert [r[:3] for r in table(f).rows][:2] == [["a", 1, 10], ["b", 2 if "missing_markers"
                                                                     in params else 1, 10]]


def test_missing_values_needs_a_dataset_artifact(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"p": (MISSING, "predictions", None)})
    f = check(root, "missing_values", {})
    assert (f.status, f.message) == (
        Status.ERROR, "card.yaml: artifacts: the card has no dataset artifact: "
        "insufficient evidence")


def test_missing_values_waived_whole_and_by_column(tmp_path: Path) -> None:
    root = make_project(tmp_path, one(MISSING))
    waiver = {"rule_id": "R1", "reason": "known gap", "approved_by": "dpo",
              "expires": "2027-01-01"}
    f = check(root, "missing_values", {}, waivers=[waiver])
    assert f.status is Status.WAIVED and f.waiver is not None
    # A column-scoped waiver only waives when it covers every failing column.
    f = check(root, "missing_values", {}, waivers=[{**waiver, "scope": {"group": "a"}}])
    assert f.status is Status.FAIL
    assert f.notes == ["group-scoped waivers do not cover: b"]
    f = check(root, "missing_values", {}, waivers=[{**waiver, "scope": {"group": "a"}},
                                                   {**waiver, "scope": {"group": "b"}}])
    assert f.status is Status.WAIVED


def test_missing_values_rejects_bad_params(tmp_path: Path) -> None:
    root = make_project(tmp_path, one(MISSING))
    with pytest.raises(PolicyError) as exc:
        check(root, "missing_values", {"per_column": {"a": 2}})
    assert "per_column rates must lie in [0, 1]: a" in str(exc.value)


# ---------------------------------------------------------------------------------------------
# duplicate_rows
# ---------------------------------------------------------------------------------------------
DUPES = pd.DataFrame({"id": range(10), "x": [1, 2, 3, 1, 2, 6, 7, 8, 9, 10],
                      "y": ["a", "b", "c", "a", "b", "f", "g", "h", "i", "j"]})


@pytest.mark.parametrize(("params", "status", "message"), [
    ({}, Status.PASS,
     "0 of 10 rows of 'ds' (0.0%) repeat an earlier row on all columns (at most 0.0% "
     "allowed)"),
    ({"exclude": ["id"]}, Status.FAIL,
     "2 of 10 rows of 'ds' (20.0%) repeat an earlier row on 2 columns; at most 0.0% allowed"),
    ({"exclude": ["id"], "max_share": 0.2}, Status.PASS,
     "2 of 10 rows of 'ds' (20.0%) repeat an earlier row on 2 columns (at most 20.0% "
     "allowed)"),
    ({"columns": ["y"], "max_share": 0.1}, Status.FAIL,
     "2 of 10 rows of 'ds' (20.0%) repeat an earlier row on 1 columns; at most 10.0% allowed"),
    ({"exclude": ["idx"]}, Status.ERROR,
     "artifact 'ds' (data/ds.csv) has no column(s) 'idx' (columns: id, x, y)"),
])
def test_duplicate_rows(tmp_path: Path, params: dict[str, Any], status: Status,
                        message: str) -> None:
    f = check(make_project(tmp_path, one(DUPES)), "duplicate_rows", params)
    assert (f.status, f.message) == (status, message)
    assert f.status is Status.ERROR or kv(f).items["duplicate rows"] == int(
        DUPES[[c for c in DUPES if c not in params.get("exclude", [])]
              if "columns" not in params else params["columns"]].duplicated().sum())


# ---------------------------------------------------------------------------------------------
# constant_columns
# ---------------------------------------------------------------------------------------------
CONST = pd.DataFrame({"k": ["same"] * 10, "near": ["a"] * 9 + ["b"], "v": range(10),
                      "e": [None] * 10})


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"columns": ["v", "near"]}, Status.PASS,
     "constant columns of 'ds' within limits: 0 constant (at most 0) among 2 column(s)"),
    ({}, Status.FAIL, "2 constant column(s) in 'ds' (k, e), at most 0 allowed"),
    ({"max_constant": 2, "near_constant_share": 0.9}, Status.FAIL,
     "1 near-constant column(s) in 'ds' (near: one value in 90.0% >= 90.0%), at most 0 "
     "allowed"),
    ({"max_constant": 2, "near_constant_share": 0.95}, Status.PASS,
     "constant columns of 'ds' within limits: 2 constant (at most 2), 0 near-constant "
     "(at most 0) among 4 column(s)"),
    ({"exclude": ["k", "e", "near", "v"]}, Status.ERROR,
     "artifact 'ds': no columns left to check"),
])
def test_constant_columns(tmp_path: Path, params: dict[str, Any], status: Status,
                          message: str) -> None:
    f = check(make_project(tmp_path, one(CONST)), "constant_columns", params)
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        rows = {r[0]: r for r in table(f).rows}
        assert rows["e"][1:] == [0, 0, None, "constant (no values)"]
        assert rows["near"][1:4] == [10, 2, 0.9]


# ---------------------------------------------------------------------------------------------
# class_balance
# ---------------------------------------------------------------------------------------------
BAL = pd.DataFrame({"y": [0] * 7 + [1] * 3, "z": [0] * 10, "e": [None] * 10})


@pytest.mark.parametrize(("params", "cols", "status", "message"), [
    ({"min_minority_share": 0.3}, {"label": "y"}, Status.PASS,
     "label 'y' of 'ds' is balanced enough: minority class '1' 30.0%, imbalance ratio 2.333"),
    ({"min_minority_share": 0.35}, {"label": "y"}, Status.FAIL,
     "label 'y' of 'ds': minority class '1' is 30.0% of 10 labelled rows, below the minimum "
     "35.0%"),
    ({"max_imbalance_ratio": 2}, {"label": "y"}, Status.FAIL,
     "label 'y' of 'ds': imbalance ratio 2.333 (7:3) is above the maximum 2"),
    ({"max_imbalance_ratio": 3, "label": "z"}, {"label": "y"}, Status.FAIL,
     "label 'z' of 'ds': only 1 class(es), at least 2 needed; imbalance ratio n/a (10:10) is "
     "above the maximum 3"),
    ({"min_minority_share": 0.1}, None, Status.ERROR,
     "artifact 'ds' declares no label column (columns.label) and the rule gives no 'label' "
     "param: insufficient evidence"),
    ({"min_minority_share": 0.1, "label": "e"}, None, Status.ERROR,
     "label column 'e' of 'ds' has no values: insufficient evidence"),
    ({"min_minority_share": 0.1, "label": "nope"}, None, Status.ERROR,
     "artifact 'ds' (data/ds.csv) has no column(s) 'nope' (columns: y, z, e)"),
])
def test_class_balance(tmp_path: Path, params: dict[str, Any], cols: dict[str, Any] | None,
                       status: Status, message: str) -> None:
    f = check(make_project(tmp_path, one(BAL, cols)), "class_balance", params)
    assert (f.status, f.message) == (status, message)
    if f.message.startswith("label 'y'"):
        assert table(f).rows == [["0", 7, 0.7], ["1", 3, 0.3]]


def test_class_balance_needs_a_bound(tmp_path: Path) -> None:
    root = make_project(tmp_path, one(BAL))
    with pytest.raises(PolicyError) as exc:
        check(root, "class_balance", {})
    assert "give min_minority_share or max_imbalance_ratio" in str(exc.value)
    assert "rules[0].params" in str(exc.value)


# ---------------------------------------------------------------------------------------------
# data_schema
# ---------------------------------------------------------------------------------------------
SCHEMA = pd.DataFrame({"age": [20, 30, 40, 150, 25], "sex": ["f", "m", "x", "x", "f"],
                       "score": [0.5, None, 0.25, 1.0, 0.75], "e": [None] * 5,
                       "when": ["2024-01-01", "2024-02-03", "2024-03-01", None, "2024-05-06"]})


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"columns": {"age": {"dtype": "integer", "min": 0, "max": 200},
                  "sex": {"dtype": "categorical", "allowed": ["f", "m", "x"]},
                  "score": {"dtype": "float", "min": 0, "max": 1},
                  "when": {"dtype": "datetime"}, "opt": {"required": False}}},
     Status.PASS, "'ds' conforms to the declared schema of 5 column(s)"),
    ({"columns": {"age": {"dtype": "integer", "min": 0, "max": 120},
                  "sex": {"allowed": ["f", "m"]},
                  "score": {"nullable": False, "dtype": "float"},
                  "zip": {"dtype": "string"}}},
     Status.FAIL, "4 schema violation(s) in 'ds': age: 1 value(s) outside [0, 120], sex: 2 "
     "value(s) not in the allowed categories (x), score: 1 missing value(s) in a "
     "non-nullable column, zip: required column missing"),
    ({"columns": {"sex": {"dtype": "numeric"}, "score": {"dtype": "integer"},
                  "age": {"allowed": [20, 30, 40, 25]}}},
     Status.FAIL, "3 schema violation(s) in 'ds': sex: type string, expected numeric, score: "
     "type float, expected integer, age: 1 value(s) not in the allowed categories (150)"),
    ({"columns": {"sex": {"min": 0}}}, Status.FAIL,
     "1 schema violation(s) in 'ds': sex: not numeric, so its range cannot be checked"),
    ({"columns": {"age": {}}, "allow_extra_columns": False}, Status.FAIL,
     "1 schema violation(s) in 'ds': (extra columns): 4 undeclared column(s): sex, score, e, "
     "when"),
    ({"columns": {"e": {"dtype": "string"}}}, Status.ERROR,
     "column(s) e of 'ds' have no values, so their type cannot be checked: insufficient "
     "evidence"),
])
def test_data_schema(tmp_path: Path, params: dict[str, Any], status: Status,
                     message: str) -> None:
    f = check(make_project(tmp_path, one(SCHEMA)), "data_schema", params)
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL and "zip" in params["columns"]:
        assert f.observed == {"violations": 4}
        assert sorted(f.locations[-1].model_dump().items()) == sorted({
            "role": "card", "path": "card.yaml", "line": 10, "col": 3,
            "field": "artifacts[0]"}.items())


# ---------------------------------------------------------------------------------------------
# outliers
# ---------------------------------------------------------------------------------------------
OUT = pd.DataFrame({"v": [*range(1, 21), 100], "s": ["a"] * 21, "y": [0, 1] * 10 + [0],
                    "e": [None] * 21})


@pytest.mark.parametrize(("params", "cols", "status", "message"), [
    # sorted v: Q1 = 6, Q3 = 16, IQR 10, fences [-9, 31]: only 100 is out (1 of 21 = 4.8%)
    ({"columns": ["v"]}, None, Status.PASS,
     "outlier shares (IQR fences, k=1.5) of 1 numeric column(s) of 'ds' within limits; "
     "highest 4.8% (v)"),
    ({"max_share": 0.04, "exclude": ["e"]}, {"label": "y"}, Status.FAIL,
     "1 of 1 numeric column(s) of 'ds' have more outliers (IQR fences, k=1.5) than allowed: "
     "v 4.8% > 4.0%"),
    ({"method": "zscore", "max_share": 0.01, "columns": ["v"]}, None, Status.FAIL,
     "1 of 1 numeric column(s) of 'ds' have more outliers (|z| > 3) than allowed: "
     "v 4.8% > 1.0%"),
    ({"method": "zscore", "z_threshold": 5, "max_share": 0.01, "columns": ["v"]}, None,
     Status.PASS, "outlier shares (|z| > 5) of 1 numeric column(s) of 'ds' within limits; "
     "highest 0.0% (v)"),
    ({"columns": ["v", "s"]}, None, Status.ERROR,
     "column(s) s of 'ds' are not numeric; outliers are checked on numeric columns only"),
    ({"columns": ["e"]}, None, Status.ERROR,
     "column 'e' of 'ds' has no values: insufficient evidence"),
])
def test_outliers(tmp_path: Path, params: dict[str, Any], cols: dict[str, Any] | None,
                  status: Status, message: str) -> None:
    f = check(make_project(tmp_path, one(OUT, cols)), "outliers", params)
    assert (f.status, f.message) == (status, message)
    if status is not Status.ERROR:
        v = OUT["v"].to_numpy(dtype=float)
        row = table(f).rows[0]
        if params.get("method") == "zscore":
            z = np.abs(stats.zscore(v))
            assert row[2] == int((z > params.get("z_threshold", 3)).sum())
        else:
            assert row[:6] == ["v", 21, 1, 1 / 21, -9.0, 31.0]


# ---------------------------------------------------------------------------------------------
# dimensionality
# ---------------------------------------------------------------------------------------------
DIM = pd.DataFrame({"a": range(30), "b": range(30), "c": range(30),
                    "cat": ["p", "q", "r"] * 10, "y": [0, 1] * 15})


@pytest.mark.parametrize(("params", "status", "message"), [
    ({}, Status.FAIL,
     "'ds': 30 rows for 4 features is 7.5 rows per feature, below the minimum 10"),
    ({"min_rows_per_feature": 5}, Status.PASS,
     "'ds': 30 rows for 4 features is 7.5 rows per feature (minimum 5)"),
    ({"min_rows_per_feature": 5, "expand_categoricals": True}, Status.PASS,
     "'ds': 30 rows for 5 feature dimensions (one-hot) is 6 rows per feature (minimum 5)"),
    ({"min_rows_per_feature": 5, "max_features": 3}, Status.FAIL,
     "'ds': 4 features, more than the maximum 3"),
    ({"features": ["a", "b"]}, Status.PASS,
     "'ds': 30 rows for 2 features is 15 rows per feature (minimum 10)"),
    ({"features": ["a", "zz"]}, Status.ERROR,
     "artifact 'ds' (data/ds.csv) has no column(s) 'zz' (columns: a, b, c, cat, y)"),
])
def test_dimensionality(tmp_path: Path, params: dict[str, Any], status: Status,
                        message: str) -> None:
    f = check(make_project(tmp_path, one(DIM, {"label": "y"})), "dimensionality", params)
    assert (f.status, f.message) == (status, message)


def test_dimensionality_uses_declared_features(tmp_path: Path) -> None:
    f = check(make_project(tmp_path, one(DIM, {"label": "y", "features": ["a", "cat"]})),
              "dimensionality", {})
    assert f.message == "'ds': 30 rows for 2 features is 15 rows per feature (minimum 10)"


# ---------------------------------------------------------------------------------------------
# feature_correlation
# ---------------------------------------------------------------------------------------------
_a = np.arange(20, dtype=float)
CORR = pd.DataFrame({"a": _a, "b": 2 * _a + 1, "c": (_a * 7) % 20, "d": _a ** 3,
                     "s": ["x", "y"] * 10, "t": ["u", "w"] * 10, "y": [0, 1] * 10})


def test_feature_correlation_table(tmp_path: Path) -> None:
    root = make_project(tmp_path, one(CORR, {"label": "y"}))
    r_ac = stats.spearmanr(CORR["a"], CORR["c"]).statistic
    cases: list[tuple[dict[str, Any], Status, str]] = [
        ({"methods": ["pearson"], "exclude": ["d"]}, Status.FAIL,
         "1 redundant feature pair(s) in 'ds' (at most 0 allowed): a ~ b (pearson 1 > 0.95)"),
        ({"methods": ["spearman"], "columns": ["a", "c"]}, Status.PASS,
         f"no feature pairs of 'ds' above the correlation limits; strongest a ~ c (spearman "
         f"{r_ac:.4g} <= 0.95)"),
        # a ~ d is monotone (Spearman 1) but not linear (Pearson < 0.95)
        ({"columns": ["a", "d"], "methods": ["pearson"]}, Status.PASS,
         "no feature pairs of 'ds' above the correlation limits; strongest a ~ d (pearson "
         f"{stats.pearsonr(_a, _a ** 3).statistic:.4g} <= 0.95)"),
        ({"columns": ["a", "d"]}, Status.FAIL,
         "1 redundant feature pair(s) in 'ds' (at most 0 allowed): a ~ d (spearman 1 > 0.95)"),
        ({"columns": ["a", "b", "c", "s", "t"], "categorical": True, "max_pairs": 1},
         Status.FAIL, "2 redundant feature pair(s) in 'ds' (at most 1 allowed): a ~ b "
         "(pearson 1 > 0.95), s ~ t (cramers_v 1 > 0.95)"),
        ({"columns": ["a", "s"]}, Status.ERROR,
         "artifact 'ds' has fewer than two numeric columns to correlate: insufficient "
         "evidence"),
    ]
    for params, status, message in cases:
        f = check(root, "feature_correlation", params)
        assert (f.status, f.message) == (status, message), params
    # Evidence values equal scipy's on the same rows.
    f = check(root, "feature_correlation", {"columns": ["a", "c", "d"]})
    got = {(r[0], r[1], r[2]): r[3] for r in table(f).rows}
    for a, b in (("a", "c"), ("a", "d"), ("c", "d")):
        assert got[(a, b, "pearson")] == pytest.approx(
            stats.pearsonr(CORR[a], CORR[b]).statistic, abs=1e-12)
        assert got[(a, b, "spearman")] == pytest.approx(
            stats.spearmanr(CORR[a], CORR[b]).statistic, abs=1e-12)


def test_feature_correlation_message_agrees_with_the_pairs(tmp_path: Path) -> None:
    """Issue 12 item 5: with redundant pairs allowed (max_pairs) the message used to say "no
    feature pairs above the limits" while the table listed one; a negative correlation is
    compared by |r|; a close call shows digits enough to tell value and limit apart."""
    x = np.arange(40, dtype=float)
    noise = np.tile([1.0, -1.0], 20)
    close = x + 2.28 * noise  # Pearson r with x about 0.98
    df = pd.DataFrame({"x": x, "neg": -x, "close": close, "y": [0, 1] * 20})
    root = make_project(tmp_path, one(df, {"label": "y"}))
    r = stats.pearsonr(x, close).statistic
    f = check(root, "feature_correlation", {"columns": ["x", "neg"], "methods": ["pearson"],
                                            "max_pairs": 1})
    assert (f.status, f.message) == (
        Status.PASS, "1 redundant feature pair(s) in 'ds', within the 1 allowed: x ~ neg "
        "(pearson -1, |value| 1 > 0.95)")
    assert [row[6] for row in table(f).rows] == ["yes"]
    limit = r - 1e-9
    f = check(root, "feature_correlation", {"columns": ["x", "close"], "methods": ["pearson"],
                                            "max_abs_correlation": limit})
    assert f.status is Status.FAIL
    shown = f.message.split("(pearson ", 1)[1].rstrip(")")
    value_text, limit_text = shown.split(" > ")
    assert float(value_text) > float(limit_text)  # never "0.95 > 0.95"


# ---------------------------------------------------------------------------------------------
# label_leakage
# ---------------------------------------------------------------------------------------------
_rng = np.random.default_rng(7)
_y = np.array([0, 1] * 20)
LEAK = pd.DataFrame({"y": _y, "leak": _y * 10.0 + _rng.normal(0, 1, 40).round(3),
                     "noise": _rng.normal(0, 1, 40).round(3),
                     "leak_cat": np.where(_y == 1, "approved", "declined"),
                     "grp": ["g1", "g1", "g2", "g2"] * 10,
                     "rid": [f"r{i}" for i in range(40)], "one": [1] * 40})


def test_label_leakage_table(tmp_path: Path) -> None:
    root = make_project(tmp_path, one(LEAK, {"label": "y"}))
    auc_noise = roc_auc_score(LEAK["y"], LEAK["noise"])
    auc_noise = max(auc_noise, 1 - auc_noise)
    cases: list[tuple[dict[str, Any], Status, str]] = [
        ({"features": ["noise", "grp"]}, Status.PASS,
         "no single feature of 'ds' predicts the label 'y' almost perfectly; highest noise "
         f"(ROC AUC {auc_noise:.4g} <= 0.95)"),
        ({"exclude": ["rid", "one"]}, Status.FAIL,
         "2 feature(s) of 'ds' predict the label 'y' almost perfectly on their own (possible "
         "label leakage): leak (ROC AUC 1 > 0.95), leak_cat (stump balanced accuracy "
         "1 > 0.95)"),
        ({"features": ["rid"]}, Status.ERROR,
         "no feature of 'ds' could be assessed for label leakage (all skipped): insufficient "
         "evidence"),
        ({"label": "one"}, Status.ERROR,
         "label column 'one' of 'ds' has fewer than two classes: insufficient evidence"),
    ]
    for params, status, message in cases:
        f = check(root, "label_leakage", params)
        assert (f.status, f.message) == (status, message), params
    f = check(root, "label_leakage", {"features": ["noise", "grp", "rid"]})
    rows = {r[0]: r for r in table(f).rows}
    assert rows["noise"][2] == pytest.approx(auc_noise, abs=1e-12)
    assert rows["grp"][1:3] == ["stump balanced accuracy", 0.5]
    assert rows["rid"][1:5] == ["not assessed", None, 0.95, "n/a"]
    assert f.notes == ["1 feature(s) not assessed (see the table)"]


# ---------------------------------------------------------------------------------------------
# feature_scaling (reads the card only)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("algorithm", "steps", "params", "status", "message"), [
    ("k-nearest neighbours (k=5)", [], {}, Status.FAIL,
     "model.algorithm 'k-nearest neighbours (k=5)' is scale-sensitive (matched 'k-nearest') "
     "but data.preprocessing declares no feature scaling, standardisation or normalisation"),
    ("SVM (RBF kernel)", ["Dropped rows with missing income.",
                          "Features standardised with StandardScaler."], {}, Status.PASS,
     "model.algorithm 'SVM (RBF kernel)' is scale-sensitive (matched 'svm') and "
     "data.preprocessing[1] declares scaling (matched 'standardi')"),
    ("logistic regression", ["Numeric features are not scaled."], {}, Status.FAIL,
     "model.algorithm 'logistic regression' is scale-sensitive (matched 'logistic') but "
     "data.preprocessing declares no feature scaling, standardisation or normalisation"),
    ("Lasso regression", ["min-max normalisation of numeric inputs"], {}, Status.PASS,
     "model.algorithm 'Lasso regression' is scale-sensitive (matched 'lasso') and "
     "data.preprocessing[0] declares scaling (matched 'normali')"),
    ("gradient-boosted trees (LightGBM)", [], {}, Status.PASS,
     "model.algorithm 'gradient-boosted trees (LightGBM)' is not a scale-sensitive "
     "algorithm; feature scaling is not required"),
    ("gradient-boosted trees", [], {"sensitive_algorithms": ["boosted"]}, Status.FAIL,
     "model.algorithm 'gradient-boosted trees' is scale-sensitive (matched 'boosted') but "
     "data.preprocessing declares no feature scaling, standardisation or normalisation"),
    ("MLP classifier", ["inputs rank-transformed"], {"scaling_terms": ["rank-transform"]},
     Status.PASS, "model.algorithm 'MLP classifier' is scale-sensitive (matched 'mlp') and "
     "data.preprocessing[0] declares scaling (matched 'rank-transform')"),
    (None, [], {}, Status.ERROR,
     "the card does not name the algorithm (model.algorithm), so the need for feature "
     "scaling cannot be judged: insufficient evidence"),
])
def test_feature_scaling(tmp_path: Path, algorithm: str | None, steps: list[str],
                         params: dict[str, Any], status: Status, message: str) -> None:
    model = {"algorithm": algorithm} if algorithm else {}
    root = make_project(tmp_path, {}, model=model, data={"preprocessing": steps})
    f = check(root, "feature_scaling", params)
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        card_locs = [loc for loc in f.locations if loc.role == "card"]
        assert card_locs[0].field == "model.algorithm" and card_locs[0].line == 8


# ---------------------------------------------------------------------------------------------
# Real data: the bundled German credit example
# ---------------------------------------------------------------------------------------------
def test_german_credit_example_values(tmp_path: Path) -> None:
    train = pd.read_csv(EXAMPLE / "data" / "train.csv")
    card = EXAMPLE / "model-card.yaml"

    def run(kind: str, params: dict[str, Any]) -> Finding:
        return check(EXAMPLE, kind, params, card=card, policy_dir=tmp_path)

    f = run("class_balance", {"artifact": "train-data", "min_minority_share": 0.25})
    counts = train["credit_risk"].value_counts()
    assert f.status is Status.PASS
    assert table(f).rows == [["1", int(counts[1]), counts[1] / 700],
                             ["0", int(counts[0]), counts[0] / 700]]
    f = run("duplicate_rows", {"artifact": "train-data", "exclude": ["applicant_id"]})
    assert (f.status, kv(f).items["duplicate rows"]) == (
        Status.PASS, int(train.drop(columns="applicant_id").duplicated().sum()))
    f = run("missing_values", {"artifact": "train-data", "max_column_rate": 0.0})
    assert f.status is Status.PASS and kv(f).items["missing cells"] == int(
        train.isna().sum().sum())
    # Sex is derived from personal_status: Cramér's V = 1, a redundant pair.
    f = run("feature_correlation", {"artifact": "train-data", "categorical": True,
                                    "exclude": ["applicant_id"]})
    table_ = pd.crosstab(train["personal_status"], train["sex"])
    v = stats.contingency.association(table_.to_numpy(), method="cramer")
    assert f.status is Status.FAIL
    rows = {(r[0], r[1], r[2]): r[3] for r in table(f).rows}
    assert rows[("personal_status", "sex", "cramers_v")] == pytest.approx(v, abs=1e-12)
    assert f.message == ("1 redundant feature pair(s) in 'train-data' (at most 0 allowed): "
                         "personal_status ~ sex (cramers_v 1 > 0.95)")
    f = run("label_leakage", {"artifact": "train-data"})
    auc = roc_auc_score(train["credit_risk"], train["duration_months"])
    assert f.status is Status.PASS
    assert f.message == ("no single feature of 'train-data' predicts the label 'credit_risk' "
                         f"almost perfectly; highest duration_months (ROC AUC "
                         f"{max(auc, 1 - auc):.4g} <= 0.95)")
    f = run("feature_scaling", {})
    assert f.status is Status.PASS and "matched 'logistic'" in f.message


# ---------------------------------------------------------------------------------------------
# Real data: COMPAS missing values, Adult '?' markers
# ---------------------------------------------------------------------------------------------
def test_compas_missing_values(tmp_path: Path, real_data: Path) -> None:
    raw = pd.read_csv(real_data / "compas" / "compas-scores-two-years.csv")
    # The file repeats two column names (pandas renames the copies '.1'); keep the first ones.
    raw = raw[[c for c in raw.columns if not c.endswith(".1")]]
    cols = ["sex", "age", "race", "priors_count", "c_charge_degree", "c_charge_desc",
            "days_b_screening_arrest", "c_jail_in", "r_charge_degree", "vr_charge_degree",
            "two_year_recid"]
    root = make_project(tmp_path, {"compas": (raw[cols], "dataset", None)})
    f = check(root, "missing_values", {"max_column_rate": 0.05})
    expected = raw[cols].isna().mean()
    assert f.status is Status.FAIL
    got = {r[0]: r[3] for r in table(f).rows}
    assert got == pytest.approx(expected.to_dict(), abs=1e-12)
    over = [c for c in cols if expected[c] > 0.05]
    assert list(f.observed["columns_over_limit"]) == over  # type: ignore[index]
    assert over == ["r_charge_degree", "vr_charge_degree"]
    assert f.message == (
        f"2 of 11 columns of 'compas' exceed their missing-value limit: r_charge_degree "
        f"{expected['r_charge_degree']:.1%} > 5.0%, vr_charge_degree "
        f"{expected['vr_charge_degree']:.1%} > 5.0%")


ADULT_COLUMNS = ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status",
                 "occupation", "relationship", "race", "sex", "capital_gain", "capital_loss",
                 "hours_per_week", "native_country", "income"]


def test_adult_missing_markers_and_balance(tmp_path: Path, real_data: Path) -> None:
    raw = pd.read_csv(real_data / "adult" / "adult.data", header=None, names=ADULT_COLUMNS,
                      skipinitialspace=True)
    root = make_project(tmp_path, {"adult": (raw, "dataset", {"label": "income"})})
    f = check(root, "missing_values", {"missing_markers": ["?"], "max_column_rate": 0.05})
    rate = (raw == "?").mean()
    over = [c for c in ADULT_COLUMNS if rate[c] > 0.05]
    assert over == ["workclass", "occupation"]
    assert f.status is Status.FAIL and list(f.observed["columns_over_limit"]) == over  # type: ignore[index]
    got = {r[0]: r[3] for r in table(f).rows}
    assert got == pytest.approx(rate.to_dict(), abs=1e-12)
    f = check(root, "class_balance", {"max_imbalance_ratio": 3})
    counts = raw["income"].value_counts()
    ratio = counts.max() / counts.min()
    assert f.status is Status.FAIL
    assert f.message == (f"label 'income' of 'adult': imbalance ratio {ratio:.4g} "
                         f"({counts.max()}:{counts.min()}) is above the maximum 3")


def test_example_policy_data_and_drift_rules_pass() -> None:
    """The rules under the data-quality marker of the example policy pass honestly."""
    report = run_check(CheckRequest(policies=[EXAMPLE / "policy.yaml"],
                                    card=EXAMPLE / "model-card.yaml", root=EXAMPLE, now=NOW,
                                    report_id="r")).report
    got = {f.rule_id: f for f in report.findings
           if f.rule_id in ("DATA-001", "DATA-002", "DATA-003", "DRIFT-001")}
    assert {k: f.status for k, f in got.items()} == dict.fromkeys(got, Status.PASS)
    assert len(got) == 4
    assert got["DATA-001"].message == "no missing values in 24 column(s) of 'train-data'"
    assert got["DATA-003"].observed == {"minority_share": 0.3, "imbalance_ratio": 490 / 210,
                                        "classes": 2}
    assert got["DRIFT-001"].observed == {"drifted": [], "drifted_share": 0.0}


def test_duplicate_share_close_call_reads_as_decided(tmp_path: Path) -> None:
    """Issue 12 item 5: 1 duplicate in 3 rows is 33.33...%; with a limit of 0.3333333 the
    message must not read "33.3% ... at most 33.3% allowed"."""
    df = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "x", "y"]})
    root = make_project(tmp_path, one(df))
    f = check(root, "duplicate_rows", {"max_share": 0.3333333})
    assert (f.status, f.message) == (
        Status.FAIL, "1 of 3 rows of 'ds' (33.333333%) repeat an earlier row on all columns; "
        "at most 33.33333% allowed")
    f = check(root, "duplicate_rows", {"max_share": 0.3333334})
    assert (f.status, f.message) == (
        Status.PASS, "1 of 3 rows of 'ds' (33.33333%) repeat an earlier row on all columns "
        "(at most 33.33334% allowed)")
