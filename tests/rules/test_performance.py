"""recomputed_metric, metric_regression, claim_consistency, generalization_gap, cv_spread:
pass / fail / error / waived through the engine, exact messages, values from scikit-learn."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import metrics as skm

from governance.api import CheckRequest, run_check
from governance.errors import PolicyError
from governance.policy.loader import load_policies
from governance.report import Finding, Report, Status

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def _preds(n: int, seed: int, skill: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    score = np.round(np.clip(skill * y + rng.normal(0.5 - skill / 2, 0.2, n), 0.01, 0.99), 3)
    sex = np.where(np.arange(n) % 2 == 0, "female", "male")
    return pd.DataFrame({"y_true": y, "y_pred": (score >= 0.5).astype(int), "y_score": score,
                         "sex": sex})


TEST = _preds(400, 1, 0.4)
TRAIN = _preds(600, 2, 0.6)
ACC = skm.accuracy_score(TEST.y_true, TEST.y_pred)
AUC = skm.roc_auc_score(TEST.y_true, TEST.y_score)
LOGLOSS = skm.log_loss(TEST.y_true, TEST.y_score)
TRAIN_ACC = skm.accuracy_score(TRAIN.y_true, TRAIN.y_pred)

CARD = """apiVersion: governance/v1
kind: ModelCard
model: {{name: m, version: "{version}", task: binary_classification}}
artifacts:
  - name: test-preds
    role: predictions
    path: preds/test.csv
    split: test
    columns: {{y_true: y_true, y_pred: y_pred, y_score: y_score, sensitive_features: [sex]}}
  - name: train-preds
    role: predictions
    path: preds/train.csv
    split: train
    columns: {{y_true: y_true, y_pred: y_pred, y_score: y_score}}
  - name: labels-only
    role: predictions
    path: preds/test.csv
    split: validation
    columns: {{y_true: y_true, y_pred: y_pred}}
  - name: cv
    role: other
    path: cv.csv
metrics:
{metrics}
"""


def _metrics(values: dict[str, float]) -> str:
    return "\n".join(f"  - {{name: {k}, value: {v}, split: test}}" for k, v in values.items())


def declared(**over: float) -> dict[str, float]:
    base = {"accuracy": round(ACC, 4), "roc_auc": round(AUC, 4), "log_loss": round(LOGLOSS, 4)}
    base.update(over)
    return base


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "preds").mkdir()
    TEST.to_csv(tmp_path / "preds" / "test.csv", index=False)
    TRAIN.to_csv(tmp_path / "preds" / "train.csv", index=False)
    pd.DataFrame({"fold": [1, 2, 3, 1, 2, 3], "metric": ["accuracy"] * 3 + ["roc_auc"] * 3,
                  "value": [0.80, 0.82, 0.78, 0.90, 0.70, 0.80]}).to_csv(tmp_path / "cv.csv",
                                                                         index=False)
    write_card(tmp_path, declared())
    (tmp_path / "baseline").mkdir()
    (tmp_path / "baseline" / "card.yaml").write_text(
        CARD.format(version="0.9.0", metrics=_metrics({"accuracy": 0.70, "roc_auc": 0.80,
                                                       "log_loss": 0.60})), encoding="utf-8")
    return tmp_path


def write_card(project: Path, metrics: dict[str, float]) -> None:
    (project / "card.yaml").write_text(CARD.format(version="1.0.0", metrics=_metrics(metrics)),
                                       encoding="utf-8")


def run(project: Path, rules: str, waivers: str = "", baseline: bool = True,
        seed: int = 0) -> Report:
    (project / "policy.yaml").write_text(
        "apiVersion: governance/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\n"
        f"rules:\n{rules}\n{waivers}\n", encoding="utf-8")
    return run_check(CheckRequest(
        policies=[project / "policy.yaml"], card=project / "card.yaml", root=project, now=NOW,
        report_id="r", seed=seed,
        baseline=project / "baseline" / "card.yaml" if baseline else None)).report


def only(report: Report) -> Finding:
    assert len(report.findings) == 1
    return report.findings[0]


def rule(kind: str, params: str) -> str:
    return f"  - {{id: R1, title: t, kind: {kind}, severity: high, params: {params}}}"


def g(x: float) -> str:
    return f"{x:.4g}"


# -- recomputed_metric ------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "status", "message"), [
    ("{metric: accuracy, min: 0.6, n_resamples: 0}", Status.PASS,
     f"accuracy recomputed from artifact 'test-preds' = {g(ACC)}, n=400 is at least the "
     "minimum 0.6"),
    ("{metric: accuracy, min: 0.9, n_resamples: 0}", Status.FAIL,
     f"accuracy recomputed from artifact 'test-preds' = {g(ACC)}, n=400 is below the minimum "
     "0.9"),
    ("{metric: log_loss, max: 0.3, n_resamples: 0}", Status.FAIL,
     f"log_loss recomputed from artifact 'test-preds' = {g(LOGLOSS)}, n=400 is above the "
     "maximum 0.3"),
    ("{metric: roc_auc, min: 0.5, artifact: labels-only}", Status.ERROR,
     "artifact 'labels-only' (preds/test.csv): the card maps no y_score column (needed for "
     "this metric)"),
    ("{metric: accuracy, min: 0.5, artifact: nope}", Status.ERROR,
     "card.yaml: artifacts: the card has no artifact named 'nope'"),
])
def test_recomputed_metric(project: Path, params: str, status: Status, message: str) -> None:
    f = only(run(project, rule("recomputed_metric", params)))
    assert (f.status, f.message) == (status, message)


def test_recomputed_metric_close_call_shows_digits_enough(project: Path) -> None:
    """Issue 12 item 5: the value shown beside the bound compares as the decision did."""
    assert 0.0001 < ACC < 0.9999
    just_above = float(np.nextafter(ACC, 1.0))
    f = only(run(project, rule("recomputed_metric",
                               f"{{metric: accuracy, min: {just_above!r}, n_resamples: 0}}")))
    assert f.status is Status.FAIL
    value_t, min_t = f.message.split(" = ", 1)[1].split(", n=400 is below the minimum ")
    assert float(value_t) < float(min_t) and float(min_t) == just_above
    f = only(run(project, rule("recomputed_metric",
                               f"{{metric: accuracy, max: {just_above!r}, n_resamples: 0}}")))
    assert f.status is Status.PASS
    value_t, max_t = f.message.split(" = ", 1)[1].split(", n=400 is at most the maximum ")
    assert float(value_t) < float(max_t)


def test_recomputed_metric_ci_decides_and_is_reproducible(project: Path) -> None:
    # the point estimate clears the floor, the lower CI bound does not
    floor = round(ACC - 0.01, 3)
    params = f"{{metric: accuracy, min: {floor}, decide_on: ci_lower, n_resamples: 500}}"
    f1 = only(run(project, rule("recomputed_metric", params)))
    f2 = only(run(project, rule("recomputed_metric", params)))
    f3 = only(run(project, rule("recomputed_metric", params), seed=1))
    assert f1.status is Status.FAIL
    assert f1.message == f2.message and f1.evidence == f2.evidence
    assert f1.evidence != f3.evidence
    obs = f1.observed
    assert isinstance(obs, dict)
    assert obs["value"] == pytest.approx(ACC, abs=1e-12)
    assert obs["ci_lower"] < floor < ACC < obs["ci_upper"]
    assert f1.message.endswith(f"is below the minimum {floor:g} (deciding on the lower CI "
                               f"bound {g(obs['ci_lower'])})")
    assert "(95% CI " in f1.message
    block = f1.evidence[0]
    assert block.type == "interval" and block.method == "percentile bootstrap, 500 resamples"


def test_recomputed_metric_waived(project: Path) -> None:
    waiver = ("waivers:\n  - {rule_id: R1, reason: known, approved_by: cro, "
              "expires: 2027-01-01}")
    f = only(run(project, rule("recomputed_metric", "{metric: accuracy, min: 0.99}"), waiver))
    assert f.status is Status.WAIVED


@pytest.mark.parametrize(("params", "message"), [
    ("{metric: acuracy, min: 0.5}",
     "unknown metric 'acuracy'; valid metrics: accuracy, balanced_accuracy, precision, recall, "
     "f1, specificity, fpr, fnr, selection_rate, roc_auc, pr_auc, log_loss, brier, mse, rmse, "
     "mae, r2, or sklearn:<name> (e.g. sklearn:matthews_corrcoef)"),
    ("{metric: accuracy}", "give at least one of min and max"),
    ("{metric: accuracy, min: 0.5, decide_on: ci_lower, n_resamples: 0}",
     "decide_on ci_lower needs a confidence interval; set n_resamples to at least 100"),
    ("{metric: accuracy, min: 0.5, n_resamples: 10}",
     "n_resamples must be 0 (no interval) or at least 100"),
])
def test_recomputed_metric_params_are_validated(tmp_path: Path, params: str,
                                                message: str) -> None:
    p = tmp_path / "policy.yaml"
    p.write_text("apiVersion: governance/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\n"
                 f"rules:\n{rule('recomputed_metric', params)}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as exc:
        load_policies([p])
    assert exc.value.message == message


# -- metric_regression ------------------------------------------------------------------------

@pytest.mark.parametrize(("params", "status", "message"), [
    ("{metric: accuracy, tolerance: 0.01, n_resamples: 0}", Status.PASS,
     f"accuracy = {g(ACC)} vs baseline 0.9.0 0.7: change {ACC - 0.7:+.4g}; must not be below "
     f"{g(0.69)} (tolerance 0.01, higher_is_better)"),
    # negative tolerance: must beat the baseline by at least 0.2
    ("{metric: accuracy, tolerance: -0.2, n_resamples: 0}", Status.FAIL,
     f"accuracy = {g(ACC)} vs baseline 0.9.0 0.7: change {ACC - 0.7:+.4g}; must not be below "
     f"{g(0.9)} (tolerance -0.2, higher_is_better)"),
    ("{metric: roc_auc, relative_tolerance: 0.01, n_resamples: 0}",
     Status.PASS if AUC >= 0.792 else Status.FAIL,
     f"roc_auc = {g(AUC)} vs baseline 0.9.0 0.8: change {AUC - 0.8:+.4g}; must not be below "
     f"{g(0.792)} (relative tolerance 0.01, higher_is_better)"),
    ("{metric: log_loss, tolerance: 0.0, n_resamples: 0}",
     Status.PASS if LOGLOSS <= 0.6 else Status.FAIL,
     f"log_loss = {g(LOGLOSS)} vs baseline 0.9.0 0.6: change {LOGLOSS - 0.6:+.4g}; must not "
     f"be above {g(0.6)} (tolerance 0, lower_is_better)"),
    ("{metric: f1, n_resamples: 0}", Status.ERROR,
     "the baseline baseline/card.yaml has no value for f1 (split test): insufficient "
     "evidence"),
])
def test_metric_regression(project: Path, params: str, status: Status, message: str) -> None:
    f = only(run(project, rule("metric_regression", params)))
    assert (f.status, f.message) == (status, message)


def test_metric_regression_without_baseline_is_an_error(project: Path) -> None:
    f = only(run(project, rule("metric_regression", "{metric: accuracy}"), baseline=False))
    assert (f.status, f.message) == (Status.ERROR, "no baseline release given (--baseline, or "
                                     "baseline: in governance.yaml): insufficient evidence")


def test_metric_regression_against_a_baseline_report(project: Path) -> None:
    """A previous run's JSON report is a baseline too: its recomputed values are used."""
    from governance.report import canonical_json

    rep = run(project, rule("recomputed_metric", "{metric: accuracy, min: 0.5, "
                            "n_resamples: 0}"), baseline=False)
    (project / "baseline" / "report.json").write_bytes(canonical_json(rep))
    (project / "policy.yaml").write_text(
        "apiVersion: governance/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        + rule("metric_regression", "{metric: accuracy, tolerance: -0.001, n_resamples: 0}")
        + "\n", encoding="utf-8")
    f = only(run_check(CheckRequest(policies=[project / "policy.yaml"],
                                    card=project / "card.yaml", root=project, now=NOW,
                                    baseline=project / "baseline" / "report.json")).report)
    assert f.status is Status.FAIL  # equal to itself, but it had to improve by 0.001
    assert f.message.startswith(f"accuracy = {g(ACC)} vs baseline 1.0.0 {g(ACC)}: change +0;")


# -- claim_consistency ------------------------------------------------------------------------

def test_claim_consistency_pass(project: Path) -> None:
    f = only(run(project, rule("claim_consistency", "{tolerance: 0.001}")))
    assert (f.status, f.message) == (Status.PASS, "all 3 declared metrics agree with the values "
                                     "recomputed from the artifacts within 0.001")


def test_card_overstating_accuracy_by_005_fails(project: Path) -> None:
    claimed = round(ACC + 0.05, 4)
    write_card(project, declared(accuracy=claimed))
    f = only(run(project, rule("claim_consistency", "{tolerance: 0.01}")))
    assert f.status is Status.FAIL
    assert f.message == (f"1 of 3 declared metrics disagree with the artifacts beyond the "
                         f"tolerance 0.01: accuracy (test) declared {claimed:g} but recomputed "
                         f"{g(ACC)} (overstated by {claimed - ACC:.4g} > 0.01)")
    assert any(loc.role == "card" and loc.field == "metrics[0].value" for loc in f.locations)


def test_claim_understatement_passes_with_only_overstatement(project: Path) -> None:
    write_card(project, declared(log_loss=round(LOGLOSS + 0.05, 4)))  # claims a worse loss
    f = only(run(project, rule("claim_consistency", "{only_overstatement: true}")))
    assert f.status is Status.PASS
    f = only(run(project, rule("claim_consistency", "{}")))
    assert f.status is Status.FAIL and "log_loss (test)" in f.message and "understated" in \
        f.message


def test_claim_consistency_error_when_not_declared(project: Path) -> None:
    f = only(run(project, rule("claim_consistency", "{metrics: [f1]}")))
    assert (f.status, f.message) == (Status.ERROR, "the card declares no metric f1: "
                                     "insufficient evidence")


# -- generalization_gap -----------------------------------------------------------------------

def test_generalization_gap_pass_fail(project: Path) -> None:
    gap = TRAIN_ACC - ACC
    head = (f"accuracy is {g(TRAIN_ACC)} on train (train-preds) and {g(ACC)} on test "
            f"(test-preds): gap {g(gap)}")
    f = only(run(project, rule("generalization_gap", "{metric: accuracy, max_gap: 0.5, "
                               "n_resamples: 0}")))
    assert (f.status, f.message) == (Status.PASS, f"{head} is within the maximum 0.5")
    f = only(run(project, rule("generalization_gap", "{metric: accuracy, max_gap: 0.01, "
                               "n_resamples: 0}")))
    assert (f.status, f.message) == (Status.FAIL, f"{head} exceeds the maximum 0.01")


def test_generalization_gap_error_without_train_predictions(project: Path) -> None:
    f = only(run(project, rule("generalization_gap", "{metric: accuracy, max_gap: 0.1, "
                               "train_artifact: cv}")))
    assert f.status is Status.ERROR
    assert f.message == "artifact 'cv' (cv.csv): the card declares no column mapping (columns:) " \
        "for this predictions artifact; map at least y_true"


# -- cv_spread --------------------------------------------------------------------------------

def test_cv_spread(project: Path) -> None:
    std = float(np.std([0.9, 0.7, 0.8], ddof=1))
    f = only(run(project, rule("cv_spread", "{artifact: cv, metric: roc_auc, max_std: 0.05}")))
    assert (f.status, f.message) == (
        Status.FAIL, f"roc_auc over 3 folds: mean 0.8, std {g(std)}, range 0.2: std exceeds "
        "the maximum 0.05")
    f = only(run(project, rule("cv_spread", "{artifact: cv, metric: accuracy, max_range: "
                               "0.05}")))
    assert f.status is Status.PASS
    f = only(run(project, rule("cv_spread", "{artifact: cv, metric: f1, max_std: 0.05}")))
    assert (f.status, f.message) == (Status.ERROR, "artifact 'cv' (cv.csv) has no rows for "
                                     "metric 'f1' (metrics: accuracy, roc_auc)")


def test_claim_consistency_selects_the_dataset_the_predictions_hold(project: Path) -> None:
    # A card (as imported from Hugging Face) declaring accuracy on two evaluation datasets:
    # only the one the rule names is checked against the predictions; f1 macro is recomputed
    # with the macro average the card declares.
    import sklearn.metrics as skm

    f1_macro = skm.f1_score(TEST["y_true"], TEST["y_pred"], average="macro")
    text = (project / "card.yaml").read_text(encoding="utf-8").split("metrics:")[0]
    (project / "card.yaml").write_text(text + "metrics:\n" + "\n".join([
        f"  - {{name: accuracy, value: {ACC!r}, dataset: ours, split: test}}",
        f"  - {{name: f1, average: macro, value: {f1_macro!r}, dataset: ours, split: test}}",
        "  - {name: accuracy, value: 0.5, dataset: other/benchmark, split: test}",
    ]) + "\n", encoding="utf-8")
    f = only(run(project, rule("claim_consistency", "{tolerance: 1.0e-9}")))
    assert (f.status, f.message) == (Status.ERROR, "the card declares no metric that can be "
                                     "recomputed: insufficient evidence")
    assert f.notes == ["3 metric(s) declared on 2 datasets were not checked; set dataset to "
                       "the one the predictions artifact holds"]
    f = only(run(project, rule("claim_consistency", "{tolerance: 1.0e-9, dataset: ours}")))
    assert (f.status, f.message) == (Status.PASS, "all 2 declared metrics agree with the values "
                                     "recomputed from the artifacts within 1e-09")
    recomputed = {o["metric"]: o["recomputed"] for o in f.observed}
    assert abs(recomputed["f1"] - f1_macro) < 1e-9
    assert abs(skm.f1_score(TEST["y_true"], TEST["y_pred"]) - f1_macro) > 1e-4  # not binary
