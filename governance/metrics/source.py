"""Where the statistics of a predictions artifact come from: the engine, and one computation
per artifact and run.

The engine is an operator setting (``governance check --engine``, or the environment variable
``GOVERNANCE_ENGINE``), never a policy or card field; it reaches rules as ``RuleContext.engine``:

- ``memory``: pandas reads the whole table; the statistics layer's partial
  (:func:`governance.metrics.stats.partial`) is computed on it as one batch, and the rows
  stay available for what only rows give (below);
- ``streaming``: pyarrow record batches, one partial each, merged (flat memory;
  :mod:`governance.metrics.streaming`);
- ``dask``: the same partial mapped over Dask partitions and merged
  (:mod:`governance.metrics.distributed`), on the cluster at ``--dask-scheduler``
  (``GOVERNANCE_DASK_SCHEDULER``) or on a ``LocalCluster`` started for the run;
- ``auto`` (default): ``streaming`` when the artifact file is at least
  :data:`governance.evidence.tables.AUTO_STREAM_BYTES` (256 MiB) and the request is one the
  streaming engine supports, else ``memory``.

Only the in-memory engine keeps rows, for: ``sklearn:`` metrics (fairlearn MetricFrame),
multiclass ROC AUC, ranks of tables with many distinct scores (and their DeLong intervals),
ROC AUC intervals below ``delong.DELONG_MIN_ROWS`` rows or compared to overall, and bootstrap
intervals resampled by rows (other score metrics, regression metrics, weighted data).
Other requests under an explicit ``streaming``/``dask`` are an error naming the reason.

A :class:`Loaded` is cached per artifact, engine and run; a request is served by any cached
one that *covers* it (its features include the request's, it validated every column the
request needs). The engine's pre-pass (:mod:`governance.metrics.plan`) computes the union of
every rule's request first, so the table is read, validated, hashed and encoded once and
(streaming) one pass over the file serves every rule.

Imported only inside a rule's ``evaluate`` (numpy at top level).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from governance.card.model import Artifact
from governance.errors import ArtifactError, EvidenceError
from governance.evidence.tables import large_table
from governance.metrics.counts import IntArray
from governance.metrics.names import COUNT_METRICS, is_sklearn
from governance.metrics.predictions import PredictionSet, task_kind
from governance.metrics.stats import Stats

if TYPE_CHECKING:
    from governance.evidence.context import EvidenceContext
    from governance.metrics.streaming import StreamSpec
    from governance.metrics.sweep import CellSource


#: In memory, score cells are compacted (rather than rows ranked) when there are at most
#: this fraction of the rows of them (few distinct scores).
CELL_FRACTION = 4


@dataclass(frozen=True)
class Request:
    """What to read and validate of a predictions table, and which finest groups to count."""

    features: tuple[str, ...] = ()
    pred: bool = False
    score: bool = False
    probability: bool = False
    ranks: bool = False  # roc_auc / pr_auc: score cells for the sweep

    @classmethod
    def of(cls, metrics: Sequence[str], features: Sequence[str]) -> Request:
        from governance.metrics.compute import needs

        flags = [needs(m) for m in metrics]
        return cls(tuple(dict.fromkeys(features)), any(f[0] for f in flags),
                   any(f[1] for f in flags), any(f[2] for f in flags),
                   any(m in ("roc_auc", "pr_auc") for m in metrics))

    def covers(self, other: Request) -> bool:
        return (set(other.features) <= set(self.features) and self.pred >= other.pred
                and self.score >= other.score and self.probability >= other.probability
                and self.ranks >= other.ranks)

    def union(self, other: Request) -> Request:
        return Request(tuple(dict.fromkeys(self.features + other.features)),
                       self.pred or other.pred, self.score or other.score,
                       self.probability or other.probability, self.ranks or other.ranks)


@dataclass(frozen=True)
class Loaded:
    """The statistics of one predictions table for a request, from any engine."""

    request: Request
    display: str
    task: str
    stats: Stats  # per finest group of ``request.features``
    cells: CellSource | None  # score cells for ROC AUC / AP (None: rank the rows)
    weighted: bool = False
    ps: PredictionSet | None = None  # in memory: the validated rows
    fg: IntArray | None = None  # in memory: each row's finest group

    @property
    def rows(self) -> int:
        return self.stats.rows

    @property
    def probe(self) -> PredictionSet:
        """The rows (in memory), else a row-less stand-in with the task and row count."""
        if self.ps is not None:
            return self.ps
        return _RowCount(self.display, self.task, np.zeros(0, dtype=np.int64), rows=self.rows)


@dataclass(frozen=True)
class _RowCount(PredictionSet):
    rows: int = 0

    @property
    def n(self) -> int:
        return self.rows


def unsupported(task: str, fmt: str, weighted: bool, metrics: Sequence[str],
                n_resamples: int, joint: bool = False) -> str | None:
    """Why the streaming engine cannot evaluate this request (None: it can). ``joint``: the
    rule compares groups with the overall value in one resample."""
    if any(is_sklearn(m) for m in metrics):
        return "sklearn: metrics are computed by fairlearn MetricFrame in memory only"
    if task not in ("binary", "regression"):
        return f"it supports binary and regression tasks, not {task}"
    if fmt not in ("parquet", "csv"):
        return f"it reads Parquet and CSV tables, not {fmt}"
    if n_resamples:
        if weighted:
            return "its bootstrap intervals need unweighted data"
        other = [m for m in metrics
                 if m not in COUNT_METRICS and not (m == "roc_auc" and not joint)]
        if other:
            return (f"its intervals cover count metrics (and ROC AUC by DeLong) only, not "
                    f"{', '.join(other)}{' compared to overall' if joint else ''} (set "
                    "n_resamples: 0)")
    return None


def choose(ctx: EvidenceContext, artifact: Artifact, engine: str, metrics: Sequence[str],
           n_resamples: int, *, joint: bool = False, note: bool = True) -> str:
    """The engine that evaluates ``metrics`` on ``artifact`` (noted for the report)."""
    from governance.evidence.tables import table_format

    chosen = engine
    if engine != "memory":
        task = task_kind(ctx.card.card.model.task)
        weighted = artifact.columns is not None and artifact.columns.sample_weight is not None
        reason = unsupported(task, table_format(artifact), weighted, metrics, n_resamples,
                             joint)
        if engine in ("streaming", "dask") and reason is not None:
            raise EvidenceError(f"engine {engine} cannot evaluate artifact {artifact.name!r}: "
                                f"{reason}; use --engine memory")
        if engine == "auto":
            chosen = "streaming" if reason is None and large_table(ctx, artifact) else "memory"
    if note:
        ctx.store.note_engine(artifact.path, chosen)
    return chosen


# ---------------------------------------------------------------------------------------------
# loading, once per artifact and run
# ---------------------------------------------------------------------------------------------


def load(ctx: EvidenceContext, artifact: Artifact, index: int, request: Request, engine: str,
         *, record: bool = True) -> Loaded:
    """The statistics of ``artifact`` for ``request`` by ``engine``: a cached :class:`Loaded`
    that covers the request, else computed now (and cached). With ``record`` the artifact's
    digest is recorded as the caller's input (the pre-pass records nothing)."""
    key = ("predictions-stats", f"{artifact.path}|{engine}|{ctx.dask_scheduler}")
    known: list[Loaded] = ctx.store.cached(key, list)
    found = next((x for x in list(known) if x.request.covers(request)), None)
    if found is None:
        if engine == "memory":
            found = _memory(ctx, artifact, index, request)
        else:
            found = _streamed(ctx, artifact, index, request, engine)
        known.append(found)
    if record:
        _record(ctx, artifact, index, engine)
    return found


def _record(ctx: EvidenceContext, artifact: Artifact, index: int, engine: str) -> None:
    if engine == "memory":
        from governance.evidence.tables import read_table

        read_table(ctx, artifact, index)  # cached: records the digest as the rule's input
        return
    path, sha256, _ = ctx.store.cached(("snapshot", artifact.path),
                                       lambda: _snapshot(ctx, artifact, index))
    ctx.store.record_input(f"artifact:{artifact.role.value}", path, sha256)


def _memory(ctx: EvidenceContext, artifact: Artifact, index: int, request: Request
            ) -> Loaded:
    from governance.metrics.predictions import load_predictions
    from governance.metrics.stats import partial
    from governance.metrics.sweep import memory_cells

    _, ps = load_predictions(ctx, artifact.name, need_pred=request.pred,
                             need_score=request.score, need_probability=request.probability,
                             features=request.features)
    stats, fg = partial(ps, request.features, probability=request.probability)
    cells = None
    if request.ranks and ps.binary and ps.y_score is not None:
        g = len(stats.groups)
        cells = memory_cells(ps.y_score, fg * 2 + ps.y_true, 2 * g, ps.weight,
                             max(ps.n // CELL_FRACTION, 1))
    return Loaded(request, ps.source, ps.task, stats, cells, ps.weight is not None, ps, fg)


def _snapshot(ctx: EvidenceContext, artifact: Artifact, index: int) -> tuple[str, str, str]:
    """One read of the artifact hashes it while writing a private snapshot: the bytes
    streamed are the bytes hashed (issue 12 item 10)."""
    try:
        d, copy = ctx.store.snapshot(artifact.path, field=f"artifacts[{index}].path",
                                     where=ctx.card.path)
    except ArtifactError as exc:
        raise EvidenceError(exc.message, path=exc.path, field=exc.field) from None
    return d.path, d.sha256, str(copy)  # the copy keeps the file name (and suffix)


def stream_spec(artifact: Artifact, task: str, request: Request) -> StreamSpec:
    """The streaming engine's reading of ``request`` (mapped columns checked first)."""
    from governance.metrics.streaming import StreamSpec, Unsupported

    display = f"artifact {artifact.name!r} ({artifact.path})"
    cols = artifact.columns
    if cols is None:
        raise EvidenceError(f"{display}: the card declares no column mapping (columns:) for "
                            "this predictions artifact; map at least y_true")
    if cols.y_true is None:
        raise EvidenceError(f"{display}: the card maps no y_true column")
    if request.pred and cols.y_pred is None:
        raise EvidenceError(f"{display}: the card maps no y_pred column (needed for this "
                            "metric)")
    if request.score and cols.y_score is None:
        raise EvidenceError(f"{display}: the card maps no y_score column (needed for this "
                            "metric)")
    try:
        return StreamSpec(display, task, cols, request.features, request.pred, request.score,
                          request.probability, request.ranks)
    except Unsupported as exc:
        raise EvidenceError(f"{display}: {exc}") from None


def _streamed(ctx: EvidenceContext, artifact: Artifact, index: int, request: Request,
              engine: str) -> Loaded:
    from governance.evidence.tables import table_format
    from governance.metrics.streaming import Unsupported, stream_table

    spec = stream_spec(artifact, task_kind(ctx.card.card.model.task), request)
    _, _, copy = ctx.store.cached(("snapshot", artifact.path),
                                  lambda: _snapshot(ctx, artifact, index))
    fmt = table_format(artifact)
    try:
        if engine == "dask":
            from governance.metrics.distributed import stream_dask

            streamed = stream_dask(copy, fmt, spec, scheduler=ctx.dask_scheduler)
        else:
            streamed = stream_table(copy, fmt, spec, progress=ctx.extras.get("progress_rows"))
    except Unsupported as exc:
        raise EvidenceError(f"{spec.display}: {exc}") from None
    streamed.stats.rows = streamed.rows
    return Loaded(request, spec.display, spec.task, streamed.stats, streamed.cells,
                  spec.weighted)


def load_for(ctx: EvidenceContext, artifact: Artifact, index: int, metrics: Sequence[str],
             features: Sequence[str], n_resamples: int, joint: bool = False) -> Loaded:
    """Choose the engine for ``metrics`` and load what they need (the rules' entry)."""
    engine = choose(ctx, artifact, ctx.engine, metrics, n_resamples, joint=joint)
    return load(ctx, artifact, index, Request.of(metrics, features), engine)


def rows_needed(loaded: Loaded, metrics: Sequence[str], bootstrap: bool, delong: bool
                ) -> bool:
    """Whether ``metrics`` need the rows (in memory) rather than the statistics alone;
    ``delong``: ROC AUC intervals can come from the score cells (DeLong)."""
    if any(is_sklearn(m) for m in metrics):
        return True
    if loaded.cells is None and any(m in ("roc_auc", "pr_auc") for m in metrics):
        return True
    if bootstrap:
        return loaded.weighted or any(m not in COUNT_METRICS and not (m == "roc_auc" and delong)
                                      for m in metrics)
    return False


def check_metrics(loaded: Loaded, metrics: Sequence[str], average: Any) -> None:
    """An :class:`EvidenceError` for a metric this task cannot have."""
    from governance.metrics.compute import check_supported

    for m in metrics:
        try:
            check_supported(loaded.probe, m, average)
        except ValueError as exc:
            raise EvidenceError(f"{loaded.display}: {exc}") from None
