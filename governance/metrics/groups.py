"""Group preparation and per-group values, one code path for every engine.

Which predictions, which groupings (features and intersections), the minimum group size and
the per-group metric values of every grouping. Every grouping and the small-group exclusion
are derived from the finest statistics table (:mod:`governance.metrics.stats`) whatever
engine computed it; values come from the statistics (counts, loss sums, regression moments,
score cells) and, in memory, from the rows only for what needs rows
(:func:`governance.metrics.source.rows_needed`: :func:`governance.metrics.compute.group_values`).

Lives in ``metrics`` (it computes statistics); the fairness and performance rules turn its
results into findings. Imported only inside a rule's ``evaluate`` (numpy).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from governance.errors import EvidenceError
from governance.metrics import compute
from governance.metrics.bootstrap import count_resamples, make_rng
from governance.metrics.classification import NAN, count_metric
from governance.metrics.counts import FloatArray, Grouping
from governance.metrics.grouptypes import GroupSpec, Prepared, Row, SmallGroups
from governance.metrics.names import COUNT_METRICS, Average
from governance.metrics.predictions import find_predictions, subset
from governance.metrics.source import Loaded, check_metrics, load_for, rows_needed
from governance.metrics.stats import (
    Coarse,
    coarse,
    group_metric_values,
    grouped_counts,
    sizes,
    whole,
)

if TYPE_CHECKING:
    from governance.card.model import Artifact
    from governance.evidence.context import EvidenceContext
    from governance.metrics.stats import RankValues


def features(ctx: EvidenceContext, spec: GroupSpec, mapped: list[str]) -> list[str]:
    declared = {sf.name: sf.column or sf.name for sf in ctx.card.card.sensitive_features}
    names = list(spec.features) if spec.features is not None else mapped
    if not names:
        raise EvidenceError("no sensitive features: map columns.sensitive_features of the "
                            "predictions artifact in the card, or list features in the rule: "
                            "insufficient evidence")
    return [n if n in mapped or n not in declared else declared[n] for n in names]


def combos(names: list[str], spec: GroupSpec) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [(f,) for f in names]
    if spec.intersections is True:
        for k in range(2, len(names) + 1):
            out.extend(itertools.combinations(names, k))
    elif not isinstance(spec.intersections, bool):
        out.extend(tuple(c) for c in spec.intersections)
    return list(dict.fromkeys(out))


def plan(ctx: EvidenceContext, spec: GroupSpec
         ) -> tuple[int, Artifact, list[tuple[str, ...]]]:
    """The predictions artifact (index, artifact) and the groupings a rule asks for."""
    index, art = find_predictions(ctx, spec.artifact, spec.split)
    mapped = list(art.columns.sensitive_features) if art.columns else []
    return index, art, combos(features(ctx, spec, mapped), spec)


def grouping(c: Coarse) -> Grouping:
    """The grouping of ``c`` as the rules see it (labels, index; no row codes)."""
    return Grouping(c.features, c.values, np.zeros(0, dtype=np.int64))


def _note(name: str, excluded: list[tuple[str, int]], limit: int) -> str:
    more = f" and {len(excluded) - 10} more" if len(excluded) > 10 else ""
    return (f"{name}: left out {len(excluded)} group(s) below {limit} rows: "
            + ", ".join(f"{lab} (n={k})" for lab, k in excluded[:10]) + more)


def prepare(ctx: EvidenceContext, spec: GroupSpec, metrics: tuple[str, ...]
            ) -> tuple[list[Prepared], list[str], SmallGroups | None]:
    """Load the predictions' statistics, group them, apply the minimum group size, compute
    ``metrics`` (every engine)."""
    index, art, groupings = plan(ctx, spec)
    loaded = load_for(ctx, art, index, metrics, [f for c in groupings for f in c],
                      spec.n_resamples, spec.joint_overall)
    avg = compute.default_average(loaded.probe, spec.average)
    check_metrics(loaded, metrics, avg)
    stats = loaded.stats
    limit = spec.min_group_size
    if spec.min_group_fraction is not None:
        limit = max(limit, int(np.ceil(spec.min_group_fraction * loaded.rows)))
    notes: list[str] = []
    small_table: list[Row] = []
    plans: list[tuple[Coarse, list[tuple[str, int]]]] = []
    for combo in groupings:
        c = coarse(stats, combo)
        n = sizes(stats, c)
        labels = grouping(c).labels
        small = [i for i in range(len(c.values)) if n[i] < limit]
        small_table.extend([" & ".join(combo), labels[i], int(n[i]), limit] for i in small)
        excluded = [(labels[i], int(n[i])) for i in small]
        if small and spec.small_groups == "exclude":
            c = coarse(stats, combo, [c.values[i] for i in small])
            if len(c.values):
                notes.append(_note(" & ".join(combo), excluded, limit))
        plans.append((c, excluded))
    live = [c for c, _ in plans if len(c.values)]
    boots = [compute.Bootstrap(spec.n_resamples,
                               make_rng(ctx.seed, f"{ctx.rule.id}:{grouping(c).name}"))
             if spec.n_resamples else None for c in live]
    values = iter(grouping_values(loaded, live, metrics, avg, boots, spec.joint_overall))
    out = [Prepared(int(sizes(stats, c).sum()), grouping(c),
                    next(values) if len(c.values) else {}, excluded) for c, excluded in plans]
    if small_table and spec.small_groups == "error":
        return out, notes, SmallGroups(small_table, limit)
    return out, notes, None


def overall(ctx: EvidenceContext, metric: str, *, artifact: str | None, split: str | None,
            average: Average | None, n_resamples: int, key: str
            ) -> tuple[Artifact, int, compute.GroupValues]:
    """``metric`` over all rows (every engine), with a bootstrap keyed by ``key``."""
    index, art = find_predictions(ctx, artifact, split)
    loaded = load_for(ctx, art, index, [metric], (), n_resamples)
    avg = compute.default_average(loaded.probe, average)
    check_metrics(loaded, [metric], avg)
    boot = compute.Bootstrap(n_resamples, make_rng(ctx.seed, key)) if n_resamples else None
    gv = grouping_values(loaded, [coarse(loaded.stats, ())], [metric], avg, [boot])[0]
    return art, loaded.rows, gv[metric]


# ---------------------------------------------------------------------------------------------
# values of groupings
# ---------------------------------------------------------------------------------------------


def grouping_values(loaded: Loaded, groupings: Sequence[Coarse], metrics: Sequence[str],
                    average: Average, boots: Sequence[compute.Bootstrap | None],
                    joint_overall: bool = False) -> list[dict[str, compute.GroupValues]]:
    """GroupValues of every grouping: from the statistics (one score sweep for all
    groupings), or from the rows in memory when the metrics need rows."""
    delong = _delong_ok(loaded, groupings, joint_overall)
    if rows_needed(loaded, metrics, any(b is not None for b in boots), delong):
        if loaded.ps is None:
            from governance.metrics.delong import DELONG_MIN_ROWS

            raise EvidenceError(f"{loaded.display}: an interval of {', '.join(metrics)} on "
                                f"fewer than {DELONG_MIN_ROWS} rows needs the rows; use "
                                "--engine memory")
        return [_row_values(loaded, c, metrics, average, b, joint_overall)
                for c, b in zip(groupings, boots, strict=True)]
    ranks = _ranks(loaded, groupings, metrics)
    return [_stat_values(loaded, c, metrics, average, b, ranks[i])
            for i, (c, b) in enumerate(zip(groupings, boots, strict=True))]


def _delong_ok(loaded: Loaded, groupings: Sequence[Coarse], joint_overall: bool) -> bool:
    """ROC AUC intervals by DeLong from the score cells: unweighted binary data, at least
    ``DELONG_MIN_ROWS`` rows kept, and no group compared with the overall value (the same
    choice as :func:`compute.uses_delong` on rows)."""
    from governance.metrics.delong import DELONG_MIN_ROWS

    if loaded.cells is None or loaded.task != "binary" or loaded.weighted:
        return False
    return all(int(sizes(loaded.stats, c).sum()) >= DELONG_MIN_ROWS
               and not (joint_overall and len(c.values) > 1) for c in groupings)


def _row_values(loaded: Loaded, c: Coarse, metrics: Sequence[str], average: Average,
                boot: compute.Bootstrap | None, joint_overall: bool
                ) -> dict[str, compute.GroupValues]:
    """In memory only: the rows of ``c``'s groups through :func:`compute.group_values`."""
    if loaded.ps is None or loaded.fg is None:
        raise ValueError("these metrics need the rows: the in-memory engine")
    ps, codes = loaded.ps, c.parent[loaded.fg]
    if (codes < 0).any():
        keep = codes >= 0
        ps, codes = subset(ps, keep), codes[keep]
    return compute.group_values(ps, Grouping(c.features, c.values, codes), list(metrics),
                                average=average, bootstrap=boot, joint_overall=joint_overall)


def _ranks(loaded: Loaded, groupings: Sequence[Coarse], metrics: Sequence[str]
           ) -> list[tuple[RankValues, RankValues] | None]:
    """ROC AUC / AP of every grouping and of its kept rows, from one sweep of the cells."""
    if not any(m in ("roc_auc", "pr_auc") for m in metrics):
        return [None] * len(groupings)
    from governance.metrics.sweep import rank_metrics

    if loaded.cells is None:
        raise ValueError("scores were not kept as cells")
    requests = []
    for c in groupings:
        requests.append((c.parent, len(c.values)))
        requests.append((whole(loaded.stats, c.parent).parent, 1))
    r = rank_metrics(loaded.cells, requests)
    return [(r[2 * i], r[2 * i + 1]) for i in range(len(groupings))]


def _stat_values(loaded: Loaded, c: Coarse, metrics: Sequence[str], average: Average,
                 boot: compute.Bootstrap | None,
                 ranks: tuple[RankValues, RankValues] | None
                 ) -> dict[str, compute.GroupValues]:
    stats = loaded.stats
    vals = group_metric_values(stats, c, metrics, average=average,
                               ranks=None if ranks is None else ranks[0],
                               overall_ranks=None if ranks is None else ranks[1])
    counted = [m for m in metrics if m in COUNT_METRICS]
    samples: dict[str, tuple[FloatArray, FloatArray]] = {}
    if boot is not None and counted:  # count metrics of unweighted data: resample the counts
        res = count_resamples(grouped_counts(stats, c), boot.n_resamples, boot.rng)
        tot = res.sum(axis=1)
        binary = stats.task == "binary"
        for m in counted:
            samples[m] = (count_metric(m, res, average, NAN, binary=binary),
                          count_metric(m, tot, average, NAN, binary=binary))
    out = {m: compute.GroupValues(m, vals[m][0], vals[m][1], vals[m][2], *samples[m])
           if m in samples else compute.GroupValues(m, *vals[m]) for m in metrics}
    if boot is not None and "roc_auc" in metrics:
        assert ranks is not None
        out["roc_auc"] = _delong_values(out["roc_auc"], ranks, boot)
    return out


def _delong_values(gv: compute.GroupValues, ranks: tuple[RankValues, RankValues],
                   boot: compute.Bootstrap) -> compute.GroupValues:
    """DeLong variances from the sweep and the normal draws combined into gaps (as
    :func:`compute.group_values` does from rows)."""
    from governance.metrics import delong

    var, overall_var = ranks[0].var, ranks[1].var
    assert var is not None and overall_var is not None
    draws = delong.normal_draws(gv.values, var, boot.n_resamples, boot.rng)
    tot = draws[:, 0] if len(gv.values) == 1 else delong.normal_draws(
        np.array(gv.overall), np.array(overall_var[0]), boot.n_resamples, boot.rng)
    return compute.GroupValues(gv.metric, gv.values, gv.overall, gv.n, draws, tot, var,
                               float(overall_var[0]), delong.METHOD)
