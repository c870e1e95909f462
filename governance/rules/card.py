"""Rule kinds about the model card itself: required fields and declared metric thresholds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.numfmt import num_texts, sig_len
from governance.report import KeyValueEvidence, SourceLocation, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.card_fields import CardFieldsParams
from governance.rules.params.metric_threshold import DeclaredMetricParams

if TYPE_CHECKING:
    from governance.card.model import DeclaredMetric


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict | tuple | set):
        return len(value) == 0
    return False


def evaluate_card_fields(ctx: RuleContext, params: CardFieldsParams) -> Outcome:
    missing: list[str] = []
    empty: list[str] = []
    for field in params.fields:
        found, value = ctx.card.lookup(field)
        if not found:
            missing.append(field)
        elif not params.allow_empty and _is_empty(value):
            empty.append(field)
    rows: list[list[str | int | float | bool | None]] = [
        [f, "missing" if f in missing else "empty" if f in empty else "present"]
        for f in params.fields
    ]
    table = TableEvidence(title="Required card fields", columns=["field", "state"], rows=rows)
    bad = missing + empty
    if not bad:
        return Outcome.passed(f"all {len(params.fields)} required card fields are filled in",
                              observed=len(params.fields), expected=len(params.fields),
                              evidence=(table,))
    parts = []
    if missing:
        parts.append("missing: " + ", ".join(missing))
    if empty:
        parts.append("empty: " + ", ".join(empty))
    locs: list[SourceLocation] = []
    for f in bad:
        # Point at the deepest existing ancestor of each bad field.
        locs.append(ctx.card_location(f))
    return Outcome.failed(
        f"{len(bad)} of {len(params.fields)} required card fields not filled in ("
        + "; ".join(parts) + ")",
        observed=sorted(bad), expected="present and non-empty", evidence=(table,),
        locations=tuple(locs), subjects=tuple(bad),
    )


CARD_FIELDS = RuleKind(
    name="card_fields",
    family="documentation",
    summary="Required model-card fields are present and non-empty (dotted paths).",
    params=CardFieldsParams,
    evaluate=evaluate_card_fields,
)


def select_declared(metrics: list[DeclaredMetric], params: DeclaredMetricParams
                    ) -> list[tuple[int, DeclaredMetric]]:
    """Declared metrics matching the rule: same name; average and slice equal (unset means
    none); dataset and split equal when the rule gives them."""
    return [
        (i, m) for i, m in enumerate(metrics)
        if m.name == params.metric
        and m.average == params.average
        and m.slice == params.slice
        and (params.dataset is None or m.dataset == params.dataset)
        and (params.split is None or m.split == params.split)
    ]


def _not_found(metrics: list[DeclaredMetric], params: DeclaredMetricParams, where: str) -> str:
    same = [m for m in metrics if m.name == params.metric]
    if not same:
        return f"the card declares no metric {where}: insufficient evidence"
    have = "; ".join(m.identity() for m in same[:10])
    return (f"the card declares no metric {where} (it declares: {have}); set average, "
            "dataset, split or slice to choose one: insufficient evidence")


def evaluate_declared_metric(ctx: RuleContext, params: DeclaredMetricParams) -> Outcome:
    metrics = ctx.card.card.metrics
    matches = select_declared(metrics, params)
    expected = {k: v for k, v in (("min", params.min), ("max", params.max)) if v is not None}
    where = params.metric + "".join(
        f" ({label} {value})" for label, value in (
            ("average", params.average), ("dataset", params.dataset),
            ("split", params.split), ("slice", params.slice)) if value)
    if not matches:
        return Outcome.error(_not_found(metrics, params, where), expected=expected,
                             locations=(ctx.card_location("metrics"),))
    if len(matches) > 1:
        listed = "; ".join(m.identity() for _, m in matches[:10])
        return Outcome.error(
            f"the card declares {where} {len(matches)} times ({listed}); give average/"
            "dataset/split/slice to choose one",
            expected=expected,
            locations=tuple(ctx.card_location(f"metrics[{i}]") for i, _ in matches),
        )
    i, metric = matches[0]
    value = metric.value
    loc = ctx.card_location(f"metrics[{i}].value")
    kv = KeyValueEvidence(title="Declared metric", items={
        "metric": metric.name, "value": value, "average": metric.average,
        "dataset": metric.dataset, "split": metric.split, "slice": metric.slice,
        "min": params.min, "max": params.max, "source": "declared in the model card"})
    problems = []
    # Digits enough that the shown value and bounds compare as the decision did.
    bounds = [b for b in (params.min, params.max) if b is not None]
    (shown,), bound_texts = num_texts([value], bounds, max(4, sig_len(value)))
    text = dict(zip(bounds, bound_texts, strict=True))
    if params.min is not None and value < params.min:
        problems.append(f"below the minimum {text[params.min]}")
    if params.max is not None and value > params.max:
        problems.append(f"above the maximum {text[params.max]}")
    if problems:
        return Outcome.failed(f"declared {where} = {shown} is " + " and ".join(problems),
                              observed=value, expected=expected, evidence=(kv,),
                              locations=(loc,))
    return Outcome.passed(f"declared {where} = {shown} is within bounds", observed=value,
                          expected=expected, evidence=(kv,), locations=(loc,),
                          notes=("Self-reported by the card; use a recomputed metric rule for "
                                 "evidence from the artifacts.",))


METRIC_THRESHOLD = RuleKind(
    name="metric_threshold",
    family="performance",
    summary="A metric declared in the model card lies within [min, max].",
    params=DeclaredMetricParams,
    evaluate=evaluate_declared_metric,
)

KINDS: tuple[RuleKind[Any], ...] = (CARD_FIELDS, METRIC_THRESHOLD)
