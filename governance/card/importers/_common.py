"""Shared pieces of the card importers: metric values, notes, and the final validated card."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from governance.card.model import ModelCard
from governance.errors import CardError
from governance.validation import validate_doc
from governance.yamlio import parse_yaml

_NUM = r"[-+\u2212]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_VALUE = re.compile(
    rf"^\(?\s*(?P<v>{_NUM})\s*(?P<p1>%?)\s*"
    rf"(?:(?:\u00b1|\+/-|\+-)\s*(?P<e>{_NUM})\s*(?P<p2>%?))?\s*\)?\s*(?P<p3>%?)$")
_MISSING = {"", "n/a", "na", "none", "null", "-", "--", "\u2014", "tbd", "todo", "nan",
            "unknown", "?"}

# Fields a policy usually needs; listed as "could not fill" when the import leaves them empty.
IMPORTANT_FIELDS = (
    "model.version", "model.task", "model.owners", "model.license",
    "intended_use.primary_uses", "intended_use.out_of_scope", "intended_use.limitations",
    "data.training", "data.evaluation", "artifacts", "sensitive_features", "metrics",
    "privacy", "lineage",
)


@dataclass(frozen=True)
class MetricValue:
    value: float
    ci_lower: float | None = None
    ci_upper: float | None = None
    percent: bool = False


def _dec(text: str) -> Decimal:
    return Decimal(text.replace("\u2212", "-"))


def parse_metric_value(raw: Any) -> MetricValue | str:
    """A metric value as found in a card: ``0.91``, ``"91.2%"``, ``"20.0 ± 1.2"``,
    ``"-147.07 +/- 80.80"``. Returns the parsed value or the reason it was skipped."""
    if isinstance(raw, bool):
        return f"value {raw!r} is not a number"
    if isinstance(raw, int | float):
        f = float(raw)
        if f != f or f in (float("inf"), float("-inf")):
            return f"value {raw!r} is not a finite number"
        return MetricValue(f)
    if not isinstance(raw, str):
        return f"value of type {type(raw).__name__} is not a number"
    text = raw.strip()
    if text.lower() in _MISSING:
        return f"value {raw!r} is not available"
    m = _VALUE.match(text)
    if not m:
        return f"value {raw!r} is not a number"
    try:
        value = _dec(m["v"])
        err = _dec(m["e"]) if m["e"] else None
    except InvalidOperation:  # pragma: no cover - the regex only admits valid numbers
        return f"value {raw!r} is not a number"
    percent = bool(m["p1"] or m["p2"] or m["p3"])
    if percent:
        value /= 100
        err = err / 100 if err is not None else None
    if err is None:
        return MetricValue(float(value), percent=percent)
    err = abs(err)
    return MetricValue(float(value), float(value - err), float(value + err), percent)


def as_text(raw: Any) -> str | None:
    """A non-empty string (numbers are turned into text), else None."""
    if isinstance(raw, bool) or raw is None:
        return None
    if isinstance(raw, int | float):
        return str(raw)
    if isinstance(raw, str) and raw.strip():
        return raw.strip()
    return None


@dataclass
class Draft:
    """An imported card being assembled, with what the importer did and could not do."""

    source_format: str
    source_path: str
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def section(self, name: str) -> dict[str, Any]:
        sec = self.data.setdefault(name, {})
        assert isinstance(sec, dict)
        return sec


@dataclass(frozen=True)
class ImportResult:
    """An imported card: our card format as YAML text, plus what needs a human."""

    yaml_text: str
    data: dict[str, Any]
    notes: tuple[str, ...]
    unfilled: tuple[str, ...]


def _lookup(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _prune(value: Any) -> Any:
    """Drop empty strings, lists and mappings (so the card only says what the source said)."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [_prune(v) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def finish(draft: Draft, *, defaulted: set[str]) -> ImportResult:
    """Order, prune, annotate and validate the draft; raise CardError if it does not validate."""
    from governance.card.importers._emit import dump_yaml

    data = _prune(draft.data)
    order = ["apiVersion", "kind", "model", "intended_use", "data", "artifacts",
             "sensitive_features", "metrics", "evaluation", "privacy", "lineage",
             "explainability", "ethical_considerations", "extensions"]
    card: dict[str, Any] = {"apiVersion": "governance/v1", "kind": "ModelCard"}
    card.update({k: data[k] for k in order if k in data and k not in card})
    unfilled = [f for f in IMPORTANT_FIELDS
                if f in defaulted or _lookup(card, f) in (None, "", [], {})]
    ext: dict[str, Any] = dict(card.get("extensions") or {})
    ext["imported"] = {"from": draft.source_format, "file": draft.source_path,
                       "unfilled": list(unfilled), "notes": list(draft.notes)}
    card["extensions"] = ext
    header = [f"Imported from {draft.source_format} by `governance card import` "
              f"from {draft.source_path}.",
              "Review every field: the importer copies claims, it does not check them."]
    if unfilled:
        header.append("Could not fill (fill in by hand): " + ", ".join(unfilled))
    header.extend(f"note: {n}" for n in draft.notes)
    text = dump_yaml(card, header)
    doc = parse_yaml(text, f"{draft.source_path} (imported)")
    if doc.data != card:  # pragma: no cover - guards the emitter
        raise CardError("internal: the imported card does not read back identically",
                        path=draft.source_path)
    validate_doc(ModelCard, doc.data, doc, error_type=CardError)
    return ImportResult(yaml_text=text, data=card, notes=tuple(draft.notes),
                        unfilled=tuple(unfilled))
