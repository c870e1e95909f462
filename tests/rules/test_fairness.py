"""fairness_gap, disparate_impact, group_metric_floor: pass / fail / error / waived through the
engine; exact messages; values from fairlearn; minimum group size; intersections."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fairlearn import metrics as flm

from governance.api import CheckRequest, run_check
from governance.report import Finding, Report, Status

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def _data() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 400
    sex = np.where(np.arange(n) < 200, "female", "male")
    age = np.where(np.arange(n) % 20 == 0, "<25", ">=25")  # 20 young applicants
    y = rng.integers(0, 2, n)
    # women are selected less often: 40% vs 70%
    sel = np.where(sex == "female", rng.random(n) < 0.4, rng.random(n) < 0.7).astype(int)
    score = np.round(np.clip(0.5 * sel + 0.2 * y + rng.normal(0.2, 0.1, n), 0, 1), 3)
    return pd.DataFrame({"y_true": y, "y_pred": sel, "y_score": score, "sex": sex,
                         "age_group": age})


DATA = _data()
Y, P, SEX = DATA.y_true, DATA.y_pred, DATA.sex
DPD = flm.demographic_parity_difference(Y, P, sensitive_features=SEX)
DPR = flm.demographic_parity_ratio(Y, P, sensitive_features=SEX)
EOD = flm.equalized_odds_difference(Y, P, sensitive_features=SEX)
RATES = P.groupby(SEX).mean()

CARD = """apiVersion: governance/v1
kind: ModelCard
model: {name: m, version: "1.0.0", task: binary_classification}
artifacts:
  - name: preds
    role: predictions
    path: preds.csv
    split: test
    columns: {y_true: y_true, y_pred: y_pred, y_score: y_score,
              sensitive_features: [sex, age_group]}
sensitive_features:
  - {name: sex, column: sex, reference_group: male}
  - {name: age_group, column: age_group, reference_group: ">=25"}
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    DATA.to_csv(tmp_path / "preds.csv", index=False)
    (tmp_path / "card.yaml").write_text(CARD, encoding="utf-8")
    return tmp_path


def run(project: Path, rules: str, waivers: str = "") -> Report:
    (project / "policy.yaml").write_text(
        "apiVersion: governance/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\n"
        f"rules:\n{rules}\n{waivers}\n", encoding="utf-8")
    return run_check(CheckRequest(policies=[project / "policy.yaml"], card=project / "card.yaml",
                                  root=project, now=NOW, report_id="r")).report


def only(report: Report) -> Finding:
    assert len(report.findings) == 1
    return report.findings[0]


def rule(kind: str, params: str) -> str:
    return f"  - {{id: R1, title: t, kind: {kind}, severity: high, params: {params}}}"


def g(x: float) -> str:
    return f"{x:.4g}"


@pytest.mark.parametrize(("params", "status", "message"), [
    ("{features: [sex], max: 0.5, n_resamples: 0}", Status.PASS,
     f"demographic parity difference across sex = {g(DPD)} is within the maximum 0.5"),
    ("{features: [sex], max: 0.1, n_resamples: 0}", Status.FAIL,
     f"demographic parity difference across sex = {g(DPD)} exceeds the maximum 0.1; groups: "
     "sex=female"),
    ("{features: [sex], measure: ratio, min: 0.8, n_resamples: 0}", Status.FAIL,
     f"demographic parity ratio across sex = {g(DPR)} is below the minimum 0.8; groups: "
     "sex=female"),
    ("{features: [sex], metric: equalized_odds, max: 0.5, n_resamples: 0}", Status.PASS,
     f"equalized odds difference across sex = {g(EOD)} is within the maximum 0.5"),
    ("{max: 0.5, n_resamples: 0}", Status.ERROR,
     "1 group(s) below the minimum size 30: age_group=<25 (n=20): insufficient evidence (set "
     "small_groups: exclude to leave them out)"),
])
def test_fairness_gap(project: Path, params: str, status: Status, message: str) -> None:
    f = only(run(project, rule("fairness_gap", params)))
    assert (f.status, f.message) == (status, message)
    if status is Status.FAIL:
        assert f.evidence[0].type == "interval"
        assert list(f.evidence[1].groups[i].flagged for i in range(2)) == [True, False]


def test_fairness_gap_ci_message_and_evidence(project: Path) -> None:
    f = only(run(project, rule("fairness_gap", "{features: [sex], max: 0.1, decide_on: "
                               "ci_lower, n_resamples: 400}")))
    assert f.status is Status.FAIL
    obs = f.observed["sex"]
    assert obs["value"] == pytest.approx(DPD, abs=1e-12)
    assert obs["ci_lower"] < DPD < obs["ci_upper"]
    assert f.message == (f"demographic parity difference across sex = {g(DPD)} (95% CI "
                         f"{g(obs['ci_lower'])}–{g(obs['ci_upper'])}) exceeds the maximum 0.1 "
                         f"(deciding on the lower CI bound {g(obs['ci_lower'])}); groups: "
                         "sex=female")
    groups = f.evidence[1].groups
    assert [gv.group for gv in groups] == ["sex=female", "sex=male"]
    assert [gv.n for gv in groups] == [200, 200]
    assert groups[0].value == pytest.approx(RATES["female"], abs=1e-12)
    assert all(gv.ci_lower < gv.value < gv.ci_upper for gv in groups)


def test_small_groups_excluded_with_note_and_intersections(project: Path) -> None:
    f = only(run(project, rule("fairness_gap", "{max: 0.5, small_groups: exclude, features: "
                               "[sex], intersections: [[sex, age_group]], n_resamples: 0}")))
    assert f.status is Status.PASS
    assert f.notes == ["sex & age_group: left out 2 group(s) below 30 rows: sex=female & "
                       "age_group=<25 (n=10), sex=male & age_group=<25 (n=10)"]
    inter = [e for e in f.evidence if e.type == "group_metric" and e.feature ==
             "sex & age_group"]
    assert [gv.group for gv in inter[0].groups] == ["sex=female & age_group=>=25",
                                                    "sex=male & age_group=>=25"]
    m = DATA.age_group == ">=25"
    expected = flm.demographic_parity_difference(
        Y[m], P[m], sensitive_features=DATA[m][["sex", "age_group"]])
    assert f.observed["sex & age_group"]["value"] == pytest.approx(expected, abs=1e-12)
    # with only one group left, there is nothing to compare: an error, never a pass
    f = only(run(project, rule("fairness_gap", "{max: 0.5, small_groups: exclude, "
                               "n_resamples: 0}")))
    assert (f.status, f.message) == (Status.ERROR, "fewer than two groups of age_group left "
                                     "to compare: insufficient evidence")


def test_fairness_gap_waived_by_group_scope(project: Path) -> None:
    params = "{features: [sex], max: 0.1, n_resamples: 0}"
    covered = ("waivers:\n  - {rule_id: R1, reason: remediation planned, approved_by: cro, "
               "expires: 2027-01-01, scope: {group: sex=female}}")
    f = only(run(project, rule("fairness_gap", params), covered))
    assert f.status is Status.WAIVED
    other = covered.replace("sex=female", "sex=male")
    f = only(run(project, rule("fairness_gap", params), other))
    assert f.status is Status.FAIL
    assert "group-scoped waivers do not cover: sex=female" in f.notes


def test_disparate_impact_four_fifths(project: Path) -> None:
    ratio = RATES["female"] / RATES["male"]
    f = only(run(project, rule("disparate_impact", "{features: [sex], n_resamples: 0}")))
    assert (f.status, f.message) == (
        Status.FAIL, f"lowest impact ratio across sex: sex=female = {g(ratio)} (selection rate "
        f"{g(RATES['female'])} vs {g(RATES['male'])} for sex=male); below 0.8 (four-fifths "
        "rule): sex=female")
    assert f.observed["sex"]["min_impact_ratio"] == pytest.approx(DPR, abs=1e-12)
    f = only(run(project, rule("disparate_impact", "{features: [sex], min_ratio: 0.5, "
                               "n_resamples: 0}")))
    assert f.status is Status.PASS
    f = only(run(project, rule("disparate_impact", "{n_resamples: 0}")))
    assert f.status is Status.ERROR  # age_group=<25 is below the minimum size


def test_group_metric_floor(project: Path) -> None:
    from sklearn.metrics import recall_score

    rec = {s: recall_score(Y[SEX == s], P[SEX == s]) for s in ("female", "male")}
    f = only(run(project, rule("group_metric_floor", "{metric: recall, min: 0.2, features: "
                               "[sex], n_resamples: 0}")))
    assert (f.status, f.message) == (
        Status.PASS, f"lowest recall across sex: sex=female = {g(rec['female'])}, n=200 is "
        "within the floor 0.2")
    f = only(run(project, rule("group_metric_floor", "{metric: recall, min: 0.6, features: "
                               "[sex], n_resamples: 0}")))
    assert f.status is Status.FAIL
    assert f.message.endswith("1 group(s) beyond the floor 0.6: sex=female")
    f = only(run(project, rule("group_metric_floor", "{metric: recall, min: 0.6, features: "
                               "[nope], n_resamples: 0}")))
    assert f.status is Status.ERROR
    assert f.message.startswith("artifact 'preds' (preds.csv) has no column 'nope' (mapped as "
                                "sensitive feature")


@pytest.mark.parametrize("kind", ["disparate_impact", "fairness_gap", "group_metric_floor"])
def test_close_call_messages_agree_with_the_decision(project: Path, kind: str) -> None:
    """Issue 12 item 5: a limit one ulp away from the value is shown apart from it, on the
    side the decision took (never "0.5714 is below 0.5714")."""
    from sklearn.metrics import recall_score

    ratio = float(RATES["female"] / RATES["male"])
    if kind == "disparate_impact":
        value, limit = ratio, float(np.nextafter(ratio, 1.0))
        params = f"{{features: [sex], min_ratio: {limit!r}, n_resamples: 0}}"
        pattern = r"sex=female = ([0-9.e-]+) \(.*below ([0-9.e-]+) \(four-fifths"
    elif kind == "fairness_gap":
        value = float(DPD)
        limit = float(np.nextafter(value, 0.0))
        params = f"{{features: [sex], max: {limit!r}, n_resamples: 0}}"
        pattern = r"across sex = ([0-9.e-]+) exceeds the maximum ([0-9.e-]+);"
    else:
        value = float(recall_score(Y[SEX == "female"], P[SEX == "female"]))
        limit = float(np.nextafter(value, 1.0))
        params = f"{{metric: recall, min: {limit!r}, features: [sex], n_resamples: 0}}"
        pattern = r"sex=female = ([0-9.e-]+), n=200; 1 group\(s\) beyond the floor ([0-9.e-]+):"
    f = only(run(project, rule(kind, params)))
    assert f.status is Status.FAIL
    m = re.search(pattern, f.message)
    assert m is not None, f.message
    shown_value, shown_limit = float(m[1]), float(m[2])
    assert shown_limit == limit
    assert (shown_value < shown_limit) == (value < limit)
    assert (shown_value > shown_limit) == (value > limit)
