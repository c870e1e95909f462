"""Edge cases of the data-quality and drift statistics through the public path (``run_check`` on
a small project), against their oracles: scipy for KS / chi-square / Jensen-Shannon, numpy for
quantiles, pandas ``value_counts`` / ``nunique`` for class balance and constancy. The in-memory
and streaming engines and the pre-pass (``needs``) give identical findings; bad evidence is an
``error`` naming the artifact, its file and the column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp

from governance.analysis import colstream
from governance.api import CheckRequest, run_check
from governance.evidence import needs
from governance.report import Finding, KeyValueEvidence, Report, TableEvidence
from tests.conftest import write_policy
from tests.rules.test_drift import NOW, psi_direct

TOL = 1e-9


def _write(root: Path, name: str, df: pd.DataFrame) -> str:
    suffix = name.rsplit(".", 1)[1]
    if suffix == "csv":
        df.to_csv(root / name, index=False)
    elif suffix == "parquet":
        df.to_parquet(root / name, row_group_size=97)
    else:
        df.to_json(root / name, orient="records", lines=True)
    return name


def project(root: Path, train: pd.DataFrame, ref: pd.DataFrame | None = None, *,
            fmt: str = "csv", label: str = "label",
            rules: list[tuple[str, dict[str, Any]]]) -> Path:
    arts = [{"name": "train", "role": "dataset", "path": _write(root, f"train.{fmt}", train),
             "columns": {"label": label}}]
    if ref is not None:
        arts.append({"name": "ref", "role": "reference_dataset",
                     "path": _write(root, f"ref.{fmt}", ref), "columns": {"label": label}})
    card = {"apiVersion": "governance/v1", "kind": "ModelCard",
            "model": {"name": "m", "version": "1.0.0", "task": "binary_classification"},
            "artifacts": arts}
    (root / "card.yaml").write_text(json.dumps(card), encoding="utf-8")
    write_policy(root, rules)
    return root


def run(root: Path, engine: str = "memory") -> Report:
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                  root=root, now=NOW, report_id="r", engine=engine)).report


def canonical(report: Report) -> list[dict[str, Any]]:
    return [f.model_dump(mode="json") for f in report.findings]


def detail(f: Finding) -> dict[str, list[Any]]:
    """The 'All drift statistics' rows by column."""
    table = [e for e in f.evidence if isinstance(e, TableEvidence)][1]
    return {r[0]: r for r in table.rows}


def chi2_oracle(ref: pd.Series, cur: pd.Series) -> tuple[float, float, int]:
    """chi2_contingency (no correction) on the pandas value counts of both samples."""
    r, c = ref.dropna().value_counts(), cur.dropna().value_counts()
    cats = sorted(set(r.index) | set(c.index))
    table = np.array([[r.get(k, 0) for k in cats], [c.get(k, 0) for k in cats]], dtype=float)
    res = chi2_contingency(table, correction=False)
    return float(res[0]), float(res[1]), len(cats)


# ---------------------------------------------------------------------------------------------
# numeric drift: KS equal to scipy (exact and asymptotic), PSI on collapsed quantile edges
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("n_ref", "n_cur", "levels"), [
    (10_000, 9_000, 40),  # scipy 'auto': exact (max size 10,000), many ties
    (10_001, 60, 0),  # asymptotic, very unequal sizes
    (12_000, 11_000, 7),  # asymptotic with heavy ties
    (25, 10_000, 0),  # exact, very unequal
])
def test_ks_and_psi_equal_scipy_and_numpy(tmp_path: Path, n_ref: int, n_cur: int,
                                          levels: int) -> None:
    rng = np.random.default_rng(n_ref + n_cur)
    ref = rng.normal(0, 1, n_ref)
    cur = rng.normal(0.05, 1.1, n_cur)
    if levels:
        ref, cur = np.floor(ref * levels / 4), np.floor(cur * levels / 4)
    ref[:3] = [np.nan, np.inf, -0.0]
    cur[:2] = [-np.inf, np.nan]
    root = project(tmp_path, pd.DataFrame({"x": cur, "label": 1}),
                   pd.DataFrame({"x": ref, "label": 1}), fmt="parquet",
                   rules=[("feature_drift", {"columns": ["x"], "numeric_method": "ks",
                                             "max_drifted_share": 1.0})])
    finding = run(root).findings[0]
    r, c = ref[np.isfinite(ref)], cur[np.isfinite(cur)]
    expected = ks_2samp(r, c)
    row = detail(finding)["x"]
    assert abs(row[2] - float(expected.statistic)) <= TOL
    assert abs(row[3] - float(expected.pvalue)) <= TOL
    assert abs(row[1] - psi_direct(r, c)) <= TOL


def test_psi_when_quantile_edges_collapse(tmp_path: Path) -> None:
    ref = np.r_[np.zeros(900), np.arange(1, 101)] * 1.0  # nine deciles are 0
    cur = np.r_[np.zeros(100), np.arange(1, 401)] * 1.0
    root = project(tmp_path, pd.DataFrame({"x": cur, "label": 1}),
                   pd.DataFrame({"x": ref, "label": 1}),
                   rules=[("feature_drift", {"columns": ["x"], "max_drifted_share": 1.0})])
    row = detail(run(root).findings[0])["x"]
    assert abs(row[1] - psi_direct(ref, cur)) <= TOL


# ---------------------------------------------------------------------------------------------
# categorical drift: labels that must (not) match between the samples
# ---------------------------------------------------------------------------------------------
def test_negative_zero_is_the_same_category_as_zero(tmp_path: Path) -> None:
    ref = pd.Series([-0.0, 0.5, 1.5] * 10)
    cur = pd.Series([0.0, 0.5, 1.5] * 10)
    root = project(tmp_path, pd.DataFrame({"x": cur, "label": 1}),
                   pd.DataFrame({"x": ref, "label": 1}),
                   rules=[("feature_drift", {"columns": ["x"], "categorical": ["x"],
                                             "categorical_method": "chi2",
                                             "max_drifted_share": 0.0})])
    finding = run(root).findings[0]
    chi2, p, k = chi2_oracle(ref, cur)
    row = detail(finding)["x"]
    assert (row[4], row[5], row[7]) == (pytest.approx(chi2, abs=TOL), pytest.approx(p), k)
    assert (k, row[1]) == (3, 0.0)  # before: "-0.0" and "0.0" apart, PSI 5.4
    assert finding.status.value == "pass"


def test_huge_integral_categories_stay_apart(tmp_path: Path) -> None:
    ref = pd.DataFrame({"f": [1e20, 1e21, 2.0, 3.0] * 10, "i": [2**62, 2**62 + 1] * 20,
                        "label": 1})
    cur = pd.DataFrame({"f": [1e20, 2.0, 2.0, 3.0] * 10, "i": [2**62] * 40, "label": 1})
    root = project(tmp_path, cur, ref,
                   rules=[("feature_drift", {"columns": ["f", "i"], "categorical": ["f", "i"],
                                             "categorical_method": "chi2",
                                             "max_drifted_share": 1.0})])
    rows = detail(run(root).findings[0])
    for col in ("f", "i"):
        chi2, p, k = chi2_oracle(ref[col], cur[col])
        assert rows[col][7] == k  # before: 1e20 and 1e21 (2**62 and 2**62 + 1) were one
        assert abs(rows[col][4] - chi2) <= TOL and abs(rows[col][5] - p) <= TOL


def test_unicode_whitespace_and_one_sided_categories_equal_scipy(tmp_path: Path) -> None:
    ref = pd.Series(["a", " a", "é", "e\u0301", "only-ref", "NA", "b"] * 6)
    cur = pd.Series(["a", "a ", "é", "b", "b", "only-cur", "NA"] * 6)
    root = project(tmp_path, pd.DataFrame({"x": cur, "label": 1}),
                   pd.DataFrame({"x": ref, "label": 1}),
                   rules=[("feature_drift", {"columns": ["x"], "categorical_method": "chi2",
                                             "max_drifted_share": 1.0})])
    row = detail(run(root).findings[0])["x"]
    # the CSV reader reads "NA" as missing, as pandas does
    r, c = pd.read_csv(root / "ref.csv")["x"], pd.read_csv(root / "train.csv")["x"]
    chi2, p, k = chi2_oracle(r, c)
    cats = sorted(set(r.dropna()) | set(c.dropna()))
    rv = np.array([(r == k).sum() for k in cats], dtype=float)
    cv = np.array([(c == k).sum() for k in cats], dtype=float)
    js = float(jensenshannon(rv / rv.sum(), cv / cv.sum(), base=2))
    assert (row[7], abs(row[4] - chi2) <= TOL, abs(row[5] - p) <= TOL) == (k, True, True)
    assert abs(row[6] - js) <= TOL


# ---------------------------------------------------------------------------------------------
# class balance, constancy, allowed values on columns pandas groups by Python equality
# ---------------------------------------------------------------------------------------------
def _classes(f: Finding) -> list[list[Any]]:
    return [e for e in f.evidence if isinstance(e, TableEvidence)][0].rows


def test_mixed_type_json_lines_group_as_pandas(tmp_path: Path) -> None:
    values: list[Any] = [1, 1.0, "1", True, "a", None, " ", 2, 1, "a"] * 5
    df = pd.DataFrame({"label": values, "x": range(50)})
    root = project(tmp_path, df, fmt="jsonl", rules=[
        ("class_balance", {"min_minority_share": 0.01}),
        ("constant_columns", {"near_constant_share": 0.3, "max_near_constant": 5}),
        ("data_schema", {"columns": {"label": {"allowed": [1, "a", True]}}}),
        ("missing_values", {"max_column_rate": 1.0, "missing_markers": ["a"]})])
    balance, constant, schema, missing = run(root).findings
    col = pd.read_json(root / "train.jsonl", lines=True)["label"]
    vc = col.value_counts()
    assert sorted(r[1] for r in _classes(balance)) == sorted(int(v) for v in vc)
    assert [r[0] for r in _classes(balance)][:2] == ["1", "a"]  # 1, 1.0, true: one class
    row = {r[0]: r for r in _classes(constant)}["label"]
    assert (row[2], row[3]) == (col.nunique(), pytest.approx(vc.max() / col.notna().sum()))
    # allowed values compare each value's text as before the statistics layer (1.0 is "1")
    (state,) = [r for r in _classes(schema) if r[0] == "label"]
    assert state[5] == 10  # " " and 2; before: 15 (1.0 was not "1")
    miss = {r[0]: r for r in _classes(missing)}["label"]
    assert miss[1] == int(col.isna().sum()) + 10 + 5  # null, "a", " " (blank)


def test_categorical_label_reports_declared_classes_without_rows(tmp_path: Path) -> None:
    label = pd.Categorical(["a", "b"] * 50, categories=["a", "b", "c"])
    df = pd.DataFrame({"label": label, "x": np.arange(100.0)})
    root = project(tmp_path, df, fmt="parquet", rules=[
        ("class_balance", {"min_minority_share": 0.1, "max_imbalance_ratio": 2.0})])
    finding = run(root).findings[0]
    assert finding.status.value == "fail"  # before: passed, 'c' left out
    assert _classes(finding) == [["a", 50, 0.5], ["b", 50, 0.5], ["c", 0, 0.0]]
    assert pd.read_parquet(root / "train.parquet")["label"].value_counts().to_dict() == {
        "a": 50, "b": 50, "c": 0}  # the oracle: pandas lists it too
    assert "minority class 'c' is 0.0%" in finding.message
    assert "imbalance ratio n/a (50:0)" in finding.message
    kv = [e for e in finding.evidence if isinstance(e, KeyValueEvidence)][0]
    assert kv.items["imbalance ratio"] is None
    assert canonical(run(root, "streaming")) == canonical(run(root))


# ---------------------------------------------------------------------------------------------
# outliers: numpy quantiles and moments on awkward numbers
# ---------------------------------------------------------------------------------------------
def test_outlier_fences_equal_numpy_on_awkward_numbers(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    cols = {
        "f32": rng.normal(0, 1, 300).astype(np.float32),
        "huge": rng.normal(0, 1, 300) * 1e300,
        "tiny": rng.normal(0, 1, 300) * 1e-300,
        "big": rng.integers(-2**62, 2**62, 300),
        "same": np.full(300, 3.25),
        "single": np.r_[[2.0], np.full(299, np.nan)],
        "ties": rng.integers(0, 3, 300).astype(float),
    }
    df = pd.DataFrame(cols)
    df.loc[5, "huge"] = np.inf
    df["label"] = 1
    root = project(tmp_path, df, fmt="parquet", rules=[
        ("outliers", {"max_share": 1.0, "exclude": ["label"]}),
        ("outliers", {"max_share": 1.0, "method": "zscore", "exclude": ["label"]})])
    iqr, z = run(root).findings
    frame = pd.read_parquet(root / "train.parquet")
    rows_iqr = {r[0]: r for r in _classes(iqr)}
    rows_z = {r[0]: r for r in _classes(z)}
    for name in cols:
        v = frame[name].dropna().to_numpy(dtype=float)
        v = v[np.isfinite(v)]
        q1, q3 = np.percentile(v, [25.0, 75.0])
        lo, hi = q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
        assert rows_iqr[name][4:6] == [float(lo), float(hi)], name  # bit for bit
        assert rows_iqr[name][1:3] == [v.size, int(((v < lo) | (v > hi)).sum())], name
        mean, std = float(np.mean(v)), float(np.std(v))
        out = int((np.abs(v - mean) / std > 3).sum()) if std > 0 else 0
        assert rows_z[name][1:3] == [v.size, out], name
        if std > 0 and np.isfinite(std):
            assert rows_z[name][4] == pytest.approx(mean - 3 * std, rel=TOL), name
    assert canonical(run(root, "streaming")) == canonical(run(root))


# ---------------------------------------------------------------------------------------------
# engines and the pre-pass: identical findings; bad evidence is an error naming file/column
# ---------------------------------------------------------------------------------------------
RULES: list[tuple[str, dict[str, Any]]] = [
    ("missing_values", {"max_column_rate": 0.1, "missing_markers": ["NA", " "]}),
    ("constant_columns", {"near_constant_share": 0.5, "max_near_constant": 9}),
    ("class_balance", {"min_minority_share": 0.2}),
    ("class_balance", {"label": "cat", "min_minority_share": 0.2}),
    ("outliers", {"max_share": 0.2, "method": "zscore"}),
    ("outliers", {"max_share": 0.01}),
    ("dimensionality", {"expand_categoricals": True}),
    ("feature_drift", {"max_drifted_share": 1.0, "numeric_method": "ks", "exclude": ["empty"]}),
    ("feature_drift", {"max_drifted_share": 1.0, "categorical_method": "chi2",
                       "categorical": ["neg"], "exclude": ["empty"]}),
    ("label_drift", {}),
    ("data_schema", {"columns": {"f": {"dtype": "float", "min": -3, "max": 3},
                                 "txt": {"dtype": "string", "allowed": ["yes", "no"]},
                                 "b": {"dtype": "boolean"}, "when": {"dtype": "datetime"}}}),
]


def _edge_frame(seed: int, n: int) -> pd.DataFrame:
    r = np.random.default_rng(seed)
    f = r.normal(0, 1, n)
    f[::17], f[3], f[4] = np.nan, np.inf, -np.inf
    txt = r.choice(["yes", "no", "NA", " ", "", "é"], n).astype(object)
    txt[::13] = None
    return pd.DataFrame({
        "f": f, "f32": r.normal(0, 1, n).astype(np.float32),
        "big": r.integers(-2**62, 2**62, n), "const": np.full(n, 7.0), "txt": txt,
        "neg": r.choice([-0.0, 0.0, 0.5], n) if seed % 2 else r.choice([0.0, 0.5], n),
        "b": r.random(n) < 0.5, "empty": pd.Series([None] * n, dtype=object),
        "cat": pd.Categorical(r.choice(["a", "b"], n), categories=["a", "b", "c"]),
        "ints": pd.array(np.where(r.random(n) < 0.1, None, r.integers(0, 5, n)),
                         dtype="Int64"),
        "when": (pd.Timestamp("2020-01-01")
                 + pd.to_timedelta(r.integers(0, 3, n), "D")).astype(str),
        "label": r.integers(0, 2, n)})


def test_engines_and_prepass_give_identical_findings(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, _edge_frame(1, 1500), _edge_frame(2, 1200), fmt="parquet",
                   rules=RULES)
    monkeypatch.setattr(colstream, "BATCH_ROWS", 200)
    memory = run(root)
    statuses = [f.status.value for f in memory.findings]
    assert "error" not in statuses, [(f.rule_id, f.message) for f in memory.findings]
    assert canonical(run(root, "streaming")) == canonical(memory)
    monkeypatch.setattr(needs, "PROVIDERS", {})
    assert canonical(run(root)) == canonical(memory)
    assert canonical(run(root, "streaming")) == canonical(memory)


def test_distinct_value_cap_is_an_error_naming_file_and_column(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    df = pd.DataFrame({"x": np.arange(300.0), "label": [0, 1] * 150})
    root = project(tmp_path, df, fmt="parquet", rules=[("outliers", {"max_share": 1.0})])
    monkeypatch.setattr(colstream, "BATCH_ROWS", 50)
    monkeypatch.setattr(colstream, "MAX_DISTINCT", 100)
    finding = run(root, "streaming").findings[0]
    assert finding.status.value == "error"
    assert finding.message == ("artifact 'train' (train.parquet): column 'x' has more than "
                               "100 distinct values: too many to hold its statistics")


@pytest.mark.parametrize("engine", ["memory", "streaming"])
def test_all_null_columns_are_errors_not_crashes(tmp_path: Path, engine: str) -> None:
    df = pd.DataFrame({"label": pd.Series([None] * 40, dtype=object),
                       "x": np.full(40, np.nan), "y": np.arange(40.0)})
    root = project(tmp_path, df, df, fmt="parquet", rules=[
        ("class_balance", {"min_minority_share": 0.1}),
        ("outliers", {"columns": ["x"], "max_share": 0.1}),
        ("feature_drift", {"columns": ["x"]}), ("label_drift", {}),
        ("constant_columns", {"max_constant": 5})])
    balance, outliers, drift, label, constant = run(root, engine).findings
    assert (balance.status.value, balance.message) == (
        "error", "label column 'label' of 'train' has no values: insufficient evidence")
    assert (outliers.status.value, outliers.message) == (
        "error", "column 'x' of 'train' has no values: insufficient evidence")
    assert drift.status.value == label.status.value == "error"
    assert "for x: 0 reference / 0 current non-missing values" in drift.message
    assert "for label: 0 reference / 0 current" in label.message
    assert constant.status.value == "pass"  # before: every rule crashed on the null column


def test_booleans_with_nulls_in_some_batches_stream_as_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a batch without nulls reads as bool, one with nulls as object (True/False/None)
    flag = pd.Series([True, False] * 200, dtype=object)
    flag[350] = None
    df = pd.DataFrame({"flag": flag, "label": [0, 1] * 200})
    root = project(tmp_path, df, df, fmt="parquet", rules=[
        ("class_balance", {"label": "flag", "min_minority_share": 0.1}),
        ("constant_columns", {"max_constant": 0}),
        ("data_schema", {"columns": {"flag": {"dtype": "boolean", "allowed": [True]}}})])
    monkeypatch.setattr(colstream, "BATCH_ROWS", 50)
    memory = run(root)
    balance = memory.findings[0]
    assert _classes(balance) == [["False", 200, 200 / 399], ["True", 199, 199 / 399]]
    assert canonical(run(root, "streaming")) == canonical(memory)


def test_float32_categories_are_labelled_as_written(tmp_path: Path) -> None:
    # drift compares category labels as text (pandas astype("string")): a float32 0.1 is "0.1"
    ref = pd.DataFrame({"x": np.array([0.1, 0.2, 0.35] * 10, dtype=np.float32), "label": 1})
    cur = pd.DataFrame({"x": np.array([0.1, 0.2, 0.35] * 10, dtype=np.float64), "label": 1})
    root = project(tmp_path, cur, ref, fmt="parquet", rules=[
        ("feature_drift", {"columns": ["x"], "categorical": ["x"],
                           "categorical_method": "chi2", "max_drifted_share": 0.0})])
    finding = run(root).findings[0]
    assert ref["x"].astype("string").tolist() == cur["x"].astype("string").tolist()
    row = detail(finding)["x"]
    assert (row[7], row[4], row[1]) == (3, 0.0, 0.0)  # before: 6 categories, PSI 18
    assert finding.status.value == "pass"
    assert canonical(run(root, "streaming")) == canonical(run(root))


def test_datetimes_have_one_label_whatever_else_the_batch_holds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    days = pd.to_datetime(["2020-01-01", "2020-01-02"] * 60)
    ref = pd.DataFrame({"when": days, "label": 1})  # every value at midnight
    when = pd.Series(days)
    when[110:] = pd.Timestamp("2020-01-03 10:30")  # the last batch holds a time of day
    cur = pd.DataFrame({"when": when, "label": 1})
    root = project(tmp_path, cur, ref, fmt="parquet", rules=[
        ("feature_drift", {"columns": ["when"], "categorical_method": "chi2",
                           "max_drifted_share": 1.0}),
        ("class_balance", {"label": "when", "min_minority_share": 0.01}),
        ("constant_columns", {"max_constant": 0})])
    monkeypatch.setattr(colstream, "BATCH_ROWS", 50)
    drift, balance, constant = run(root).findings
    chi2, p, k = chi2_oracle(ref["when"], cur["when"])
    row = detail(drift)["when"]
    assert (row[7], abs(row[4] - chi2) <= TOL, abs(row[5] - p) <= TOL) == (k, True, True)
    assert _classes(balance) == [["2020-01-01 00:00:00", 55, 55 / 120],
                                 ["2020-01-02 00:00:00", 55, 55 / 120],
                                 ["2020-01-03 10:30:00", 10, 10 / 120]]
    assert {r[0]: r[2] for r in _classes(constant)}["when"] == cur["when"].nunique()
    assert canonical(run(root, "streaming")) == canonical(run(root))
