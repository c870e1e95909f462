"""The performance and fairness rules give the same findings on every engine.

One project, one policy, three runs with the operator setting ``engine`` (``--engine`` /
``CheckRequest.engine``): ``memory`` (pandas), ``streaming`` (record batches) and ``dask`` (a
LocalCluster in this process, reached through its scheduler address). Messages, observed
values, evidence blocks (per-group tables, bootstrap intervals) and the recorded input digests
must agree.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from governance.api import CheckRequest, run_check
from governance.evidence import tables
from governance.metrics import streaming, sweep
from governance.report import Report

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)

RULES: list[dict[str, Any]] = [
    {"id": "ACC", "kind": "recomputed_metric",
     "params": {"metric": "accuracy", "min": 0.6, "n_resamples": 200, "decide_on": "ci_lower"}},
    {"id": "AUC", "kind": "recomputed_metric",
     "params": {"metric": "roc_auc", "min": 0.7, "n_resamples": 0}},
    {"id": "AUCCI", "kind": "group_metric_floor",  # DeLong: from rows or score cells
     "params": {"metric": "roc_auc", "min": 0.7, "n_resamples": 200, "intersections": True,
                "decide_on": "ci_lower"}},
    {"id": "LOGLOSS", "kind": "recomputed_metric",
     "params": {"metric": "log_loss", "max": 0.9, "n_resamples": 0}},
    {"id": "DP", "kind": "fairness_gap",
     "params": {"metric": "demographic_parity", "max": 0.1, "intersections": True,
                "n_resamples": 200}},
    {"id": "EO", "kind": "fairness_gap",
     "params": {"metric": "equalized_odds", "max": 0.02, "method": "to_overall",
                "n_resamples": 0}},
    {"id": "AUCGAP", "kind": "fairness_gap",
     "params": {"metric": "roc_auc", "measure": "ratio", "min": 0.9, "n_resamples": 0,
                "intersections": True}},
    {"id": "DI", "kind": "disparate_impact", "params": {"n_resamples": 200}},
    {"id": "FLOOR", "kind": "group_metric_floor",
     "params": {"metric": "recall", "min": 0.5, "intersections": [["sex", "region"]],
                "min_group_size": 500, "small_groups": "exclude", "n_resamples": 200}},
    {"id": "SMALL", "kind": "group_metric_floor",
     "params": {"metric": "pr_auc", "min": 0.5, "min_group_size": 500, "n_resamples": 0,
                "intersections": True}},
]


def predictions(n: int = 6_000, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n, p=[0.4, 0.6])
    region = rng.choice(["north", "south", "island"], n, p=[0.5, 0.45, 0.05])
    y = rng.integers(0, 2, n)
    score = np.round(np.clip(0.45 * y + rng.normal(0.28, 0.22, n) - 0.04 * (sex == "female"),
                             0, 1), 3)
    return pd.DataFrame({"y_true": y, "y_pred": (score >= 0.5).astype(int), "y_score": score,
                         "sex": sex, "region": region})


def make_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    pred_path = root / "predictions" / "test.parquet"
    pred_path.parent.mkdir(exist_ok=True)
    if not pred_path.exists():
        predictions().to_parquet(pred_path, row_group_size=1_000)
    card = {
        "apiVersion": "governance/v1", "kind": "ModelCard",
        "model": {"name": "loans", "version": "1.0.0", "task": "binary_classification",
                  "risk_tier": "high"},
        "artifacts": [{"name": "test-predictions", "role": "predictions",
                       "path": "predictions/test.parquet", "split": "test",
                       "columns": {"y_true": "y_true", "y_pred": "y_pred",
                                   "y_score": "y_score",
                                   "sensitive_features": ["sex", "region"]}}],
    }
    rules = []
    for r in RULES:
        params = dict(r["params"])
        rules.append({"id": r["id"], "title": r["id"], "kind": r["kind"], "severity": "high",
                      "params": params})
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "scale", "version": "1"}, "rules": rules}
    (root / "card.yaml").write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    (root / "policy.yaml").write_text(yaml.safe_dump(policy, sort_keys=False),
                                      encoding="utf-8")
    return root


def check(root: Path, engine: str = "auto", scheduler: str | None = None) -> Report:
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                  root=root, now=NOW, report_id="r", seed=11, engine=engine,
                                  dask_scheduler=scheduler)).report


def close(a: Any, b: Any, path: str = "") -> None:
    """Recursive equality with floats compared to 1e-9."""
    if isinstance(a, float) or isinstance(b, float):
        assert a is not None and b is not None, path
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for k in a:
            close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            close(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def same_findings(a: Report, b: Report) -> None:
    assert [f.rule_id for f in a.findings] == [f.rule_id for f in b.findings]
    for fa, fb in zip(a.findings, b.findings, strict=True):
        assert fa.status == fb.status, (fa.rule_id, fa.message, fb.message)
        assert fa.message == fb.message
        close(fa.model_dump(mode="json", exclude={"locations"}),
              fb.model_dump(mode="json", exclude={"locations"}), fa.rule_id)
    def data(r: Report) -> list[tuple[str, str, str]]:
        return [(i.role, i.path, i.sha256) for i in r.inputs if i.role != "policy"]

    assert data(a) == data(b)


@pytest.fixture(scope="module")
def memory_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    report = check(make_project(tmp_path_factory.mktemp("mem")), "memory")
    assert report.environment["engine"] == "memory"
    assert report.environment["engine:predictions/test.parquet"] == "memory"
    return report


def test_memory_report_exercises_pass_fail_and_error(memory_report: Report) -> None:
    status = {f.rule_id: f.status.value for f in memory_report.findings}
    assert set(status.values()) >= {"pass", "fail", "error"}, status
    assert status["SMALL"] == "error"  # island groups below 500 rows: insufficient evidence


def test_streaming_findings_equal_memory(tmp_path: Path, memory_report: Report,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming, "BATCH_ROWS", 1_300)  # several batches ...
    monkeypatch.setattr(sweep, "RANGE_ROWS", 700)  # ... and several score ranges
    root = make_project(tmp_path)
    report = check(root, "streaming")
    assert report.environment["engine:predictions/test.parquet"] == "streaming"
    same_findings(memory_report, report)
    digest = hashlib.sha256((root / "predictions" / "test.parquet").read_bytes()).hexdigest()
    assert ("artifact:predictions", "predictions/test.parquet", digest) in \
        [(i.role, i.path, i.sha256) for i in report.inputs]


def test_dask_findings_equal_memory(tmp_path: Path, memory_report: Report) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        report = check(make_project(tmp_path), "dask", cluster.scheduler_address)
    same_findings(memory_report, report)


def test_auto_streams_large_files_only(tmp_path: Path, memory_report: Report,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = streaming.stream_table

    def spy(path: str, *args: Any, **kw: Any) -> streaming.Streamed:
        calls.append(path)
        return real(path, *args, **kw)

    monkeypatch.setattr(streaming, "stream_table", spy)
    root = make_project(tmp_path)
    check(root)
    assert calls == []  # a small file: the in-memory engine
    monkeypatch.setattr(tables, "AUTO_STREAM_BYTES", 1)
    report = check(root)
    # streamed once per distinct request (count metrics, scores, ...), never for the
    # requests streaming cannot bootstrap (none in this policy)
    assert calls and all(c.endswith("test.parquet") for c in calls)
    same_findings(memory_report, report)


def test_explicit_streaming_refuses_unsupported_bootstrap(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"id": "AUCCI", "title": "t", "kind": "recomputed_metric",
                        "severity": "high",
                        "params": {"metric": "pr_auc", "min": 0.5, "n_resamples": 200}}]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    (f,) = check(root, "streaming").findings
    assert f.status.value == "error"
    assert f.message == ("engine streaming cannot evaluate artifact 'test-predictions': its "
                         "intervals cover count metrics (and ROC AUC by DeLong) only, not "
                         "pr_auc (set n_resamples: 0); use --engine memory")


def test_isolated_rules_equal_in_thread_rules(tmp_path: Path, memory_report: Report) -> None:
    """--isolate-rules: every rule in the worker process (JSON both ways) gives the same
    findings and inputs."""
    root = make_project(tmp_path)
    report = run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                    root=root, now=NOW, report_id="r", seed=11,
                                    engine="memory", isolate_rules=True)).report
    same_findings(memory_report, report)
    assert report.environment["engine:predictions/test.parquet"] == "memory"
