"""Evidence blocks as shown (part of the view of a report, :mod:`governance.reporters._view`):
charts with their words, table columns typed, decimals enough to compare, repeated tables
named instead of shown twice (PDF)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from governance.numfmt import decimals_for, row_decimals
from governance.report import (
    EvidenceBlock,
    Finding,
    GroupMetricEvidence,
    IntervalEvidence,
    TableEvidence,
)
from governance.reporters._charts import (
    BarChart,
    IntervalChart,
    bar_chart_alt,
    group_chart,
    interval_chart,
    interval_chart_alt,
)
from governance.reporters._facts import is_digest, is_number
from governance.reporters._jinja import fmt_number


@dataclass(frozen=True)
class EvidenceView:
    block: EvidenceBlock
    chart: BarChart | IntervalChart | None
    numeric: tuple[bool, ...] = ()  # per table column: every value is a number
    # Decimals for this block's numbers: 4, or more where fewer would make a value and the
    # threshold it was compared with look equal or swapped (issue 12 item 5).
    digits: int = 4
    alt: str = ""  # the chart's numbers in words (SVG <title>, PDF /Alt)
    digest: tuple[bool, ...] = ()  # per table column: every value is a hex digest
    # PDF: the title of an earlier table of the same finding with the same rows (same keys
    # in the same order); the PDF names this table instead of repeating it (HTML shows both).
    repeats: str = ""


def _digits(values: Sequence[float | None], bounds: Sequence[float | None]) -> int:
    return decimals_for([v for v in values if v is not None],
                        [b for b in bounds if b is not None], fmt_number)


def evidence_view(block: EvidenceBlock) -> EvidenceView:
    chart: BarChart | IntervalChart | None = None
    if isinstance(block, GroupMetricEvidence):
        digits = _digits([x for g in block.groups for x in (g.value, g.ci_lower, g.ci_upper)]
                         + [block.overall], [block.threshold])
        chart = group_chart(block, digits) if block.groups else None
        return EvidenceView(block, chart, digits=digits,
                            alt=bar_chart_alt(block, digits) if chart else "")
    if isinstance(block, IntervalEvidence):
        digits = _digits([block.value, block.ci_lower, block.ci_upper], [block.threshold])
        chart = interval_chart(block, digits)
        return EvidenceView(block, chart, digits=digits,
                            alt=interval_chart_alt(block, digits) if chart else "")
    if isinstance(block, TableEvidence):
        width = max([len(block.columns), *(len(row) for row in block.rows)])
        numeric = tuple(
            any(is_number(row[i]) for row in block.rows if i < len(row))
            and all(is_number(row[i]) or row[i] is None for row in block.rows if i < len(row))
            for i in range(width))
        digest = tuple(
            any(is_digest(row[i]) for row in block.rows if i < len(row))
            and all(is_digest(row[i]) or row[i] is None for row in block.rows if i < len(row))
            for i in range(width))
        digits = max([4, *(row_decimals([*row, *_bounds_in_text(row)], fmt_number)
                           for row in block.rows[:2000])])
        return EvidenceView(block, None, numeric, digits=digits, digest=digest)
    # Named values (e.g. a share and the allowed share): keep their order relations.
    return EvidenceView(block, chart, digits=row_decimals(list(block.items.values()),
                                                          fmt_number))


#: A cell that states a comparison with a threshold, e.g. "PSI > 0.2" or "p < 0.05".
_BOUND_TEXT = re.compile(r"(?:<|>|<=|>=|≤|≥)\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$")


def _bounds_in_text(row: Sequence[object]) -> list[float]:
    """Thresholds written inside text cells of a table row (e.g. a drift table's "drift if"
    column), so that the numbers beside them get digits enough to compare the same way."""
    out: list[float] = []
    for cell in row:
        if isinstance(cell, str) and len(cell) <= 64:
            m = _BOUND_TEXT.search(cell)
            if m:
                out.append(float(m[1]))
    return out


def covered_by_table(value: object, f: Finding) -> str | None:
    """The title of an evidence table that already lists ``value`` row by row, if any."""
    if not (isinstance(value, list) and len(value) > 1 and all(isinstance(v, dict)
                                                               for v in value)):
        return None
    for b in f.evidence:
        if isinstance(b, TableEvidence) and len(b.rows) == len(value):
            return b.title
    return None


def duplicate_group_table(block: EvidenceBlock, f: Finding) -> bool:
    """A plain table repeating a per-group chart's groups (shown once, with the chart)."""
    if not (isinstance(block, TableEvidence) and block.columns
            and block.columns[0].lower() == "group"):
        return False
    names = {str(row[0]) for row in block.rows if row and str(row[0]).lower() != "overall"}
    return any(isinstance(b, GroupMetricEvidence) and names
               and names == {g.group for g in b.groups} for b in f.evidence)


REPEAT_MIN_ROWS = 10  # smaller tables are cheap to show twice


def _row_keys(block: TableEvidence) -> tuple[object, ...]:
    return tuple(repr(row[0]) if row else "" for row in block.rows)


def mark_repeats(views: tuple[EvidenceView, ...]) -> tuple[EvidenceView, ...]:
    """Tables listing the same rows (e.g. a drift finding's decisive statistic per column, then
    every statistic per column) marked with the earlier table's title."""
    seen: dict[tuple[object, ...], str] = {}
    out = []
    for ev in views:
        b = ev.block
        if isinstance(b, TableEvidence) and len(b.rows) >= REPEAT_MIN_ROWS:
            keys = _row_keys(b)
            if keys in seen:
                ev = replace(ev, repeats=seen[keys])
            else:
                seen[keys] = b.title
        out.append(ev)
    return tuple(out)
