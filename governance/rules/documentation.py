"""Rule kinds of the documentation family: explainability artifact, intended use, evaluation
coverage of the sensitive features.

Import-light: pandas is imported inside ``evaluate`` (through the table reader).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.card.enums import ArtifactRole
from governance.errors import ArtifactError, EvidenceError
from governance.report import KeyValueEvidence, Scalar, SourceLocation, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.evaluation_coverage import CoverageParams
from governance.rules.params.explainability_artifact import ExplainabilityParams
from governance.rules.params.intended_use import IntendedUseParams

if TYPE_CHECKING:
    from governance.card.model import Artifact

Row = list[Scalar]

# ---------------------------------------------------------------------------------------------
# explainability_artifact
# ---------------------------------------------------------------------------------------------


def _is_table(art: Artifact) -> bool:
    from governance.evidence.tables import table_format

    if art.format in ("binary", "other", "json"):
        return False
    try:
        table_format(art)
    except EvidenceError:
        return False
    return True


def evaluate_explainability(ctx: RuleContext, params: ExplainabilityParams) -> Outcome:
    card = ctx.card.card
    tier = card.model.risk_tier
    tiers = ", ".join(t.value for t in params.risk_tiers)
    if tier is None and not params.required_when_tier_unknown:
        return Outcome.skipped("model.risk_tier is not declared; an explainability artifact "
                               f"is only required for risk tier(s) {tiers}")
    if tier is not None and tier not in params.risk_tiers:
        return Outcome.skipped(f"an explainability artifact is not required for risk tier "
                               f"{tier.value} (required for: {tiers})",
                               locations=(ctx.card_location("model.risk_tier"),))
    why = (f"risk tier {tier.value}" if tier is not None else "risk tier not declared")
    ex = card.explainability
    problems: list[tuple[str, str]] = []
    if ex is None:
        return Outcome.failed(f"the card has no explainability section (required for {why})",
                              expected="explainability.method and explainability.artifact",
                              locations=(ctx.card_location("model.risk_tier"),),
                              subjects=("explainability",))
    if params.require_method and not (ex.method or "").strip():
        problems.append(("explainability.method", "missing"))
    if params.require_summary and not (ex.summary or "").strip():
        problems.append(("explainability.summary", "missing"))
    items: dict[str, Scalar] = {"risk tier": tier.value if tier else None,
                                "method": ex.method, "artifact": ex.artifact}
    if ex.artifact is None:
        problems.append(("explainability.artifact", "missing"))
    else:
        index, art = next((i, a) for i, a in enumerate(card.artifacts) if a.name == ex.artifact)
        items["path"] = art.path
        if art.role is not ArtifactRole.EXPLAINABILITY:
            items["role"] = art.role.value
        if _is_table(art):
            from governance.evidence.tables import read_table

            df = read_table(ctx, art, index)
            items["rows"] = len(df)
            from governance.textsafe import names

            items["columns"] = names(df.columns)  # at most 20 names of 40 characters
            if len(df) < params.min_rows:
                problems.append((f"artifacts[{index}].path", f"artifact {art.name!r} has "
                                 f"{len(df)} row(s), at least {params.min_rows} needed"))
            missing = [c for c in params.required_columns if c not in df.columns]
            if missing:
                problems.append((f"artifacts[{index}].path", f"artifact {art.name!r} has no "
                                 f"column(s) {', '.join(missing)}"))
        else:
            try:
                d = ctx.store.digest(art.path, field=f"artifacts[{index}].path",
                                     where=ctx.card.path)
            except ArtifactError as exc:
                raise EvidenceError(exc.message, path=exc.path, field=exc.field) from None
            ctx.store.record_input(f"artifact:{art.role.value}", d.path, d.sha256)
            items["bytes"] = d.size
            if d.size == 0:
                problems.append((f"artifacts[{index}].path",
                                 f"artifact {art.name!r} ({art.path}) is empty"))
    kv = KeyValueEvidence(title="Explainability", items=items)
    if problems:
        return Outcome.failed(
            f"explainability documentation incomplete (required for {why}): "
            + "; ".join(f"{f}: {m}" for f, m in problems),
            observed=[f for f, _ in problems], expected="a readable, non-empty explainability "
            "artifact and its method", evidence=(kv,),
            locations=tuple(ctx.card_location(f) for f, _ in problems),
            subjects=tuple(dict.fromkeys(f for f, _ in problems)))
    art_name = ex.artifact
    shape = (f"{items['rows']} rows" if "rows" in items else f"{items.get('bytes')} bytes")
    return Outcome.passed(
        f"explainability artifact {art_name!r} ({items['path']}) is present with {shape} "
        f"(required for {why})", observed=shape, evidence=(kv,),
        locations=(ctx.card_location("explainability.artifact"),))


EXPLAINABILITY_ARTIFACT = RuleKind(
    name="explainability_artifact",
    family="documentation",
    summary="For the given risk tiers, the card names an explainability method and an "
    "artifact (feature importances, SHAP summary) that is readable and non-empty.",
    params=ExplainabilityParams,
    evaluate=evaluate_explainability,
)


# ---------------------------------------------------------------------------------------------
# intended_use
# ---------------------------------------------------------------------------------------------


def evaluate_intended_use(ctx: RuleContext, params: IntendedUseParams) -> Outcome:
    iu = ctx.card.card.intended_use
    wanted = (("primary_uses", params.min_primary_uses),
              ("primary_users", params.min_primary_users),
              ("out_of_scope", params.min_out_of_scope),
              ("limitations", params.min_limitations))
    rows: list[Row] = []
    problems: list[tuple[str, str]] = []
    for name, minimum in wanted:
        entries: list[str] = list(getattr(iu, name)) if iu is not None else []
        good = [e for e in entries if len(e.strip()) >= params.min_chars]
        short = len(entries) - len(good)
        rows.append([f"intended_use.{name}", len(good), short, minimum])
        if len(good) < minimum:
            extra = (f" ({short} shorter than {params.min_chars} characters not counted)"
                     if short else "")
            problems.append((f"intended_use.{name}", f"has {len(good)} entr"
                             f"{'y' if len(good) == 1 else 'ies'}, at least {minimum} "
                             f"needed{extra}"))
    table = TableEvidence(title="Intended use",
                          columns=["field", "entries", "too short", "minimum"], rows=rows)
    if problems:
        locs = tuple(ctx.card_location(f if iu is not None else "intended_use")
                     for f, _ in problems)
        return Outcome.failed(
            "intended use incomplete: " + "; ".join(f"{f} {m}" for f, m in problems),
            observed=[f for f, _ in problems], expected="intended use documented",
            evidence=(table,), locations=tuple(dict.fromkeys(locs)),
            subjects=tuple(f for f, _ in problems))
    counts = ", ".join(f"{r[1]} {str(r[0]).split('.')[1].replace('_', ' ')}" for r in rows)
    return Outcome.passed(f"intended use documented ({counts})", observed=[],
                          expected="intended use documented", evidence=(table,),
                          locations=(ctx.card_location("intended_use"),))


INTENDED_USE = RuleKind(
    name="intended_use",
    family="documentation",
    summary="Primary uses, out-of-scope uses and limitations are filled in (minimum counts of "
    "entries that are not too short).",
    params=IntendedUseParams,
    evaluate=evaluate_intended_use,
)


# ---------------------------------------------------------------------------------------------
# evaluation_coverage
# ---------------------------------------------------------------------------------------------


def _predictions_artifact(ctx: RuleContext, name: str | None) -> tuple[int, Artifact]:
    from governance.evidence.tables import find_artifact

    if name is not None:
        return find_artifact(ctx, name=name)
    arts = list(enumerate(ctx.card.card.artifacts))
    test = [(i, a) for i, a in arts if a.role is ArtifactRole.PREDICTIONS and a.split == "test"]
    if len(test) == 1:
        return test[0]
    return find_artifact(ctx, role=ArtifactRole.PREDICTIONS)


def evaluate_coverage(ctx: RuleContext, params: CoverageParams) -> Outcome:
    card = ctx.card.card
    features = card.sensitive_features
    if not features:
        if params.require_sensitive_features:
            return Outcome.failed("the card declares no sensitive features to evaluate",
                                  expected="sensitive_features declared",
                                  locations=(ctx.card_location("sensitive_features"),),
                                  subjects=("sensitive_features",))
        return Outcome.passed("the card declares no sensitive features", observed=[])
    evaluated = set(card.evaluation.sensitive_features_evaluated if card.evaluation else [])
    by_card = {sf.name: (sf.name in evaluated or (sf.column or sf.name) in evaluated)
               for sf in features}
    use_preds = params.source in ("predictions", "both") or (
        params.source == "either" and not all(by_card.values()))
    groups: dict[str, int | None] = {}
    art_name: str | None = None
    if use_preds:
        from governance.evidence.tables import read_table

        index, art = _predictions_artifact(ctx, params.artifact)
        art_name = art.name
        df = read_table(ctx, art, index)
        for sf in features:
            col = sf.column or sf.name
            groups[sf.name] = int(df[col].nunique(dropna=True)) if col in df.columns else None
    rows: list[Row] = []
    uncovered: list[str] = []
    details: list[str] = []
    for sf in features:
        in_card = by_card[sf.name]
        n = groups.get(sf.name)
        in_preds = n is not None and n >= params.min_groups
        covered = {"card": in_card, "predictions": in_preds, "either": in_card or in_preds,
                   "both": in_card and in_preds}[params.source]
        rows.append([sf.name, sf.column or sf.name, in_card, n if use_preds else None,
                     in_preds if use_preds else None, covered])
        if not covered:
            uncovered.append(sf.name)
            why: list[str] = []
            if params.source != "predictions" and not in_card:
                why.append("not in evaluation.sensitive_features_evaluated")
            if use_preds and not in_preds and params.source != "card":
                col = sf.column or sf.name
                why.append(f"no column {col!r} in {art_name}" if n is None else
                           f"column {col!r} in {art_name} has {n} group(s), at least "
                           f"{params.min_groups} needed")
            details.append(f"{sf.name} ({'; '.join(why)})")
    table = TableEvidence(title="Evaluation coverage of the sensitive features",
                          columns=["feature", "column", "in card evaluation",
                                   "groups in predictions", "in predictions", "covered"],
                          rows=rows)
    locs: list[SourceLocation] = []
    if uncovered:
        locs.append(ctx.card_location("evaluation.sensitive_features_evaluated"
                                      if card.evaluation else "sensitive_features"))
        return Outcome.failed(
            f"{len(uncovered)} of {len(features)} sensitive feature(s) not covered by the "
            "evaluation: " + ", ".join(details),
            observed=uncovered, expected="every sensitive feature evaluated",
            evidence=(table,), locations=tuple(locs), subjects=tuple(uncovered))
    how = {"card": "the card's evaluation", "predictions": f"the predictions ({art_name})",
           "both": f"the card's evaluation and the predictions ({art_name})",
           "either": "the card's evaluation" + (f" or the predictions ({art_name})"
                                                 if use_preds else "")}[params.source]
    return Outcome.passed(
        f"all {len(features)} sensitive feature(s) are covered by {how}",
        observed=[], expected="every sensitive feature evaluated", evidence=(table,))


EVALUATION_COVERAGE = RuleKind(
    name="evaluation_coverage",
    family="documentation",
    summary="Every declared sensitive feature is covered by the evaluation (listed in the "
    "card's evaluation and/or present with several groups in the predictions).",
    params=CoverageParams,
    evaluate=evaluate_coverage,
)

KINDS: tuple[RuleKind[Any], ...] = (EXPLAINABILITY_ARTIFACT, INTENDED_USE, EVALUATION_COVERAGE)
