"""Streaming evaluation: predictions read in record batches, folded into mergeable statistics.

Memory stays flat as rows grow. One pass over the file (pyarrow record batches, Parquet or
CSV) validates every batch exactly like the in-memory path
(:func:`governance.metrics.predictions.from_frame`) and accumulates, per *finest* group (the
intersection of every sensitive feature involved, keyed by level names so that partial results
of different workers merge):

- confusion counts ``[tn, fp, fn, tp]`` (weighted) and unweighted row counts;
- weighted sums of per-row log loss and Brier score and of the weights;
- regression moments ``(W, mean, M2)`` merged with Chan's parallel formula, plus weighted sums
  of squared and absolute errors.

Every coarser grouping (one feature, an intersection, the whole set) is aggregated from that
small table, so the values equal the in-memory engine's (:mod:`governance.metrics.compute`)
to rounding (1e-12 relative): count metrics are bit-identical for unweighted data.

ROC AUC and average precision need every distinct score: rows are spilled as ``(score key,
group*2 + label[, weight])`` to a temporary file and swept in descending score order, one
*score range* at a time. Ranges come from a 16-bit radix histogram of the order-preserving
integer key of the score, refined where a bin holds more than :data:`RANGE_ROWS` rows, so at
most ``RANGE_ROWS`` rows are in memory at once whatever the number of rows or distinct scores.
Per-group cumulative true/false positive weights are carried from range to range, giving the
same trapezoids and precision steps as :func:`governance.metrics.ranking.roc_auc_and_ap`.

The artifact's sha256 is computed by a thread while the batches are read (same pass over the
file; the digest is recorded as a report input like the in-memory reader does).

Imported only inside a rule's ``evaluate`` (numpy, pandas and pyarrow at top level).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd

from governance.card.model import ColumnMap
from governance.errors import EvidenceError
from governance.metrics import predictions as pm
from governance.metrics.classification import NAN, count_metric, divide
from governance.metrics.counts import MISSING_LABEL, FloatArray, IntArray
from governance.metrics.names import COUNT_METRICS, REGRESSION_METRICS, Average

#: Rows per record batch read from the file.
BATCH_ROWS = 1 << 18
#: Largest number of spilled rows held in memory by one AUC range pass.
RANGE_ROWS = 2_000_000
#: Spilled rows read per chunk.
SPILL_CHUNK = 1 << 20

_TOP = np.uint64(1) << np.uint64(63)
_MASK16 = 0xFFFF

Progress = Callable[[int, "int | None"], None]  # (rows read, total rows if known)
npt_u64 = Any  # numpy uint64 arrays (loose alias, like counts.IntArray)


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


def score_key(score: FloatArray) -> npt_u64:
    """Order-preserving unsigned 64-bit key of float64 scores (-0.0 and 0.0 alike)."""
    bits = (np.asarray(score, dtype=np.float64) + 0.0).view(np.uint64)
    neg = (bits & _TOP) != 0
    out: npt_u64 = np.where(neg, ~bits, bits | _TOP)
    return out


# ---------------------------------------------------------------------------------------------
# mergeable statistics
# ---------------------------------------------------------------------------------------------


@dataclass
class Stats:
    """Statistics per finest group (a tuple of level names, one per feature)."""

    features: tuple[str, ...]
    task: str
    groups: list[tuple[str, ...]] = field(default_factory=list)
    index: dict[tuple[str, ...], int] = field(default_factory=dict)
    n: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    counts: FloatArray = field(default_factory=lambda: np.zeros((0, 4)))
    wsum: FloatArray = field(default_factory=lambda: np.zeros(0))
    losses: FloatArray = field(default_factory=lambda: np.zeros((0, 2)))  # log loss, brier
    reg: FloatArray = field(default_factory=lambda: np.zeros((0, 5)))  # W, mean, M2, sse, sae
    labels_seen: set[str] = field(default_factory=set)
    true_labels: set[str] = field(default_factory=set)
    pred_labels: set[str] = field(default_factory=set)
    rows: int = 0

    def group_ids(self, keys: Sequence[tuple[str, ...]]) -> IntArray:
        """Indices of ``keys``, adding new groups as needed."""
        out = np.empty(len(keys), dtype=np.int64)
        for i, k in enumerate(keys):
            j = self.index.get(k)
            if j is None:
                j = len(self.groups)
                self.index[k] = j
                self.groups.append(k)
            out[i] = j
        grow = len(self.groups) - len(self.n)
        if grow > 0:
            self.n = np.concatenate([self.n, np.zeros(grow, dtype=np.int64)])
            self.counts = np.vstack([self.counts, np.zeros((grow, 4))])
            self.wsum = np.concatenate([self.wsum, np.zeros(grow)])
            self.losses = np.vstack([self.losses, np.zeros((grow, 2))])
            self.reg = np.vstack([self.reg, np.zeros((grow, 5))])
        return out

    def merge(self, other: Stats) -> IntArray:
        """Fold ``other`` into ``self``; returns the map of other's groups to self's."""
        ids = self.group_ids(other.groups)
        np.add.at(self.n, ids, other.n)
        np.add.at(self.counts, ids, other.counts)
        np.add.at(self.wsum, ids, other.wsum)
        np.add.at(self.losses, ids, other.losses)
        for j, g in enumerate(ids):
            self.reg[g] = merge_moments(self.reg[g], other.reg[j])
        self.labels_seen |= other.labels_seen
        self.true_labels |= other.true_labels
        self.pred_labels |= other.pred_labels
        self.rows += other.rows
        return ids


def merge_moments(a: FloatArray, b: FloatArray) -> FloatArray:
    """Chan et al.'s merge of ``(W, mean, M2, sse, sae)`` rows."""
    wa, wb = a[0], b[0]
    w = wa + wb
    if wb == 0:
        return a.copy()
    if wa == 0:
        return b.copy()
    delta = b[1] - a[1]
    mean = a[1] + delta * wb / w
    m2 = a[2] + b[2] + delta * delta * wa * wb / w
    return np.array([w, mean, m2, a[3] + b[3], a[4] + b[4]])


# ---------------------------------------------------------------------------------------------
# one batch
# ---------------------------------------------------------------------------------------------

_ROW = re.compile(r"\brow (\d+)\b")


def _shift_rows(exc: EvidenceError, offset: int, where: str = "") -> EvidenceError:
    msg = _ROW.sub(lambda m: f"row {int(m.group(1)) + offset}", exc.message) + where
    return EvidenceError(msg, path=exc.path, field=exc.field, line=exc.line, col=exc.col)


def _level_names(values: Any) -> tuple[IntArray, list[str]]:
    """Codes and level names exactly as :func:`counts.encode_feature` labels them."""
    data = values if isinstance(values, pd.Series) else np.asarray(values)
    raw, uniques = pd.factorize(data, use_na_sentinel=True)
    raw = np.asarray(raw)
    names = [str(u) for u in uniques]
    if (raw < 0).any():
        names.append(MISSING_LABEL)
        raw = np.where(raw < 0, len(names) - 1, raw)
    return np.asarray(raw, dtype=np.int64), names


@dataclass
class Batch:
    """One validated batch: finest-group codes and arrays."""

    fg: IntArray
    y: Any
    pred: Any | None
    score: FloatArray | None
    weight: FloatArray | None


def convert(df: pd.DataFrame, spec: StreamSpec, stats: Stats, offset: int,
            where: str = "") -> Batch:
    """Validate one batch like the in-memory reader and add its groups to ``stats``."""
    cols = spec.columns.model_copy(update={"sample_weight": None})
    try:
        ps = pm.from_frame(df, cols, spec.task, spec.display, need_pred=spec.need_pred,
                           need_score=spec.need_score,
                           need_probability=spec.need_probability,
                           features=list(spec.features), check_labels=False)
        weight = None
        sw = spec.columns.sample_weight
        if sw is not None:
            weight = pm._numeric(pm._column(df, sw, spec.display, "sample_weight"),
                                 spec.display, "sample_weight")
            if (weight < 0).any():
                raise EvidenceError(f"{spec.display}: column {sw!r} (sample_weight) has "
                                    f"negative weights, first at row "
                                    f"{pm._first_row(weight < 0)}")
    except EvidenceError as exc:
        raise _shift_rows(exc, offset, where) from None
    if spec.task == "binary" and spec.columns.positive_label is not None:
        for col, seen in ((spec.columns.y_true, stats.true_labels),
                          (spec.columns.y_pred if spec.need_pred else None, stats.pred_labels)):
            if col is not None:
                labels = pm.distinct_labels(df[col])
                seen.update(labels)
                stats.labels_seen.update(labels)
        if len(stats.labels_seen) > 2:  # an error either way: name the likelier cause
            cols = spec.columns
            assert cols.y_true is not None and cols.positive_label is not None
            pm.check_label_sets(spec.display, str(cols.positive_label), cols.y_true,
                                stats.true_labels, cols.y_pred if spec.need_pred else None,
                                stats.pred_labels if spec.need_pred else None)
            shown = ", ".join(sorted(stats.labels_seen)[:5])
            raise EvidenceError(f"{spec.display}: column {spec.columns.y_true!r} (y_true) has "
                                f"{len(stats.labels_seen)} distinct labels ({shown}); a binary "
                                "task allows two")
    return Batch(_finest(ps.sensitive, spec.features, stats, ps.n), ps.y_true, ps.y_pred,
                 ps.y_score, weight)


def _finest(sensitive: dict[str, Any], features: Sequence[str], stats: Stats,
            n: int) -> IntArray:
    if not features:
        return np.repeat(stats.group_ids([()]), n)
    codes, names = [], []
    for f in features:
        c, nm = _level_names(sensitive[f])
        codes.append(c)
        names.append(nm)
    dims = tuple(max(len(nm), 1) for nm in names)
    combined = np.ravel_multi_index(tuple(codes), dims) if len(codes) > 1 else codes[0]
    uniq, inv = np.unique(combined, return_inverse=True)
    multi = np.unravel_index(uniq, dims)
    keys = [tuple(names[j][int(multi[j][i])] for j in range(len(features)))
            for i in range(len(uniq))]
    ids: IntArray = stats.group_ids(keys)[inv.reshape(-1)]
    return ids


def accumulate(stats: Stats, b: Batch, spec: StreamSpec) -> None:
    """Add one batch's statistics."""
    g = len(stats.groups)
    fg = b.fg
    w = b.weight
    stats.n += np.bincount(fg, minlength=g)
    stats.rows += len(fg)
    if spec.task == "binary":
        if b.pred is not None:
            cell = fg * 4 + 2 * b.y + b.pred
            stats.counts += np.bincount(cell, weights=w, minlength=g * 4).reshape(g, 4)
        stats.wsum += np.bincount(fg, weights=w, minlength=g)
        if b.score is not None and spec.need_probability:
            from governance.metrics.ranking import brier_rows, log_loss_rows

            ww = np.ones(len(fg)) if w is None else w
            stats.losses[:, 0] += np.bincount(fg, weights=ww * log_loss_rows(b.y, b.score),
                                              minlength=g)
            stats.losses[:, 1] += np.bincount(fg, weights=ww * brier_rows(b.y, b.score),
                                              minlength=g)
        return
    # regression
    y = np.asarray(b.y, dtype=np.float64)
    ww = np.ones(len(fg)) if w is None else w
    sw = np.bincount(fg, weights=ww, minlength=g)
    mean = divide(np.bincount(fg, weights=ww * y, minlength=g), sw, 0.0)
    dev = y - mean[fg]
    m2 = np.bincount(fg, weights=ww * dev * dev, minlength=g)
    sse: FloatArray
    sae: FloatArray
    if b.pred is not None:
        err = y - np.asarray(b.pred, dtype=np.float64)
        sse = np.bincount(fg, weights=ww * err * err, minlength=g)
        sae = np.bincount(fg, weights=ww * np.abs(err), minlength=g)
    else:
        sse = sae = np.zeros(g)
    batch = np.column_stack([sw, mean, m2, sse, sae])
    for j in np.flatnonzero(sw > 0):
        stats.reg[j] = merge_moments(stats.reg[j], batch[j])


# ---------------------------------------------------------------------------------------------
# reading a file
# ---------------------------------------------------------------------------------------------


def iter_batches(path: str, fmt: str, columns: Sequence[str], display: str,
                 batch_rows: int) -> Iterator[pd.DataFrame]:
    """Record batches of ``columns`` as pandas frames (Parquet or CSV)."""
    import pyarrow as pa

    try:
        if fmt == "parquet":
            import pyarrow.parquet as pq

            # no pre-buffering of whole row groups: memory stays at about one batch
            pf = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
            names = set(pf.schema_arrow.names)
            _require(columns, names, display)
            if pf.metadata.num_rows == 0:
                raise EvidenceError(f"{display}: the table has a header but no rows")
            batches: Iterator[Any] = pf.iter_batches(batch_size=batch_rows,
                                                     columns=list(columns))
        elif fmt == "csv":
            import pyarrow.csv as pacsv

            delimiter = "\t" if path.lower().endswith(".tsv") else ","
            _require(columns, _csv_header(path, delimiter, display), display)
            reader = pacsv.open_csv(
                path, read_options=pacsv.ReadOptions(block_size=64 << 20),
                parse_options=pacsv.ParseOptions(delimiter=delimiter),
                convert_options=pacsv.ConvertOptions(include_columns=list(columns)))
            batches = iter(reader)
        else:
            raise Unsupported(f"the streaming engine reads Parquet and CSV, not {fmt}")
        for batch in batches:
            table = pa.Table.from_batches([batch])
            for start in range(0, table.num_rows, batch_rows):
                yield table.slice(start, batch_rows).to_pandas()
    except (EvidenceError, Unsupported):
        raise
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowKeyError, UnicodeDecodeError) as exc:
        from governance.textsafe import excerpt

        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        # pyarrow quotes the offending row: at most a short, inert excerpt of it
        raise EvidenceError(f"{display}: cannot read {fmt} table: {excerpt(first, 200)}"
                            ) from None
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
            k = _in_range(key, lo, hi)
            out += np.bincount(((k >> np.uint64(shift)) & np.uint64(_MASK16)).astype(np.int64),
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


def _in_range(key: npt_u64, lo: int, hi: int) -> npt_u64:
    if lo == 0 and hi == (1 << 64) - 1:
        return key
    out: npt_u64 = key[(key >= np.uint64(lo)) & (key <= np.uint64(hi))]
    return out


def compact(key: npt_u64, code: IntArray, w: FloatArray | None
            ) -> tuple[npt_u64, IntArray, FloatArray]:
    """Sum weights of equal ``(code, key)`` cells; sorted by code, then key."""
    order = np.lexsort((key, code))
    k, c = key[order], code[order]
    ww = np.ones(len(k)) if w is None else w[order]
    if len(k) == 0:
        return k, c, ww
    start = np.ones(len(k), dtype=bool)
    start[1:] = (k[1:] != k[:-1]) | (c[1:] != c[:-1])
    idx = np.flatnonzero(start)
    return k[idx], c[idx], np.add.reduceat(ww, idx)


def concat_cells(parts: Sequence[tuple[npt_u64, IntArray, FloatArray]]
                 ) -> tuple[npt_u64, IntArray, FloatArray]:
    if not parts:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(parts) == 1:
        return parts[0]
    return compact(np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                   np.concatenate([p[2] for p in parts]))


class CellSource(Protocol):
    """Where the range sweep gets its cells: a spill file or Dask partitions."""

    def histogram(self, lo: int, hi: int, shift: int) -> IntArray: ...

    def cells(self, lo: int, hi: int) -> tuple[npt_u64, IntArray, FloatArray]: ...


@dataclass
class Streamed:
    """The result of streaming one predictions table."""

    stats: Stats
    cells: CellSource | None
    rows: int


def stream_table(path: str, fmt: str, spec: StreamSpec, *, progress: Progress | None = None,
                 batch_rows: int | None = None) -> Streamed:
    """One pass over the file: validate, accumulate, and spill scores when ranks are needed."""
    batch_rows = batch_rows or BATCH_ROWS
    stats = Stats(spec.features, spec.task)
    total = _row_count(path, fmt) if progress is not None else None
    spill = Spill(spec.weighted) if spec.need_ranks else None
    offset = 0
    try:
        for df in iter_batches(path, fmt, spec.read_columns(), spec.display, batch_rows):
            b = convert(df, spec, stats, offset)
            accumulate(stats, b, spec)
            if spill is not None:
                assert b.score is not None
                spill.append(score_key(b.score), b.fg * 2 + b.y, b.weight)
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


# ---------------------------------------------------------------------------------------------
# groupings and metric values
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coarse:
    """A grouping of the finest groups: sorted level tuples and the map finest -> coarse."""

    features: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]
    parent: IntArray  # finest group -> coarse index, -1 when left out


def coarse(stats: Stats, combo: Sequence[str], exclude: Sequence[tuple[str, ...]] = ()
           ) -> Coarse:
    """The grouping by ``combo`` (level tuples sorted like ``make_grouping``)."""
    pos = [stats.features.index(f) for f in combo]
    sub = [tuple(g[p] for p in pos) for g in stats.groups]
    dropped = set(exclude)
    present = sorted({v for v, k in zip(sub, stats.n, strict=True) if k > 0} - dropped)
    index = {v: i for i, v in enumerate(present)}
    parent = np.array([index.get(v, -1) for v in sub], dtype=np.int64)
    return Coarse(tuple(combo), tuple(present), parent)


def whole(stats: Stats, exclude_parent: IntArray | None = None) -> Coarse:
    """Every (kept) row in one group."""
    parent = np.zeros(len(stats.groups), dtype=np.int64)
    if exclude_parent is not None:
        parent[exclude_parent < 0] = -1
    return Coarse((), ((),), parent)


def _agg(values: FloatArray, parent: IntArray, n_out: int) -> FloatArray:
    keep = parent >= 0
    out = np.zeros((n_out, *values.shape[1:]))
    np.add.at(out, parent[keep], values[keep])
    return out


def _agg_moments(reg: FloatArray, parent: IntArray, n_out: int) -> FloatArray:
    """Merge regression moments of finest groups into coarse groups (exact, stable)."""
    keep = parent >= 0
    p, r = parent[keep], reg[keep]
    w = np.bincount(p, weights=r[:, 0], minlength=n_out)
    mean = divide(np.bincount(p, weights=r[:, 0] * r[:, 1], minlength=n_out), w, 0.0)
    dev = r[:, 1] - mean[p]
    m2 = np.bincount(p, weights=r[:, 2] + r[:, 0] * dev * dev, minlength=n_out)
    sse = np.bincount(p, weights=r[:, 3], minlength=n_out)
    sae = np.bincount(p, weights=r[:, 4], minlength=n_out)
    return np.column_stack([w, mean, m2, sse, sae])


@dataclass(frozen=True)
class RankValues:
    """ROC AUC and average precision per output group of one request."""

    auc: FloatArray
    ap: FloatArray


def group_metric_values(stats: Stats, grouping: Coarse, metrics: Sequence[str], *,
                        average: Average = "binary", zero_division: float = NAN,
                        ranks: RankValues | None = None, overall_ranks: RankValues | None = None
                        ) -> dict[str, tuple[FloatArray, float, FloatArray]]:
    """``{metric: (per-group values, overall value, per-group row counts)}``."""
    g = len(grouping.values)
    n = _agg(stats.n.astype(np.float64), grouping.parent, g).astype(np.int64)
    out: dict[str, tuple[FloatArray, float, FloatArray]] = {}
    binary = stats.task == "binary"
    counts = _agg(stats.counts, grouping.parent, g) if binary else None
    for m in metrics:
        if m in COUNT_METRICS:
            assert counts is not None
            per = count_metric(m, counts, average, zero_division, binary=True)
            tot = float(count_metric(m, counts.sum(axis=0), average, zero_division,
                                     binary=True))
        elif m in ("log_loss", "brier"):
            col = 0 if m == "log_loss" else 1
            loss = _agg(stats.losses[:, col], grouping.parent, g)
            ws = _agg(stats.wsum, grouping.parent, g)
            per = divide(loss, ws)
            tot = float(divide(loss.sum(), ws.sum()))
        elif m in ("roc_auc", "pr_auc"):
            if ranks is None or overall_ranks is None:
                raise ValueError(f"{m} needs the score sweep")
            per = ranks.auc if m == "roc_auc" else ranks.ap
            tot = float((overall_ranks.auc if m == "roc_auc" else overall_ranks.ap)[0])
        elif m in REGRESSION_METRICS:
            per = regression_from_moments(m, _agg_moments(stats.reg, grouping.parent, g), n)
            all_n = np.array([n.sum()])
            whole_p = np.where(grouping.parent >= 0, 0, -1)
            tot = float(regression_from_moments(m, _agg_moments(stats.reg, whole_p, 1),
                                                all_n)[0])
        else:
            raise ValueError(f"unknown metric {m!r}")
        out[m] = (np.asarray(per, dtype=np.float64), tot, n)
    return out


def regression_from_moments(metric: str, mom: FloatArray, n: IntArray) -> FloatArray:
    """mse, rmse, mae, r2 from ``(W, mean, M2, sse, sae)`` like ``regression.regression_metric``."""
    w, m2, sse, sae = mom[:, 0], mom[:, 2], mom[:, 3], mom[:, 4]
    if metric == "mae":
        return divide(sae, w)
    if metric == "mse":
        return divide(sse, w)
    if metric == "rmse":
        return np.sqrt(divide(sse, w))
    r2 = 1.0 - divide(sse, m2)
    r2 = np.where(m2 == 0, np.where(sse == 0, 1.0, 0.0), r2)
    out: FloatArray = np.where(n < 2, np.nan, r2)
    return out


# ---------------------------------------------------------------------------------------------
# the score sweep (ROC AUC, average precision)
# ---------------------------------------------------------------------------------------------


def plan_ranges(source: CellSource, budget: int | None = None) -> list[tuple[int, int]]:
    """Key ranges, highest scores first, each holding at most ``budget`` rows (unless a
    range is a single score value, whose rows collapse into one cell per group and label)."""
    budget = budget or RANGE_ROWS
    top = source.histogram(0, (1 << 64) - 1, 48)
    return _split(source, top, 0, 48, budget)


def _split(source: CellSource, hist: IntArray, base: int, shift: int, budget: int
           ) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    cur_lo: int | None = None
    cur_hi = 0
    acc = 0
    for b in np.flatnonzero(hist)[::-1]:
        c = int(hist[b])
        lo = base + (int(b) << shift)
        hi = lo + (1 << shift) - 1
        if c > budget and shift > 0:
            if cur_lo is not None:
                ranges.append((cur_lo, cur_hi))
                cur_lo, acc = None, 0
            sub = source.histogram(lo, hi, shift - 16)
            ranges.extend(_split(source, sub, lo, shift - 16, budget))
            continue
        if cur_lo is not None and acc + c > budget:
            ranges.append((cur_lo, cur_hi))
            cur_lo, acc = None, 0
        if cur_lo is None:
            cur_hi = hi
        cur_lo = lo
        acc += c
    if cur_lo is not None:
        ranges.append((cur_lo, cur_hi))
    return ranges


class _Sweep:
    """Running state of one request: finest -> output groups."""

    def __init__(self, parent: IntArray, n_out: int) -> None:
        self.parent = parent
        self.n_out = n_out
        self.tp = np.zeros(n_out)
        self.fp = np.zeros(n_out)
        self.area = np.zeros(n_out)
        self.ap = np.zeros(n_out)

    def add(self, key: npt_u64, fg: IntArray, y: np.ndarray, w: FloatArray) -> None:
        """Cells sorted by descending score key."""
        og = self.parent[fg]
        if (og < 0).any():
            keep = og >= 0
            og, key, y, w = og[keep], key[keep], y[keep], w[keep]
        if len(og) == 0:
            return
        if self.n_out > 1:  # stable: each group stays in descending score order
            order = np.argsort(og, kind="stable")
            og, key, y, w = og[order], key[order], y[order], w[order]
            del order
        start = np.ones(len(key), dtype=bool)
        start[1:] = (key[1:] != key[:-1]) | (og[1:] != og[:-1])
        idx = np.flatnonzero(start)
        del start
        pos = np.add.reduceat(np.where(y, w, 0.0), idx)
        neg = np.add.reduceat(np.where(y, 0.0, w), idx)
        g = og[idx]
        del idx, og
        first = np.ones(len(g), dtype=bool)
        first[1:] = g[1:] != g[:-1]
        gstart = np.flatnonzero(first)
        cpos, cneg = np.cumsum(pos), np.cumsum(neg)
        seg = np.cumsum(first) - 1
        tp = cpos - np.concatenate([[0.0], cpos])[gstart][seg] + self.tp[g]
        fp = cneg - np.concatenate([[0.0], cneg])[gstart][seg] + self.fp[g]
        prev_tp, prev_fp = tp - pos, fp - neg
        self.area += np.bincount(g, weights=(fp - prev_fp) * (tp + prev_tp) / 2.0,
                                 minlength=self.n_out)
        precision = divide(tp, tp + fp, 0.0)
        self.ap += np.bincount(g, weights=(tp - prev_tp) * precision, minlength=self.n_out)
        self.tp += np.bincount(g, weights=pos, minlength=self.n_out)
        self.fp += np.bincount(g, weights=neg, minlength=self.n_out)

    def result(self) -> RankValues:
        p, neg = self.tp, self.fp
        auc = np.where((p > 0) & (neg > 0), divide(self.area, p * neg), np.nan)
        ap = np.where(p > 0, divide(self.ap, p), np.nan)
        return RankValues(auc, ap)


def rank_metrics(source: CellSource, requests: Sequence[tuple[IntArray, int]],
                 budget: int | None = None) -> list[RankValues]:
    """ROC AUC and AP for each request ``(parent: finest -> output group or -1, n_out)``,
    from one sweep over the score ranges."""
    sweeps = [_Sweep(p, n) for p, n in requests]
    for lo, hi in plan_ranges(source, budget):
        key, code, w = source.cells(lo, hi)
        order = np.argsort(~key, kind="stable")  # descending score
        key, code, w = key[order], code[order], w[order]
        del order
        fg, y = code >> 1, (code & 1).astype(bool)
        del code
        for s in sweeps:
            s.add(key, fg, y, w)
    return [s.result() for s in sweeps]
