"""SARIF 2.1.0 log for code-scanning UIs (GitHub, Azure DevOps, IDEs).

* One ``reportingDescriptor`` per rule (id, name = rule kind, short description = title,
  help = remediation, properties: severity, family, framework references).
* One result per finding. ``fail``/``error``/``waived`` findings are ``kind: "fail"`` with a
  level from the severity (critical/high -> ``error``, medium/low -> ``warning``,
  info -> ``note``); ``error`` findings (insufficient evidence) say so in the message.
  ``pass`` findings are kept as ``kind: "pass"`` and ``skipped`` as ``kind: "notApplicable"``
  (both ``level: "none"``) so the log is a complete record; code-scanning UIs show only
  ``fail`` results as alerts.
* Waived findings carry ``suppressions: [{kind: "external", status: "accepted",
  justification}]``.
* Locations point at the policy and card lines (URIs relative to ``%SRCROOT%``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from governance.report import Finding, Report, Severity, SignatureInfo, SourceLocation, Status
from governance.reporters._safe import cap, one_line
from governance.reporters.html import created_stamp
from governance.textsafe import json_inert

MAX_TEXT_CHARS = 20_000


def _text(value: str) -> str:
    """SARIF message text: one inert, capped line (governance.textsafe)."""
    return one_line(cap(value, MAX_TEXT_CHARS))

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"

LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "warning",
    Severity.INFO: "note",
}
KIND = {
    Status.PASS: "pass",
    Status.FAIL: "fail",
    Status.ERROR: "fail",
    Status.WAIVED: "fail",
    Status.SKIPPED: "notApplicable",
}


def _uri(path: str) -> dict[str, str]:
    """An artifactLocation: relative paths against %SRCROOT%, absolute ones as file: URIs."""
    p = path.replace("\\", "/")
    if PurePosixPath(p).is_absolute():
        return {"uri": "file://" + quote(p, safe="/")}
    return {"uri": quote(p, safe="/"), "uriBaseId": SRCROOT}


def _location(loc: SourceLocation) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _uri(loc.path)}
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


def _rule(f: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": f.rule_id,
        "name": f.kind,
        "shortDescription": {"text": _text(f.title)},
        "defaultConfiguration": {"level": LEVEL[f.severity]},
        "properties": {
            "severity": f.severity.value,
            "family": f.family,
            "references": [r.model_dump(mode="json", exclude_none=True)
                           for r in f.references],
            "tags": ["governance", f.family, *_refs(f)],
        },
    }
    if f.remediation:
        rule["help"] = {"text": _text(f.remediation)}
    return rule


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


def _result(f: Finding, index: int) -> dict[str, Any]:
    kind = KIND[f.status]
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "kind": kind,
        "level": LEVEL[f.severity] if kind == "fail" else "none",
        "message": {"text": _text(_message(f))},
        "properties": {
            "status": f.status.value,
            "severity": f.severity.value,
            "family": f.family,
            "observed": f.observed,
            "expected": f.expected,
        },
    }
    locations = [_location(loc) for loc in f.locations if loc.role in ("policy", "card")] \
        or [_location(loc) for loc in f.locations]
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
    results = [_result(f, index[f.rule_id]) for f in report.findings]
    artifacts = [{"location": _uri(i.path), "hashes": {"sha-256": i.sha256},
                  "properties": {"role": i.role}} for i in report.inputs]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": report.tool.name,
            "version": report.tool.version,
            "rules": rules,
        }},
        "originalUriBaseIds": {SRCROOT: {"description": {
            "text": "The project root the policy, card and artifact paths are relative to"}}},
        "automationDetails": {"id": f"governance/{report.model.name}/{report.model.version}/"},
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
