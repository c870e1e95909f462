"""Trends over the previous releases (from the ledger) and the changes since the last one.

Pure: the check command reads the previous releases' reports from the ledger and passes them
to the HTML/PDF renderers; this module turns them into chart geometry and rows. The SVG is
drawn by the ``trend_chart`` macro in ``templates/_charts.html.j2`` (autoescaped labels).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from governance.releases import Point, ReportDiff, diff_reports, metric_points
from governance.report import Report
from governance.reporters._charts import Scale, Tick, _ci_words, domain
from governance.reporters._jinja import fmt_number

WIDTH = 640.0
HEIGHT = 170.0
LEFT, RIGHT, TOP, AXIS = 56.0, 600.0, 18.0, 120.0
MAX_RELEASES = 8  # the current one and up to seven before it
LABEL_CHARS = 22


@dataclass(frozen=True)
class TrendPoint:
    label: str  # the release, shortened for the axis (the table shows it whole)
    release: str
    x: float
    y: float | None
    ci: tuple[float, float] | None  # y of the CI ends
    value_text: str
    ci_text: str
    threshold_text: str
    current: bool


@dataclass(frozen=True)
class TrendChart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    axis_y: float
    points: tuple[TrendPoint, ...]
    path: str  # SVG polyline points of the consecutive known values
    ticks: tuple[Tick, ...]  # y ticks (Tick.x holds the y position)
    threshold_y: float | None
    threshold_label: str


@dataclass(frozen=True)
class TrendView:
    rule_id: str
    title: str
    chart: TrendChart
    alt: str
    threshold_text: str


@dataclass(frozen=True)
class TrendsView:
    previous: str  # the release compared with
    releases: int
    trends: tuple[TrendView, ...]
    changes: ReportDiff


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def trend_chart(series: Sequence[Point], digits: int = 4) -> TrendChart:
    vals = [v for p in series for v in (p.value, p.ci_lower, p.ci_upper, p.threshold)
            if v is not None and _finite(v)]
    lo, hi, step = domain(vals or [0.0, 1.0], include_zero=False)
    y = Scale(lo, hi, AXIS, TOP)  # higher values drawn higher
    n = len(series)
    points: list[TrendPoint] = []
    for i, p in enumerate(series):
        x = round(LEFT + 24 + i * (RIGHT - LEFT - 48) / (n - 1), 2) if n > 1 else \
            (LEFT + RIGHT) / 2
        ci = None
        if p.ci_lower is not None and p.ci_upper is not None and _finite(p.ci_lower) and \
                _finite(p.ci_upper):
            ci = (y(p.ci_lower), y(p.ci_upper))
        points.append(TrendPoint(
            label=_short(p.release), release=p.release, x=x,
            y=y(p.value) if p.value is not None and _finite(p.value) else None, ci=ci,
            value_text="no value" if p.value is None else fmt_number(p.value, digits),
            ci_text="" if ci is None else f"{fmt_number(p.ci_lower, digits)} to "
            f"{fmt_number(p.ci_upper, digits)}",
            threshold_text="—" if p.threshold is None else fmt_number(p.threshold, digits),
            current=i == n - 1))
    path = " ".join(f"{pt.x},{pt.y}" for pt in points if pt.y is not None)
    threshold = series[-1].threshold
    count = round((hi - lo) / step)
    ticks = tuple(Tick(y(lo + i * step), fmt_number(round(lo + i * step, 10)))
                  for i in range(count + 1))
    return TrendChart(
        width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=RIGHT, plot_top=TOP,
        axis_y=AXIS, points=tuple(points), path=path, ticks=ticks,
        threshold_y=y(threshold) if threshold is not None and _finite(threshold) else None,
        threshold_label="" if threshold is None else f"threshold {fmt_number(threshold, digits)}")


def trend_alt(rule_id: str, title: str, series: Sequence[Point], digits: int = 4) -> str:
    parts = [f"{p.release} {'no value' if p.value is None else fmt_number(p.value, digits)}"
             f"{_ci_words(p.ci_lower, p.ci_upper, digits)}" for p in series]
    text = (f"Line chart of {title} ({rule_id}) over {len(series)} releases, oldest first: "
            + "; ".join(parts) + ".")
    if series and series[-1].threshold is not None:
        text += f" Threshold {fmt_number(series[-1].threshold, digits)}."
    return text


def build_trends(report: Report, history: Sequence[Report]) -> TrendsView | None:
    """``history``: reports of previous releases, oldest first (None when there are none)."""
    if not history:
        return None
    history = list(history)[-(MAX_RELEASES - 1):]
    current = metric_points(report)
    earlier = [metric_points(r) for r in history]
    trends = []
    for key in sorted(current):
        series = [pts[key] for pts in earlier if key in pts] + [current[key]]
        thr = current[key].threshold
        trends.append(TrendView(rule_id=key[0], title=key[1], chart=trend_chart(series),
                                alt=trend_alt(key[0], key[1], series),
                                threshold_text="—" if thr is None else fmt_number(thr)))
    prev = history[-1]
    return TrendsView(previous=prev.target.release or prev.model.version,
                      releases=len(history) + 1, trends=tuple(trends),
                      changes=diff_reports(prev, report))
