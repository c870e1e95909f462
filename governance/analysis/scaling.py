"""The ``feature_scaling`` rule: a scale-sensitive algorithm named in the card's
``model.algorithm`` needs feature scaling declared in ``data.preprocessing``.

Reads only the card (no data), so it imports nothing heavy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from governance.report import KeyValueEvidence
from governance.rules.base import Outcome, RuleContext

if TYPE_CHECKING:
    from governance.rules.data_quality import FeatureScalingParams

_NEGATION = r"\b(?:no|not|without|never|un)\b[^.;]*"


def _term_pattern(term: str) -> str:
    """A term matched at the start of a word (so 'standardi' matches 'standardised')."""
    return r"(?<![a-z0-9])" + re.escape(term.strip().lower())


def matching_term(text: str, terms: list[str]) -> str | None:
    low = text.lower()
    for term in terms:
        if term.strip() and re.search(_term_pattern(term), low):
            return term
    return None


def declares_scaling(entry: str, terms: list[str]) -> str | None:
    """The scaling term an entry of ``data.preprocessing`` declares, ignoring negated mentions
    such as 'features are not scaled'."""
    low = entry.lower()
    for term in terms:
        if not term.strip():
            continue
        pat = _term_pattern(term)
        for m in re.finditer(pat, low):
            before = low[: m.start()]
            if re.search(_NEGATION + r"$", before):
                continue
            return term
    return None


def check_feature_scaling(ctx: RuleContext, p: FeatureScalingParams) -> Outcome:
    card = ctx.card.card
    algorithm = (card.model.algorithm or "").strip()
    if not algorithm:
        return Outcome.error(
            "the card does not name the algorithm (model.algorithm), so the need for feature "
            "scaling cannot be judged: insufficient evidence",
            expected="model.algorithm filled in", locations=(ctx.card_location("model"),))
    algo_loc = ctx.card_location("model.algorithm")
    sensitive = matching_term(algorithm, p.sensitive_algorithms)
    steps = list(card.data.preprocessing) if card.data is not None else []
    declared: tuple[int, str, str] | None = None
    for i, step in enumerate(steps):
        term = declares_scaling(step, p.scaling_terms)
        if term is not None:
            declared = (i, step, term)
            break
    kv = KeyValueEvidence(title="Feature scaling", items={
        "model.algorithm": algorithm,
        "scale-sensitive term matched": sensitive,
        "preprocessing steps declared": len(steps),
        "scaling declared in": None if declared is None else f"data.preprocessing[{declared[0]}]",
        "scaling term matched": None if declared is None else declared[2]})
    if sensitive is None:
        return Outcome.passed(
            f"model.algorithm {algorithm!r} is not a scale-sensitive algorithm; feature "
            "scaling is not required", observed={"scale_sensitive": False},
            expected="scaling declared for scale-sensitive algorithms", evidence=(kv,),
            locations=(algo_loc,))
    if declared is not None:
        return Outcome.passed(
            f"model.algorithm {algorithm!r} is scale-sensitive (matched {sensitive!r}) and "
            f"data.preprocessing[{declared[0]}] declares scaling (matched {declared[2]!r})",
            observed={"scale_sensitive": True, "scaling_declared": True},
            expected="scaling declared", evidence=(kv,),
            locations=(algo_loc, ctx.card_location(f"data.preprocessing[{declared[0]}]")))
    where = ctx.card_location("data.preprocessing" if steps else
                              "data" if card.data is not None else "model")
    return Outcome.failed(
        f"model.algorithm {algorithm!r} is scale-sensitive (matched {sensitive!r}) but "
        "data.preprocessing declares no feature scaling, standardisation or normalisation",
        observed={"scale_sensitive": True, "scaling_declared": False},
        expected="scaling declared", evidence=(kv,), locations=(algo_loc, where),
        subjects=("model.algorithm",))
