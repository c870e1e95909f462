"""Drift rule kinds through the engine: pass / fail / error / waived, exact messages, and every
statistic equal to scipy's (ks_2samp, chi2_contingency, jensenshannon) or, for PSI, to a
direct formula written out here."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency, ks_2samp

from governance.api import CheckRequest, run_check
from governance.errors import PolicyError
from governance.report import Finding, Status, TableEvidence

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "credit-scoring"


def make_project(tmp: Path, tables: dict[str, tuple[pd.DataFrame, str, dict[str, Any] | None]],
                 task: str = "binary_classification") -> Path:
    artifacts = []
    (tmp / "data").mkdir(exist_ok=True)
    for name, (df, role, cols) in tables.items():
        df.to_csv(tmp / "data" / f"{name}.csv", index=False)
        art: dict[str, Any] = {"name": name, "role": role, "path": f"data/{name}.csv"}
        if cols:
            art["columns"] = cols
        artifacts.append(art)
    card = {"apiVersion": "governance/v1", "kind": "ModelCard",
            "model": {"name": "m", "version": "1.0.0", "task": task}, "artifacts": artifacts}
    (tmp / "card.yaml").write_text(json.dumps(card, indent=1), encoding="utf-8")
    return tmp


def check(root: Path, kind: str, params: dict[str, Any], *, card: Path | None = None,
          waivers: list[dict[str, Any]] | None = None, policy_dir: Path | None = None) -> Finding:
    where = policy_dir or root
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "t", "version": "1"},
              "rules": [{"id": "R1", "title": "t", "kind": kind, "severity": "high",
                         "params": params}], "waivers": waivers or []}
    (where / "policy.yaml").write_text(json.dumps(policy), encoding="utf-8")
    report = run_check(CheckRequest(policies=[where / "policy.yaml"],
                                    card=card or root / "card.yaml", root=root, now=NOW,
                                    report_id="r")).report
    (finding,) = report.findings
    return finding


def tables(f: Finding) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    decision, detail = [e for e in f.evidence if isinstance(e, TableEvidence)]
    return {r[0]: r for r in decision.rows}, {r[0]: r for r in detail.rows}


def psi_direct(ref: np.ndarray, cur: np.ndarray, bins: int = 10, eps: float = 1e-4) -> float:
    """PSI written out: edges = distinct reference deciles, bins [e_i, e_i+1)."""
    edges = np.unique(np.quantile(ref, [i / bins for i in range(1, bins)]))
    bounds = [-np.inf, *edges, np.inf]
    total = 0.0
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        r = max(np.mean((ref >= lo) & (ref < hi)), eps)
        c = max(np.mean((cur >= lo) & (cur < hi)), eps)
        total += (c - r) * np.log(c / r)
    return float(total)


def psi_categorical(ref: pd.Series, cur: pd.Series, eps: float = 1e-4) -> float:
    cats = sorted(set(ref) | set(cur))
    r = np.array([max((ref == c).mean(), eps) for c in cats])
    c = np.array([max((cur == k).mean(), eps) for k in cats])
    return float(np.sum((c - r) * np.log(c / r)))


def counts(ref: pd.Series, cur: pd.Series) -> np.ndarray:
    cats = sorted(set(ref.dropna()) | set(cur.dropna()))
    return np.array([[(ref == c).sum() for c in cats], [(cur == c).sum() for c in cats]],
                    dtype=float)


_rng = np.random.default_rng(0)
REF = pd.DataFrame({"num": _rng.normal(0, 1, 400).round(4),
                    "cat": _rng.choice(["a", "b", "c"], 400, p=[0.4, 0.4, 0.2]),
                    "steady": _rng.normal(5, 2, 400).round(4)})
SAME = REF.sample(frac=1.0, random_state=1).reset_index(drop=True)
SHIFT = pd.DataFrame({"num": (_rng.normal(0, 1, 400) + 1.0).round(4),
                      "cat": _rng.choice(["a", "b", "c"], 400, p=[0.1, 0.3, 0.6]),
                      "steady": REF["steady"].sample(frac=1.0, random_state=2).to_numpy()})


def pair(tmp: Path, cur: pd.DataFrame, ref: pd.DataFrame = REF) -> Path:
    return make_project(tmp, {"ref": (ref, "reference_dataset", None),
                              "cur": (cur, "dataset", None)})


def expected_stats(cur: pd.DataFrame) -> dict[str, float]:
    t = counts(REF["cat"], cur["cat"])
    ks = ks_2samp(REF["num"], cur["num"])
    chi = chi2_contingency(t, correction=False)
    return {"psi": psi_direct(REF["num"].to_numpy(), cur["num"].to_numpy()),
            "ks": ks.statistic, "ks_p": ks.pvalue, "chi2": chi.statistic, "chi2_p": chi.pvalue,
            "js": jensenshannon(t[0] / t[0].sum(), t[1] / t[1].sum(), base=2)}


def test_feature_drift_identical_distributions_pass(tmp_path: Path) -> None:
    f = check(pair(tmp_path, SAME), "feature_drift", {})
    assert (f.status, f.message) == (
        Status.PASS, "no drift: 0 of 3 columns drifted between 'ref' and 'cur'")
    decision, detail = tables(f)
    assert decision["num"] == ["num", "numeric", "PSI", 0.0, None, "PSI > 0.2", "no", 400, 400]
    assert decision["cat"][:7] == ["cat", "categorical", "Jensen-Shannon distance", 0.0, None,
                                   "JS distance > 0.1", "no"]
    assert detail["num"][1:4] == [0.0, 0.0, 1.0]
    assert detail["cat"][4:8] == [0.0, 1.0, 0.0, 3]


def test_feature_drift_shift_statistics_equal_scipy(tmp_path: Path) -> None:
    root = pair(tmp_path, SHIFT)
    e = expected_stats(SHIFT)
    f = check(root, "feature_drift", {})
    assert f.status is Status.FAIL
    assert f.message == (
        "2 of 3 columns drifted between 'ref' and 'cur' (66.7%, at most 0.0% allowed): "
        f"num (PSI {e['psi']:.4g} > 0.2), cat (JS distance {e['js']:.4g} > 0.1)")
    decision, detail = tables(f)
    assert decision["num"][3] == pytest.approx(e["psi"], rel=1e-12)
    assert detail["num"][2] == pytest.approx(e["ks"], rel=1e-12)
    assert detail["num"][3] == pytest.approx(e["ks_p"], rel=1e-9)
    assert detail["cat"][4] == pytest.approx(e["chi2"], rel=1e-12)
    assert detail["cat"][5] == pytest.approx(e["chi2_p"], rel=1e-9)
    assert detail["cat"][6] == pytest.approx(e["js"], rel=1e-12)
    assert detail["cat"][1] == pytest.approx(psi_categorical(REF["cat"], SHIFT["cat"]),
                                             rel=1e-12)
    assert decision["steady"][6] == "no" and detail["steady"][1:4] == [0.0, 0.0, 1.0]
    assert f.observed == {"drifted": ["num", "cat"], "drifted_share": 2 / 3}

    f = check(root, "feature_drift", {"numeric_method": "ks", "categorical_method": "chi2"})
    assert f.message == (
        "2 of 3 columns drifted between 'ref' and 'cur' (66.7%, at most 0.0% allowed): "
        f"num (KS statistic {e['ks']:.4g}, p = {e['ks_p']:.4g} < 0.05), cat (chi-square "
        f"statistic {e['chi2']:.4g}, p = {e['chi2_p']:.4g} < 0.05)")
    decision, _ = tables(f)
    assert decision["num"][2:7] == ["Kolmogorov-Smirnov test", pytest.approx(e["ks"]),
                                    pytest.approx(e["ks_p"]), "p < 0.05", "yes"]


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"max_drifted_share": 0.7}, Status.PASS,
     "2 of 3 columns drifted between 'ref' and 'cur' (66.7%), within the allowed 70.0%: "
     "num (PSI {psi:.4g} > 0.2), cat (JS distance {js:.4g} > 0.1)"),
    ({"per_column": {"num": {"threshold": 50}}}, Status.FAIL,
     "1 of 3 columns drifted between 'ref' and 'cur' (33.3%, at most 0.0% allowed): "
     "cat (JS distance {js:.4g} > 0.1)"),
    ({"per_column": {"cat": {"method": "chi2", "threshold": 1e-300}, "num": {"method": "ks",
                                                                            "threshold": 1e-300}}},
     Status.PASS, "no drift: 0 of 3 columns drifted between 'ref' and 'cur'"),
    ({"columns": ["steady"]}, Status.PASS,
     "no drift: 0 of 1 columns drifted between 'ref' and 'cur'"),
    ({"exclude": ["num", "cat"]}, Status.PASS,
     "no drift: 0 of 1 columns drifted between 'ref' and 'cur'"),
    ({"categorical": ["num"], "exclude": ["cat", "steady"], "categorical_method": "psi",
      "psi_threshold": 10}, Status.PASS,
     "no drift: 0 of 1 columns drifted between 'ref' and 'cur'"),
    ({"per_column": {"cat": {"method": "ks"}}}, Status.ERROR,
     "per_column.cat.method: ks does not apply to the categorical column 'cat' (use psi or "
     "chi2 or jensenshannon)"),
    ({"per_column": {"zzz": {"threshold": 0.3}}}, Status.ERROR,
     "per_column / categorical name columns that are not compared: zzz"),
    ({"exclude": ["nmu"]}, Status.ERROR,
     "exclude names columns in neither 'ref' nor 'cur': nmu"),
    ({"columns": ["nope"]}, Status.ERROR,
     "artifact 'ref' (data/ref.csv) has no column(s) 'nope' (columns: num, cat, steady)"),
    ({"min_rows": 500}, Status.ERROR,
     "cannot judge drift between 'ref' and 'cur' for num, cat, steady: 400 reference / 400 "
     "current non-missing values, at least 500 needed in each: insufficient evidence"),
    ({"reference": "cur", "current": "ref", "columns": ["cat"]}, Status.FAIL,
     "1 of 1 columns drifted between 'cur' and 'ref' (100.0%, at most 0.0% allowed): "
     "cat (JS distance {js:.4g} > 0.1)"),
])
def test_feature_drift_table(tmp_path: Path, params: dict[str, Any], status: Status,
                             message: str) -> None:
    e = expected_stats(SHIFT)
    f = check(pair(tmp_path, SHIFT), "feature_drift", params)
    assert (f.status, f.message) == (status, message.format(**e))


def test_feature_drift_empty_column_is_an_error_unless_others_fail(tmp_path: Path) -> None:
    ref = REF.assign(e=None)
    f = check(pair(tmp_path, SAME.assign(e=None), ref), "feature_drift", {})
    assert (f.status, f.message) == (
        Status.ERROR, "cannot judge drift between 'ref' and 'cur' for e: 0 reference / 0 "
        "current non-missing values, at least 20 needed in each: insufficient evidence")
    f = check(pair(tmp_path, SHIFT.assign(e=None), ref), "feature_drift", {})
    assert f.status is Status.FAIL and f.message.startswith("2 of 3 columns drifted")
    assert f.notes == ["insufficient data for e: e: 0 reference / 0 current non-missing "
                       "values, at least 20 needed in each"]


def test_feature_drift_needs_a_reference(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"cur": (SHIFT, "dataset", None)})
    f = check(root, "feature_drift", {})
    assert (f.status, f.message) == (
        Status.ERROR, "card.yaml: artifacts: the card has no reference_dataset artifact: "
        "insufficient evidence")


def test_feature_drift_waived_by_column_scope(tmp_path: Path) -> None:
    root = pair(tmp_path, SHIFT)
    w = {"rule_id": "R1", "reason": "seasonal", "approved_by": "mrm", "expires": "2027-01-01"}
    f = check(root, "feature_drift", {}, waivers=[{**w, "scope": {"group": "num"}}])
    assert f.status is Status.FAIL and f.notes == ["group-scoped waivers do not cover: cat"]
    f = check(root, "feature_drift", {}, waivers=[{**w, "scope": {"group": "num"}},
                                                  {**w, "scope": {"group": "cat"}}])
    assert f.status is Status.WAIVED and f.waiver is not None


# ---------------------------------------------------------------------------------------------
# prediction_drift and label_drift
# ---------------------------------------------------------------------------------------------
_p = np.random.default_rng(3)
PREF = pd.DataFrame({"t": _p.integers(0, 2, 300), "p": _p.integers(0, 2, 300),
                     "s": _p.beta(2, 5, 300).round(5)})
PCUR = pd.DataFrame({"truth": PREF["t"], "pred": PREF["p"].sample(frac=1, random_state=4)
                     .to_numpy(), "score": _p.beta(5, 2, 300).round(5), "txt": ["x"] * 300})


def predictions(tmp: Path) -> Path:
    return make_project(tmp, {
        "pref": (PREF, "predictions", {"y_true": "t", "y_pred": "p", "y_score": "s"}),
        "pcur": (PCUR, "predictions", {"y_true": "truth", "y_pred": "pred",
                                       "y_score": "score"}),
        "bad": (PCUR, "predictions", {"y_score": "txt"})})


def test_prediction_drift(tmp_path: Path) -> None:
    root = predictions(tmp_path)
    psi = psi_direct(PREF["s"].to_numpy(), PCUR["score"].to_numpy())
    f = check(root, "prediction_drift", {"reference": "pref", "current": "pcur"})
    assert (f.status, f.message) == (
        Status.FAIL, "1 of 1 prediction columns drifted between 'pref' and 'pcur' (100.0%, at "
        f"most 0.0% allowed): y_score (PSI {psi:.4g} > 0.2)")
    decision, detail = tables(f)
    ks = ks_2samp(PREF["s"], PCUR["score"])
    assert detail["y_score"][1:4] == [pytest.approx(psi, rel=1e-12),
                                      pytest.approx(ks.statistic), pytest.approx(ks.pvalue)]
    f = check(root, "prediction_drift", {"reference": "pref", "current": "pcur",
                                         "target": "y_pred"})
    t = counts(PREF["p"], PCUR["pred"])
    assert t[0].tolist() == t[1].tolist()  # a permutation: the same label counts
    assert (f.status, f.message) == (
        Status.PASS, "no drift: 0 of 1 prediction columns drifted between 'pref' and 'pcur'")
    f = check(root, "prediction_drift", {"reference": "pref", "current": "bad"})
    assert (f.status, f.message) == (
        Status.ERROR, "column 'txt' of 'bad' holds scores but is not numeric")
    with pytest.raises(PolicyError) as exc:
        check(root, "prediction_drift", {"reference": "pref", "current": "pcur",
                                         "method": "chi2"})
    assert ("method chi2 does not apply to the default target (numeric y_score, or y_pred of "
            "a regression card); use psi or ks") in str(exc.value)
    with pytest.raises(PolicyError) as exc:
        check(root, "prediction_drift", {"reference": "pref", "current": "pcur",
                                         "target": "y_score", "method": "jensenshannon"})
    assert ("method jensenshannon does not apply to numeric y_score; use psi or ks"
            in str(exc.value))


def test_label_drift(tmp_path: Path) -> None:
    ref = pd.DataFrame({"y": [0, 1] * 100, "x": range(200)})
    cur = pd.DataFrame({"label": [1] * 160 + [0] * 40, "x": range(200)})
    root = make_project(tmp_path, {"ref": (ref, "reference_dataset", {"label": "y"}),
                                   "cur": (cur, "dataset", {"label": "label"}),
                                   "same": (ref, "dataset", {"label": "y"}),
                                   "nolabel": (ref, "dataset", None)})
    js = jensenshannon([0.5, 0.5], [0.2, 0.8], base=2)
    f = check(root, "label_drift", {"current": "cur"})
    assert (f.status, f.message) == (
        Status.FAIL, "1 of 1 label columns drifted between 'ref' and 'cur' (100.0%, at most "
        f"0.0% allowed): y / label (JS distance {js:.4g} > 0.1)")
    assert tables(f)[0]["y / label"][3] == pytest.approx(js, rel=1e-12)
    f = check(root, "label_drift", {"current": "cur", "method": "chi2"})
    chi = chi2_contingency([[100, 100], [40, 160]], correction=False)
    assert tables(f)[1]["y / label"][4:6] == [pytest.approx(chi.statistic),
                                              pytest.approx(chi.pvalue)]
    f = check(root, "label_drift", {"current": "same"})
    assert (f.status, f.message) == (
        Status.PASS, "no drift: 0 of 1 label columns drifted between 'ref' and 'same'")
    f = check(root, "label_drift", {"current": "nolabel"})
    assert (f.status, f.message) == (
        Status.ERROR, "artifact 'nolabel' declares no label column (columns.label or "
        "columns.y_true) and the rule gives no 'label' param: insufficient evidence")
    f = check(root, "label_drift", {"current": "cur", "method": "ks"})
    assert (f.status, f.message) == (
        Status.ERROR, "method ks does not apply to a categorical label (use psi or chi2 or "
        "jensenshannon)")


def test_label_drift_regression_uses_numeric_psi(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    ref = pd.DataFrame({"y": rng.normal(10, 2, 300).round(3)})
    cur = pd.DataFrame({"y": rng.normal(13, 2, 300).round(3)})
    root = make_project(tmp_path, {"ref": (ref, "reference_dataset", {"label": "y"}),
                                   "cur": (cur, "dataset", {"label": "y"})}, task="regression")
    psi = psi_direct(ref["y"].to_numpy(), cur["y"].to_numpy())
    f = check(root, "label_drift", {})
    assert (f.status, f.message) == (
        Status.FAIL, "1 of 1 label columns drifted between 'ref' and 'cur' (100.0%, at most "
        f"0.0% allowed): y (PSI {psi:.4g} > 0.2)")


# ---------------------------------------------------------------------------------------------
# Real data
# ---------------------------------------------------------------------------------------------
def test_german_credit_example_no_drift_between_train_and_test(tmp_path: Path) -> None:
    f = check(EXAMPLE, "feature_drift", {"current": "test-data", "exclude": ["applicant_id"]},
              card=EXAMPLE / "model-card.yaml", policy_dir=tmp_path)
    assert (f.status, f.message) == (
        Status.PASS, "no drift: 0 of 23 columns drifted between 'reference-data' and "
        "'test-data'")
    train = pd.read_csv(EXAMPLE / "data" / "train.csv")
    test = pd.read_csv(EXAMPLE / "data" / "test.csv")
    decision, detail = tables(f)
    for col in ("age", "credit_amount", "duration_months"):
        ks = ks_2samp(train[col], test[col])
        assert detail[col][2:4] == [pytest.approx(ks.statistic, rel=1e-12),
                                    pytest.approx(ks.pvalue, rel=1e-9)]
        assert decision[col][3] == pytest.approx(
            psi_direct(train[col].to_numpy(float), test[col].to_numpy(float)), rel=1e-12)
    for col in ("purpose", "checking_status", "sex"):
        t = counts(train[col], test[col])
        chi = chi2_contingency(t, correction=False)
        assert detail[col][4:7] == [pytest.approx(chi.statistic, rel=1e-12),
                                    pytest.approx(chi.pvalue, rel=1e-9),
                                    pytest.approx(jensenshannon(t[0] / t[0].sum(),
                                                                t[1] / t[1].sum(), base=2))]


ADULT_COLUMNS = ["age", "workclass", "fnlwgt", "education", "education_num", "marital_status",
                 "occupation", "relationship", "race", "sex", "capital_gain", "capital_loss",
                 "hours_per_week", "native_country", "income"]


@pytest.fixture(scope="module")
def adult(tmp_path_factory: pytest.TempPathFactory, real_data: Path) -> tuple[Path, Any, Any]:
    def read(name: str, skip: int) -> pd.DataFrame:
        df = pd.read_csv(real_data / "adult" / name, header=None, names=ADULT_COLUMNS,
                         skipinitialspace=True, skiprows=skip, na_values=["?"])
        df["income"] = df["income"].str.rstrip(".")  # adult.test labels end in '.'
        return df

    train, test = read("adult.data", 0), read("adult.test", 1)
    root = make_project(tmp_path_factory.mktemp("adult"), {
        "adult-train": (train, "reference_dataset", {"label": "income"}),
        "adult-test": (test, "dataset", {"label": "income"})})
    return root, train, test


def test_adult_train_vs_test_drift_equals_scipy(adult: tuple[Path, Any, Any]) -> None:
    root, train, test = adult
    f = check(root, "feature_drift", {"numeric_method": "ks", "categorical_method": "chi2"})
    decision, detail = tables(f)
    assert len(decision) == 15
    for col in ADULT_COLUMNS:
        r, c = train[col].dropna(), test[col].dropna()
        if col in ("age", "fnlwgt", "education_num", "capital_gain", "capital_loss",
                   "hours_per_week"):
            ks = ks_2samp(r, c)
            assert decision[col][1:5] == ["numeric", "Kolmogorov-Smirnov test",
                                          pytest.approx(ks.statistic, rel=1e-12),
                                          pytest.approx(ks.pvalue, rel=1e-9, abs=1e-300)]
            assert detail[col][1] == pytest.approx(
                psi_direct(r.to_numpy(float), c.to_numpy(float)), rel=1e-9)
        else:
            t = counts(r, c)
            chi = chi2_contingency(t, correction=False)
            assert decision[col][1:5] == ["categorical", "chi-square test",
                                          pytest.approx(chi.statistic, rel=1e-12),
                                          pytest.approx(chi.pvalue, rel=1e-9, abs=1e-300)]
            assert detail[col][6] == pytest.approx(
                jensenshannon(t[0] / t[0].sum(), t[1] / t[1].sum(), base=2), rel=1e-12)
        assert decision[col][7:] == [len(r), len(c)]
    # The official split is random: PSI and Jensen-Shannon see no drift at the usual limits.
    f = check(root, "feature_drift", {})
    assert (f.status, f.message) == (
        Status.PASS, "no drift: 0 of 15 columns drifted between 'adult-train' and 'adult-test'")
    f = check(root, "label_drift", {})
    share_train = (train["income"] == ">50K").mean()
    share_test = (test["income"] == ">50K").mean()
    js = jensenshannon([1 - share_train, share_train], [1 - share_test, share_test], base=2)
    assert f.status is Status.PASS
    assert tables(f)[0]["income"][3] == pytest.approx(js, rel=1e-9)


# ---------------------------------------------------------------------------------------------
# prediction_drift on a regression card (issue 12 item 4): numeric statistics, never categories
# ---------------------------------------------------------------------------------------------
def regression_predictions(tmp: Path, ref: np.ndarray, cur: np.ndarray,
                           task: str = "regression") -> Path:
    cols = {"y_true": "y", "y_pred": "yhat"}
    return make_project(tmp, {
        "pref": (pd.DataFrame({"y": ref + 0.1, "yhat": ref}), "predictions", cols),
        "pcur": (pd.DataFrame({"y": cur + 0.1, "yhat": cur}), "predictions", cols)}, task=task)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_regression_prediction_drift_same_distribution_no_false_alarm(
        tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ref = rng.lognormal(3.0, 0.6, 2000)  # thousands of distinct float predictions
    cur = rng.lognormal(3.0, 0.6, 2000)
    assert len(np.unique(ref)) == 2000
    root = regression_predictions(tmp_path, ref, cur)
    # The default target of a regression card is y_pred; naming it changes nothing.
    for params in ({}, {"target": "y_pred"}):
        f = check(root, "prediction_drift", {"reference": "pref", "current": "pcur", **params})
        assert (f.status, f.message) == (
            Status.PASS, "no drift: 0 of 1 prediction columns drifted between 'pref' and 'pcur'")
    decision, detail = tables(f)
    psi = psi_direct(ref, cur)
    ks = ks_2samp(ref, cur)
    assert decision["y_pred"][:4] == ["y_pred", "numeric", "PSI", pytest.approx(psi, abs=1e-9)]
    assert psi < 0.05
    assert detail["y_pred"][1:4] == [pytest.approx(psi, abs=1e-9),
                                     pytest.approx(ks.statistic, abs=1e-9),
                                     pytest.approx(ks.pvalue, abs=1e-9)]
    assert detail["y_pred"][6:8] == [None, None]  # no JS distance, no categories


def test_regression_prediction_drift_shift_alarms_with_psi_and_ks(tmp_path: Path) -> None:
    rng = np.random.default_rng(11)
    ref = rng.normal(50.0, 10.0, 1500)
    cur = rng.normal(56.0, 10.0, 1500)  # mean shifted by 0.6 sd
    root = regression_predictions(tmp_path, ref, cur)
    psi = psi_direct(ref, cur)
    ks = ks_2samp(ref, cur)
    f = check(root, "prediction_drift", {"reference": "pref", "current": "pcur"})
    assert f.status is Status.FAIL and psi > 0.2
    assert tables(f)[0]["y_pred"][3] == pytest.approx(psi, abs=1e-9)
    f = check(root, "prediction_drift", {"reference": "pref", "current": "pcur",
                                         "method": "ks"})
    assert f.status is Status.FAIL
    decision, _ = tables(f)
    assert decision["y_pred"][2:5] == ["Kolmogorov-Smirnov test",
                                       pytest.approx(ks.statistic, abs=1e-9),
                                       pytest.approx(ks.pvalue, abs=1e-9)]
    assert ks.pvalue < 0.05
    with pytest.raises(PolicyError):  # the default target is numeric whatever the task
        check(root, "prediction_drift", {"reference": "pref", "current": "pcur",
                                         "method": "jensenshannon"})
    f = check(root, "prediction_drift", {"reference": "pref", "current": "pcur",
                                         "target": "y_pred", "method": "jensenshannon"})
    assert (f.status, f.message) == (
        Status.ERROR, "method jensenshannon does not apply to numeric predictions of a "
        "regression card (use psi or ks)")


def test_classification_with_numeric_labels_stays_categorical(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    ref = rng.integers(0, 3, 600).astype(float)  # class labels written as 0.0 / 1.0 / 2.0
    cur = rng.permutation(ref)
    root = regression_predictions(tmp_path, ref, cur, task="multiclass_classification")
    f = check(root, "prediction_drift", {"reference": "pref", "current": "pcur",
                                         "target": "y_pred"})
    assert (f.status, f.message) == (
        Status.PASS, "no drift: 0 of 1 prediction columns drifted between 'pref' and 'pcur'")
    decision, detail = tables(f)
    assert decision["y_pred"][1:4] == ["categorical", "Jensen-Shannon distance", 0.0]
    assert detail["y_pred"][7] == 3  # three categories
    f = check(root, "prediction_drift", {"reference": "pref", "current": "pcur",
                                         "target": "y_pred", "method": "ks"})
    assert (f.status, f.message) == (
        Status.ERROR, "method ks does not apply to predicted class labels (use psi or chi2 or "
        "jensenshannon)")


def test_drift_close_call_message_reads_as_decided(tmp_path: Path) -> None:
    """Issue 12 item 5: a PSI just above its threshold is never shown as "0.2 > 0.2"."""
    psi = psi_direct(REF["num"].to_numpy(), SHIFT["num"].to_numpy())
    limit = psi - 1e-12
    f = check(pair(tmp_path, SHIFT), "feature_drift", {"columns": ["num"],
                                                       "psi_threshold": limit})
    assert f.status is Status.FAIL
    shown = f.message.split("num (PSI ", 1)[1].rstrip(")")
    value_t, limit_t = shown.split(" > ")
    assert float(value_t) > float(limit_t) and float(limit_t) == limit
