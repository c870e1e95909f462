"""Geometry of the inline SVG charts (per-group bars, intervals).

Only numbers are computed here; the SVG markup itself is written by a Jinja macro
(``templates/_charts.html.j2``) so that every label taken from the report is autoescaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from governance.report import GroupMetricEvidence, IntervalEvidence
from governance.reporters._jinja import fmt_number

WIDTH = 640.0
LABEL_W = 150.0  # at least; grows to fit the longest group name up to MAX_LABEL_W
MAX_LABEL_W = 260.0
CHAR_W = 6.1  # DejaVu Sans at 10 px: average advance, generous for capitals
LINE_H = 11.0
VALUE_W = 118.0
ROW_H = 22.0
BAR_H = 14.0
TOP = 40.0
BOTTOM = 28.0
MAX_LABEL_LINES = 3
MAX_BARS = 40  # a chart never outgrows a page; the table next to it lists every group


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
    lines: tuple[str, ...]  # the label wrapped to the label column, never cut
    label_y: float  # baseline of the first label line
    y: float  # top of the bar
    x: float
    width: float
    value_text: str
    value_x: float
    flagged: bool
    missing: bool
    ci: tuple[float, float] | None  # x positions of the CI ends


@dataclass(frozen=True)
class VLine:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    zero_x: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    threshold: VLine | None
    overall: VLine | None
    has_ci: bool
    omitted: int  # groups beyond MAX_BARS, listed only in the table


@dataclass(frozen=True)
class IntervalChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    axis_y: float
    ticks: tuple[Tick, ...]
    value: VLine | None
    ci: tuple[float, float] | None
    threshold: VLine | None


def _finite(values: Iterable[float | None]) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]


def nice_step(span: float, target: int = 5) -> float:
    raw = span / max(target, 1)
    mag = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * mag:
            return m * mag
    return 10 * mag  # pragma: no cover - the loop always returns


def domain(values: list[float], include_zero: bool = True) -> tuple[float, float, float]:
    """A padded, rounded domain ``(lo, hi, step)`` that holds every value."""
    pts = list(values) + ([0.0] if include_zero or not values else [])
    lo, hi = min(pts), max(pts)
    if hi - lo < 1e-12:
        lo, hi = (lo - 0.5, hi + 0.5) if lo != 0 else (0.0, 1.0)
    step = nice_step(hi - lo)
    lo = math.floor(lo / step + 1e-9) * step
    hi = math.ceil(hi / step - 1e-9) * step
    return lo, hi, step


def _ticks(lo: float, hi: float, step: float, scale: Scale) -> tuple[Tick, ...]:
    n = round((hi - lo) / step)
    return tuple(Tick(scale(lo + i * step), fmt_number(round(lo + i * step, 10)))
                 for i in range(n + 1))


class Scale:
    def __init__(self, lo: float, hi: float, left: float, right: float) -> None:
        self.lo, self.hi, self.left, self.right = lo, hi, left, right

    def __call__(self, v: float) -> float:
        return round(self.left + (v - self.lo) / (self.hi - self.lo) * (self.right - self.left), 2)


def wrap_label(label: str, chars: int) -> tuple[str, ...]:
    """Split a label into lines of at most ``chars`` characters: at ``=``, spaces, ``-``,
    ``_`` or ``/`` when possible, else anywhere. Nothing is dropped; a label longer than
    MAX_LABEL_LINES lines keeps its tail on the last line (the table lists it too)."""
    lines: list[str] = []
    rest = label
    while len(rest) > chars and len(lines) < MAX_LABEL_LINES - 1:
        cut = max(rest.rfind(sep, 1, chars + 1) for sep in ("=", " ", "-", "_", "/"))
        cut = cut + 1 if cut > 0 else chars
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    lines.append(rest)
    return tuple(line for line in lines if line) or ("",)


def _label_width(groups: list[str]) -> float:
    longest = max((len(g) for g in groups), default=0)
    return min(MAX_LABEL_W, max(LABEL_W, longest * CHAR_W + 4))


def group_chart(ev: GroupMetricEvidence, digits: int = 4) -> BarChart:
    groups = ev.groups[:MAX_BARS]
    vals = _finite([g.value for g in groups] + [g.ci_lower for g in groups]
                   + [g.ci_upper for g in groups] + [ev.threshold, ev.overall])
    lo, hi, step = domain(vals)
    label_w = _label_width([g.group for g in groups])
    chars = max(8, int(label_w / CHAR_W))
    left, right = label_w + 8, WIDTH - VALUE_W
    scale = Scale(lo, hi, left, right)
    zero = scale(min(max(0.0, lo), hi))
    bars: list[Bar] = []
    has_ci = False
    top = TOP
    for g in groups:
        lines = wrap_label(g.group, chars)
        row_h = max(ROW_H, len(lines) * LINE_H + 8)
        y = round(top + (row_h - BAR_H) / 2, 2)
        label_y = round(y + 7 + 4 - (len(lines) - 1) * LINE_H / 2, 2)
        top += row_h
        value = g.value if g.value is not None and math.isfinite(g.value) else None
        ci: tuple[float, float] | None = None
        if g.ci_lower is not None and g.ci_upper is not None and \
                math.isfinite(g.ci_lower) and math.isfinite(g.ci_upper):
            ci = (scale(g.ci_lower), scale(g.ci_upper))
            has_ci = True
        if value is None:
            x, w = zero, 0.0
            text = "no value"
        else:
            vx = scale(value)
            x, w = min(zero, vx), round(abs(vx - zero), 2)
            text = fmt_number(value, digits)
        if g.flagged:
            text += " (flagged)"
        bars.append(Bar(label=g.group, full_label=g.group, lines=lines, label_y=label_y,
                        y=y, x=x, width=w, value_text=text, value_x=right + 6,
                        flagged=g.flagged, missing=value is None, ci=ci))
    plot_bottom = top
    threshold = None
    if ev.threshold is not None and math.isfinite(ev.threshold):
        label = ev.threshold_label or "threshold"
        threshold = VLine(scale(ev.threshold), f"{label} {fmt_number(ev.threshold, digits)}")
    overall = None
    if ev.overall is not None and math.isfinite(ev.overall):
        overall = VLine(scale(ev.overall), f"overall {fmt_number(ev.overall, digits)}")
    return BarChart(width=WIDTH, height=plot_bottom + BOTTOM, plot_left=left, plot_right=right,
                    plot_top=TOP, plot_bottom=plot_bottom, zero_x=zero, bars=tuple(bars),
                    ticks=_ticks(lo, hi, step, scale), threshold=threshold, overall=overall,
                    has_ci=has_ci, omitted=len(ev.groups) - len(groups))


def interval_chart(ev: IntervalEvidence, digits: int = 4) -> IntervalChart | None:
    vals = _finite([ev.value, ev.ci_lower, ev.ci_upper, ev.threshold])
    if not vals:
        return None
    lo, hi, step = domain(vals, include_zero=False)
    left, right = 20.0, WIDTH - 20.0
    scale = Scale(lo, hi, left, right)
    ci = None
    if ev.ci_lower is not None and ev.ci_upper is not None and \
            math.isfinite(ev.ci_lower) and math.isfinite(ev.ci_upper):
        ci = (scale(ev.ci_lower), scale(ev.ci_upper))
    value = None
    if ev.value is not None and math.isfinite(ev.value):
        value = VLine(scale(ev.value), f"{ev.metric} {fmt_number(ev.value, digits)}")
    threshold = None
    if ev.threshold is not None and math.isfinite(ev.threshold):
        threshold = VLine(scale(ev.threshold), f"threshold {fmt_number(ev.threshold, digits)}")
    return IntervalChart(width=WIDTH, height=64.0, plot_left=left, plot_right=right,
                         axis_y=40.0, ticks=_ticks(lo, hi, step, scale), value=value, ci=ci,
                         threshold=threshold)


def _ci_words(lower: float | None, upper: float | None, digits: int = 4) -> str:
    if lower is None or upper is None:
        return ""
    return f" (confidence interval {fmt_number(lower, digits)} to {fmt_number(upper, digits)})"


def bar_chart_alt(ev: GroupMetricEvidence, digits: int = 4) -> str:
    """The per-group chart's numbers in words: the alternative text of the figure."""
    parts = []
    for g in ev.groups[:MAX_BARS]:
        value = "no value" if g.value is None else fmt_number(g.value, digits)
        flag = ", flagged" if g.flagged else ""
        parts.append(f"{g.group} {value}{_ci_words(g.ci_lower, g.ci_upper, digits)}{flag}")
    text = f"Bar chart of {ev.metric} by {ev.feature}: " + "; ".join(parts) + "."
    if len(ev.groups) > MAX_BARS:
        text += f" {len(ev.groups) - MAX_BARS} more groups are listed in the table."
    if ev.overall is not None:
        text += f" Overall {fmt_number(ev.overall, digits)}."
    if ev.threshold is not None:
        text += f" {ev.threshold_label or 'Threshold'} {fmt_number(ev.threshold, digits)}."
    return text


def interval_chart_alt(ev: IntervalEvidence, digits: int = 4) -> str:
    value = "no value" if ev.value is None else fmt_number(ev.value, digits)
    text = f"Interval chart of {ev.metric}: {value}{_ci_words(ev.ci_lower, ev.ci_upper, digits)}."
    if ev.threshold is not None:
        text += f" Threshold {fmt_number(ev.threshold, digits)}."
    return text
