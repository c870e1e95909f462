"""Plain-text report for terminals and CI logs (no colour codes: pure and greppable)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from governance.report import Finding, Report, SignatureInfo, Status
from governance.reporters._safe import cap, one_line, visible_controls

# A field longer than this (a 4 MB remediation text) is cut with a visible marker.
MAX_FIELD_CHARS = 2_000

_MARK = {
    Status.PASS: "PASS  ",
    Status.FAIL: "FAIL  ",
    Status.ERROR: "ERROR ",
    Status.SKIPPED: "SKIP  ",
    Status.WAIVED: "WAIVED",
}


def _short(value: object, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _t(value: object) -> str:
    """One input field on one inert line, capped."""
    return one_line(cap(value if isinstance(value, str) else str(value), MAX_FIELD_CHARS))


def _finding(f: Finding) -> list[str]:
    lines = [f"{_MARK[f.status]} [{f.severity.value:<8}] {_t(f.rule_id)}: {_t(f.title)}",
             f"         {_t(f.message)}"]
    if f.status in (Status.FAIL, Status.ERROR):
        if f.expected is not None:
            lines.append(f"         expected: {_short(f.expected)}")
        if f.observed is not None:
            lines.append(f"         observed: {_short(f.observed)}")
        for loc in f.locations:
            where = loc.path + (f":{loc.line}" if loc.line else "") + (
                f":{loc.col}" if loc.col and loc.line else "")
            lines.append(f"         at {_t(where)}" + (f" ({_t(loc.field)})" if loc.field
                                                     else ""))
    if f.waiver is not None:
        w = f.waiver
        lines.append(f"         waived by {_t(w.approved_by)} until {w.expires.isoformat()}: "
                     f"{_t(w.reason)}" + (f" [{_t(w.ticket)}]" if w.ticket else ""))
        if w.signed_by is not None:
            lines.append(f"         waiver signed by {_t(w.signed_by.owner)} as "
                         f"{_t(w.signed_by.role)} (key {_t(w.signed_by.keyid[:16])})")
    lines.extend(f"         note: {_t(n)}" for n in f.notes)
    return lines


def render(report: Report, signatures: Sequence[SignatureInfo] = ()) -> bytes:
    s = report.summary
    out = [
        f"Governance report {_t(report.report_id)}",
        f"model   {_t(report.model.name)} {_t(report.model.version)}",
        f"policy  {_t(report.policy.name)} {_t(report.policy.version)} (sha256 "
        f"{report.policy.sha256[:12]})",
        "",
    ]
    for f in report.findings:
        out.extend(_finding(f))
    if report.waivers:
        out.append("")
        out.extend(f"waiver {n.state}: {_t(n.message)}" for n in report.waivers)
    if signatures:
        out.append("")
        for sig in signatures:
            state = {True: "verified", False: "NOT VERIFIED", None: "unchecked"}[sig.verified]
            out.append(f"signed by {_t(sig.signer or sig.keyid[:16])} as {_t(sig.role)}: "
                       f"{state}")
    counts = ", ".join(f"{v} {k}" for k, v in s.counts.by_status.items() if v)
    out.append("")
    out.append(f"{len(report.findings)} rules: {counts or 'none'}")
    out.append(f"verdict: {s.status.value.upper()} (fail-on {s.fail_on.value})")
    for r in s.reasons:
        out.append(f"  - {_t(r)}")
    return visible_controls("\n".join(out) + "\n").encode("utf-8")
