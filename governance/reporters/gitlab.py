"""GitLab Code Quality report (JSON array of issues) for merge-request widgets.

One issue per ``fail`` or ``error`` finding (waived, passing and skipped rules are not issues):
``description`` (the message; insufficient evidence said so), ``check_name`` (the rule id),
``fingerprint`` (rule id + model + subject, stable across runs: see
:mod:`governance.reporters._ci`), ``severity`` (info -> info, low -> minor, medium -> major,
high -> critical, critical -> blocker), ``location.path`` relative to the repository root with
``lines.begin`` at the policy rule (else the card field). Input text has its control characters
made visible (the Markdown ``content.body`` is escaped as in the Markdown report); JSON
encoding does the rest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from governance.report import Finding, Report, Severity, SignatureInfo, Status
from governance.reporters._ci import fingerprint, inert, repository_path, rule_location
from governance.reporters.markdown import md

SEVERITY = {
    Severity.INFO: "info",
    Severity.LOW: "minor",
    Severity.MEDIUM: "major",
    Severity.HIGH: "critical",
    Severity.CRITICAL: "blocker",
}


def _fallback_path(report: Report) -> str:
    """A file in the repository for findings without one: the first policy file."""
    for role in ("policy", "card"):
        for i in report.inputs:
            rel = repository_path(report, i.path)
            if i.role == role and rel is not None:
                return rel
    return "governance.yaml"


def _issue(report: Report, f: Finding) -> dict[str, Any]:
    loc = rule_location(f)
    path = repository_path(report, loc.path) if loc is not None else None
    line = loc.line if path is not None and loc is not None and loc.line else 1
    text = f"Insufficient evidence: {f.message}" if f.status is Status.ERROR else f.message
    description = inert(f"{f.rule_id}: {f.title}: {text}".replace("\n", " "))
    issue: dict[str, Any] = {
        "type": "issue",
        "description": description,
        "check_name": f.rule_id,
        "fingerprint": fingerprint(report, f),
        "severity": SEVERITY[f.severity],
        "location": {"path": path or _fallback_path(report), "lines": {"begin": line}},
    }
    if f.remediation:
        issue["content"] = {"body": f"**Remediation:** {md(f.remediation)}"}
    return issue


def render(report: Report, signatures: Sequence[SignatureInfo] = ()) -> bytes:
    del signatures
    issues = [_issue(report, f) for f in report.findings
              if f.status in (Status.FAIL, Status.ERROR)]
    text = json.dumps(issues, indent=2, ensure_ascii=False, allow_nan=False)
    return text.encode("utf-8") + b"\n"
