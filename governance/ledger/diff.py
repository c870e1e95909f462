"""Two reports compared: new failures, fixed rules, metric and fairness deltas, waivers.

Pure: ``Report, Report -> ReportDiff -> text``. Every input-derived string goes through
:mod:`governance.textsafe` (text) or is escaped for Markdown, so the output is inert in a
terminal, a CI log and a pull-request comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from governance.ledger.queries import Point, metric_points

if TYPE_CHECKING:
    from governance.report import Report

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
    return out


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def _ci(p: Point) -> str:
    if p.ci_lower is None or p.ci_upper is None:
        return ""
    return f" [{p.ci_lower:.4f}, {p.ci_upper:.4f}]"


def _signed(x: float | None) -> str:
    return "n/a" if x is None else f"{x:+.4f}"


def render_text(d: ReportDiff) -> str:
    from governance.textsafe import one_line as q

    lines = [q(f"diff {d.a} -> {d.b}: verdict {d.verdict[0]} -> {d.verdict[1]}")]
    for name, items in (("new failures", d.new_failures), ("fixed", d.fixed),
                        ("other status changes", d.other_changes)):
        lines.append(f"{name} ({len(items)}):")
        lines += [q(f"  {c.rule_id} {c.before or 'absent'} -> {c.after or 'absent'}: "
                    f"{c.title}") for c in items]
    lines.append(f"metric and fairness deltas ({len(d.metrics)}):")
    for m in d.metrics:
        lines.append(q(f"  {m.rule_id} {m.title}: {_num(m.before.value)}{_ci(m.before)} -> "
                       f"{_num(m.after.value)}{_ci(m.after)} (delta {_signed(m.delta)}"
                       + (f"; threshold {_num(m.after.threshold)}" if m.after.threshold
                          is not None else "") + ")"))
    lines.append(f"waivers added ({len(d.waivers_added)}):")
    lines += [q(f"  {w}") for w in d.waivers_added]
    lines.append(f"waivers removed ({len(d.waivers_removed)}):")
    lines += [q(f"  {w}") for w in d.waivers_removed]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Inline Markdown text: one line, inert, Markdown/HTML metacharacters escaped."""
    from governance.textsafe import one_line

    out = one_line(text)
    for ch in "\\`*_{}[]()<>#+!|~":
        out = out.replace(ch, "\\" + ch)
    return out.replace("@", "&#64;")


def render_markdown(d: ReportDiff) -> str:
    lines = [f"### Governance diff: {_md(d.a)} → {_md(d.b)}", "",
             f"Verdict: **{_md(d.verdict[0])}** → **{_md(d.verdict[1])}**", ""]
    for name, items in (("New failures", d.new_failures), ("Fixed", d.fixed),
                        ("Other status changes", d.other_changes)):
        lines.append(f"**{name}** ({len(items)})")
        lines += [f"- `{_md(c.rule_id)}` {_md(c.before or 'absent')} → "
                  f"{_md(c.after or 'absent')}: {_md(c.title)}" for c in items]
        lines.append("")
    if d.metrics:
        lines += ["| rule | value | before [CI] | after [CI] | delta | threshold |",
                  "|---|---|---|---|---|---|"]
        for m in d.metrics:
            lines.append(f"| {_md(m.rule_id)} | {_md(m.title)} | {_num(m.before.value)}"
                         f"{_md(_ci(m.before))} | {_num(m.after.value)}{_md(_ci(m.after))} | "
                         f"{_signed(m.delta)} | {_num(m.after.threshold)} |")
        lines.append("")
    lines.append(f"**Waivers added** ({len(d.waivers_added)})")
    lines += [f"- {_md(w)}" for w in d.waivers_added]
    lines += ["", f"**Waivers removed** ({len(d.waivers_removed)})"]
    lines += [f"- {_md(w)}" for w in d.waivers_removed]
    return "\n".join(lines) + "\n"
