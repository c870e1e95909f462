"""Two reports compared: new failures, fixed rules, metric and fairness deltas, waivers.

Pure: ``Report, Report -> ReportDiff -> text``. Every input-derived string goes through
:mod:`governance.textsafe` (text) or is escaped for Markdown, so the output is inert in a
terminal, a CI log and a pull-request comment.
"""

from __future__ import annotations

from governance.releases import Point, ReportDiff, diff_reports

__all__ = ["diff_reports", "render_markdown", "render_text"]

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
    lines.append(f"waivers changed ({len(d.waivers_changed)}):")
    lines += [q(f"  {w}") for w in d.waivers_changed]
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
    lines += ["", f"**Waivers changed** ({len(d.waivers_changed)})"]
    lines += [f"- {_md(w)}" for w in d.waivers_changed]
    return "\n".join(lines) + "\n"
