"""Reading prediction tables (CSV, Parquet, JSON Lines) and validating the mapped columns:
exact messages for empty files, missing columns, NaN labels, non-binary labels, NaN/inf and
non-numeric scores, probabilities outside [0, 1]."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from governance.card.model import Artifact, ArtifactRole, ColumnMap
from governance.errors import EvidenceError
from governance.evidence.tables import _read
from governance.metrics.predictions import from_frame

FRAME = pd.DataFrame({"y_true": [0, 1, 1, 0], "y_pred": [0, 1, 0, 0],
                      "y_score": [0.1, 0.9, 0.4, 0.2], "sex": ["f", "m", "f", "m"]})
COLS = ColumnMap(y_true="y_true", y_pred="y_pred", y_score="y_score",
                 sensitive_features=["sex"])
D = "artifact 'p' (p.csv)"


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_reads_every_format_alike(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"p.{fmt}"
    if fmt == "csv":
        FRAME.to_csv(path, index=False)
    elif fmt == "parquet":
        FRAME.to_parquet(path)
    else:
        FRAME.to_json(path, orient="records", lines=True)
    df = _read(str(path), fmt, "p")
    ps = from_frame(df, COLS, "binary", D, need_pred=True, need_score=True, features=["sex"])
    np.testing.assert_array_equal(ps.y_true, [0, 1, 1, 0])
    np.testing.assert_array_equal(ps.y_pred, [0, 1, 0, 0])
    np.testing.assert_allclose(ps.y_score, [0.1, 0.9, 0.4, 0.2])
    assert list(ps.sensitive["sex"]) == ["f", "m", "f", "m"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "p: the file is empty"),
    ("y_true,y_pred\n", "p: the table has a header but no rows"),
])
def test_empty_csv(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError) as exc:
        _read(str(path), "csv", "p")
    assert exc.value.message == message


def _err(df: pd.DataFrame, cols: ColumnMap = COLS, task: str = "binary", **kw: bool) -> str:
    with pytest.raises(EvidenceError) as exc:
        from_frame(df, cols, task, D, **kw)
    return exc.value.message


def test_validation_messages() -> None:
    assert _err(FRAME.drop(columns=["y_true"])) == (
        f"{D} has no column 'y_true' (mapped as y_true; columns: y_pred, y_score, sex)")
    assert _err(FRAME.assign(y_true=[0, None, 1, 0])) == (
        f"{D}: column 'y_true' (y_true) has 1 missing value(s), first at row 2")
    assert _err(FRAME.assign(y_true=[0, 2, 1, 0])) == (
        f"{D}: column 'y_true' (y_true) must hold binary labels 0 and 1 (or set "
        "columns.positive_label in the card); found 2")
    assert _err(FRAME.assign(y_pred=["no", "yes", "no", "maybe"]), need_pred=True) == (
        f"{D}: column 'y_pred' (y_pred) must hold binary labels 0 and 1 (or set "
        "columns.positive_label in the card); found maybe, no, yes")
    assert _err(FRAME.assign(y_score=[0.1, np.inf, 0.3, 0.2]), need_score=True) == (
        f"{D}: column 'y_score' (y_score) has 1 non-finite value(s) (NaN or inf), first at "
        "row 2")
    assert _err(FRAME.assign(y_score=[0.1, np.nan, 0.3, 0.2]), need_score=True) == (
        f"{D}: column 'y_score' (y_score) has 1 missing value(s), first at row 2")
    assert _err(FRAME.assign(y_score=["0.1", "high", "0.3", "0.2"]), need_score=True) == (
        f"{D}: column 'y_score' (y_score) is not numeric (found 'high' at row 2)")
    assert _err(FRAME.assign(y_score=[-1.0, 2.0, 0.3, 0.2]), need_score=True,
                need_probability=True) == (
        f"{D}: column 'y_score' (y_score) must hold probabilities in [0, 1] for this metric; "
        "found values from -1 to 2")
    assert _err(FRAME, ColumnMap(y_true="y_true"), need_score=True) == (
        f"{D}: the card maps no y_score column (needed for this metric)")
    assert _err(FRAME, None) == (f"{D}: the card declares no column mapping (columns:) for "
                                 "this predictions artifact; map at least y_true")


def test_positive_label_maps_text_labels() -> None:
    df = FRAME.assign(y_true=["bad", "good", "good", "bad"], y_pred=["bad", "good", "bad",
                                                                      "bad"])
    cols = COLS.model_copy(update={"positive_label": "good"})
    ps = from_frame(df, cols, "binary", D, need_pred=True)
    np.testing.assert_array_equal(ps.y_true, [0, 1, 1, 0])
    df3 = df.assign(y_true=["bad", "good", "ok", "bad"])
    assert _err(df3, cols) == (f"{D}: column 'y_true' (y_true) has 3 distinct labels (bad, "
                               "good, ok); a binary task allows two")


def test_float_labels_and_booleans_are_binary() -> None:
    df = FRAME.assign(y_true=[0.0, 1.0, 1.0, 0.0], y_pred=[False, True, False, False])
    ps = from_frame(df, COLS, "binary", D, need_pred=True)
    np.testing.assert_array_equal(ps.y_pred, [0, 1, 0, 0])


def test_read_table_records_the_digest(tmp_path: Path) -> None:
    from governance.card.loader import load_card
    from governance.evidence.store import ArtifactStore
    from governance.evidence.tables import read_table
    from governance.policy.model import Rule
    from governance.rules.base import RuleContext

    FRAME.to_csv(tmp_path / "p.csv", index=False)
    (tmp_path / "card.yaml").write_text(
        "apiVersion: governance/v1\nkind: ModelCard\nmodel: {name: m, version: '1', task: "
        "binary_classification}\nartifacts:\n  - {name: p, role: predictions, path: p.csv}\n",
        encoding="utf-8")
    card = load_card(tmp_path / "card.yaml", "card.yaml")
    store = ArtifactStore(tmp_path)
    ctx = RuleContext(rule=Rule(id="R", title="t", kind="k", severity="low"), card=card,
                      store=store, now=datetime(2026, 1, 1, tzinfo=UTC))
    art = Artifact(name="p", role=ArtifactRole.PREDICTIONS, path="p.csv")
    df = read_table(ctx, art, 0)
    assert read_table(ctx, art, 0) is df  # read once per run
    import hashlib

    digest = hashlib.sha256((tmp_path / "p.csv").read_bytes()).hexdigest()
    assert store.inputs() == [("artifact:predictions", "p.csv", digest)]
