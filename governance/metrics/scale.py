"""Which engine evaluates a predictions artifact, and the streaming / Dask code paths that the
performance and fairness rules call before falling back to the in-memory path.

The engine is an operator setting (``governance check --engine``, or the environment variable
``GOVERNANCE_ENGINE``), never a policy or card field; it reaches rules as ``RuleContext.engine``:

- ``memory``: pandas reads the whole table (:mod:`governance.metrics.compute`);
- ``streaming``: pyarrow record batches folded into mergeable statistics, flat memory
  (:mod:`governance.metrics.streaming`);
- ``dask``: the same statistics computed on Dask partitions (:mod:`governance.metrics.distributed`),
  on the cluster at ``--dask-scheduler`` (``GOVERNANCE_DASK_SCHEDULER``, an address such as
  ``tcp://host:8786``; an operator setting only: results come back through Dask) or on a
  ``LocalCluster`` started for the run;
- ``auto`` (default): ``streaming`` when the artifact file is at least
  :data:`AUTO_STREAM_BYTES` (256 MiB) and the request is one the streaming engine supports,
  else ``memory``.

The streaming and Dask engines support binary and regression tasks read from Parquet or CSV.
Their values equal the in-memory engine's to rounding (1e-12 relative; count metrics of
unweighted data exactly). Bootstrap intervals are supported for count metrics of unweighted
data, drawn from the counts with the same generator as the in-memory engine, so they are
identical too. Other requests (multiclass, JSON Lines, bootstrap intervals of score or
regression metrics or of weighted data) use ``memory`` under ``auto`` and are an error under
an explicit ``streaming``/``dask``.

Imported only inside a rule's ``evaluate``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from governance.card.model import Artifact
from governance.errors import ArtifactError, EvidenceError
from governance.metrics import compute
from governance.metrics.bootstrap import count_resamples, make_rng
from governance.metrics.classification import NAN, count_metric
from governance.metrics.counts import Grouping
from governance.metrics.grouptypes import GroupSpec, Prepared, SmallGroups
from governance.metrics.names import COUNT_METRICS, Average
from governance.metrics.predictions import PredictionSet, find_predictions, task_kind
from governance.metrics.streaming import (
    Coarse,
    Stats,
    Streamed,
    StreamSpec,
    Unsupported,
    coarse,
    group_metric_values,
    rank_metrics,
    stream_table,
    whole,
)

if TYPE_CHECKING:
    from governance.evidence.context import EvidenceContext as RuleContext

Engine = Literal["auto", "memory", "streaming", "dask"]
ENGINES: tuple[str, ...] = ("auto", "memory", "streaming", "dask")

#: ``auto`` streams artifacts at least this large.
AUTO_STREAM_BYTES = 256 * 1024**2


def unsupported(task: str, fmt: str, weighted: bool, metrics: Sequence[str],
                n_resamples: int) -> str | None:
    """Why the streaming engine cannot evaluate this request (None: it can)."""
    from governance.metrics.names import is_sklearn

    if any(is_sklearn(m) for m in metrics):
        return "sklearn: metrics are computed by fairlearn MetricFrame in memory only"
    if task not in ("binary", "regression"):
        return f"it supports binary and regression tasks, not {task}"
    if fmt not in ("parquet", "csv"):
        return f"it reads Parquet and CSV tables, not {fmt}"
    if n_resamples:
        if weighted:
            return "its bootstrap intervals need unweighted data"
        other = [m for m in metrics if m not in COUNT_METRICS]
        if other:
            return (f"its bootstrap intervals cover count metrics only, not "
                    f"{', '.join(other)} (set n_resamples: 0)")
    return None


def choose(ctx: RuleContext, artifact: Artifact, engine: str, metrics: Sequence[str],
           n_resamples: int) -> str:
    """The engine that evaluates ``metrics`` on ``artifact``."""
    from governance.evidence.tables import table_format

    if engine == "memory":
        ctx.store.note_engine(artifact.path, "memory")
        return "memory"
    task = task_kind(ctx.card.card.model.task)
    fmt = table_format(artifact)
    weighted = artifact.columns is not None and artifact.columns.sample_weight is not None
    reason = unsupported(task, fmt, weighted, metrics, n_resamples)
    if engine in ("streaming", "dask"):
        if reason is not None:
            raise EvidenceError(f"engine {engine} cannot evaluate artifact {artifact.name!r}: "
                                f"{reason}; use --engine memory")
        ctx.store.note_engine(artifact.path, engine)
        return engine
    chosen = "memory"
    if reason is None:
        try:
            real = ctx.store.resolve(artifact.path, where=ctx.card.path)
        except ArtifactError:
            real = None  # the in-memory reader reports the problem
        threshold = int(ctx.extras.get("stream_threshold_bytes", AUTO_STREAM_BYTES))
        if real is not None and real.stat().st_size >= threshold:
            chosen = "streaming"
    ctx.store.note_engine(artifact.path, chosen)
    return chosen


def _spec(ctx: RuleContext, artifact: Artifact, metrics: Sequence[str],
          features: Sequence[str]) -> StreamSpec:
    display = f"artifact {artifact.name!r} ({artifact.path})"
    cols = artifact.columns
    if cols is None:
        raise EvidenceError(f"{display}: the card declares no column mapping (columns:) for "
                            "this predictions artifact; map at least y_true")
    if cols.y_true is None:
        raise EvidenceError(f"{display}: the card maps no y_true column")
    flags = [compute.needs(m) for m in metrics]
    need_pred = any(f[0] for f in flags)
    need_score = any(f[1] for f in flags)
    if need_pred and cols.y_pred is None:
        raise EvidenceError(f"{display}: the card maps no y_pred column (needed for this "
                            "metric)")
    if need_score and cols.y_score is None:
        raise EvidenceError(f"{display}: the card maps no y_score column (needed for this "
                            "metric)")
    return StreamSpec(display, task_kind(ctx.card.card.model.task), cols, tuple(features),
                      need_pred, need_score, any(f[2] for f in flags),
                      any(m in ("roc_auc", "pr_auc") for m in metrics))


def load(ctx: RuleContext, artifact: Artifact, index: int, spec: StreamSpec, engine: str,
         scheduler: str | None = None) -> Streamed:
    """Stream ``artifact`` once per run and spec (cached); its digest is recorded as an input.

    The bytes streamed are the bytes hashed: one read of the artifact hashes it while writing
    a private snapshot, and the engine reads the snapshot (issue 12 item 10)."""
    from governance.evidence.tables import table_format

    field = f"artifacts[{index}].path"
    fmt = table_format(artifact)
    progress = ctx.extras.get("progress_rows")

    def snap() -> tuple[str, str, str]:
        try:
            d, copy = ctx.store.snapshot(artifact.path, field=field, where=ctx.card.path)
        except ArtifactError as exc:
            raise EvidenceError(exc.message, path=exc.path, field=exc.field) from None
        return d.path, d.sha256, str(copy)  # the copy keeps the file name (and suffix)

    def run() -> Streamed:
        _, _, copy = ctx.store.cached(("snapshot", artifact.path), snap)
        try:
            if engine == "dask":
                from governance.metrics.distributed import stream_dask

                result: Streamed = stream_dask(copy, fmt, spec, scheduler=scheduler)
            else:
                result = stream_table(copy, fmt, spec, progress=progress)
        except Unsupported as exc:
            raise EvidenceError(f"{spec.display}: {exc}") from None
        return result

    key = ("stream", f"{artifact.path}|{engine}|{scheduler}|{spec!r}")
    streamed: Streamed = ctx.store.cached(key, run)
    path, sha256, _ = ctx.store.cached(("snapshot", artifact.path), snap)
    ctx.store.record_input(f"artifact:{artifact.role.value}", path, sha256)
    return streamed


def _check(task: str, metrics: Sequence[str], average: Average, display: str) -> None:
    probe = PredictionSet(display, task, np.zeros(0, dtype=np.int64))
    for m in metrics:
        try:
            compute.check_supported(probe, m, average)
        except ValueError as exc:
            raise EvidenceError(f"{display}: {exc}") from None


def _values(streamed: Streamed, groupings: Sequence[Coarse], metrics: Sequence[str],
            average: Average, boots: Sequence[compute.Bootstrap | None]
            ) -> list[dict[str, compute.GroupValues]]:
    """GroupValues of every grouping, with one score sweep for all of them."""
    stats = streamed.stats
    ranked = [m for m in metrics if m in ("roc_auc", "pr_auc")]
    ranks: list[Any] = [None] * (2 * len(groupings))
    if ranked:
        if streamed.cells is None:
            raise ValueError("scores were not spilled")
        requests = []
        for c in groupings:
            requests.append((c.parent, len(c.values)))
            requests.append((whole(stats, c.parent).parent, 1))
        ranks = list(rank_metrics(streamed.cells, requests))
    out = []
    for i, (c, boot) in enumerate(zip(groupings, boots, strict=True)):
        vals = group_metric_values(stats, c, metrics, average=average,
                                   ranks=ranks[2 * i], overall_ranks=ranks[2 * i + 1])
        result: dict[str, compute.GroupValues] = {}
        samples: dict[str, tuple[Any, Any]] = {}
        if boot is not None:
            counts = _counts(stats, c)
            res = count_resamples(counts, boot.n_resamples, boot.rng)
            tot = res.sum(axis=1)
            for m in metrics:
                samples[m] = (count_metric(m, res, average, NAN, binary=True),
                              count_metric(m, tot, average, NAN, binary=True))
        for m in metrics:
            per, overall, n = vals[m]
            s, o = samples.get(m, (None, None))
            result[m] = compute.GroupValues(m, per, overall, n, s, o)
        out.append(result)
    return out


def _counts(stats: Stats, c: Coarse) -> Any:
    from governance.metrics.streaming import _agg

    return _agg(stats.counts, c.parent, len(c.values))


def recompute(ctx: RuleContext, metric: str, *, artifact: str | None, split: str | None,
              average: Average | None, n_resamples: int, key: str
              ) -> tuple[Artifact, int, compute.GroupValues] | None:
    """``metric`` over all rows by the streaming/Dask engine; None: use the in-memory path."""
    index, art = find_predictions(ctx, artifact, split)
    chosen = choose(ctx, art, ctx.engine, [metric], n_resamples)
    if chosen == "memory":
        return None
    spec = _spec(ctx, art, [metric], ())
    avg: Average = average or "binary"
    _check(spec.task, [metric], avg, spec.display)
    streamed = load(ctx, art, index, spec, chosen, ctx.dask_scheduler)
    boot = compute.Bootstrap(n_resamples, make_rng(ctx.seed, key)) if n_resamples else None
    c = coarse(streamed.stats, ())
    gv = _values(streamed, [c], [metric], avg, [boot])[0][metric]
    return art, streamed.rows, gv


@dataclass(frozen=True)
class StreamedRows(PredictionSet):
    """A stand-in for a streamed predictions table: only its row count is known."""

    rows: int = 0

    @property
    def n(self) -> int:
        return self.rows


def _rows(display: str, task: str, n: int) -> PredictionSet:
    return StreamedRows(display, task, np.zeros(0, dtype=np.int64), rows=n)


def prepare(ctx: RuleContext, params: GroupSpec, metrics: Sequence[str], art: Artifact,
            combos: Sequence[tuple[str, ...]]
            ) -> tuple[list[Prepared], list[str], SmallGroups | None] | None:
    """:func:`governance.metrics.groups.prepare` by the streaming/Dask engine (same groups,
    small-group handling, notes and values); None: use the in-memory path."""
    chosen = choose(ctx, art, ctx.engine, metrics, params.n_resamples)
    if chosen == "memory":
        return None
    index, _ = find_predictions(ctx, art.name)
    features = list(dict.fromkeys(c for combo in combos for c in combo))
    spec = _spec(ctx, art, metrics, features)
    avg: Average = params.average or "binary"
    _check(spec.task, metrics, avg, spec.display)
    streamed = load(ctx, art, index, spec, chosen, ctx.dask_scheduler)
    stats = streamed.stats
    limit = params.min_group_size
    if params.min_group_fraction is not None:
        limit = max(limit, int(np.ceil(params.min_group_fraction * streamed.rows)))
    notes: list[str] = []
    small_table: list[list[str | int | float | bool | None]] = []
    plans: list[tuple[Coarse, list[tuple[str, int]]]] = []
    for combo in combos:
        c = coarse(stats, combo)
        sizes = _sizes(stats, c)
        grouping = _grouping(c)
        labels = grouping.labels
        small = [i for i in range(len(c.values)) if sizes[i] < limit]
        for i in small:
            small_table.append([grouping.name, labels[i], int(sizes[i]), limit])
        excluded = [(labels[i], int(sizes[i])) for i in small]
        if small and params.small_groups == "exclude":
            c = coarse(stats, combo, [c.values[i] for i in small])
            if len(c.values):
                more = f" and {len(excluded) - 10} more" if len(excluded) > 10 else ""
                notes.append(f"{grouping.name}: left out {len(small)} group(s) below {limit} "
                             "rows: " + ", ".join(f"{lab} (n={k})" for lab, k in excluded[:10])
                             + more)
        plans.append((c, excluded))
    live = [(c, ex) for c, ex in plans if len(c.values)]
    boots = [compute.Bootstrap(params.n_resamples,
                               make_rng(ctx.seed, f"{ctx.rule.id}:{_grouping(c).name}"))
             if params.n_resamples else None for c, _ in live]
    values = iter(_values(streamed, [c for c, _ in live], metrics, avg, boots))
    out: list[Prepared] = []
    for c, excluded in plans:
        kept = int(_sizes(stats, c).sum())
        ps = _rows(spec.display, spec.task, kept)
        out.append(Prepared(ps, _grouping(c), next(values) if len(c.values) else {},
                            excluded))
    if small_table and params.small_groups == "error":
        return out, notes, SmallGroups(small_table, limit)
    return out, notes, None


def _sizes(stats: Stats, c: Coarse) -> Any:
    keep = c.parent >= 0
    return np.bincount(c.parent[keep], weights=stats.n[keep],
                       minlength=len(c.values)).astype(np.int64)


def _grouping(c: Coarse) -> Grouping:
    return Grouping(c.features, c.values, np.zeros(0, dtype=np.int64))
