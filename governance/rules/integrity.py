"""Artifact integrity: every artifact the card references exists under the root and matches."""

from __future__ import annotations

from typing import Any

from governance.errors import ArtifactError
from governance.evidence.store import digests_equal
from governance.report import SourceLocation, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.artifact_integrity import IntegrityParams


def evaluate_integrity(ctx: RuleContext, params: IntegrityParams) -> Outcome:
    card = ctx.card.card
    arts = [(i, a) for i, a in enumerate(card.artifacts)
            if params.roles is None or a.role in params.roles]
    if len(arts) < params.min_artifacts:
        return Outcome.error(
            f"the card references {len(arts)} artifacts, at least {params.min_artifacts} "
            "needed: insufficient evidence", observed=len(arts),
            expected=f">= {params.min_artifacts}", locations=(ctx.card_location("artifacts"),))
    rows: list[list[str | int | float | bool | None]] = []
    bad: list[str] = []
    locs: list[SourceLocation] = []
    for i, art in arts:
        field = f"artifacts[{i}]"
        try:
            d = ctx.store.digest(art.path, field=f"{field}.path", where=ctx.card.path)
        except ArtifactError as exc:
            rows.append([art.name, art.path, art.sha256, None, f"unreadable: {exc.message}"])
            bad.append(art.name)
            locs.append(ctx.card_location(f"{field}.path"))
            continue
        ctx.store.record_input(f"artifact:{art.role.value}", d.path, d.sha256)
        if art.sha256 is None:
            state = "no sha256 declared" if params.require_sha256 else "ok (unpinned)"
            if params.require_sha256:
                bad.append(art.name)
                locs.append(ctx.card_location(field))
        elif digests_equal(art.sha256, d.sha256):
            state = "ok"
        else:
            state = "digest mismatch"
            bad.append(art.name)
            locs.append(ctx.card_location(f"{field}.sha256"))
        rows.append([art.name, art.path, art.sha256, d.sha256, state])
    table = TableEvidence(title="Artifact digests",
                          columns=["artifact", "path", "declared sha256", "actual sha256",
                                   "state"], rows=rows)
    if bad:
        return Outcome.failed(
            f"{len(bad)} of {len(arts)} artifacts failed integrity: " + ", ".join(
                f"{r[0]} ({r[4]})" for r in rows if r[0] in bad),
            observed=sorted(bad), expected="every artifact present and matching its sha256",
            evidence=(table,), locations=tuple(locs), subjects=tuple(bad))
    return Outcome.passed(f"all {len(arts)} artifacts present and matching their sha256",
                          observed=len(arts), expected=len(arts), evidence=(table,))


ARTIFACT_INTEGRITY = RuleKind(
    name="artifact_integrity",
    family="integrity",
    summary="Every artifact the card references exists under the project root and matches "
    "its declared sha256.",
    params=IntegrityParams,
    evaluate=evaluate_integrity,
)

KINDS: tuple[RuleKind[Any], ...] = (ARTIFACT_INTEGRITY,)
