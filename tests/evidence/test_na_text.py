"""Every reader reads the same cells as missing: the in-memory reader (pandas' defaults) and the
one batched reader (pyarrow, given PANDAS_NA_TEXT) under the streaming engine and the column
statistics."""

from __future__ import annotations

from pathlib import Path

from pandas._libs.parsers import STR_NA_VALUES

from governance.analysis import colstats
from governance.evidence import batches
from governance.evidence.tables import PANDAS_NA_TEXT
from governance.metrics import streaming


def test_the_missing_cell_list_is_pandas_own_and_shared() -> None:
    assert set(PANDAS_NA_TEXT) == set(STR_NA_VALUES)
    assert len(PANDAS_NA_TEXT) == len(set(PANDAS_NA_TEXT))
    assert batches.PANDAS_NA_TEXT is PANDAS_NA_TEXT
    assert streaming.record_frames is batches.record_frames
    assert colstats.record_frames is batches.record_frames


def test_both_batched_readers_read_the_same_cells_as_missing(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("a,b\n" + "".join(f"{v},x\n" for v in PANDAS_NA_TEXT) + "1,y\n")
    frames = list(streaming.iter_batches(str(path), "csv", ["a", "b"], "t.csv", 1000))
    assert int(frames[0]["a"].isna().sum()) == len(PANDAS_NA_TEXT)
    other = list(colstats.iter_record_batches(str(path), "csv", ["a", "b"]))
    assert int(other[0]["a"].isna().sum()) == len(PANDAS_NA_TEXT)
