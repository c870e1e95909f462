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
    from governance.rules.params.feature_scaling import FeatureScalingParams

_NEGATION_WORD = r"\b(?:no|not|without|never|un)\b"


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
    import bisect

    low = entry.lower()
    # A mention is negated when a negation word precedes it in the same clause (no '.' or
    # ';' in between): the same test as searching ``NEGATION_WORD [^.;]*$`` in the text
    # before it, computed from sorted positions so that a long hostile entry stays linear
    # (that search, once per mention, was cubic on "no standardised no standardised ...").
    clause_starts = [0] + [m.end() for m in re.finditer(r"[.;]", low)]
    negations = [m.start() for m in re.finditer(_NEGATION_WORD, low)]
    for term in terms:
        if not term.strip():
            continue
        pat = _term_pattern(term)
        for m in re.finditer(pat, low):
            clause = clause_starts[bisect.bisect_right(clause_starts, m.start()) - 1]
            i = bisect.bisect_left(negations, clause)
            if i < len(negations) and negations[i] < m.start():
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
