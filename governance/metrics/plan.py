"""The ``predictions`` statistics provider of the engine's pre-pass (governance.evidence.needs).

A rule kind that reads predictions declares ``StatNeed("predictions", artifact name,
(metrics, features, n_resamples, joint_overall))`` (:func:`group_need`,
:func:`overall_need`). Before any rule runs, :func:`prefetch` gets every rule's needs at
once and, per artifact and engine, loads the union (:func:`governance.metrics.source.load`):
the table is read, validated, hashed and encoded once, the finest statistics table counts
every feature any rule groups by, and (streaming / Dask) one pass over the file serves every
rule. The rules' own look-ups (:func:`governance.metrics.groups.prepare`,
:func:`~governance.metrics.groups.overall`) find it because it covers their requests.

As the pre-pass contract requires, nothing here records a report input (``record=False``)
or notes an engine, and every failure is dropped: the rule that asked computes, or reports,
its statistics itself.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, cast

from governance.evidence.needs import StatNeed

if TYPE_CHECKING:
    from governance.evidence.context import EvidenceContext
    from governance.metrics.grouptypes import GroupSpec
    from governance.metrics.source import Request

PROVIDER = "predictions"


def group_need(ctx: EvidenceContext, spec: GroupSpec, metrics: Sequence[str]) -> StatNeed:
    """The need of a rule that groups predictions by ``spec`` (fairness kinds)."""
    from governance.metrics.groups import plan

    _, art, groupings = plan(ctx, spec)
    features = tuple(dict.fromkeys(f for c in groupings for f in c))
    return StatNeed(PROVIDER, art.name, (tuple(metrics), features, spec.n_resamples,
                                         spec.joint_overall))


def overall_need(ctx: EvidenceContext, metric: str, *, artifact: str | None,
                 split: str | None, n_resamples: int) -> StatNeed:
    """The need of a rule that recomputes ``metric`` over all rows (performance kinds)."""
    from governance.metrics.predictions import find_predictions

    _, art = find_predictions(ctx, artifact, split)
    return StatNeed(PROVIDER, art.name, ((metric,), (), n_resamples, False))


def _requests(ctx: EvidenceContext, artifact_name: str, specs: Sequence[Hashable]
              ) -> tuple[int, object, dict[str, Request]]:
    """The artifact and, per engine its specs choose, the union of their requests."""
    from governance.evidence.tables import find_artifact
    from governance.metrics.source import Request, choose

    index, art = find_artifact(ctx, name=artifact_name)
    union: dict[str, Request] = {}
    for spec in specs:
        metrics, features, n_resamples, joint = cast(
            tuple[tuple[str, ...], tuple[str, ...], int, bool], spec)
        try:
            engine = choose(ctx, art, ctx.engine, metrics, n_resamples, joint=joint, note=False)
        except Exception:  # noqa: S112 - the rule reports why its engine cannot serve it
            continue
        req = Request.of(metrics, features)
        union[engine] = union[engine].union(req) if engine in union else req
    return index, art, union


def prefetch(ctx: EvidenceContext, needs: Sequence[StatNeed]) -> None:
    """Load the union of ``needs`` once per artifact and engine into the run's cache."""
    from governance.card.model import Artifact
    from governance.metrics.source import load

    by_artifact: dict[str, list[Hashable]] = {}
    for need in needs:
        by_artifact.setdefault(need.artifact, []).append(need.spec)
    for name, specs in by_artifact.items():
        try:
            index, art, union = _requests(ctx, name, specs)
        except Exception:  # noqa: S112 - e.g. no such artifact: the rules report it
            continue
        assert isinstance(art, Artifact)
        for engine, request in union.items():
            try:
                load(ctx, art, index, request, engine, record=False)
            except Exception:  # noqa: S112 - the rules compute (or report) it themselves
                continue
