"""Rule kinds of the versioning family: SemVer, bump against the baseline, lineage, changelog,
pinned artifacts.

Import-light: only :mod:`governance.semver` (pure Python) at module level.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from governance.card.enums import ArtifactRole
from governance.errors import ArtifactError, EvidenceError
from governance.evidence.store import digests_equal
from governance.report import KeyValueEvidence, Scalar, SourceLocation, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.artifacts_pinned import PinnedParams
from governance.rules.params.changelog_entry import ChangelogParams
from governance.rules.params.lineage_required import LineageParams
from governance.rules.params.semver import SemverParams
from governance.rules.params.version_bump import Level, VersionBumpParams
from governance.semver import SemVerError, bump_level, level_rank, parse

if TYPE_CHECKING:
    from governance.card.model import DeclaredMetric, ModelCard

Row = list[Scalar]

_NO_BASELINE = ("no baseline release given (--baseline, or baseline: in governance.yaml): "
                "insufficient evidence")


def _short_list(items: list[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# ---------------------------------------------------------------------------------------------
# semver
# ---------------------------------------------------------------------------------------------


def evaluate_semver(ctx: RuleContext, params: SemverParams) -> Outcome:
    text = ctx.card.card.model.version
    loc = (ctx.card_location("model.version"),)
    try:
        v = parse(text)
    except SemVerError as exc:
        return Outcome.failed(f"model.version {exc}", observed=text,
                              expected="MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]", locations=loc)
    if v.prerelease and not params.allow_prerelease:
        return Outcome.failed(f"model.version {text} is a pre-release, which this rule does "
                              "not allow", observed=text, expected="a release version",
                              locations=loc)
    if v.build and not params.allow_build_metadata:
        return Outcome.failed(f"model.version {text} carries build metadata, which this rule "
                              "does not allow", observed=text,
                              expected="no build metadata", locations=loc)
    return Outcome.passed(f"model.version {text} is a valid SemVer 2.0.0 version",
                          observed=text, locations=loc)


SEMVER = RuleKind(
    name="semver",
    family="versioning",
    summary="The card's model.version is a Semantic Versioning 2.0.0 version.",
    params=SemverParams,
    evaluate=evaluate_semver,
)


# ---------------------------------------------------------------------------------------------
# version_bump
# ---------------------------------------------------------------------------------------------


def _training_digest(card: ModelCard) -> str | None:
    data = card.data
    if data and data.training and data.training.sha256:
        return data.training.sha256
    if card.lineage and card.lineage.training_data_sha256:
        return card.lineage.training_data_sha256
    if data and data.training and data.training.artifact:
        art = card.artifact(data.training.artifact)
        if art is not None and art.sha256:
            return art.sha256
    return None


def _metric_changes(cur: ModelCard, base: ModelCard, tol: float) -> list[str]:
    def key(m: DeclaredMetric) -> str:
        return m.name + "".join(f"[{part}]" for part in (m.average, m.dataset, m.split, m.slice)
                                if part)

    a = {key(m): m.value for m in cur.metrics}
    b = {key(m): m.value for m in base.metrics}
    changed = [k for k in sorted(set(a) | set(b))
               if k not in a or k not in b or abs(a[k] - b[k]) > tol]
    return changed


def _artifact_changes(cur: dict[str, str | None], base: dict[str, str | None]) -> list[str]:
    out: list[str] = []
    for name in sorted(set(cur) | set(base)):
        if name not in base:
            out.append(f"{name} (added)")
        elif name not in cur:
            out.append(f"{name} (removed)")
        else:
            x, y = cur[name], base[name]
            if x is None or y is None or not digests_equal(x, y):
                out.append(f"{name} (digest changed)" if x and y else f"{name} (unpinned)")
    return out


_Digests = dict[str, str | None]


def _changes_from_card(card: Any, base_card: Any, params: VersionBumpParams,
                       changes: list[tuple[str, str, Level]], notes: list[str]
                       ) -> tuple[_Digests, _Digests, _Digests, _Digests]:
    """Changes against a baseline card: metrics, training data; artifact and model digests."""
    metrics = _metric_changes(card, base_card, params.metric_tolerance)
    if metrics:
        changes.append(("metrics changed", _short_list(metrics), params.metrics_changed))
    cur_d, base_d = _training_digest(card), _training_digest(base_card)
    if cur_d and base_d:
        if not digests_equal(cur_d, base_d):
            changes.append(("training data changed", f"{base_d[:12]} -> {cur_d[:12]}",
                            params.training_data_changed))
    else:
        notes.append("training data digest not declared in "
                     + ("both cards" if not cur_d and not base_d
                        else "the baseline" if not base_d else "the current card")
                     + "; not compared")
    cur_arts = {a.name: a.sha256 for a in card.artifacts}
    base_arts = {a.name: a.sha256 for a in base_card.artifacts}
    cur_models = {a.name: a.sha256 for a in card.artifacts if a.role is ArtifactRole.MODEL}
    base_models = {a.name: a.sha256 for a in base_card.artifacts
                   if a.role is ArtifactRole.MODEL}
    return cur_arts, base_arts, cur_models, base_models


def _changes_from_report(card: Any, report: Any, params: VersionBumpParams,
                         changes: list[tuple[str, str, Level]], notes: list[str]
                         ) -> tuple[_Digests, _Digests, _Digests, _Digests]:
    """Changes against a baseline report: the artifact digests it recorded as inputs."""
    notes.append("the baseline is a report: declared metrics are not compared")
    by_path = {i.path: i.sha256 for i in report.inputs if i.role.startswith("artifact:")}
    cur_arts = {a.name: a.sha256 for a in card.artifacts if a.path in by_path}
    base_arts = {a.name: by_path[a.path] for a in card.artifacts if a.path in by_path}
    cur_models = {k: v for k, v in cur_arts.items()
                  if (a := card.artifact(k)) is not None and a.role is ArtifactRole.MODEL}
    base_models = {k: base_arts[k] for k in cur_models}
    tr = card.data.training.artifact if card.data and card.data.training else None
    if tr is not None and tr in base_arts:
        if base_arts[tr] is None or cur_arts[tr] is None or not digests_equal(
                str(base_arts[tr]), str(cur_arts[tr])):
            changes.append(("training data changed", tr, params.training_data_changed))
    return cur_arts, base_arts, cur_models, base_models


def evaluate_version_bump(ctx: RuleContext, params: VersionBumpParams) -> Outcome:
    if ctx.baseline is None:
        return Outcome.error(_NO_BASELINE)
    card = ctx.card.card
    loc = (ctx.card_location("model.version"),)
    base_text = ctx.baseline.version
    if base_text is None:
        return Outcome.error(f"the baseline {ctx.baseline.path} has no model version: "
                             "insufficient evidence")
    try:
        base_v = parse(base_text)
    except SemVerError as exc:
        return Outcome.error(f"baseline version {exc}")
    try:
        cur_v = parse(card.model.version)
    except SemVerError as exc:
        return Outcome.failed(f"model.version {exc}", observed=card.model.version,
                              expected=f"> {base_text}", locations=loc)
    changes: list[tuple[str, str, Level]] = []  # (change, detail, level)
    notes: list[str] = []
    if ctx.baseline.card is not None:
        cur_arts, base_arts, cur_models, base_models = _changes_from_card(
            card, ctx.baseline.card.card, params, changes, notes)
    else:
        report = ctx.baseline.report
        assert report is not None
        cur_arts, base_arts, cur_models, base_models = _changes_from_report(
            card, report, params, changes, notes)
    models = _artifact_changes(cur_models, base_models)
    if models:
        changes.append(("model changed", _short_list(models), params.model_changed))
    arts = _artifact_changes(cur_arts, base_arts)
    if arts:
        changes.append(("artifacts changed", _short_list(arts), params.artifacts_changed))
    required: Level = "none"  # any higher version will do when nothing changed
    for _, _, level in changes:
        if level_rank(level) > level_rank(required):
            required = level
    actual = bump_level(base_v, cur_v)
    rows: list[Row] = [[c, d, lv] for c, d, lv in changes]
    table = TableEvidence(title="Changes since the baseline release",
                          columns=["change", "detail", "requires at least"], rows=rows)
    kv = KeyValueEvidence(title="Version bump", items={
        "baseline": base_text, "baseline source": ctx.baseline.path,
        "version": card.model.version, "bump": actual, "required": required})
    evidence = (kv, table)
    observed = {"baseline": base_text, "version": card.model.version, "bump": actual}
    why = "; ".join(f"{c}: {d}" for c, d, lv in changes if lv == required)
    if not cur_v > base_v:
        return Outcome.failed(
            f"version {card.model.version} is not greater than the baseline version "
            f"{base_text}", observed=observed, expected=f"> {base_text}", evidence=evidence,
            locations=loc, notes=tuple(notes))
    if level_rank(actual) < level_rank(required):
        return Outcome.failed(
            f"version {card.model.version} is a {actual} bump over the baseline {base_text}, "
            f"but the changes require at least a {required} bump ({why})",
            observed=observed, expected=f"at least a {required} bump", evidence=evidence,
            locations=loc, notes=tuple(notes))
    reason = f"required: {required}; {why}" if changes else "no changes detected"
    return Outcome.passed(
        f"version {card.model.version} is a {actual} bump over the baseline {base_text} "
        f"({reason})", observed=observed, expected=f"at least a {required} bump",
        evidence=evidence, locations=loc, notes=tuple(notes))


VERSION_BUMP = RuleKind(
    name="version_bump",
    family="versioning",
    summary="model.version is greater than the baseline release's, by at least the level the "
    "changes require (metrics or training data => minor; model or artifacts => patch).",
    params=VersionBumpParams,
    evaluate=evaluate_version_bump,
)


# ---------------------------------------------------------------------------------------------
# lineage_required
# ---------------------------------------------------------------------------------------------

_COMMIT = re.compile(r"^[0-9a-fA-F]{7,40}$")


def _parent_version_problem(ctx: RuleContext, params: LineageParams, value: str,
                            items: dict[str, Scalar]) -> str | None:
    """What is wrong with lineage.parent_version: not SemVer, not lower than the version,
    not the baseline's version (when asked)."""
    card = ctx.card.card
    try:
        parent = parse(value)
    except SemVerError as exc:
        return str(exc)
    try:
        if not parent < parse(card.model.version):
            return f"{value} is not lower than model.version {card.model.version}"
    except SemVerError:
        pass
    if params.parent_matches_baseline and ctx.baseline is not None:
        base = ctx.baseline.version
        items["baseline version"] = base
        if base is None or value != base:
            return f"{value} is not the baseline version {base}"
    return None


def evaluate_lineage(ctx: RuleContext, params: LineageParams) -> Outcome:
    card = ctx.card.card
    lin = card.lineage
    problems: list[tuple[str, str]] = []
    items: dict[str, Scalar] = {}
    for name in params.fields:
        field = f"lineage.{name}"
        if lin is None:
            problems.append((field, "missing"))
            continue
        if name == "changelog":
            items[field] = len(lin.changelog)
            if not lin.changelog:
                problems.append((field, "missing"))
            continue
        value: str | None = getattr(lin, name)
        items[field] = value
        if value is None or not value.strip():
            problems.append((field, "missing"))
        elif name == "code_commit" and not _COMMIT.match(value):
            problems.append((field, f"{value!r} is not a commit hash (7-40 hex digits)"))
        elif name == "code_repository" and not re.match(r"^(https?|ssh|git)://\S+$|^git@\S+$",
                                                         value):
            problems.append((field, f"{value!r} is not a repository URL"))
        elif name == "training_data_sha256" and params.training_digest_matches_card:
            declared = (card.data.training.sha256
                        if card.data and card.data.training else None)
            if declared is not None and not digests_equal(declared, value):
                problems.append((field, "differs from data.training.sha256"))
        elif name == "parent_version":
            problem = _parent_version_problem(ctx, params, value, items)
            if problem is not None:
                problems.append((field, problem))
    kv = KeyValueEvidence(title="Lineage", items=items)
    if problems:
        return Outcome.failed(
            f"{len(problems)} of {len(params.fields)} lineage item(s) missing or invalid: "
            + "; ".join(f"{f}: {why}" for f, why in problems),
            observed=[f for f, _ in problems], expected="complete lineage", evidence=(kv,),
            locations=tuple(ctx.card_location(f) for f, _ in problems),
            subjects=tuple(dict.fromkeys(f for f, _ in problems)))
    suffix = (f"; parent version is the baseline {ctx.baseline.version}"
              if ctx.baseline is not None and "parent_version" in params.fields
              and params.parent_matches_baseline else "")
    return Outcome.passed(
        f"all {len(params.fields)} required lineage items present and valid ("
        + ", ".join(params.fields) + ")" + suffix,
        observed=[], expected="complete lineage", evidence=(kv,),
        locations=(ctx.card_location("lineage"),))


LINEAGE_REQUIRED = RuleKind(
    name="lineage_required",
    family="versioning",
    summary="The card records its lineage: code commit (7-40 hex), training-data digest and "
    "the parent version (the baseline's version when a baseline is given).",
    params=LineageParams,
    evaluate=evaluate_lineage,
)


# ---------------------------------------------------------------------------------------------
# changelog_entry
# ---------------------------------------------------------------------------------------------


def _same_version(a: str, b: str) -> bool:
    try:
        return parse(a) == parse(b)
    except SemVerError:
        return a.strip() == b.strip()


def evaluate_changelog(ctx: RuleContext, params: ChangelogParams) -> Outcome:
    card = ctx.card.card
    version = card.model.version
    log = card.lineage.changelog if card.lineage else []
    entries = [(i, e) for i, e in enumerate(log) if _same_version(e.version, version)]
    if not entries:
        have = ", ".join(e.version for e in log) or "no entries"
        return Outcome.failed(
            f"the changelog has no entry for version {version} (lineage.changelog has: {have})",
            observed=[e.version for e in log], expected=version,
            locations=(ctx.card_location("lineage.changelog" if card.lineage else "lineage"),),
            subjects=(version,))
    if len(entries) > 1:
        return Outcome.failed(
            f"the changelog has {len(entries)} entries for version {version}; keep one",
            observed=len(entries), expected=1,
            locations=tuple(ctx.card_location(f"lineage.changelog[{i}]") for i, _ in entries),
            subjects=(version,))
    i, entry = entries[0]
    field = f"lineage.changelog[{i}]"
    changes = [c for c in entry.changes if c.strip()]
    problems: list[tuple[str, str]] = []
    if len(changes) < params.min_changes:
        problems.append((f"{field}.changes", f"lists {len(changes)} change(s), at least "
                         f"{params.min_changes} needed"))
    if entry.date is None:
        if params.require_date:
            problems.append((f"{field}.date", "missing"))
    elif entry.date > ctx.now.date():
        problems.append((f"{field}.date", f"{entry.date.isoformat()} is after the check date "
                         f"{ctx.now.date().isoformat()}"))
    kv = KeyValueEvidence(title="Changelog entry", items={
        "version": entry.version, "date": entry.date.isoformat() if entry.date else None,
        "changes": len(changes)})
    if problems:
        return Outcome.failed(
            f"the changelog entry for version {version} is incomplete: "
            + "; ".join(f"{f}: {why}" for f, why in problems),
            observed=[f for f, _ in problems], expected="a dated entry with changes",
            evidence=(kv,), locations=tuple(ctx.card_location(f) for f, _ in problems),
            subjects=(version,))
    dated = f" ({entry.date.isoformat()})" if entry.date else ""
    return Outcome.passed(
        f"the changelog has an entry for version {version}{dated} with {len(changes)} "
        "change(s)", observed=len(changes), expected=f">= {params.min_changes} change(s)",
        evidence=(kv,), locations=(ctx.card_location(field),))


CHANGELOG_ENTRY = RuleKind(
    name="changelog_entry",
    family="versioning",
    summary="lineage.changelog has one dated entry for the current version with at least one "
    "change.",
    params=ChangelogParams,
    evaluate=evaluate_changelog,
)


# ---------------------------------------------------------------------------------------------
# artifacts_pinned
# ---------------------------------------------------------------------------------------------


def evaluate_pinned(ctx: RuleContext, params: PinnedParams) -> Outcome:
    card = ctx.card.card
    arts = [(i, a) for i, a in enumerate(card.artifacts)
            if params.roles is None or a.role in params.roles]
    if len(arts) < params.min_artifacts:
        return Outcome.error(
            f"the card references {len(arts)} artifact(s) to check, at least "
            f"{params.min_artifacts} needed: insufficient evidence",
            locations=(ctx.card_location("artifacts"),))
    problems: list[tuple[str, str, str]] = []  # (field, subject, message)
    rows: list[Row] = []
    for i, a in arts:
        rows.append([a.name, a.role.value, a.path, a.sha256,
                     "pinned" if a.sha256 else "not pinned"])
        if not a.sha256:
            problems.append((f"artifacts[{i}]", a.name, f"artifact {a.name!r} has no sha256"))
    notes: list[str] = []
    kv_items: dict[str, Scalar] = {}
    training = card.data.training if card.data else None
    if params.check_training_digest and training is not None:
        claims: list[tuple[str, str]] = []
        if training.sha256:
            claims.append(("data.training.sha256", training.sha256))
        if card.lineage and card.lineage.training_data_sha256:
            claims.append(("lineage.training_data_sha256", card.lineage.training_data_sha256))
        if training.artifact is None:
            if claims:
                notes.append("data.training names no artifact; its digest was not recomputed")
        elif claims:
            index = next(i for i, a in enumerate(card.artifacts)
                         if a.name == training.artifact)
            art = card.artifacts[index]
            try:
                d = ctx.store.digest(art.path, field=f"artifacts[{index}].path",
                                     where=ctx.card.path)
            except ArtifactError as exc:
                raise EvidenceError(exc.message, path=exc.path, field=exc.field) from None
            ctx.store.record_input(f"artifact:{art.role.value}", d.path, d.sha256)
            kv_items["training artifact"] = art.name
            kv_items["recomputed sha256"] = d.sha256
            for field, claim in claims:
                kv_items[field] = claim
                if not digests_equal(claim, d.sha256):
                    problems.append((field, field, f"{field} does not match the recomputed "
                                     f"digest of artifact {art.name!r} ({art.path})"))
    table = TableEvidence(title="Artifact pinning",
                          columns=["artifact", "role", "path", "sha256", "state"], rows=rows)
    evidence: tuple[TableEvidence | KeyValueEvidence, ...] = (table,)
    if kv_items:
        evidence = (table, KeyValueEvidence(title="Training data digest", items=kv_items))
    locs: list[SourceLocation] = [ctx.card_location(f) for f, _, _ in problems]
    if problems:
        return Outcome.failed(
            f"{len(problems)} pinning problem(s): " + "; ".join(m for _, _, m in problems),
            observed=[s for _, s, _ in problems], expected="every artifact pinned by sha256",
            evidence=evidence, locations=tuple(locs), notes=tuple(notes),
            subjects=tuple(dict.fromkeys(s for _, s, _ in problems)))
    extra = (f"; the training data digest matches {kv_items['training artifact']}"
             if kv_items else "")
    return Outcome.passed(f"all {len(arts)} artifact(s) are pinned by sha256{extra}",
                          observed=len(arts), expected=len(arts), evidence=evidence,
                          notes=tuple(notes))


ARTIFACTS_PINNED = RuleKind(
    name="artifacts_pinned",
    family="versioning",
    summary="Every artifact (or every artifact of the given roles) declares a sha256, and the "
    "declared training-data digests match the training artifact.",
    params=PinnedParams,
    evaluate=evaluate_pinned,
)

KINDS: tuple[RuleKind[Any], ...] = (SEMVER, VERSION_BUMP, LINEAGE_REQUIRED, CHANGELOG_ENTRY,
                                    ARTIFACTS_PINNED)
