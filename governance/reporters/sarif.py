"""SARIF 2.1.0 log for GitHub code scanning (and Azure DevOps, IDEs).

* Results only for findings that need attention: ``fail`` and ``error`` (insufficient evidence,
  said so in the message) with a level from the severity (critical/high -> ``error``,
  medium/low -> ``warning``, info -> ``note``). ``waived`` findings are results too, with a
  ``suppressions`` entry (``kind: external`` — the waiver lives in the policy, not at the flagged
  line — ``status: accepted`` and the justification), so code scanning shows them as dismissed.
  Passing and skipped rules are not results (code scanning would open an alert for each); they
  are counted in ``run.properties.counts``.
* One ``reportingDescriptor`` per rule of the report: ``shortDescription`` is the rule title,
  ``fullDescription`` the rule kind's explanation, ``help.text``/``help.markdown`` the
  explanation plus the remediation and the framework clauses. No ``helpUri``: SARIF wants an
  absolute URI and the tool has no documentation site it owns; the help is carried in full
  instead (``governance policy explain RULE_ID`` prints the same locally).
* ``automationDetails.id`` is ``governance/<model>/<policy>/``: the same for every release, so a
  fixed alert closes; code scanning takes it as the category (the upload action's ``category``
  input is ignored when a log sets it).
* URIs are relative to the repository root, ``%SRCROOT%`` in ``originalUriBaseIds`` (the check
  records where the project root sits in the repository); ``partialFingerprints`` hold a hash of
  rule id, model and subject (:mod:`governance.reporters._ci`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from governance.report import Finding, Report, Severity, SignatureInfo, SourceLocation, Status
from governance.reporters._ci import (
    category,
    fingerprint,
    kind_summary,
    project_subdir,
    repository_path,
)
from governance.reporters._safe import block, cap, one_line
from governance.reporters.html import created_stamp
from governance.reporters.markdown import md
from governance.textsafe import json_inert

MAX_TEXT_CHARS = 20_000


def _text(value: str) -> str:
    """SARIF message text: one inert, capped line (governance.textsafe)."""
    return one_line(cap(value, MAX_TEXT_CHARS))

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "governanceFinding/v1"

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "warning",
    Severity.INFO: "note",
}
REPORTED = (Status.FAIL, Status.ERROR, Status.WAIVED)


def _uri(report: Report, path: str) -> dict[str, str]:
    """An artifactLocation: relative to %SRCROOT% (the repository root) when inside it."""
    rel = repository_path(report, path)
    if rel is not None:
        return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}
    p = path.replace("\\", "/")
    if p.startswith("/"):
        return {"uri": "file://" + quote(p, safe="/")}
    return {"uri": quote(p, safe="/")}


def _location(report: Report, loc: SourceLocation) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _uri(report, loc.path)}
    if loc.line:
        region: dict[str, int] = {"startLine": loc.line}
        if loc.col:
            region["startColumn"] = loc.col
        physical["region"] = region
    out: dict[str, Any] = {"physicalLocation": physical}
    if loc.field:
        out["logicalLocations"] = [{"name": loc.field, "kind": "member"}]
    out["properties"] = {"role": loc.role}
    return out


def _refs(f: Finding) -> list[str]:
    return [f"{r.framework} {r.clause}" for r in f.references]


def _help(f: Finding, summary: str | None) -> tuple[str, str]:
    """(plain text, Markdown) help: what the rule kind checks, this rule, how to fix it."""
    text = [f"Rule kind {f.kind} ({f.family})" + (f": {summary}" if summary else ".")]
    mark = [f"**Rule kind** `{f.kind}` ({md(f.family)})" + (f": {md(summary)}" if summary
                                                              else "")]
    text.append(f"This rule: {f.title}")
    mark.append(f"**This rule:** {md(f.title)}")
    if f.remediation:
        text.append(f"Remediation: {f.remediation}")
        mark.append(f"**Remediation:** {md(f.remediation)}")
    if f.references:
        text.append("Evidence for: " + "; ".join(_refs(f)))
        mark.append("**Evidence for:** " + "; ".join(md(r) for r in _refs(f)))
    text.append(f"Explain locally: governance policy explain {f.rule_id}")
    mark.append(f"Explain locally: `governance policy explain {md(f.rule_id)}`")
    return "\n\n".join(text), "\n\n".join(mark)


def _rule(f: Finding) -> dict[str, Any]:
    summary = kind_summary(f.kind)
    text, markdown = _help(f, summary)
    return {
        "id": f.rule_id,
        "name": f.kind,
        "shortDescription": {"text": _text(f.title)},
        "fullDescription": {"text": summary or f"Rule kind {f.kind} ({f.family})."},
        "help": {"text": block(cap(text, MAX_TEXT_CHARS)), "markdown": markdown},
        "defaultConfiguration": {"level": LEVEL[f.severity]},
        "properties": {
            "severity": f.severity.value,
            "family": f.family,
            "references": [r.model_dump(mode="json", exclude_none=True)
                           for r in f.references],
            "tags": ["governance", f.family, *_refs(f)],
        },
    }


def _message(f: Finding) -> str:
    text = f.message
    if f.status is Status.ERROR:
        text = f"Insufficient evidence: {text}"
    extra = []
    if f.expected is not None:
        extra.append(f"expected {json.dumps(f.expected, sort_keys=True, ensure_ascii=False)}")
    if f.observed is not None:
        extra.append(f"observed {json.dumps(f.observed, sort_keys=True, ensure_ascii=False)}")
    return text + (f" ({'; '.join(extra)})" if extra else "")


def _ordered_locations(f: Finding) -> list[SourceLocation]:
    """Policy rule first (where the alert is shown), then card fields, then the rest."""
    rank = {"policy": 0, "card": 1}
    return sorted(f.locations, key=lambda loc: rank.get(loc.role, 2))


def _result(report: Report, f: Finding, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "kind": "fail",
        "level": LEVEL[f.severity],
        "message": {"text": _text(_message(f))},
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(report, f)},
        "properties": {
            "status": f.status.value,
            "severity": f.severity.value,
            "family": f.family,
            "observed": f.observed,
            "expected": f.expected,
        },
    }
    locations = [_location(report, loc) for loc in _ordered_locations(f)][:10]
    if locations:
        result["locations"] = locations
    if f.waiver is not None:
        w = f.waiver
        just = f"{w.reason} (approved by {w.approved_by}, expires {w.expires.isoformat()}" + (
            f", ticket {w.ticket})" if w.ticket else ")")
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": _text(just)}]
    return result


def to_sarif(report: Report) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for f in report.findings:
        if f.rule_id not in index:
            index[f.rule_id] = len(rules)
            rules.append(_rule(f))
    results = [_result(report, f, index[f.rule_id]) for f in report.findings
               if f.status in REPORTED]
    artifacts = [{"location": _uri(report, i.path), "hashes": {"sha-256": i.sha256},
                  "properties": {"role": i.role}} for i in report.inputs]
    sub = project_subdir(report)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": report.tool.name,
            "version": report.tool.version,
            "semanticVersion": report.tool.version,
            "rules": rules,
        }},
        "originalUriBaseIds": {SRCROOT: {"description": {
            "text": "The repository root; the governance project root is "
                    + ("the repository root" if sub == "." else f"its folder {sub}")}}},
        "automationDetails": {
            "id": category(report),
            "description": {"text": f"Governance gate of model {report.model.name} on policy "
                                    f"{report.policy.name}"},
        },
        "invocations": [{
            "executionSuccessful": True,
            "endTimeUtc": created_stamp(report),
        }],
        "artifacts": artifacts,
        "results": results,
        "properties": {
            "reportId": report.report_id,
            "verdict": report.summary.status.value,
            "failOn": report.summary.fail_on.value,
            "counts": {s.value: sum(1 for f in report.findings if f.status is s)
                       for s in Status},
            "model": report.model.model_dump(mode="json"),
            "target": report.target.model_dump(mode="json"),
            "policy": {"name": report.policy.name, "version": report.policy.version,
                       "sha256": report.policy.sha256},
        },
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, signatures: Sequence[SignatureInfo] = ()) -> bytes:
    del signatures  # signatures live in the DSSE envelope
    text = json.dumps(to_sarif(report), sort_keys=True, indent=2, ensure_ascii=False,
                      allow_nan=False)
    return json_inert(text).encode("utf-8") + b"\n"
