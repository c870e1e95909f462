"""Mergeable statistics of one table column: the partial result the data rules decide on.

A :class:`ColumnStats` holds, for one column, the row count, the missing (null) count and the
exact counts of its distinct values: distinct numbers (int64, float32 or float64; NaN is the null,
infinities are values) for a numeric column, distinct text labels for any other column (the
labels the drift and balance rules compare, ``astype("string")``). Everything the data-quality
and drift rules report follows from these counts (:mod:`governance.analysis.colmeasures`):
missing rates with any markers, constancy, class balance, quantile edges, bin and category
counts, PSI, KS, chi-square, outlier counts, range and allowed-values violations.

Partials merge exactly (:func:`merge`): an in-memory table is the one-batch case
(:func:`of_series`), a table read in record batches (:func:`read_batched`) merges one partial
per batch and gives the same statistics. Memory is bounded by :data:`MAX_DISTINCT` distinct
values per column: a merge above it raises :class:`TooManyValues` (an in-memory column is
bounded by its rows, which the table caps of :mod:`governance.evidence.limits` bound).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from governance.errors import EvidenceError
from governance.evidence.batches import record_frames
from governance.evidence.tables import unreadable

#: Most distinct values one column's merged statistics may hold.
MAX_DISTINCT = 5_000_000




class TooManyValues(EvidenceError):
    """A column has more distinct values than the statistics may hold."""


@dataclass(frozen=True, eq=False)
class ColumnStats:
    """Row count, null count and exact distinct-value counts of one column."""

    column: str
    numeric: bool
    rows: int
    na: int  # null cells (None/NaN/NaT)
    values: np.ndarray[Any, Any]  # sorted distinct non-null values (numbers, or str labels)
    counts: np.ndarray[Any, np.dtype[np.int64]]  # cells per value, same length
    # a pandas categorical column's categories (text labels, sorted), used or not: the classes
    # it declares (class balance reports a declared class without rows as a zero count)
    declared: tuple[str, ...] = ()
    # an object column holding other scalars than text (JSON Lines: 1, 1.0, "1", true): per
    # value, the Python type its label came from (see KINDS; "" for text), so that the rules
    # group values as pandas does (1 == 1.0 == True, "1" apart); None for a plain column
    kinds: tuple[str, ...] | None = None

    @property
    def non_missing(self) -> int:
        return self.rows - self.na

    @property
    def distinct(self) -> int:
        """Distinct values, equal as pandas ``nunique`` counts them."""
        return int(self.values.size) if self.kinds is None else len(self.groups()[0])

    def groups(self) -> tuple[list[Any], list[int]]:
        """The distinct values as pandas ``value_counts`` groups them (Python equality:
        1, 1.0 and True are one value, the text "1" another) and their counts, in the order
        of :attr:`values` (first member). Values are the labels, or for the non-text values
        of a mixed column the Python number."""
        counts = self.counts.tolist()
        if self.kinds is None:
            return self.values.tolist(), counts
        acc: dict[Any, int] = {}
        for label, kind, n in zip(self.values.tolist(), self.kinds, counts, strict=True):
            key = value_of(label, kind)
            acc[key] = acc.get(key, 0) + n
        return list(acc), list(acc.values())

    def same(self, other: ColumnStats) -> bool:
        """Equal statistics (values, counts, kinds and totals)."""
        return (self.column == other.column and self.numeric == other.numeric
                and self.rows == other.rows and self.na == other.na
                and self.values.dtype == other.values.dtype
                and np.array_equal(self.values, other.values)
                and np.array_equal(self.counts, other.counts)
                and self.declared == other.declared and self.kinds == other.kinds)


def is_numeric(series: pd.Series) -> bool:
    """Numbers (not booleans) are numeric; everything else is treated as categorical."""
    return bool(pd.api.types.is_numeric_dtype(series)
                and not pd.api.types.is_bool_dtype(series))


def _numeric_dtype(series: pd.Series) -> np.dtype[Any]:
    dtype = series.dtype
    if pd.api.types.is_integer_dtype(dtype) and str(dtype).lower() != "uint64":
        return np.dtype(np.int64)
    if str(dtype).lower() == "float32":  # kept: drift labels print as written ("0.1")
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def of_series(column: str, series: pd.Series) -> ColumnStats:
    """The statistics of one in-memory column (one batch)."""
    rows = len(series)
    present = series.dropna()
    na = rows - len(present)
    if is_numeric(series):
        raw = present.to_numpy(dtype=_numeric_dtype(series))
        if raw.dtype.kind == "f":
            raw = raw + 0.0  # -0.0 is 0.0: one value, labelled "0", whichever sign came first
        values, counts = np.unique(raw, return_counts=True)
        return ColumnStats(column, True, rows, na, values, counts.astype(np.int64))
    declared: tuple[str, ...] = ()
    if isinstance(series.dtype, pd.CategoricalDtype):
        declared = tuple(sorted({str(c) for c in pd.Series(series.dtype.categories)
                                 .astype("string").tolist()}))
    if (pd.api.types.is_datetime64_any_dtype(series.dtype)
            or pd.api.types.is_timedelta64_dtype(series.dtype)):
        # str() of each distinct time: astype("string") drops 00:00:00 only when every value
        # of the batch is at midnight, so one instant would get two labels across batches
        times = present.value_counts(sort=False)
        return _text_stats(column, rows, na, {(str(k), ""): int(n) for k, n in times.items()},
                           declared)
    text = present.astype("string")
    if pd.api.types.is_bool_dtype(series.dtype):
        # booleans as the object column of a batch with nulls gives them (same statistics)
        acc = {(str(k), "b"): int(n) for k, n in text.value_counts(sort=False).items()}
        return _text_stats(column, rows, na, acc, declared)
    if present.dtype == object and pd.api.types.infer_dtype(present, skipna=True) != "string":
        keyed = pd.DataFrame({"label": text.to_numpy(dtype=object),
                              "kind": [_kind(v) for v in present.tolist()]})
        acc = {(str(k[0]), str(k[1])): int(n)
               for k, n in keyed.value_counts(sort=False).items()}
        return _text_stats(column, rows, na, acc, declared)
    vc = text.value_counts(sort=False, dropna=True)
    labels = np.array([str(k) for k in vc.index], dtype=object)
    cnt = vc.to_numpy(dtype=np.int64)
    order = np.argsort(labels, kind="stable")  # code-point order, as sorted() on str
    return ColumnStats(column, False, rows, na, labels[order], cnt[order], declared)


#: The Python types of a mixed column's values kept apart: text, booleans, integers, floats,
#: anything else (grouped by its label).
KINDS = ("", "b", "i", "f", "o")


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return ""
    if isinstance(value, bool | np.bool_):
        return "b"
    if isinstance(value, int | np.integer):
        return "i"
    if isinstance(value, float | np.floating):
        return "f"
    return "o"


def value_of(label: str, kind: str) -> Any:
    """The value a mixed column's (label, kind) stands for, as Python compares it: a number
    for booleans, integers and floats (so 1, 1.0 and True are equal), else the label (text,
    or a tagged label for other objects, never equal to text)."""
    if kind == "b":
        return label == "True"
    if kind == "i":
        return int(label)
    if kind == "f":
        return float(label)
    return label if kind == "" else (kind, label)


def _text_stats(column: str, rows: int, na: int, acc: dict[tuple[str, str], int],
                declared: tuple[str, ...]) -> ColumnStats:
    """Text statistics from counts per (label, kind): the kinds kept when a value is not
    text."""
    keys = sorted(acc)
    values = np.array([k[0] for k in keys], dtype=object)
    counts = np.array([acc[k] for k in keys], dtype=np.int64)
    kinds = tuple(k[1] for k in keys)
    return ColumnStats(column, False, rows, na, values, counts, declared,
                       kinds if any(kinds) else None)


def merge(a: ColumnStats, b: ColumnStats, max_distinct: int = MAX_DISTINCT) -> ColumnStats:
    """The statistics of the rows of ``a`` and ``b`` together (exact, order-independent)."""
    return merge_all([a, b], max_distinct)


def merge_all(parts: Sequence[ColumnStats], max_distinct: int = MAX_DISTINCT) -> ColumnStats:
    """The statistics of the rows of every part together, in one merge."""
    first = parts[0]
    if any(p.numeric != first.numeric for p in parts):
        raise EvidenceError(f"column {first.column!r} is numeric in one part of the table and "
                            "text in another")
    if first.numeric:
        values, inverse = np.unique(np.concatenate([p.values for p in parts]),
                                    return_inverse=True)
        # float sums of integer counts are exact below 2**53 cells
        counts = np.bincount(inverse, weights=np.concatenate([p.counts for p in parts]),
                             minlength=values.size).astype(np.int64)
        declared: tuple[str, ...] = ()
    else:
        acc: dict[tuple[str, str], int] = {}
        for p in parts:
            kinds = p.kinds if p.kinds is not None else ("",) * p.values.size
            for label, kind, n in zip(p.values.tolist(), kinds, p.counts.tolist(),
                                      strict=True):
                acc[label, kind] = acc.get((label, kind), 0) + n
        declared = tuple(sorted(set().union(*(p.declared for p in parts))))
        if len(acc) > max_distinct:
            raise _too_many(first.column, max_distinct)
        return _text_stats(first.column, sum(p.rows for p in parts),
                           sum(p.na for p in parts), acc, declared)
    if values.size > max_distinct:
        raise _too_many(first.column, max_distinct)
    return ColumnStats(first.column, first.numeric, sum(p.rows for p in parts),
                       sum(p.na for p in parts), values, counts, declared)


def _too_many(column: str, max_distinct: int) -> TooManyValues:
    return TooManyValues(f"column {column!r} has more than {max_distinct} distinct values: "
                         "too many to hold its statistics")


class Merger:
    """Merges one column's batch partials as they come, in amortised rounds: partials wait
    until they hold as many distinct values as the merged result (at least ``PENDING``), so
    memory stays within about twice the result plus one batch."""

    PENDING = 1 << 20

    def __init__(self, max_distinct: int = MAX_DISTINCT) -> None:
        self.max_distinct = max_distinct
        self.done: ColumnStats | None = None
        self.pending: list[ColumnStats] = []
        self.size = 0

    def add(self, part: ColumnStats) -> None:
        self.pending.append(part)
        self.size += part.values.size
        if self.size > max(self.PENDING, self.done.values.size if self.done else 0):
            self._flush()

    def _flush(self) -> None:
        parts = ([self.done] if self.done is not None else []) + self.pending
        self.done = merge_all(parts, self.max_distinct) if len(parts) > 1 else parts[0]
        self.pending, self.size = [], 0

    def result(self) -> ColumnStats | None:
        if self.pending:
            self._flush()
        return self.done


def of_frame(df: pd.DataFrame, columns: Sequence[str]) -> dict[str, ColumnStats]:
    return {c: of_series(c, df[c]) for c in columns}


def of_batches(batches: Iterable[pd.DataFrame], columns: Sequence[str],
               max_distinct: int = MAX_DISTINCT) -> dict[str, ColumnStats]:
    """Merge the statistics of ``columns`` over record batches."""
    mergers = {c: Merger(max_distinct) for c in columns}
    for batch in batches:
        for c in columns:
            mergers[c].add(of_series(c, batch[c]))
    out = {c: m.result() for c, m in mergers.items()}
    done = {c: st for c, st in out.items() if st is not None}
    if len(done) < len(columns):
        raise EvidenceError("the table has no rows")
    return done


def iter_record_batches(path: str, fmt: str, columns: Sequence[str],
                        batch_rows: int = 1 << 16) -> Iterator[pd.DataFrame]:
    """``columns`` of a Parquet or CSV file as pandas frames of at most ``batch_rows`` rows
    (pyarrow record batches; memory stays at about one batch)."""
    if fmt not in ("parquet", "csv"):
        raise EvidenceError(f"batched reading covers Parquet and CSV, not {fmt}")
    return record_frames(path, fmt, columns, batch_rows)


def read_batched(path: str, fmt: str, columns: Sequence[str], *, batch_rows: int = 1 << 16,
                 max_distinct: int = MAX_DISTINCT) -> dict[str, ColumnStats]:
    """The statistics of ``columns`` of a file, read and merged batch by batch. Unreadable
    input is an :class:`EvidenceError` quoting at most a short excerpt of the problem."""
    import pyarrow as pa

    try:
        return of_batches(iter_record_batches(path, fmt, columns, batch_rows), columns,
                          max_distinct)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        raise unreadable(None, fmt, exc) from None
