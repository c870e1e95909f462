"""Group preparation for the fairness rules: which predictions, which groupings (features and
intersections), the minimum group size, and the per-group metric values of every grouping.

Lives in ``metrics`` (it computes statistics); the fairness rules turn its results into
findings. The streaming and Dask engines produce the same :class:`Prepared` groupings
(:func:`governance.metrics.scale.prepare`).

Imported only inside a rule's ``evaluate`` (numpy, pandas).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

import numpy as np

from governance.errors import EvidenceError
from governance.metrics import compute, scale
from governance.metrics.bootstrap import make_rng
from governance.metrics.counts import Feature, Grouping, encode_feature, make_grouping
from governance.metrics.grouptypes import GroupSpec, Prepared, Row, SmallGroups
from governance.metrics.predictions import (
    find_predictions,
    load_predictions,
    memoized,
    subset,
)

if TYPE_CHECKING:
    from governance.evidence.context import EvidenceContext


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


def prepare(ctx: EvidenceContext, spec: GroupSpec, metrics: tuple[str, ...]
            ) -> tuple[list[Prepared], list[str], SmallGroups | None]:
    """Load predictions, group them, apply the minimum group size, compute ``metrics``."""

    flags = [compute.needs(m) for m in metrics]
    _, art = find_predictions(ctx, spec.artifact, spec.split)
    mapped = list(art.columns.sensitive_features) if art.columns else []
    groupings = combos(features(ctx, spec, mapped), spec)
    scaled = scale.prepare(ctx, spec, metrics, art, groupings)
    if scaled is not None:  # streaming / Dask engine
        return scaled
    art, ps = load_predictions(
        ctx, art.name, need_pred=any(f[0] for f in flags), need_score=any(f[1] for f in flags),
        need_probability=any(f[2] for f in flags),
        features=list(dict.fromkeys(c for combo in groupings for c in combo)))
    avg = compute.default_average(ps, spec.average)
    for m in metrics:
        try:
            compute.check_supported(ps, m, avg)
        except ValueError as exc:
            raise EvidenceError(f"{ps.source}: {exc}") from None

    def encoded_feature(name: str) -> Feature:
        return memoized(ps.memo, ("encoded", name),
                        lambda: encode_feature(name, ps.sensitive[name]))

    encoded = {f: encoded_feature(f) for f in ps.sensitive}

    def full_grouping(combo: tuple[str, ...]) -> Grouping:
        return memoized(ps.memo, ("grouping", combo),
                        lambda: make_grouping([encoded[f] for f in combo]))

    limit = spec.min_group_size
    if spec.min_group_fraction is not None:
        limit = max(limit, int(np.ceil(spec.min_group_fraction * ps.n)))
    notes: list[str] = []
    small_table: list[Row] = []
    out: list[Prepared] = []
    for combo in groupings:
        grouping = full_grouping(combo)
        n = np.bincount(grouping.codes, minlength=grouping.n_groups)
        small = [i for i in range(grouping.n_groups) if n[i] < limit]
        labels = grouping.labels
        for i in small:
            small_table.append([grouping.name, labels[i], int(n[i]), limit])
        sub_ps = ps
        excluded = [(labels[i], int(n[i])) for i in small]
        if small and spec.small_groups == "exclude":
            keep = ~np.isin(grouping.codes, small)
            sub_ps = subset(ps, keep)
            if sub_ps.n == 0:
                out.append(Prepared(sub_ps, grouping, {}, excluded))
                continue
            grouping = make_grouping([encode_feature(f, sub_ps.sensitive[f]) for f in combo])
            more = f" and {len(excluded) - 10} more" if len(excluded) > 10 else ""
            notes.append(f"{grouping.name}: left out {len(small)} group(s) below {limit} rows: "
                         + ", ".join(f"{lab} (n={k})" for lab, k in excluded[:10]) + more)
        boot = (compute.Bootstrap(spec.n_resamples,
                                  make_rng(ctx.seed, f"{ctx.rule.id}:{grouping.name}"))
                if spec.n_resamples else None)
        values = compute.group_values(sub_ps, grouping, list(metrics), average=avg,
                                      bootstrap=boot, joint_overall=spec.joint_overall)
        out.append(Prepared(sub_ps, grouping, values, excluded))
    if small_table and spec.small_groups == "error":
        return out, notes, SmallGroups(small_table, limit)
    return out, notes, None
