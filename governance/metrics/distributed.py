"""The distributed engine: the streaming engine's mergeable statistics computed on Dask.

Install with ``pip install governance-checker[dask]``. Each partition of a Dask DataFrame (or
of a partitioned Parquet/CSV artifact) is validated and folded into a partial
:class:`~governance.metrics.stats.Stats` on a worker; the client merges the partials
(groups are keyed by level names, so partitions need not agree on codes). For ROC AUC and
average precision each worker compacts its ``(score, group, label)`` cells, which the client
appends one partition at a time to a local spill file for the range sweep, so client memory
stays flat too. Values equal the in-process engines' to rounding (1e-12 relative).

By default a ``LocalCluster`` is started for the evaluation; pass ``scheduler`` (an address
such as ``tcp://10.0.0.5:8786``) to use an existing cluster, or ``client`` to reuse a client.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from governance.errors import EvidenceError
from governance.evidence import daskio as _daskio
from governance.evidence.daskio import connect as connect  # re-exported
from governance.evidence.daskio import typed_like_read_csv as typed_like_read_csv

if TYPE_CHECKING:
    import pandas as pd

    from governance.metrics.stats import Stats
    from governance.metrics.streaming import Streamed, StreamSpec


@dataclass
class Partial:
    """What one partition sends back: its statistics (and, kept on the worker, its cells)."""

    stats: Stats
    cells: tuple[Any, Any, Any] | None
    rows: int
    # sensitive features this (text) partition typed as integers / as floats: read_csv types
    # a column float when any of its cells is, so "1" is the group "1.0" there
    ints: frozenset[str] = frozenset()
    floats: frozenset[str] = frozenset()


#: Bytes of a CSV file per Dask partition (read when a table is read, so tests can lower it).
CSV_BLOCK_BYTES = _daskio.CSV_BLOCK_BYTES


def _partial(df: pd.DataFrame, spec: StreamSpec, part: int, text: bool = False) -> Partial:
    """The statistics layer's partial of one partition (the function every engine applies,
    :func:`governance.metrics.stats.partial`, through the streaming batch validation);
    ``text``: the partition was read as text (CSV) and is typed first."""
    from governance.metrics.stats import Stats
    from governance.metrics.streaming import convert
    from governance.metrics.sweep import compact, score_key

    seen = Stats(spec.features, spec.task)
    if len(df) == 0:
        return Partial(seen, None, 0)
    ints: frozenset[str] = frozenset()
    floats: frozenset[str] = frozenset()
    if text:
        df = typed_like_read_csv(df)
        kinds = {f: df[f].dtype.kind for f in spec.features}
        ints = frozenset(f for f, k in kinds.items() if k in "iu")
        floats = frozenset(f for f, k in kinds.items() if k == "f")
    b = convert(df, spec, seen, 0, where=f" (Dask partition {part})")
    stats = b.stats
    stats.labels_seen, stats.true_labels, stats.pred_labels = (
        seen.labels_seen, seen.true_labels, seen.pred_labels)
    cells = None
    if spec.need_ranks:
        assert b.score is not None
        cells = compact(score_key(b.score), b.fg * 2 + b.y, b.weight)
    return Partial(stats, cells, len(df), ints, floats)


def _stats_of(p: Partial) -> tuple[Stats, int, frozenset[str], frozenset[str]]:
    return p.stats, p.rows, p.ints, p.floats


def as_float_groups(stats: Stats, ints: frozenset[str], floats: set[str]) -> Stats:
    """``stats`` with the integer levels of features other partitions typed as floats
    written as floats (``1`` -> ``1.0``), as ``read_csv`` reads the whole column."""
    from dataclasses import replace

    pos = [i for i, f in enumerate(stats.features) if f in ints and f in floats]
    if not pos:
        return stats
    keys = [tuple(str(float(v)) if i in pos else v for i, v in enumerate(k))
            for k in stats.groups]
    return replace(stats, groups=keys, index={})


def _cells_of(p: Partial, mapping: Any) -> tuple[Any, Any, Any] | None:
    """The partition's cells with group codes mapped to the merged statistics' groups."""
    if p.cells is None:
        return None
    key, code, w = p.cells
    return key, mapping[code >> 1] * 2 + (code & 1), w


def read(path: str, fmt: str, columns: Sequence[str]) -> Any:
    """A Dask DataFrame of ``columns`` of a Parquet file/folder or a CSV file (as text)."""
    return _daskio.read(path, fmt, columns, CSV_BLOCK_BYTES)


def stream_dataframe(ddf: Any, spec: StreamSpec, *, scheduler: str | None = None,
                     client: Any = None, processes: bool = True, text: bool = False
                     ) -> Streamed:
    """Mergeable statistics of a Dask DataFrame (see the module docstring); ``text``: its
    columns were read as text (CSV) and are typed per partition like ``read_csv``."""
    if client is not None:
        return _run(ddf, spec, client, text)
    with connect(scheduler, processes=processes) as cl:
        return _run(ddf, spec, cl, text)


def stream_dask(path: str, fmt: str, spec: StreamSpec, *, scheduler: str | None = None,
                client: Any = None, processes: bool = True) -> Streamed:
    """Mergeable statistics of a Parquet/CSV artifact read by Dask."""
    return stream_dataframe(read(path, fmt, spec.read_columns()), spec, scheduler=scheduler,
                            client=client, processes=processes, text=fmt == "csv")


def _run(ddf: Any, spec: StreamSpec, client: Any, text: bool = False) -> Streamed:
    from dask.delayed import delayed

    from governance.metrics.stats import Stats
    from governance.metrics.streaming import Spill, Streamed, check_totals

    missing = [c for c in spec.read_columns() if c not in ddf.columns]
    if missing:
        shown = ", ".join(map(str, list(ddf.columns)[:20]))
        raise EvidenceError(f"{spec.display} has no column(s) "
                            f"{', '.join(repr(m) for m in missing)} (columns: {shown})")
    parts = ddf[spec.read_columns()].to_delayed()
    futures = client.compute([delayed(_partial)(p, spec, i, text) for i, p in enumerate(parts)])
    partials = client.gather(client.map(_stats_of, futures))
    floats = {f for *_, fl in partials for f in fl}
    total = Stats(spec.features, spec.task)
    maps = []
    rows = 0
    for stats, n, ints, _ in partials:
        maps.append(total.merge(as_float_groups(stats, ints, floats)))
        rows += n
    if rows == 0:
        raise EvidenceError(f"{spec.display}: the table has a header but no rows")
    if spec.task == "binary" and spec.columns.positive_label is not None and \
            len(total.labels_seen) > 2:
        shown = ", ".join(sorted(total.labels_seen)[:5])
        raise EvidenceError(f"{spec.display}: column {spec.columns.y_true!r} (y_true) has "
                            f"{len(total.labels_seen)} distinct labels ({shown}); a binary "
                            "task allows two")
    check_totals(total, spec)
    spill = None
    if spec.need_ranks:
        spill = Spill(weighted=True)  # compacted cells carry row multiplicities
        try:
            for fut, mapping in zip(futures, maps, strict=True):
                cells = client.submit(_cells_of, fut, mapping, pure=False).result()
                if cells is not None:
                    spill.append(*cells)
        except BaseException:
            spill.remove()
            raise
        spill.close()
    return Streamed(total, spill, rows)
