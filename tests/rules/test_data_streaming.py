"""The data rules that decide from column statistics alone read a Parquet dataset batch by batch
under the streaming engine (analysis/colstream): the same findings and inputs as in memory,
the engine recorded per artifact, the same caps on hostile tables."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from governance.analysis import colstream
from governance.api import CheckRequest, run_check
from governance.report import Report
from tests.conftest import write_policy
from tests.rules.test_drift import NOW

RULES: list[tuple[str, dict[str, Any]]] = [
    ("missing_values", {"artifact": "train", "max_column_rate": 0.1, "missing_markers": ["?"],
                        "exclude": ["id"]}),
    ("constant_columns", {"artifact": "train", "near_constant_share": 0.9,
                          "max_near_constant": 5}),
    ("class_balance", {"artifact": "train", "min_minority_share": 0.2}),
    ("outliers", {"artifact": "train", "max_share": 0.2, "method": "zscore"}),
    ("outliers", {"artifact": "train", "max_share": 0.01}),
    ("dimensionality", {"artifact": "train", "expand_categoricals": True}),
    ("feature_drift", {"reference": "ref", "current": "train", "max_drifted_share": 1.0,
                       "numeric_method": "ks", "per_column": {"income": {"method": "psi"}}}),
    ("label_drift", {"reference": "ref", "current": "train"}),
    ("prediction_drift", {"reference": "ref-preds", "current": "preds"}),
    ("duplicate_rows", {"artifact": "train", "exclude": ["id"], "max_share": 0.5}),  # a frame
]


def _frame(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    income = rng.lognormal(10, 1, n).round(0)
    income[rng.integers(0, n, n // 50)] = np.nan
    job = rng.choice(["a", "b", "c", "?", "d"], n, p=[0.4, 0.3, 0.2, 0.05, 0.05]).astype(object)
    job[rng.integers(0, n, n // 40)] = None
    return pd.DataFrame({
        "age": rng.integers(18, 95, n), "income": income, "job": job,
        "flag": rng.random(n) < 0.95, "label": (rng.random(n) < 0.3).astype(int),
        "id": [f"id-{seed}-{i}" for i in range(n)]})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    rng = np.random.default_rng(9)
    arts = []
    for name, role, seed in (("train", "dataset", 1), ("ref", "reference_dataset", 2)):
        _frame(seed, 20_000).to_parquet(tmp_path / f"{name}.parquet", row_group_size=3000)
        arts.append({"name": name, "role": role, "path": f"{name}.parquet",
                     "columns": {"label": "label"}})
    for name, shift in (("preds", 0.05), ("ref-preds", 0.0)):
        y = rng.integers(0, 2, 15_000)
        pd.DataFrame({"y_true": y, "y_score": np.clip(rng.normal(0.4 + shift, 0.2, 15_000),
                                                      0, 1).round(3)}
                     ).to_parquet(tmp_path / f"{name}.parquet")
        arts.append({"name": name, "role": "predictions", "path": f"{name}.parquet",
                     "columns": {"y_true": "y_true", "y_score": "y_score"}})
    card = {"apiVersion": "governance/v1", "kind": "ModelCard",
            "model": {"name": "m", "version": "1.0.0", "task": "binary_classification"},
            "artifacts": arts}
    (tmp_path / "card.yaml").write_text(json.dumps(card), encoding="utf-8")
    write_policy(tmp_path, RULES)
    return tmp_path


def _run(root: Path, engine: str, **extras: Any) -> Report:
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                  root=root, now=NOW, report_id="r", engine=engine,
                                  extras=extras)).report


def _canonical(report: Report) -> dict[str, Any]:
    out = report.model_dump(mode="json")
    out.pop("environment")
    out["run"] = None
    return out


def test_streaming_gives_the_in_memory_findings(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(colstream, "BATCH_ROWS", 1000)  # 20 batches per table
    memory = _run(project, "memory")
    assert all(f.status.value != "error" for f in memory.findings), [
        (f.rule_id, f.message) for f in memory.findings]
    streamed = _run(project, "streaming")
    assert _canonical(streamed) == _canonical(memory)
    env = streamed.environment
    assert env["engine:train.parquet"] == env["engine:ref.parquet"] == "streaming"
    assert env["engine:preds.parquet"] == "streaming"
    assert not any(k.startswith("engine:") for k in memory.environment)
    # auto streams from the size threshold on
    auto = _run(project, "auto", stream_threshold_bytes=1)
    assert _canonical(auto) == _canonical(memory)
    assert auto.environment["engine:train.parquet"] == "streaming"
    assert "engine:train.parquet" not in _run(project, "auto").environment


def test_streaming_keeps_the_cell_cap_and_reads_csv_in_memory(project: Path) -> None:
    df = _frame(1, 50)
    df.loc[3, "job"] = "x" * 100_001
    df.to_parquet(project / "train.parquet")
    streamed = {f.rule_id: f for f in _run(project, "streaming").findings}
    memory = {f.rule_id: f for f in _run(project, "memory").findings}
    msg = ("artifact 'train' (train.parquet): column 'job' has a cell longer than 100000 "
           "characters")
    assert memory["R0"].message == msg
    assert streamed["R0"].message == msg and streamed["R0"].status.value == "error"
    card = json.loads((project / "card.yaml").read_text(encoding="utf-8"))
    card["artifacts"][0]["path"] = "train.csv"
    _frame(1, 500).to_csv(project / "train.csv", index=False)
    (project / "card.yaml").write_text(json.dumps(card), encoding="utf-8")
    report = _run(project, "streaming")
    assert "engine:train.csv" not in report.environment  # CSV: read in memory
    assert report.environment["engine:ref.parquet"] == "streaming"
