"""The statistics-only data rules on Dask (analysis/coldask): the same partial per partition,
merged; findings and inputs equal to the in-memory and streaming engines on Parquet and CSV,
including partitions that type a CSV column apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from governance.analysis import colstream
from governance.analysis.coldask import column_stats
from governance.analysis.colstats import of_series
from governance.api import CheckRequest, run_check
from governance.evidence.tables import _read
from governance.report import Report
from tests.conftest import write_policy
from tests.rules.test_data_streaming import NOW, RULES, _canonical, _frame

SCHEMA = ("data_schema", {"artifact": "train", "columns": {"age": {"dtype": "integer",
                                                                   "min": 18}}})


def _edges(seed: int, n: int) -> pd.DataFrame:
    """The streaming test's frame plus the edge cases: an all-null column, -0.0 beside 0.0,
    a column that is numbers in some partitions and words in one, booleans with and without
    missing cells, a category only in the last rows, integers with a missing cell late."""
    df = _frame(seed, n)
    df["empty"] = np.nan
    df["zero"] = np.where(np.arange(n) % 3 == 0, -0.0, np.where(np.arange(n) % 3 == 1, 0.0, 1.5))
    mixed = (np.arange(n) % 7).astype(object)
    mixed[-5:] = "seven"
    df["mixed"] = mixed
    late = np.where(np.arange(n) % 2 == 0, "x", "y").astype(object)
    late[-3:] = "only-late"
    df["late"] = late
    flag2 = np.where(np.arange(n) % 4 == 0, True, False).astype(object)
    flag2[-2] = None
    df["flag2"] = flag2
    ints = np.arange(n, dtype=float)
    ints[-1] = np.nan
    df["ints"] = ints
    return df


def _project(root: Path, fmt: str, n: int = 2000) -> Path:
    root.mkdir()
    rng = np.random.default_rng(9)
    arts = []
    for name, role, seed in (("train", "dataset", 1), ("ref", "reference_dataset", 2)):
        df = _edges(seed, n)
        path = f"{name}.{fmt}"
        if fmt == "csv":
            df.to_csv(root / path, index=False)
        else:
            df = df.astype({"mixed": str})  # a declared category no row uses, too
            df["late"] = pd.Categorical(df["late"], categories=["x", "y", "only-late", "never"])
            df.to_parquet(root / path, row_group_size=300)
        arts.append({"name": name, "role": role, "path": path, "columns": {"label": "label"}})
    for name, shift in (("preds", 0.05), ("ref-preds", 0.0)):
        y = rng.integers(0, 2, n)
        pd.DataFrame({"y_true": y, "y_score": np.clip(rng.normal(0.4 + shift, 0.2, n),
                                                      0, 1).round(3)}
                     ).to_csv(root / f"{name}.{fmt}", index=False) if fmt == "csv" else \
            pd.DataFrame({"y_true": y, "y_score": rng.random(n).round(3)}
                         ).to_parquet(root / f"{name}.{fmt}", row_group_size=300)
        arts.append({"name": name, "role": "predictions", "path": f"{name}.{fmt}",
                     "columns": {"y_true": "y_true", "y_score": "y_score"}})
    card = {"apiVersion": "governance/v1", "kind": "ModelCard",
            "model": {"name": "m", "version": "1.0.0", "task": "binary_classification"},
            "artifacts": arts}
    (root / "card.yaml").write_text(json.dumps(card), encoding="utf-8")
    rules = [*RULES, SCHEMA,
             ("missing_values", {"artifact": "train", "max_column_rate": 0.5}),
             ("constant_columns", {"artifact": "train"}),
             ("outliers", {"artifact": "train", "max_share": 0.2, "exclude": ["empty"]}),
             ("feature_drift", {"reference": "ref", "current": "train",
                                "max_drifted_share": 1.0,
                                "columns": ["zero", "mixed", "late", "flag2", "ints", "job"]})]
    write_policy(root, rules)
    return root


def _run(root: Path, engine: str, scheduler: str | None = None, **extras: Any) -> Report:
    return run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                  root=root, now=NOW, report_id="r", engine=engine,
                                  dask_scheduler=scheduler, extras=extras)).report


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_dask_gives_the_in_memory_and_streaming_findings(
        tmp_path: Path, fmt: str, dask_scheduler: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    root = _project(tmp_path / fmt, fmt)
    monkeypatch.setattr(colstream, "BATCH_ROWS", 300)
    memory = _run(root, "memory")
    # the all-null column is no evidence for outliers and drift; every other rule decides
    assert all("empty" in f.message for f in memory.findings if f.status.value == "error"), [
        (f.rule_id, f.message) for f in memory.findings]
    assert {f.status.value for f in memory.findings} >= {"pass", "fail"}
    streamed = _run(root, "streaming")
    assert _canonical(streamed) == _canonical(memory)
    from governance.analysis import coldask

    parts: list[int] = []
    real = coldask._read

    def counted(*args: Any) -> Any:
        ddf = real(*args)
        parts.append(ddf.npartitions)
        return ddf

    monkeypatch.setattr(coldask, "_read", counted)
    dask = _run(root, "dask", dask_scheduler, dask_block_bytes=8_000)
    # each table read once; the two datasets in several partitions
    assert len(parts) == 4 and sorted(parts)[2] >= 3
    assert _canonical(dask) == _canonical(memory)
    env = dask.environment
    assert env[f"engine:train.{fmt}"] == env[f"engine:ref.{fmt}"] == "dask"
    assert env[f"engine:preds.{fmt}"] == "dask"  # prediction_drift's datasets
    if fmt == "csv":
        assert f"engine:train.{fmt}" not in streamed.environment  # streaming: CSV in memory


def test_csv_partitions_typed_apart_give_the_statistics_of_read_csv(
        tmp_path: Path, dask_scheduler: str) -> None:
    """Per column, the merged partials equal the one-batch partial of the table read_csv reads
    (numbers and words: text as written; integers beside a missing cell: float64; an all-null
    column: float64 NaN; true/false words with a gap: booleans)."""
    df = _edges(3, 3000)
    df["late_num"] = np.where(np.arange(3000) < 2990, "", "2.5")  # empty, then decimals
    df["words"] = np.where(np.arange(3000) % 2 == 0, "TRUE", "1")
    big, first = str(2**64 - 1), np.arange(3000) < 1500  # uint64 to read_csv, text beside -1
    df["bigneg"] = np.where(first, big, "-1")
    df["bigpos"] = np.where(first, big, "1")
    df["bigfloat"] = np.where(first, big, np.where(np.arange(3000) < 2990, "-1", "0.5"))
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    memory = _read(str(path), "csv", "t")
    from distributed import Client

    with Client(dask_scheduler) as client:
        columns, stats = column_stats(str(path), "csv", "t", client=client, blocksize=10_000)
    assert columns == [str(c) for c in memory.columns]
    for c in columns:
        expected = of_series(c, memory[c])
        assert stats[c].same(expected), (c, stats[c], expected)
    assert stats["mixed"].kinds is None and "seven" in stats["mixed"].values.tolist()
    assert stats["empty"].numeric and stats["empty"].na == 3000
    assert stats["flag2"].kinds is not None and not stats["flag2"].numeric
    assert stats["zero"].values.tolist() == [0.0, 1.5]
    assert not stats["bigneg"].numeric and stats["bigpos"].numeric


def test_dask_keeps_the_cell_cap(tmp_path: Path, dask_scheduler: str) -> None:
    root = _project(tmp_path / "p", "csv", n=200)
    df = _edges(1, 200)
    df.loc[150, "job"] = "x" * 100_001
    df.to_csv(root / "train.csv", index=False)
    dask = {f.rule_id: f for f in _run(root, "dask", dask_scheduler,
                                       dask_block_bytes=5_000).findings}
    memory = {f.rule_id: f for f in _run(root, "memory").findings}
    msg = ("artifact 'train' (train.csv): column 'job' has a cell longer than 100000 "
           "characters")
    assert memory["R0"].message == msg
    assert dask["R0"].message == msg and dask["R0"].status.value == "error"


@pytest.mark.parametrize("text", [
    "a,b,label\n", "a,a,label\n1,2,0\n3,4,1\n", "", "a,b,label\n1,2,0\n3,4,1,5,6\n",
    "a,label\n\x00\xff,1\n"], ids=["header-only", "duplicates", "empty", "ragged", "binary"])
def test_bad_csv_is_the_in_memory_error(tmp_path: Path, text: str, dask_scheduler: str) -> None:
    root = _project(tmp_path / "p", "csv", n=50)
    (root / "train.csv").write_text(text, encoding="latin-1")
    memory = {f.rule_id: f for f in _run(root, "memory").findings}
    dask = {f.rule_id: f for f in _run(root, "dask", dask_scheduler).findings}
    assert memory["R0"].status.value == dask["R0"].status.value == "error"
    assert dask["R0"].message == memory["R0"].message
    assert dask["R0"].message.startswith("artifact 'train' (train.csv): ")
    assert "governance-snap" not in dask["R0"].message  # never the private snapshot's path
