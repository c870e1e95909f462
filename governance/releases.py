"""Two releases of a model compared: their recomputed numbers and what changed.

Pure ``Report`` functions shared by ``governance diff`` (governance/ledger/diff.py) and the
trend section of the HTML/PDF report (governance/reporters/_trends.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.report import Report


@dataclass(frozen=True)
class Point:
    """One recomputed number of one release (an interval evidence block of a finding)."""

    release: str
    value: float | None
    ci_lower: float | None
    ci_upper: float | None
    threshold: float | None


def metric_points(report: Report) -> dict[tuple[str, str], Point]:
    """(rule id, evidence title) -> the recomputed value with CI and threshold."""
    from governance.report import IntervalEvidence

    label = report.target.release or report.model.version
    out: dict[tuple[str, str], Point] = {}
    for f in report.findings:
        for ev in f.evidence:
            if isinstance(ev, IntervalEvidence):
                out.setdefault((f.rule_id, ev.title),
                               Point(label, ev.value, ev.ci_lower, ev.ci_upper, ev.threshold))
    return out


BAD = ("fail", "error")


@dataclass(frozen=True)
class RuleChange:
    rule_id: str
    title: str
    before: str | None  # status in A (None: rule absent)
    after: str | None


@dataclass(frozen=True)
class MetricDelta:
    rule_id: str
    title: str
    before: Point
    after: Point

    @property
    def delta(self) -> float | None:
        if self.before.value is None or self.after.value is None:
            return None
        return self.after.value - self.before.value


@dataclass
class ReportDiff:
    a: str
    b: str
    verdict: tuple[str, str]
    new_failures: list[RuleChange] = field(default_factory=list)
    fixed: list[RuleChange] = field(default_factory=list)
    other_changes: list[RuleChange] = field(default_factory=list)
    metrics: list[MetricDelta] = field(default_factory=list)
    waivers_added: list[str] = field(default_factory=list)
    waivers_removed: list[str] = field(default_factory=list)
    waivers_changed: list[str] = field(default_factory=list)  # "before -> after"


def _label(r: Report) -> str:
    return f"{r.model.name} {r.model.version}" + (
        f" ({r.target.release})" if r.target.release else "")


def _waivers(r: Report) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in r.findings:
        if f.waiver is not None:
            out[f.rule_id] = f"{f.rule_id} until {f.waiver.expires.isoformat()} " \
                             f"({f.waiver.approved_by})"
    for n in r.waivers:
        out.setdefault(n.waiver.rule_id, f"{n.waiver.rule_id} {n.state} "
                       f"{n.waiver.expires.isoformat()}")
    return out


def diff_reports(a: Report, b: Report) -> ReportDiff:
    out = ReportDiff(_label(a), _label(b), (a.summary.status.value, b.summary.status.value))
    fa = {f.rule_id: f for f in a.findings}
    fb = {f.rule_id: f for f in b.findings}
    for rule_id in sorted(set(fa) | set(fb)):
        sa = fa[rule_id].status.value if rule_id in fa else None
        sb = fb[rule_id].status.value if rule_id in fb else None
        if sa == sb:
            continue
        title = (fb.get(rule_id) or fa[rule_id]).title
        change = RuleChange(rule_id, title, sa, sb)
        if sb in BAD and sa not in BAD:
            out.new_failures.append(change)
        elif sa in BAD and sb not in BAD:
            out.fixed.append(change)
        else:
            out.other_changes.append(change)
    pa, pb = metric_points(a), metric_points(b)
    for key in sorted(set(pa) & set(pb)):
        out.metrics.append(MetricDelta(key[0], key[1], pa[key], pb[key]))
    wa, wb = _waivers(a), _waivers(b)
    out.waivers_added = [wb[k] for k in sorted(set(wb) - set(wa))]
    out.waivers_removed = [wa[k] for k in sorted(set(wa) - set(wb))]
    out.waivers_changed = [f"{wa[k]} -> {wb[k]}" for k in sorted(set(wa) & set(wb))
                           if wa[k] != wb[k]]
    return out
