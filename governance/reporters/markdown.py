"""Markdown summary for pull-request comments and CI job summaries (GitHub-flavoured).

Report text from cards and policies is escaped with :func:`md`: HTML special characters become
entities (no raw HTML), Markdown punctuation is backslash-escaped (no links, images, emphasis,
tables or headings from data; ``javascript:``, ``http://`` and ``www.`` cannot autolink), ``@`` is
followed by a zero-width space (no mentions); newlines, controls and bidi characters are shown
as escapes (``\\n``, ``\\x1b``, ``<U+202E>``: governance.textsafe), never a new line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from governance.report import Finding, Report, SignatureInfo, Status
from governance.reporters._safe import cap, one_line
from governance.reporters._view import (
    STATUS_LABEL,
    STATUS_SYMBOL,
    ClauseView,
    ReportView,
    build_view,
    family_title,
)

# Characters with inline meaning anywhere (emphasis, code, links, images, tables, raw HTML,
# autolink schemes, math); "." only where it could start a www. autolink.
_PUNCT = re.compile(r"([\\`*_{}\[\]()#!|~<>:$^]|(?<=[wW])\.)")
# Characters that only mean something at the start of a line (lists, headings, quotes, rules).
_LEADING = re.compile(r"^([-+=])|^(\d+)([.)])(?=\s|$)")
_SPACE = re.compile(r"\s+")


# A cell longer than this (a 4 MB remediation text) is cut with a visible marker.
MAX_CELL_CHARS = 2_000


def md(value: object) -> str:
    """Escape any text for inline use in GitHub-flavoured Markdown (tables included)."""
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True,
                                                           ensure_ascii=False)
    text = one_line(cap(text.strip(), MAX_CELL_CHARS))
    text = _SPACE.sub(" ", text).strip()
    text = text.replace("&", "&amp;")
    text = _PUNCT.sub(r"\\\1", text)
    text = _LEADING.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
    text = text.replace("\\<", "&lt;").replace("\\>", "&gt;")
    return text.replace("@", "@\u200b")


def _status(f: Finding) -> str:
    return f"{STATUS_SYMBOL[f.status]} {STATUS_LABEL[f.status].lower()}"


def _short(value: object, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True,
                                                           ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _details(f: Finding) -> list[str]:
    out = [f"#### {md(f.rule_id)}: {md(f.title)}", "",
           f"{_status(f)} · severity {f.severity.value} · {md(family_title(f.family))}", "",
           md(f.message), ""]
    if f.expected is not None:
        out.append(f"- expected: {md(_short(f.expected))}")
    if f.observed is not None:
        out.append(f"- observed: {md(_short(f.observed))}")
    for loc in f.locations:
        where = loc.path + (f":{loc.line}" if loc.line else "") + (
            f":{loc.col}" if loc.col and loc.line else "")
        out.append(f"- at {loc.role} {md(where)}" + (f" ({md(loc.field)})" if loc.field else ""))
    if f.references:
        refs = "; ".join(f"{r.framework} {r.clause}" for r in f.references)
        out.append(f"- evidence for: {md(refs)}")
    if f.remediation:
        out.append(f"- remediation: {md(f.remediation)}")
    out.append("")
    return out


#: Markdown cannot colour text: a coloured mark per status, next to the symbol and word.
_DOT = {Status.FAIL: "🔴", Status.ERROR: "🟠", Status.WAIVED: "🟣", Status.SKIPPED: "⚪",
        Status.PASS: "🟢"}


def _coverage_row(c: ClauseView, unmapped: bool) -> str:
    clause = f"*{md(c.clause)}*" if unmapped else md(c.clause)
    subject = "rules without a clause reference" if unmapped else md(c.title or "—")
    rules = " · ".join(f"{md(rs.rule_id)} {STATUS_SYMBOL[rs.status]} "
                       f"{STATUS_LABEL[rs.status].lower()}" for rs in c.rules)
    worst = f"{_DOT[c.status]} {STATUS_SYMBOL[c.status]} {STATUS_LABEL[c.status].lower()}"
    return f"| {clause} | {subject} | {worst} | {rules} |"


def _coverage(v: ReportView) -> list[str]:
    """Framework coverage: each clause marked with the worst outcome of its rules; rules that
    reference no clause of the framework in a last row (issue 12 item 13)."""
    if not v.frameworks and v.unmapped is None:
        return []
    out = ["### Framework coverage", "",
           "Each clause shows the worst outcome of its rules (fail, error, waived, skipped, "
           "pass). Evidence checked, not a statement of conformity.", ""]
    head = ["| Clause | Subject | Worst outcome | Rules and outcomes |",
            "| --- | --- | --- | --- |"]
    for fw in v.frameworks:
        out += [f"**{md(fw.name)}**", "", *head]
        out += [_coverage_row(c, False) for c in fw.clauses]
        if fw.unmapped is not None:
            out.append(_coverage_row(fw.unmapped, True))
        if fw.gate_reasons:
            out.append(f"| *release gate* | reasons outside this table | "
                       f"{_DOT[Status.FAIL]} {STATUS_SYMBOL[Status.FAIL]} fail | "
                       + md("; ".join(fw.gate_reasons)) + " |")
        out.append("")
    if not v.frameworks and v.unmapped is not None:
        out += ["No rule references a framework clause.", "", *head,
                _coverage_row(v.unmapped, True), ""]
    return out


def render(report: Report, signatures: Sequence[SignatureInfo] = ()) -> bytes:
    v = build_view(report, signatures)
    s = report.summary
    passed = s.status.value == "pass"
    verdict = "✓ PASSED" if passed else "✗ FAILED"
    out = [
        f"## Governance gate {verdict}: {md(report.model.name)} {md(report.model.version)}",
        "",
        f"Policy **{md(report.policy.name)} {md(report.policy.version)}** · fail-on "
        f"**{s.fail_on.value}** · target {md(v.target)} · generated {v.generated} · "
        f"report {md(report.report_id)}",
        "",
        f"**{v.total} rules:** " + " · ".join(
            f"{c.count} {STATUS_SYMBOL[Status(c.key)]} {c.label.lower()}"
            for c in v.status_counts if c.count),
        "",
    ]
    if s.reasons:
        out += ["### Why the gate failed", ""]
        out += [f"- {md(r)}" for r in s.reasons]
        out.append("")
    if v.attention:
        out += ["### Needs attention", "",
                "| Status | Severity | Rule | Finding |", "| --- | --- | --- | --- |"]
        for fv in v.attention:
            f = fv.f
            out.append(f"| {_status(f)} | {f.severity.value} | {md(f.rule_id)} | "
                       f"**{md(f.title)}**: {md(_short(f.message))} |")
        out.append("")
    if v.waived or v.notices:
        out += ["### Waivers", ""]
        if v.waived:
            out += ["| Rule | Approved by | Expires | Ticket | Justification |",
                    "| --- | --- | --- | --- | --- |"]
            for fv in v.waived:
                w = fv.f.waiver
                assert w is not None
                who = md(w.approved_by) + (
                    f" (signed by {md(w.signed_by.owner)} as {md(w.signed_by.role)}, key "
                    f"`{w.signed_by.keyid[:16]}`)" if w.signed_by else "")
                out.append(f"| {md(fv.f.rule_id)} | {who} | "
                           f"{w.expires.isoformat()} | {md(w.ticket or '—')} | {md(w.reason)} |")
            out.append("")
        for n in v.notices:
            out.append(f"- **{n.state}** waiver of {md(n.waiver.rule_id)} "
                       f"(approved by {md(n.waiver.approved_by)}, expires "
                       f"{n.waiver.expires.isoformat()}): {md(n.message)}")
        out.append("")
    out += _coverage(v)
    out += [f"<details><summary>All {v.total} rules</summary>", "",
            "| Rule | Title | Family | Severity | Status |", "| --- | --- | --- | --- | --- |"]
    for fam in v.families:
        for fv in fam.findings:
            f = fv.f
            out.append(f"| {md(f.rule_id)} | {md(f.title)} | {md(fam.title)} | "
                       f"{f.severity.value} | {_status(f)} |")
    out += ["", "</details>", ""]
    if v.attention:
        out += ["<details><summary>Details of the findings that need attention</summary>", ""]
        for fv in v.attention:
            out += _details(fv.f)
        out += ["</details>", ""]
    out += ["### Sign-off", ""]
    if v.signatures:
        out += ["| Signer | Role | Key id | Decision | Signature |",
                "| --- | --- | --- | --- | --- |"]
        for sv in v.signatures:
            i = sv.info
            out.append(f"| {md(i.signer or '—')} | {md(i.role)} | {md(i.keyid[:16])} | "
                       f"{md(i.decision or '—')} | {md(sv.state_text)} |")
        out.append("")
    else:
        out += ["This report is unsigned. Signatures are carried in the DSSE envelope and "
                "checked with `governance verify`.", ""]
    out.append(f"<sub>{md(report.tool.name)} {md(report.tool.version)} · policy sha256 "
               f"{md(report.policy.sha256[:16])}…</sub>")
    from governance.reporters._safe import visible_controls

    return visible_controls("\n".join(out) + "\n").encode("utf-8")
