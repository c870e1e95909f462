"""Expected/observed values and table cells for people (part of the view of a report,
:mod:`governance.reporters._view`): a sentence, key-value rows or a table, with numbers
rounded for reading (the JSON report keeps them exact)."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    digest: bool = False


@dataclass(frozen=True)
class FactView:
    """An expected/observed value for people: a sentence, key-value rows or a table."""

    kind: str  # text | kv | table
    text: str = ""
    rows: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()
    cells: tuple[tuple[Cell, ...], ...] = ()


_HEX_DIGEST = re.compile(r"^(sha256:)?[0-9a-f]{40,128}$")


def is_digest(v: object) -> bool:
    return isinstance(v, str) and bool(_HEX_DIGEST.match(v))


def is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _scalar(v: object) -> bool:
    return v is None or isinstance(v, str | bool | int | float)


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def human_key(key: str) -> str:
    """``relative_tolerance`` -> ``relative tolerance`` (keys as words, not identifiers); a key
    that is data (a group such as ``age_group=<25``) stays as it is."""
    return key.replace("_", " ") if _IDENTIFIER.match(key) else key


def _flat_text(value: object, digits: int = 4) -> str | None:
    """A scalar, a list of scalars or a dict of scalars as one line; None if nothing to say."""
    from governance.reporters._jinja import fmt_value

    if value is None:
        return None
    if isinstance(value, dict):
        parts = [f"{human_key(k)} {_flat_text(v, digits)}" for k, v in sorted(value.items())
                 if v is not None and _flat_text(v, digits) is not None]
        return ", ".join(parts) if parts else None
    if isinstance(value, list):
        if not value:
            return "none"
        if all(_scalar(v) for v in value):
            return ", ".join(fmt_value(v, digits) for v in value if v is not None)
        return fmt_value(value, digits)
    return fmt_value(value, digits)


def _table(rows: list[dict[str, object]], first: str | None = None, digits: int = 4
           ) -> FactView:
    names = sorted({k for row in rows for k in row if k != first})
    numeric = {k: all(is_number(r.get(k)) or r.get(k) is None for r in rows)
               and any(is_number(r.get(k)) for r in rows) for k in [*names, first] if k}
    # Sorted (the canonical JSON sorts keys, so a re-rendered report reads the same), words
    # before numbers: the row's identity first, then its values.
    keys = ([first] if first else []) + sorted(names, key=lambda k: (numeric[k], k))
    cells = tuple(tuple(Cell(_flat_text(r.get(k), digits) or "—", numeric[k],
                             is_digest(r.get(k))) for k in keys) for r in rows)
    return FactView("table", columns=tuple(human_key(k) for k in keys), cells=cells)


def fact_view(value: object, digits: int = 4) -> FactView | None:
    """Expected/observed JSON as a sentence, key-value rows or a table; None when absent.

    Keys without a value (``None``) are left out rather than shown as a placeholder; nested
    per-item values become table rows; numbers are rounded for reading (the JSON report keeps
    them exact)."""
    if value is None:
        return None
    if isinstance(value, list) and value and all(
            isinstance(v, dict) and all(_scalar(x) for x in v.values()) for v in value):
        return _table([dict(v) for v in value], digits=digits)
    if isinstance(value, dict):
        present = {k: v for k, v in value.items() if v is not None}
        if not present:
            return None
        if len(present) > 1 and all(isinstance(v, dict) and all(_scalar(x) for x in v.values())
                                    for v in present.values()):
            return _table([{"item": k, **v} for k, v in sorted(present.items())], first="item",
                          digits=digits)
        rows = tuple((human_key(k), _flat_text(v, digits) or "—")
                     for k, v in sorted(present.items()))
        if len(rows) == 1:
            return FactView("text", text=f"{rows[0][0]}: {rows[0][1]}")
        return FactView("kv", rows=rows)
    text = _flat_text(value, digits)
    return FactView("text", text=text) if text is not None else None
