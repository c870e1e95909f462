"""The Dask engine for the statistics-only data rules: the column statistics of a Parquet or
CSV dataset as the same mergeable partials (:func:`governance.analysis.colstats.of_series`)
computed on each partition of a Dask DataFrame and merged on the client.

The table is read from the private snapshot written while it was hashed (the bytes parsed are
the bytes hashed), after the in-memory reader's caps. A CSV is read as text
(:func:`governance.evidence.daskio.read`) and each column of each partition typed as
``read_csv`` types the whole file (:func:`governance.evidence.daskio.csv_column`): partitions
that agree keep their types (integers and decimals merge as float64, a partition without any
value is neutral: float64 NaN, or text when the others are text or booleans); a column whose
partitions disagree (numbers here, words there) is text to ``read_csv``, so its statistics are
recomputed from the cells as written in a second pass over that column. Each partition also
checks the cell-length cap. The client merges the partials as they arrive
(:class:`~governance.analysis.colstats.Merger`, the same cap on distinct values), so client
memory is bounded by the merged statistics, not by the table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from governance.analysis.colstats import (
    MAX_DISTINCT,
    ColumnStats,
    Merger,
    TooManyValues,
    is_numeric,
    of_series,
)
from governance.errors import EvidenceError
from governance.evidence.limits import MAX_CELL_CHARS
from governance.evidence.tables import unreadable
from governance.textsafe import excerpt

if TYPE_CHECKING:
    import pandas as pd

#: A Parquet partition keeps the types the file declares.
TYPED = "typed"


@dataclass
class Part:
    """What one partition sends back: per column its typing kind and statistics (None for a
    partition without any value in a CSV column), its rows and the columns with a too long
    cell."""

    rows: int
    kinds: dict[str, str]
    stats: dict[str, ColumnStats | None]
    too_long: list[str] = field(default_factory=list)


def _too_long(series: pd.Series) -> bool:
    import pandas as pd

    if is_numeric(series) or not len(series):
        return False
    longest = series.astype(str).str.len().max()  # NaN: every cell is null
    return bool(pd.notna(longest) and int(longest) > MAX_CELL_CHARS)


def partial(df: pd.DataFrame, columns: Sequence[str], text: bool, raw: bool = False) -> Part:
    """The statistics of one partition (``text``: read as text from a CSV, typed here;
    ``raw``: the cells as written, for columns whose partitions disagree)."""
    from governance.evidence.daskio import csv_column

    out = Part(len(df), {}, {})
    for c in columns:
        s = df[c]
        kind = TYPED
        if text and not raw:
            kind, s = csv_column(s)
        out.kinds[c] = kind
        out.stats[c] = None if kind == "null" else of_series(c, s)
        if kind in (TYPED, "text", "bool") and _too_long(df[c]):
            out.too_long.append(c)
    return out


def _null(column: str, rows: int, numeric: bool) -> ColumnStats:
    """A CSV column's cells without any value: float64 NaN to ``read_csv`` beside numbers
    (or alone), missing text beside text or booleans."""
    import numpy as np

    values = np.array([], dtype=np.float64 if numeric else object)
    return ColumnStats(column, numeric, rows, rows, values, np.array([], dtype=np.int64))


class _Column:
    """One column's merge: the kinds of its partitions, the merged statistics while they agree,
    and the rows of partitions without a value."""

    def __init__(self, name: str, max_distinct: int) -> None:
        self.name = name
        self.kinds: set[str] = set()
        self.merger = Merger(max_distinct)
        self.null_rows = 0

    @property
    def conflict(self) -> bool:
        """Text to ``read_csv``, though some partitions typed it otherwise."""
        from governance.evidence.daskio import csv_text_column

        return TYPED not in self.kinds and csv_text_column(self.kinds)

    def add(self, kind: str, stats: ColumnStats | None, rows: int) -> None:
        from governance.evidence.daskio import NUMBER_KINDS

        if kind == "null" or stats is None:
            self.null_rows += rows
            return
        family = {k in NUMBER_KINDS for k in self.kinds | {kind}}
        self.kinds.add(kind)
        if len(family) == 1 and len(self.kinds - NUMBER_KINDS) <= 1:
            self.merger.add(stats)  # else: recounted as text

    def result(self) -> ColumnStats:
        from governance.evidence.daskio import NUMBER_KINDS

        if self.null_rows:
            self.merger.add(_null(self.name, self.null_rows,
                                  not self.kinds or self.kinds <= NUMBER_KINDS | {TYPED}))
        done = self.merger.result()
        assert done is not None
        return done


def column_stats(path: str, fmt: str, display: str, *, scheduler: str | None = None,
                 client: Any = None, blocksize: int | None = None,
                 max_distinct: int = MAX_DISTINCT) -> tuple[list[str], dict[str, ColumnStats]]:
    """Every column of the table (in table order) and its statistics, computed on Dask."""
    from governance.evidence import daskio

    if client is not None:
        return _run(path, fmt, display, client, blocksize, max_distinct)
    with daskio.connect(scheduler) as cl:
        return _run(path, fmt, display, cl, blocksize, max_distinct)


def _read(path: str, fmt: str, display: str, blocksize: int | None) -> Any:
    from governance.evidence import daskio
    from governance.evidence.tables import duplicate_columns
    from governance.textsafe import names

    ddf = daskio.read(path, fmt, None, blocksize or daskio.CSV_BLOCK_BYTES, blocksize,
                      display=display)
    dupes = duplicate_columns([str(c) for c in ddf.columns])
    if dupes and fmt == "csv":  # as the in-memory reader
        raise EvidenceError(f"{display}: duplicate column names ({names(dupes)})")
    return ddf


def _pass(client: Any, ddf: Any, columns: list[str], text: bool, raw: bool
          ) -> Iterator[Part]:
    """The partials of ``columns``, as the partitions finish."""
    import distributed
    from dask.delayed import delayed

    as_completed: Any = distributed.as_completed
    parts = ddf[columns].to_delayed()
    futures = client.compute([delayed(partial)(p, columns, text, raw) for p in parts])
    for fut in as_completed(futures):
        yield fut.result()
        fut.release()


def _run(path: str, fmt: str, display: str, client: Any, blocksize: int | None,
         max_distinct: int) -> tuple[list[str], dict[str, ColumnStats]]:
    ddf = _read(path, fmt, display, blocksize)
    columns = [str(c) for c in ddf.columns]
    if not columns:
        raise EvidenceError(f"{display}: the table has no columns")
    text = fmt == "csv"
    cols = {c: _Column(c, max_distinct) for c in columns}
    rows = 0
    try:
        for part in _pass(client, ddf, columns, text, raw=False):
            _cap(part, display)
            rows += part.rows
            for c in columns:
                cols[c].add(part.kinds[c], part.stats[c], part.rows)
        if rows == 0:
            raise EvidenceError(f"{display}: the table has a header but no rows")
        mixed = [c for c in columns if cols[c].conflict]
        if mixed:  # text to read_csv: the cells as written
            cols.update({c: _Column(c, max_distinct) for c in mixed})
            for part in _pass(client, ddf, mixed, text, raw=True):
                _cap(part, display)
                for c in mixed:
                    cols[c].add(part.kinds[c], part.stats[c], part.rows)
        return columns, {c: cols[c].result() for c in columns}
    except TooManyValues as exc:  # name the file, as every other table error does
        raise TooManyValues(f"{display}: {exc.message}") from None
    except (ValueError, OSError) as exc:
        raise unreadable(display, fmt, exc) from None


def _cap(part: Part, display: str) -> None:
    if part.too_long:
        raise EvidenceError(f"{display}: column '{excerpt(part.too_long[0], 40)}' has a cell "
                            f"longer than {MAX_CELL_CHARS} characters")
