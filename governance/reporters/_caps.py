"""Cap the text a report carries before a human-readable format renders it.

A policy can hold a 4 MB remediation text and a card a 4 MB description; laid out in a PDF
that is thousands of pages and minutes of CPU. Every string in the report is cut to
:data:`MAX_TEXT_CHARS` characters with a visible "… (truncated)" before the text, Markdown,
SARIF, JUnit, HTML and PDF reporters see it. The canonical JSON report keeps the full text.
"""

from __future__ import annotations

from typing import Any

from governance.report import Report
from governance.textsafe import TRUNCATED, cap

MAX_TEXT_CHARS = 20_000


def _walk(value: Any) -> tuple[Any, bool]:
    if isinstance(value, str):
        return (cap(value, MAX_TEXT_CHARS), True) if len(value) > MAX_TEXT_CHARS else (
            value, False)
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for k, v in value.items():
            out[k], c = _walk(v)
            changed = changed or c
        return out, changed
    if isinstance(value, list):
        items = [_walk(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    return value, False


def capped(report: Report) -> Report:
    """``report`` with every string longer than MAX_TEXT_CHARS cut (same object if none)."""
    data, changed = _walk(report.model_dump(mode="json"))
    if not changed:
        return report
    return Report.model_validate(data)


__all__ = ["MAX_TEXT_CHARS", "TRUNCATED", "capped"]
