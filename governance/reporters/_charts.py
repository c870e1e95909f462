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
LABEL_W = 150.0
VALUE_W = 118.0
ROW_H = 22.0
BAR_H = 14.0
TOP = 40.0
BOTTOM = 28.0
MAX_LABEL = 22
MAX_BARS = 40  # a chart never outgrows a page; the table next to it lists every group


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    full_label: str
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


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def group_chart(ev: GroupMetricEvidence, digits: int = 4) -> BarChart:
    groups = ev.groups[:MAX_BARS]
    vals = _finite([g.value for g in groups] + [g.ci_lower for g in groups]
                   + [g.ci_upper for g in groups] + [ev.threshold, ev.overall])
    lo, hi, step = domain(vals)
    left, right = LABEL_W + 8, WIDTH - VALUE_W
    scale = Scale(lo, hi, left, right)
    zero = scale(min(max(0.0, lo), hi))
    bars: list[Bar] = []
    has_ci = False
    for i, g in enumerate(groups):
        y = round(TOP + i * ROW_H + (ROW_H - BAR_H) / 2, 2)
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
        bars.append(Bar(label=_short(g.group), full_label=g.group, y=y, x=x, width=w,
                        value_text=text, value_x=right + 6, flagged=g.flagged,
                        missing=value is None, ci=ci))
    plot_bottom = TOP + len(groups) * ROW_H
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
