"""The card's own statements about the model, copied into the report for people to read.

The HTML/PDF report shows them near the front ("What the model is"), so a reader sees the
intended use, out-of-scope uses, limitations, risk tier, owners, data and sensitive features
next to the evidence, not only whether those card fields were present. Text is copied as the
card states it (reporters escape it); lists and strings are capped so a huge card cannot
inflate the report.
"""

from __future__ import annotations

from governance.card.model import DatasetRef, ModelCard
from governance.report import CardSummary, DatasetSummary, OwnerSummary

MAX_ITEMS = 50
MAX_TEXT = 2000


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        return None
    return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"


def _texts(values: list[str]) -> list[str]:
    out = [t for t in (_text(v) for v in values[:MAX_ITEMS]) if t]
    return out


def _dataset(ref: DatasetRef | None) -> DatasetSummary | None:
    if ref is None:
        return None
    return DatasetSummary(name=_text(ref.name) or ref.name, source=_text(ref.source),
                          license=_text(ref.license), rows=ref.rows,
                          description=_text(ref.description))


def card_summary(card: ModelCard) -> CardSummary:
    m = card.model
    use = card.intended_use
    sensitive: list[str] = [s.name for s in card.sensitive_features]
    if card.evaluation is not None:
        sensitive += card.evaluation.sensitive_features_evaluated
    for a in card.artifacts:
        if a.columns is not None:
            sensitive += a.columns.sensitive_features
    return CardSummary(
        description=_text(m.description),
        task=m.task.value,
        algorithm=_text(m.algorithm),
        risk_tier=m.risk_tier.value if m.risk_tier is not None else None,
        license=_text(m.license),
        owners=[OwnerSummary(name=_text(o.name) or o.name, role=_text(o.role),
                             email=_text(o.email)) for o in m.owners[:MAX_ITEMS]],
        primary_uses=_texts(use.primary_uses) if use else [],
        primary_users=_texts(use.primary_users) if use else [],
        out_of_scope=_texts(use.out_of_scope) if use else [],
        limitations=_texts(use.limitations) if use else [],
        training_data=_dataset(card.data.training) if card.data else None,
        evaluation_data=_dataset(card.data.evaluation) if card.data else None,
        sensitive_features=_texts(list(dict.fromkeys(sensitive))),
    )
