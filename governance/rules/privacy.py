"""Rule kinds of the privacy family: PII in datasets, sensitive inputs, k-anonymity, declarations.

Import-light: pandas is imported inside ``evaluate`` (through the table reader). Findings never
echo a raw value from a dataset: PII examples are masked (:func:`governance.pii.mask`) and
k-anonymity reports class sizes only.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from governance.card.enums import ArtifactRole
from governance.errors import EvidenceError
from governance.numfmt import pct, pct_pair
from governance.report import KeyValueEvidence, Scalar, SourceLocation, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.forbidden_features import ForbiddenFeaturesParams
from governance.rules.params.k_anonymity import KAnonymityParams
from governance.rules.params.privacy_declarations import PrivacyDeclarationsParams, parse_duration

if TYPE_CHECKING:
    pass

    from governance.card.model import Artifact

Row = list[Scalar]


# ---------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """``EmailAddress`` / ``e-mail address`` -> ``email_address`` / ``e_mail_address``."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", str(name))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(t for t in normalise_name(name).split("_") if t)


def _contains_tokens(column: str, attribute: str) -> bool:
    col, att = _tokens(column), _tokens(attribute)
    if not att:
        return False
    return any(col[i:i + len(att)] == att for i in range(len(col) - len(att) + 1))


def _select_artifacts(ctx: RuleContext, names: list[str] | None,
                      roles: list[ArtifactRole]) -> list[tuple[int, Artifact]]:
    """Named artifacts, or every artifact with one of ``roles`` (one per path)."""
    card = ctx.card.card
    if names is not None:
        out: list[tuple[int, Artifact]] = []
        for name in names:
            hits = [(i, a) for i, a in enumerate(card.artifacts) if a.name == name]
            if not hits:
                raise EvidenceError(f"the card has no artifact named {name!r}",
                                    path=ctx.card.path, field="artifacts")
            out.append(hits[0])
        return out
    seen: set[str] = set()
    out = []
    for i, a in enumerate(card.artifacts):
        if a.role in roles and a.path not in seen:
            seen.add(a.path)
            out.append((i, a))
    if not out:
        wanted = ", ".join(r.value for r in roles)
        raise EvidenceError(f"the card has no artifact with role {wanted}: insufficient evidence",
                            path=ctx.card.path, field="artifacts")
    return out


def _pct(x: float) -> str:
    return pct(x)


def _loc(ctx: RuleContext, field: str) -> SourceLocation:
    return ctx.card_location(field)


# ---------------------------------------------------------------------------------------------
# forbidden_features
# ---------------------------------------------------------------------------------------------

DEFAULT_FORBIDDEN: tuple[str, ...] = (
    "race", "ethnicity", "ethnic_origin", "skin_colour", "skin_color", "religion", "belief",
    "sex", "gender", "sexual_orientation", "disability", "pregnancy", "marital_status",
    "nationality", "national_origin", "citizenship", "political_opinion", "trade_union",
    "genetic", "biometric", "health",
)


def evaluate_forbidden_features(ctx: RuleContext,
                                params: ForbiddenFeaturesParams) -> Outcome:
    from governance.evidence.tables import read_table

    card = ctx.card.card
    attrs: dict[str, str] = {}  # attribute -> where it comes from
    for a in (DEFAULT_FORBIDDEN if params.attributes is None else params.attributes):
        attrs.setdefault(a, "default list" if params.attributes is None else "params")
    for a in params.extra_attributes:
        attrs.setdefault(a, "params")
    if params.include_card_sensitive_features:
        for sf in card.sensitive_features:
            attrs.setdefault(sf.column or sf.name, f"card sensitive feature {sf.name}")
            attrs.setdefault(sf.name, f"card sensitive feature {sf.name}")
    if not attrs:
        return Outcome.error("no sensitive attributes to check (none given and the card "
                             "declares none): insufficient evidence")
    allowed_by: dict[tuple[str, str | None], str] = {
        (normalise_name(a.column), a.artifact): a.reason for a in params.allow}
    rows: list[Row] = []
    bad: dict[str, str] = {}
    locs: list[SourceLocation] = []
    notes: list[str] = []
    n_features = 0
    arts = _select_artifacts(ctx, params.artifacts, [ArtifactRole.DATASET])
    for index, art in arts:
        cols = art.columns
        if cols is not None and cols.features is not None:
            features = list(cols.features)
            source = f"artifacts[{index}].columns.features"
        else:
            df = read_table(ctx, art, index)
            label = cols.label if cols is not None else None
            features = [str(c) for c in df.columns if str(c) != label]
            source = f"artifacts[{index}].path"
            notes.append(f"artifact {art.name!r} declares no columns.features; every column "
                         + (f"except the label {label!r} " if label else "")
                         + "is taken as a model input")
        n_features += len(features)
        for feature in features:
            hits = [a for a in attrs if _contains_tokens(feature, a)]
            if not hits:
                continue
            hit = hits[0]
            norm = normalise_name(feature)
            justification = allowed_by.get((norm, art.name), allowed_by.get((norm, None)))
            state = (f"allowed: {justification}" if justification is not None
                     else "sensitive attribute used as a model input")
            rows.append([art.name, feature, hit, attrs[hit], state])
            if justification is None:
                bad.setdefault(feature, f"{art.name}: {feature} ({attrs[hit]}: {hit})")
                locs.append(_loc(ctx, source))
    table = TableEvidence(title="Model input features matching sensitive attributes",
                          columns=["artifact", "feature", "attribute", "source", "state"],
                          rows=rows)
    kv = KeyValueEvidence(title="Checked", items={
        "artifacts": ", ".join(a.name for _, a in arts), "input features": n_features,
        "sensitive attributes": ", ".join(attrs)})
    if bad:
        return Outcome.failed(
            f"{len(bad)} sensitive attribute(s) used as model input features: "
            + ", ".join(bad.values()),
            observed=sorted(bad), expected="no sensitive attribute among the model inputs",
            evidence=(table, kv), locations=tuple(dict.fromkeys(locs)), notes=tuple(notes),
            subjects=tuple(sorted(bad)))
    return Outcome.passed(
        f"none of {n_features} input features of {len(arts)} artifact(s) is a sensitive "
        f"attribute ({len(attrs)} attributes checked"
        + (f", {len(rows)} allowed with justification" if rows else "") + ")",
        observed=[], expected="no sensitive attribute among the model inputs",
        evidence=(table, kv), notes=tuple(notes))


FORBIDDEN_FEATURES = RuleKind(
    name="forbidden_features",
    family="privacy",
    summary="Sensitive attributes (protected characteristics and the card's sensitive "
    "features) are not model input features, unless allowed with a justification.",
    params=ForbiddenFeaturesParams,
    evaluate=evaluate_forbidden_features,
)


# ---------------------------------------------------------------------------------------------
# k_anonymity
# ---------------------------------------------------------------------------------------------


def _training_artifact(ctx: RuleContext, name: str | None) -> tuple[int, Artifact]:
    from governance.evidence.tables import find_artifact

    card = ctx.card.card
    if name is None and card.data and card.data.training and card.data.training.artifact:
        name = card.data.training.artifact
    if name is not None:
        return find_artifact(ctx, name=name)
    return find_artifact(ctx, role=ArtifactRole.DATASET)


def evaluate_k_anonymity(ctx: RuleContext, params: KAnonymityParams) -> Outcome:
    import pandas as pd

    from governance.evidence.tables import read_table, require_columns

    card = ctx.card.card
    if params.quasi_identifiers is not None:
        qis = list(params.quasi_identifiers)
        qi_loc: SourceLocation | None = None
    else:
        qis = list(card.privacy.quasi_identifiers) if card.privacy else []
        qi_loc = _loc(ctx, "privacy.quasi_identifiers")
        if not qis:
            return Outcome.error(
                "no quasi-identifiers given and the card declares none "
                "(privacy.quasi_identifiers): insufficient evidence",
                locations=(_loc(ctx, "privacy"),))
    index, art = _training_artifact(ctx, params.artifact)
    df = read_table(ctx, art, index)
    stray = [c for c in params.generalize if c not in qis]
    if stray:
        raise EvidenceError(f"generalize names {', '.join(map(repr, stray))}, which is not "
                            "a quasi-identifier")
    require_columns(df, qis, art)
    keys = df[qis].copy()
    for col, width in params.generalize.items():
        numeric = pd.to_numeric(keys[col], errors="coerce")
        if numeric.notna().sum() != keys[col].notna().sum():
            raise EvidenceError(f"artifact {art.name!r}: quasi-identifier {col!r} is not "
                                "numeric; it cannot be generalised into bins")
        keys[col] = (numeric // width) * width
    sizes = keys.groupby(qis, dropna=False, sort=True).size()
    n = len(df)
    k = params.k
    smallest = int(sizes.min())
    below = sizes[sizes < k]
    records_below = int(below.sum())
    share = records_below / n
    counts = below.value_counts().sort_index()
    rows: list[Row] = [[int(size), int(c), int(size) * int(c)] for size, c in counts.items()]
    at_least = sizes[sizes >= k]
    rows.append([f">= {k}", len(at_least), int(at_least.sum())])
    table = TableEvidence(title="Equivalence classes by size (keys not shown)",
                          columns=["class size", "classes", "records"], rows=rows)
    kv = KeyValueEvidence(title="k-anonymity", items={
        "artifact": art.name, "records": n, "quasi-identifiers": ", ".join(qis), "k": k,
        "equivalence classes": len(sizes), "smallest class": smallest,
        "classes below k": len(below), "records in classes below k": records_below,
        "share of records below k": share,
        "allowed share below k": params.max_share_below_k})
    locs = (qi_loc,) if qi_loc is not None else ()
    where = f"k-anonymity (k={k}) over {len(qis)} quasi-identifier(s) ({', '.join(qis)})"
    # Exact values in the report; the message shows the share and its limit with digits
    # enough that they compare as the decision did (issue 12 item 5).
    observed = {"smallest_class": smallest, "share_below_k": share}
    expected = {"k": k, "max_share_below_k": params.max_share_below_k}
    shown, allowed = pct_pair(share, params.max_share_below_k)
    if share > params.max_share_below_k:
        return Outcome.failed(
            f"{where} not met: smallest class has {smallest} record(s); {len(below)} of "
            f"{len(sizes)} classes ({records_below} of {n} records, {shown}) are below k"
            + (f", over the allowed {allowed}" if params.max_share_below_k else ""),
            observed=observed, expected=expected, evidence=(kv, table), locations=locs)
    if below.empty:
        msg = f"{where} holds: smallest class has {smallest} records"
    else:
        msg = (f"{where} holds for all but {shown} of records ({records_below} of {n}), "
               f"within the allowed {allowed}; smallest class has {smallest} record(s)")
    return Outcome.passed(msg, observed=observed, expected=expected, evidence=(kv, table),
                          locations=locs)


K_ANONYMITY = RuleKind(
    name="k_anonymity",
    family="privacy",
    summary="Every combination of the quasi-identifiers occurs at least k times in the "
    "dataset (or only a bounded share of records is in smaller classes); sizes only.",
    params=KAnonymityParams,
    evaluate=evaluate_k_anonymity,
)


# ---------------------------------------------------------------------------------------------
# privacy_declarations
# ---------------------------------------------------------------------------------------------


# GDPR Art. 6(1)(a)-(f): the words and clause references that name each basis.
GDPR_BASES: dict[str, tuple[str, ...]] = {
    "consent": ("consent", "6(1)(a)"),
    "contract": ("contract", "6(1)(b)"),
    "legal_obligation": ("legal obligation", "6(1)(c)"),
    "vital_interests": ("vital interest", "6(1)(d)"),
    "public_task": ("public task", "public interest", "official authority", "6(1)(e)"),
    "legitimate_interests": ("legitimate interest", "6(1)(f)"),
}


def _bases_named(text: str) -> list[str]:
    flat = re.sub(r"\s+", "", text.lower())
    spaced = re.sub(r"\s+", " ", text.lower())
    return [b for b, words in GDPR_BASES.items()
            if any((w in flat) if w.startswith("6(") else (w in spaced) for w in words)]


def _filled(value: str | None) -> bool:
    return value is not None and bool(value.strip())


def _legal_basis_problems(p: Any, params: PrivacyDeclarationsParams,
                          items: dict[str, Scalar], problems: list[tuple[str, str]]
                          ) -> list[str]:
    """Check privacy.legal_basis; the GDPR bases it names."""
    bases: list[str] = []
    if params.require_legal_basis:
        items["legal_basis"] = p.legal_basis
        allowed = list(params.allowed_legal_bases or GDPR_BASES)
        if not _filled(p.legal_basis):
            problems.append(("privacy.legal_basis", "missing"))
        else:
            text = p.legal_basis or ""
            bases = _bases_named(text)
            extra_ok = any(w.lower() in text.lower() for w in params.extra_legal_bases)
            if not bases and not extra_ok:
                problems.append(("privacy.legal_basis", f"{text!r} names no recognised "
                                 "legal basis (GDPR Art. 6(1)(a)-(f))"))
            elif not extra_ok and any(b not in allowed for b in bases):
                bad = [b for b in bases if b not in allowed]
                problems.append(("privacy.legal_basis",
                                 f"{', '.join(bad)} is not an allowed legal basis "
                                 f"(allowed: {', '.join(allowed)})"))
            items["legal_basis_recognised"] = ", ".join(bases) or None
    return bases


def _retention_problems(p: Any, params: PrivacyDeclarationsParams,
                        items: dict[str, Scalar], problems: list[tuple[str, str]]) -> None:
    """Check privacy.retention_period against max_retention."""
    if params.require_retention:
        items["retention_period"] = p.retention_period
        if not _filled(p.retention_period):
            problems.append(("privacy.retention_period", "missing"))
        else:
            days = parse_duration(p.retention_period or "")
            if days is None:
                problems.append(("privacy.retention_period",
                                 f"{p.retention_period!r} is not a duration (use ISO "
                                 "8601 like P2Y or words like '24 months')"))
            else:
                items["retention_days"] = days  # exact: the value compared
                if params.max_retention is not None:
                    limit = parse_duration(params.max_retention) or 0.0
                    items["max_retention"] = params.max_retention
                    if days > limit + 1e-9:
                        problems.append(("privacy.retention_period",
                                         f"{p.retention_period} is longer than the "
                                         f"maximum {params.max_retention}"))


def evaluate_privacy_declarations(ctx: RuleContext,
                                  params: PrivacyDeclarationsParams) -> Outcome:
    card = ctx.card.card
    p = card.privacy
    if p is not None and p.contains_personal_data is False:
        return Outcome.passed("the card declares that the model processes no personal data",
                              observed={"contains_personal_data": False},
                              locations=(_loc(ctx, "privacy.contains_personal_data"),))
    problems: list[tuple[str, str]] = []
    items: dict[str, Scalar] = {}
    if p is None:
        problems.append(("privacy", "missing"))
    else:
        items["contains_personal_data"] = p.contains_personal_data
        if params.require_personal_data_flag and p.contains_personal_data is None:
            problems.append(("privacy.contains_personal_data", "missing"))
        bases = _legal_basis_problems(p, params, items, problems)
        _retention_problems(p, params, items, problems)
        need_consent = params.consent == "always" or (
            params.consent == "if_consent_basis" and "consent" in bases)
        if need_consent:
            items["consent"] = "filled in" if _filled(p.consent) else None
            if not _filled(p.consent):
                why = " (the legal basis is consent)" if params.consent != "always" else ""
                problems.append(("privacy.consent", "missing" + why))
        tier = card.model.risk_tier
        if params.dpia_for_tiers and (tier is None or tier in params.dpia_for_tiers):
            items["dpia"] = p.dpia
            if not _filled(p.dpia):
                why = (f"required for risk tier {tier.value}" if tier is not None
                       else "required because model.risk_tier is not declared")
                problems.append(("privacy.dpia", f"missing ({why})"))
    kv = KeyValueEvidence(title="Privacy declarations", items=items)
    if problems:
        return Outcome.failed(
            f"{len(problems)} privacy declaration(s) missing or invalid: "
            + "; ".join(f"{f}: {why}" for f, why in problems),
            observed=[f for f, _ in problems], expected="complete privacy declarations",
            evidence=(kv,), locations=tuple(_loc(ctx, f) for f, _ in problems),
            subjects=tuple(dict.fromkeys(f for f, _ in problems)))
    checked = [k for k in ("legal_basis", "retention_period", "consent", "dpia") if k in items]
    return Outcome.passed(
        f"privacy declarations complete ({', '.join(checked)})",
        observed=[], expected="complete privacy declarations", evidence=(kv,),
        locations=(_loc(ctx, "privacy"),))


PRIVACY_DECLARATIONS = RuleKind(
    name="privacy_declarations",
    family="privacy",
    summary="The card declares a recognised legal basis, a parseable (bounded) retention "
    "period, consent handling and, for high-risk tiers, a DPIA.",
    params=PrivacyDeclarationsParams,
    evaluate=evaluate_privacy_declarations,
)

KINDS: tuple[RuleKind[Any], ...] = (FORBIDDEN_FEATURES, K_ANONYMITY,
                                    PRIVACY_DECLARATIONS)
