"""Data-quality and drift rules declare their column statistics (RuleKind.needs, provider
"columns"): a policy of several rules over one dataset computes each column's statistics once,
in the engine's pre-pass, and the report is the same with and without the pre-pass."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from governance.analysis import colprovider
from governance.analysis.colstats import ColumnStats
from governance.api import CheckRequest, run_check
from governance.evidence import needs as needs_mod
from governance.report import Report
from tests.conftest import write_policy
from tests.rules.test_drift import NOW, make_project

RULES: list[tuple[str, dict[str, Any]]] = [
    ("missing_values", {"artifact": "train", "max_column_rate": 0.1,
                        "missing_markers": ["?"], "exclude": ["id"]}),
    ("constant_columns", {"artifact": "train", "near_constant_share": 0.9,
                          "max_near_constant": 5, "exclude": ["id"]}),
    ("class_balance", {"artifact": "train", "min_minority_share": 0.2}),
    ("outliers", {"artifact": "train", "max_share": 0.2, "exclude": ["id"]}),
    ("data_schema", {"artifact": "train", "columns": {"age": {"dtype": "numeric", "min": 18,
                                                              "max": 90},
                                                      "job": {"allowed": ["a", "b", "c"]}}}),
    ("feature_drift", {"reference": "ref", "current": "train", "max_drifted_share": 1.0,
                       "exclude": ["id"]}),
    ("label_drift", {"reference": "ref", "current": "train"}),
]
COLUMNS = ["age", "income", "job", "flag", "label"]  # and "id", which every rule leaves out


def _frame(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10, 1, n).round(0)
    income[rng.integers(0, n, n // 50)] = np.nan
    return pd.DataFrame({
        "age": rng.integers(18, 95, n), "income": income,
        "job": rng.choice(["a", "b", "c", "?", "d"], n, p=[0.4, 0.3, 0.2, 0.05, 0.05]),
        "flag": np.where(rng.random(n) < 0.95, "y", "n"),
        "label": (rng.random(n) < 0.3).astype(int),
        "id": [f"id-{seed}-{i}" for i in range(n)]})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path, {
        "train": (_frame(1, 3000), "dataset", {"label": "label"}),
        "ref": (_frame(2, 2500), "reference_dataset", {"label": "label"})})
    write_policy(root, RULES)
    return root


def _run(root: Path) -> Report:
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                  root=root, now=NOW, report_id="r")).report


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter[tuple[str, str, str]]:
    calls: Counter[tuple[str, str, str]] = Counter()
    real = colprovider.of_series

    def counted(column: str, series: Any) -> ColumnStats:
        calls[(str(len(series)), column, threading.current_thread().name)] += 1
        return real(column, series)

    monkeypatch.setattr(colprovider, "of_series", counted)
    return calls


def test_each_column_is_computed_once_in_the_pre_pass(project: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _counting(monkeypatch)
    report = _run(project)
    assert all(f.status.value != "error" for f in report.findings), [
        (f.rule_id, f.message) for f in report.findings]
    # 2 tables x 5 columns, each once, all in the pre-pass
    assert sorted(calls) == sorted((rows, c, "prefetch") for rows in ("3000", "2500")
                                   for c in COLUMNS)
    assert set(calls.values()) == {1}
    # the pre-pass records no input; the rules record the two tables they used
    assert sorted(i.path for i in report.inputs if i.role.startswith("artifact:")) == [
        "data/ref.csv", "data/train.csv"]


def test_the_report_is_the_same_without_the_pre_pass(project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with_prepass = _run(project).model_dump(mode="json")
    calls = _counting(monkeypatch)
    monkeypatch.delitem(needs_mod.PROVIDERS, "columns")
    without = _run(project).model_dump(mode="json")
    assert without == with_prepass
    # still once per column and run: the first rule that asks computes, the others reuse
    assert set(calls.values()) == {1} and len(calls) == 10
    assert all(thread != "prefetch" for _, _, thread in calls)


def test_bad_evidence_is_reported_by_the_rules_alike(project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Needs naming a missing column or artifact, or a table that cannot be parsed: the
    pre-pass drops them and every rule reports its own error, as without the pre-pass."""
    (project / "data" / "ref.csv").write_bytes(b"a,b\n1,2,3,4\n\"unclosed\n")
    policy = json.loads((project / "policy.yaml").read_text(encoding="utf-8"))
    policy["rules"] += [
        {"id": "X1", "title": "t", "kind": "missing_values", "severity": "high",
         "params": {"artifact": "train", "columns": ["age", "nope"]}},
        {"id": "X2", "title": "t", "kind": "class_balance", "severity": "high",
         "params": {"artifact": "gone", "min_minority_share": 0.1}}]
    (project / "policy.yaml").write_text(json.dumps(policy), encoding="utf-8")
    with_prepass = _run(project).model_dump(mode="json")
    monkeypatch.delitem(needs_mod.PROVIDERS, "columns")
    assert _run(project).model_dump(mode="json") == with_prepass
    status = {f["rule_id"]: (f["status"], f["message"]) for f in with_prepass["findings"]}
    assert status["X1"][0] == "error" and "'nope'" in status["X1"][1]
    assert status["X2"] == ("error", "card.yaml: artifacts: the card has no artifact named 'gone'")
    assert status["R5"][0] == "error" and "ref.csv" in status["R5"][1]  # feature_drift
    assert status["R0"][0] != "error"  # the rules on the readable table still decide


def test_outliers_alone_counts_only_its_numeric_columns(project: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    policy = json.loads((project / "policy.yaml").read_text(encoding="utf-8"))
    policy["rules"] = [r for r in policy["rules"] if r["kind"] == "outliers"]
    (project / "policy.yaml").write_text(json.dumps(policy), encoding="utf-8")
    calls = _counting(monkeypatch)
    (finding,) = _run(project).findings
    assert [r[0] for r in finding.evidence[0].rows] == ["age", "income"]  # type: ignore[union-attr]
    # the label and the text columns are neither checked nor counted
    assert sorted(calls) == [("3000", "age", "prefetch"), ("3000", "income", "prefetch")]
