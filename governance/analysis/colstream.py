"""Dataset statistics without materialising the table: the streaming engine for data rules.

The rules that decide from column statistics alone (missing values, constant columns, class
balance, outliers, feature / label drift) may read a Parquet dataset batch by batch instead of
into a DataFrame: the operator's engine setting ``streaming`` always does, ``auto`` does for
a Parquet file of at least :data:`~governance.evidence.tables.AUTO_STREAM_BYTES` (``memory``
never); ``dask`` computes the same partials per partition of a Parquet or CSV dataset on Dask
(:mod:`governance.analysis.coldask`) when the table is opened.
The statistics are the same mergeable partials (:mod:`governance.analysis.colstats`) merged
over record batches, so the findings are the ones the in-memory table gives. The table is
read from the private snapshot written while it was hashed (the bytes parsed are the bytes
hashed), after the same caps as the in-memory reader (:func:`governance.evidence.limits.
precheck`, the cell-length cap on every batch). Other formats are read in memory (streaming:
pandas and pyarrow infer CSV types differently, Parquet carries its types).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from governance.analysis.colstats import (
    MAX_DISTINCT,
    ColumnStats,
    Merger,
    TooManyValues,
    is_numeric,
    iter_record_batches,
    of_series,
)
from governance.errors import ArtifactError, EvidenceError
from governance.evidence.limits import MAX_CELL_CHARS
from governance.evidence.store import safe_relative
from governance.evidence.tables import large_table, unreadable
from governance.textsafe import excerpt

if TYPE_CHECKING:
    from governance.card.model import Artifact
    from governance.evidence.context import EvidenceContext

BATCH_ROWS = 1 << 17


@dataclass(frozen=True)
class TableShape:
    """What the rules need of a streamed table besides its statistics."""

    path: str  # the private snapshot of the artifact
    sha256: str
    digest_path: str
    fmt: str
    columns: tuple[str, ...]
    numeric: frozenset[str]
    rows: int
    display: str
    # engine dask: every column's statistics, computed when the table was opened
    stats: Mapping[str, ColumnStats] | None = None


def streams(ctx: EvidenceContext, artifact: Artifact) -> bool:
    """Whether the statistics of ``artifact`` are read batch by batch."""
    from governance.evidence.tables import table_format

    fmt = table_format(artifact)
    if ctx.engine == "memory":
        return False
    if ctx.engine == "dask":
        return fmt in ("parquet", "csv")
    if fmt != "parquet":
        return False
    return ctx.engine == "streaming" or large_table(ctx, artifact)


def open_table(ctx: EvidenceContext, artifact: Artifact, index: int) -> TableShape:
    """The streamed table's shape (the artifact is hashed and checked once per run); records
    the artifact as the calling rule's input."""
    field = f"artifacts[{index}].path"
    display = f"artifact {artifact.name!r} ({artifact.path})"
    try:
        clean = safe_relative(artifact.path, field=field, where=ctx.card.path)
    except ArtifactError as exc:
        raise EvidenceError(exc.message, path=exc.path, field=exc.field) from None

    def load() -> TableShape:
        from governance.evidence.limits import precheck

        try:
            digest, copy = ctx.store.snapshot(artifact.path, field=field, where=ctx.card.path)
        except ArtifactError as exc:
            raise EvidenceError(exc.message, path=exc.path, field=exc.field) from None
        fmt = table_format(artifact)
        precheck(copy, fmt, display)
        if ctx.engine == "dask":
            return _dask_shape(ctx, str(copy), fmt, digest.path, digest.sha256, display)
        return _shape(str(copy), digest.path, digest.sha256, display)

    from governance.evidence.tables import table_format

    shape: TableShape = ctx.store.cached(("streamed-table", clean), load)
    ctx.store.record_input(f"artifact:{artifact.role.value}", shape.digest_path, shape.sha256)
    ctx.store.note_engine(shape.digest_path, "dask" if shape.stats is not None else "streaming")
    return shape


def _dask_shape(ctx: EvidenceContext, path: str, fmt: str, digest_path: str, sha256: str,
                display: str) -> TableShape:
    """The shape and every column's statistics, in one pass on Dask (a CSV's column types
    follow from all its partitions, so the statistics come with the shape)."""
    from governance.analysis.coldask import column_stats

    blocksize = ctx.extras.get("dask_block_bytes")
    columns, stats = column_stats(path, fmt, display, scheduler=ctx.dask_scheduler,
                                  blocksize=None if blocksize is None else int(blocksize))
    numeric = frozenset(c for c, st in stats.items() if st.numeric)
    rows = next(iter(stats.values())).rows
    return TableShape(path, sha256, digest_path, fmt, tuple(columns), numeric, rows, display,
                      stats)


def _shape(path: str, digest_path: str, sha256: str, display: str) -> TableShape:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
        empty = pf.schema_arrow.empty_table().to_pandas()  # the dtypes pandas would give
        rows = int(pf.metadata.num_rows)
    except Exception as exc:  # pyarrow errors have no common public base class
        raise unreadable(display, "parquet", exc) from None
    if empty.shape[1] == 0:
        raise EvidenceError(f"{display}: the table has no columns")
    if rows == 0:
        raise EvidenceError(f"{display}: the table has a header but no rows")
    columns = tuple(str(c) for c in empty.columns)
    numeric = frozenset(str(c) for c in empty.columns if is_numeric(empty[c]))
    return TableShape(path, sha256, digest_path, "parquet", columns, numeric, rows, display)


def stats_key(artifact_path: str, column: str) -> tuple[str, str]:
    """The run-cache key of one column's statistics (table path and column, unambiguous)."""
    return "colstats", json.dumps([safe_relative(artifact_path), column])


def read_stats(shape: TableShape, columns: Sequence[str],
               max_distinct: int | None = None) -> dict[str, ColumnStats]:
    """The statistics of ``columns``, in one batched pass over the table (at most
    ``max_distinct``, default :data:`MAX_DISTINCT`, distinct values per column)."""
    if shape.stats is not None:  # engine dask: computed with the shape
        return {c: shape.stats[c] for c in columns if c in shape.stats}
    import pyarrow as pa

    mergers = {c: Merger(MAX_DISTINCT if max_distinct is None else max_distinct)
               for c in columns}
    try:
        for batch in iter_record_batches(shape.path, shape.fmt, columns, BATCH_ROWS):
            for c in columns:
                mergers[c].add(of_series(c, _capped(batch[c], c, shape.display)))
        out = {c: m.result() for c, m in mergers.items()}
    except TooManyValues as exc:  # name the file, as every other table error does
        raise TooManyValues(f"{shape.display}: {exc.message}") from None
    except (pa.ArrowException, OSError) as exc:
        raise unreadable(shape.display, "parquet", exc) from None
    return {c: st for c, st in out.items() if st is not None}


def _capped(series: Any, column: str, display: str) -> Any:
    """``series``, after the in-memory reader's cell-length cap on text."""
    import pandas as pd

    if not is_numeric(series) and len(series):
        longest = series.astype(str).str.len().max()  # NaN: every cell is null
        if pd.notna(longest) and int(longest) > MAX_CELL_CHARS:
            raise EvidenceError(f"{display}: column '{excerpt(column, 40)}' has a cell longer "
                                f"than {MAX_CELL_CHARS} characters")
    return series


def prefetch_table(ctx: EvidenceContext, artifact: Artifact, index: int,
                   wanted: Sequence[str]) -> None:
    """Every wanted column's statistics of a streamed table, in one pass, into the run cache."""
    shape = open_table(ctx, artifact, index)
    columns = [c for c in wanted if c in set(shape.columns)]
    if not columns:
        return
    found = read_stats(shape, columns)
    for c in columns:
        ctx.store.cached(stats_key(artifact.path, c), lambda c=c: found[c])
