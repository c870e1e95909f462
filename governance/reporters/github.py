"""GitHub Actions workflow commands: one annotation per finding that needs attention.

``fail`` and ``error`` findings become ``::error``/``::warning``/``::notice`` lines (by
severity: critical/high, medium/low, info) at the file and line of the policy rule (else the
card field), relative to the repository root; ``waived`` findings become notices; a last notice
gives the verdict. Print the file in a workflow step (``cat reports/report.github.txt``) and
GitHub shows the annotations on the pull request.

Escaping follows the Actions toolkit: message text ``%`` -> ``%25``, CR -> ``%0D``, LF ->
``%0A``; property values additionally ``:`` -> ``%3A`` and ``,`` -> ``%2C``. Before that, other
control characters and bidirectional overrides from input text are made visible (``\\x1b``,
``\\u202e``), so no input can end a command early, start another one (every line this reporter
writes starts with its own ``::command``), stop command processing or repaint the log.
"""

from __future__ import annotations

from collections.abc import Sequence

from governance.report import Finding, Report, Severity, SignatureInfo, Status
from governance.reporters._ci import inert, repository_path, rule_location

COMMAND = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "warning",
    Severity.INFO: "notice",
}
MAX_MESSAGE = 4000  # characters; GitHub truncates long annotations anyway


def escape_data(text: str) -> str:
    return inert(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(f"{k}={escape_property(str(v))}" for k, v in properties.items()
                     if v is not None and v != "")
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + " [truncated]"
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _annotation(report: Report, f: Finding) -> str:
    loc = rule_location(f)
    path = repository_path(report, loc.path) if loc is not None else None
    if f.status is Status.WAIVED and f.waiver is not None:
        name = "notice"
        text = (f"waived by {f.waiver.approved_by} until {f.waiver.expires.isoformat()}: "
                f"{f.waiver.reason} — {f.message}")
    else:
        name = COMMAND[f.severity]
        text = (f"Insufficient evidence: {f.message}" if f.status is Status.ERROR
                else f.message)
    if f.remediation and f.status is not Status.WAIVED:
        text += f"\nRemediation: {f.remediation}"
    return command(name, text, file=path,
                   line=loc.line if path is not None and loc is not None else None,
                   col=loc.col if path is not None and loc is not None and loc.line else None,
                   title=f"{f.rule_id} ({f.severity.value}): {f.title}")


def render(report: Report, signatures: Sequence[SignatureInfo] = ()) -> bytes:
    del signatures
    lines = [_annotation(report, f) for f in report.findings
             if f.status in (Status.FAIL, Status.ERROR, Status.WAIVED)]
    counts = {s: sum(1 for f in report.findings if f.status is s) for s in Status}
    verdict = "passed" if report.summary.status.value == "pass" else "failed"
    summary = (f"{counts[Status.FAIL]} failed, {counts[Status.ERROR]} without enough evidence, "
               f"{counts[Status.WAIVED]} waived, {counts[Status.PASS]} passed, "
               f"{counts[Status.SKIPPED]} skipped; model {report.model.name} "
               f"{report.model.version}, policy {report.policy.name} {report.policy.version}, "
               f"fail on {report.summary.fail_on.value}")
    lines.append(command("error" if verdict == "failed" else "notice", summary,
                         title=f"Governance gate {verdict}"))
    return ("\n".join(lines) + "\n").encode("utf-8")
