"""The "columns" statistics provider: each dataset column's :class:`ColumnStats` once per run.

Rules look their statistics up with :func:`column_stats` (computed on first use, then shared
through the run's cache, ``ArtifactStore.cached``). Rule kinds declare them up front with
:func:`declare` in their ``needs``; the engine's pre-pass then calls :func:`prefetch` once
with every rule's needs, which reads each table once and computes the union of the columns
asked for into the same cache keys (``governance.evidence.needs``). Declaring changes no
result: the pre-pass records no input and drops whatever fails; the rule then computes (or
reports) it itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from governance.analysis import colstream
from governance.analysis.colstats import ColumnStats, of_series
from governance.analysis.colstream import stats_key
from governance.analysis.common import Dataset, resolve_dataset
from governance.card.model import ArtifactRole
from governance.errors import GovernanceError
from governance.evidence.needs import StatNeed

if TYPE_CHECKING:
    from governance.evidence.context import EvidenceContext

PROVIDER = "columns"


@dataclass(frozen=True)
class AllExcept:
    """A need's spec for every column of the artifact but ``columns`` (only the numeric ones
    with ``numeric_only``); a spec naming one column is that column's name."""

    columns: tuple[str, ...] = ()
    numeric_only: bool = False


def column_stats(ctx: EvidenceContext, ds: Dataset, column: str) -> ColumnStats:
    """The statistics of ``column`` of ``ds`` (computed once per run, whoever asks first; a
    streamed table's by one batched pass over that column)."""
    shape, frame = ds.shape, ds.frame
    if shape is not None:
        def factory() -> ColumnStats:
            return colstream.read_stats(shape, [column])[column]
    else:
        def factory() -> ColumnStats:
            return of_series(column, frame[column])
    return ctx.store.cached(stats_key(ds.artifact.path, column),  # type: ignore[no-any-return]
                            factory)


def declare(ctx: EvidenceContext, name: str | None, columns: Sequence[str] | None, *,
            exclude: Sequence[str] = (), numeric_only: bool = False,
            role: ArtifactRole = ArtifactRole.DATASET,
            prefer: Literal["training", "evaluation"] | None = None) -> list[StatNeed]:
    """The needs of a rule that reads ``columns`` (None: every column, or every numeric
    column, but ``exclude``) of the dataset that ``load_dataset(ctx, name, role, prefer)``
    resolves to."""
    _, artifact = resolve_dataset(ctx, name, role, prefer)
    if columns is None:
        spec = AllExcept(tuple(sorted(set(exclude))), numeric_only)
        return [StatNeed(PROVIDER, artifact.name, spec)]
    return [StatNeed(PROVIDER, artifact.name, c) for c in columns if c not in set(exclude)]


def _wanted(specs: list[object], columns: list[str],
            numeric: Callable[[str], bool]) -> list[str]:
    """The ``columns`` (in table order) that any of ``specs`` asks for."""
    named = {s for s in specs if isinstance(s, str)}
    alls = [s for s in specs if isinstance(s, AllExcept)]
    return [c for c in columns
            if c in named or any(c not in set(a.columns) and (not a.numeric_only or numeric(c))
                                 for a in alls)]


def prefetch(ctx: EvidenceContext, needs: Sequence[StatNeed]) -> None:
    """Compute every declared column's statistics, one table read per artifact."""
    from governance.evidence.tables import find_artifact, read_table

    by_artifact: dict[str, list[object]] = {}
    for need in needs:
        if need.provider == PROVIDER:
            by_artifact.setdefault(need.artifact, []).append(need.spec)
    for name, specs in by_artifact.items():
        try:
            index, artifact = find_artifact(ctx, name)
            if colstream.streams(ctx, artifact):
                shape = colstream.open_table(ctx, artifact, index)
                wanted = _wanted(specs, list(shape.columns), shape.numeric.__contains__)
                colstream.prefetch_table(ctx, artifact, index, wanted)
                continue
            frame = read_table(ctx, artifact, index)
        except GovernanceError:
            continue  # the rules that asked report it
        ds = Dataset(artifact=artifact, index=index, frame=frame)
        for column in _wanted(specs, ds.columns, ds.numeric):
            column_stats(ctx, ds, column)
