"""Streaming evaluation: predictions read in record batches, folded into mergeable statistics.

Memory stays flat as rows grow. One pass over the file (pyarrow record batches, Parquet or
CSV) validates every batch exactly like the in-memory path
(:func:`governance.metrics.predictions.from_frame`), turns it into the statistics layer's
partial (:func:`governance.metrics.stats.partial`, the function the in-memory and Dask engines
apply too) and merges it into the table's :class:`~governance.metrics.stats.Stats`.

ROC AUC and average precision need every distinct score: rows are spilled as ``(score key,
group*2 + label[, weight])`` cells to a temporary file (:class:`Spill`) and swept in
descending score order one range at a time (:mod:`governance.metrics.sweep`), so at most
``sweep.RANGE_ROWS`` rows are in memory at once.

The artifact's sha256 is computed while the snapshot the batches are read from is written
(one read of the file; the digest is recorded as a report input like the in-memory reader
does).

Imported only inside a rule's ``evaluate`` (numpy, pandas and pyarrow at top level).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from governance.card.model import ColumnMap
from governance.errors import EvidenceError
from governance.evidence.batches import parquet_file, record_frames
from governance.evidence.limits import csv_delimiter
from governance.evidence.tables import unreadable
from governance.metrics import predictions as pm
from governance.metrics.counts import FloatArray, IntArray
from governance.metrics.stats import Stats, partial
from governance.metrics.sweep import (
    MASK16,
    CellSource,
    compact,
    concat_cells,
    in_range,
    npt_u64,
    score_key,
)

#: Rows per record batch read from the file.
BATCH_ROWS = 1 << 18
#: Spilled rows read per chunk.
SPILL_CHUNK = 1 << 20

Progress = Callable[[int, "int | None"], None]  # (rows read, total rows if known)


class Unsupported(Exception):
    """The streaming engine cannot evaluate this request (the in-memory engine can)."""


@dataclass(frozen=True)
class StreamSpec:
    """What to read from a predictions table and how to validate it."""

    display: str
    task: str  # binary | regression
    columns: ColumnMap
    features: tuple[str, ...] = ()
    need_pred: bool = False
    need_score: bool = False
    need_probability: bool = False
    need_ranks: bool = False  # roc_auc / pr_auc: spill scores for the range sweep

    def __post_init__(self) -> None:
        if self.task not in ("binary", "regression"):
            raise Unsupported(f"the streaming engine supports binary and regression tasks, not "
                              f"{self.task}")

    @property
    def weighted(self) -> bool:
        return self.columns.sample_weight is not None

    def read_columns(self) -> list[str]:
        c = self.columns
        cols = [c.y_true] if c.y_true else []
        if c.y_pred is not None and (self.need_pred or self.task == "regression"):
            cols.append(c.y_pred)
        if self.need_score and c.y_score is not None:
            cols.append(c.y_score)
        if c.sample_weight is not None:
            cols.append(c.sample_weight)
        cols.extend(self.features)
        return list(dict.fromkeys(cols))


# ---------------------------------------------------------------------------------------------
# one batch
# ---------------------------------------------------------------------------------------------

_ROW = re.compile(r"\brow (\d+)\b")


def _shift_rows(exc: EvidenceError, offset: int, where: str = "") -> EvidenceError:
    msg = _ROW.sub(lambda m: f"row {int(m.group(1)) + offset}", exc.message) + where
    return EvidenceError(msg, path=exc.path, field=exc.field, line=exc.line, col=exc.col)


@dataclass
class Batch:
    """One validated batch: its partial statistics, each row's finest group in them, and the
    arrays the score cells are made of."""

    stats: Stats
    fg: IntArray
    y: Any
    score: FloatArray | None
    weight: FloatArray | None


def _labels(df: pd.DataFrame, spec: StreamSpec, seen: Stats) -> None:
    """Add the batch's label sets to ``seen`` (the table's so far); more than two labels is an
    error as soon as it shows."""
    cols = spec.columns
    if spec.task != "binary" or cols.positive_label is None:
        return
    for col, labels_of in ((cols.y_true, seen.true_labels),
                           (cols.y_pred if spec.need_pred else None, seen.pred_labels)):
        if col is not None:
            labels = pm.distinct_labels(df[col])
            labels_of.update(labels)
            seen.labels_seen.update(labels)
    if len(seen.labels_seen) > 2:  # an error either way: name the likelier cause
        assert cols.y_true is not None
        pm.check_label_sets(spec.display, str(cols.positive_label), cols.y_true,
                            seen.true_labels, cols.y_pred if spec.need_pred else None,
                            seen.pred_labels if spec.need_pred else None)
        shown = ", ".join(sorted(seen.labels_seen)[:5])
        raise EvidenceError(f"{spec.display}: column {cols.y_true!r} (y_true) has "
                            f"{len(seen.labels_seen)} distinct labels ({shown}); a binary "
                            "task allows two")


def convert(df: pd.DataFrame, spec: StreamSpec, seen: Stats, offset: int,
            where: str = "") -> Batch:
    """Validate one batch like the in-memory reader (rows numbered from ``offset``) and
    compute its partial statistics; label sets go to ``seen``."""
    try:
        ps = pm.from_frame(df, spec.columns, spec.task, spec.display, need_pred=spec.need_pred,
                           need_score=spec.need_score,
                           need_probability=spec.need_probability,
                           features=list(spec.features), whole_table=False)
    except EvidenceError as exc:
        raise _shift_rows(exc, offset, where) from None
    _labels(df, spec, seen)
    stats, fg = partial(ps, spec.features, probability=spec.need_probability)
    return Batch(stats, fg, ps.y_true, ps.y_score, ps.weight)


# ---------------------------------------------------------------------------------------------
# reading a file
# ---------------------------------------------------------------------------------------------



def iter_batches(path: str, fmt: str, columns: Sequence[str], display: str,
                 batch_rows: int) -> Iterator[pd.DataFrame]:
    """Record batches of ``columns`` as pandas frames (Parquet or CSV)."""
    import pyarrow as pa

    try:
        if fmt == "parquet":
            pf = parquet_file(path)
            names = set(pf.schema_arrow.names)
            _require(columns, names, display)
            if pf.metadata.num_rows == 0:
                raise EvidenceError(f"{display}: the table has a header but no rows")
        elif fmt == "csv":
            pf = None
            _require(columns, _csv_header(path, csv_delimiter(path), display), display)
        else:
            raise Unsupported(f"the streaming engine reads Parquet and CSV, not {fmt}")
        yield from record_frames(path, fmt, columns, batch_rows, csv_block_bytes=64 << 20,
                                 parquet=pf)
    except (EvidenceError, Unsupported):
        raise
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowKeyError, UnicodeDecodeError) as exc:
        raise unreadable(display, fmt, exc) from None
    except OSError as exc:
        raise EvidenceError(f"{display}: cannot read {fmt} table: {exc}") from None


def _csv_header(path: str, delimiter: str, display: str) -> set[str]:
    import csv
    from pathlib import Path

    from governance.evidence.limits import check_csv_header

    check_csv_header(Path(path), display, delimiter)  # length and column caps, bounded read
    with open(path, encoding="utf-8", newline="") as fh:
        row = next(csv.reader(fh, delimiter=delimiter), None)
    if not row:
        raise EvidenceError(f"{display}: the file is empty")
    return set(row)


def _require(columns: Sequence[str], have: set[str], display: str) -> None:
    missing = [c for c in columns if c not in have]
    if missing:
        from governance.textsafe import names

        shown = names(sorted(have))  # capped: at most 20 names of 40 characters
        raise EvidenceError(f"{display} has no column(s) "
                            f"{', '.join(repr(m) for m in missing)} (columns: {shown})")


class Spill:
    """Spilled ``(score key, group*2 + label[, weight])`` rows in a temporary directory."""

    def __init__(self, weighted: bool) -> None:
        self.dir = tempfile.mkdtemp(prefix="governance-spill-")
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.dir, True)
        self.weighted = weighted
        self.rows = 0
        self._files = {n: open(os.path.join(self.dir, n), "wb")
                       for n in (("key", "code", "w") if weighted else ("key", "code"))}

    def append(self, key: npt_u64, code: IntArray, w: FloatArray | None) -> None:
        np.ascontiguousarray(key, dtype=np.uint64).tofile(self._files["key"])
        np.ascontiguousarray(code, dtype=np.int64).tofile(self._files["code"])
        if self.weighted:
            assert w is not None
            np.ascontiguousarray(w, dtype=np.float64).tofile(self._files["w"])
        self.rows += len(code)

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()

    def chunks(self) -> Iterator[tuple[npt_u64, IntArray, FloatArray | None]]:
        names = ["key", "code"] + (["w"] if self.weighted else [])
        handles = [open(os.path.join(self.dir, n), "rb") for n in names]
        try:
            dtypes = [np.uint64, np.int64, np.float64]
            while True:
                parts = [np.fromfile(h, dtype=dtypes[i], count=SPILL_CHUNK)
                         for i, h in enumerate(handles)]
                if len(parts[0]) == 0:
                    return
                yield parts[0], parts[1], (parts[2] if self.weighted else None)
        finally:
            for h in handles:
                h.close()

    def histogram(self, lo: int, hi: int, shift: int) -> IntArray:
        out = np.zeros(1 << 16, dtype=np.int64)
        for key, _, _ in self.chunks():
            k = in_range(key, lo, hi)
            out += np.bincount(((k >> np.uint64(shift)) & np.uint64(MASK16)).astype(np.int64),
                               minlength=1 << 16)
        return out

    def cells(self, lo: int, hi: int) -> tuple[npt_u64, IntArray, FloatArray]:
        parts = []
        for key, code, w in self.chunks():
            m = (key >= np.uint64(lo)) & (key <= np.uint64(hi))
            if m.any():
                parts.append(compact(key[m], code[m], None if w is None else w[m]))
        return concat_cells(parts)

    def remove(self) -> None:
        self.close()
        self._cleanup()




@dataclass
class Streamed:
    """The result of streaming one predictions table."""

    stats: Stats
    cells: CellSource | None
    rows: int


def stream_table(path: str, fmt: str, spec: StreamSpec, *, progress: Progress | None = None,
                 batch_rows: int | None = None) -> Streamed:
    """One pass over the file: validate, merge each batch's partial, and spill score cells
    when ranks are needed."""
    batch_rows = batch_rows or BATCH_ROWS
    stats = Stats(spec.features, spec.task)
    total = _row_count(path, fmt) if progress is not None else None
    spill = Spill(spec.weighted) if spec.need_ranks else None
    offset = 0
    try:
        for df in iter_batches(path, fmt, spec.read_columns(), spec.display, batch_rows):
            b = convert(df, spec, stats, offset)
            ids = stats.merge(b.stats)
            if spill is not None:
                assert b.score is not None
                spill.append(score_key(b.score), ids[b.fg] * 2 + b.y, b.weight)
            offset += len(df)
            if progress is not None:
                progress(offset, total)
    except BaseException:
        if spill is not None:
            spill.remove()
        raise
    if spill is not None:
        spill.close()
    if offset == 0:
        raise EvidenceError(f"{spec.display}: the table has a header but no rows")
    check_totals(stats, spec)
    return Streamed(stats, spill, offset)


def _row_count(path: str, fmt: str) -> int | None:
    if fmt != "parquet":
        return None
    import pyarrow.parquet as pq

    try:
        return int(pq.read_metadata(path).num_rows)
    except Exception:  # pyarrow errors have no common base; iter_batches reports them
        return None


def check_totals(stats: Stats, spec: StreamSpec) -> None:
    """Whole-table checks that no single batch can make."""
    cols = spec.columns
    if spec.task == "binary" and cols.positive_label is not None and cols.y_true is not None:
        pm.check_label_sets(spec.display, str(cols.positive_label), cols.y_true,
                            stats.true_labels, cols.y_pred if spec.need_pred else None,
                            stats.pred_labels if spec.need_pred else None)
    if spec.weighted and float(stats.wsum.sum() if spec.task == "binary"
                               else stats.reg[:, 0].sum()) <= 0:
        raise EvidenceError(f"{spec.display}: column {spec.columns.sample_weight!r} "
                            "(sample_weight) sums to zero")

