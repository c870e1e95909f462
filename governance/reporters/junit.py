"""JUnit XML for CI test dashboards: one test suite (in ``<testsuites>``), one case per rule.

``classname`` is the rule family, ``name`` is ``RULE-ID: title``. ``fail`` -> ``<failure>``,
``error`` (insufficient evidence) -> ``<error>``, ``skipped`` and ``waived`` ->
``<skipped message=...>``; ``pass`` has no child element.

Valid against the Jenkins JUnit schema (``junit-10.xsd`` of the xUnit plugin): ``<testsuites>``
carries only name/tests/failures/errors/time (no ``skipped``; the count is on ``<testsuite>``),
times are plain decimals. Elements and attributes are the ones GitLab, Azure DevOps and
junitparser read (testsuite/testcase/failure/error/skipped with ``message``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from governance.report import Finding, Report, SignatureInfo, Status
from governance.reporters._safe import block, cap, one_line
from governance.reporters.html import created_stamp

# Characters XML 1.0 cannot carry at all (even escaped): dropped from report text.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


MAX_TEXT_CHARS = 20_000


def _clean(text: str) -> str:
    """An attribute: one inert, capped line (governance.textsafe) that XML can carry."""
    return _XML_INVALID.sub("\ufffd", one_line(cap(text, MAX_TEXT_CHARS)))


def _clean_block(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", block(cap(text, MAX_TEXT_CHARS)))


def _details(f: Finding) -> str:
    lines = [f.message]
    if f.expected is not None:
        lines.append(f"expected: {json.dumps(f.expected, sort_keys=True, ensure_ascii=False)}")
    if f.observed is not None:
        lines.append(f"observed: {json.dumps(f.observed, sort_keys=True, ensure_ascii=False)}")
    for loc in f.locations:
        where = loc.path + (f":{loc.line}" if loc.line else "") + (
            f":{loc.col}" if loc.col and loc.line else "")
        lines.append(f"at {where}" + (f" ({loc.field})" if loc.field else ""))
    for ref in f.references:
        lines.append(f"evidence for {ref.framework} {ref.clause}")
    if f.remediation:
        lines.append(f"remediation: {f.remediation}")
    return _clean_block("\n".join(one_line(ln) for ln in lines))


def _skip_message(f: Finding) -> str:
    if f.waiver is not None:
        w = f.waiver
        return (f"waived by {w.approved_by} until {w.expires.isoformat()}: {w.reason}"
                + (f" [{w.ticket}]" if w.ticket else ""))
    return f"skipped: {f.message}"


def render(report: Report, signatures: Sequence[SignatureInfo] = ()) -> bytes:
    del signatures
    findings = report.findings
    count = {s: sum(1 for f in findings if f.status is s) for s in Status}
    root = ET.Element("testsuites", {
        "name": "governance",
        "tests": str(len(findings)),
        "failures": str(count[Status.FAIL]),
        "errors": str(count[Status.ERROR]),
        "time": "0",
    })
    suite = ET.SubElement(root, "testsuite", {
        "name": _clean(f"governance {report.policy.name} {report.policy.version}: "
                       f"{report.model.name} {report.model.version}"),
        "tests": str(len(findings)),
        "failures": str(count[Status.FAIL]),
        "errors": str(count[Status.ERROR]),
        "skipped": str(count[Status.SKIPPED] + count[Status.WAIVED]),
        "time": "0",
        "timestamp": created_stamp(report).removesuffix("Z"),
        "id": report.report_id,
    })
    props = ET.SubElement(suite, "properties")
    for name, value in (
        ("report_id", report.report_id),
        ("model", report.model.name),
        ("model_version", report.model.version),
        ("policy", report.policy.name),
        ("policy_version", report.policy.version),
        ("policy_sha256", report.policy.sha256),
        ("verdict", report.summary.status.value),
        ("fail_on", report.summary.fail_on.value),
    ):
        ET.SubElement(props, "property", {"name": name, "value": _clean(value)})
    for f in findings:
        case = ET.SubElement(suite, "testcase", {
            "classname": _clean(f.family),
            "name": _clean(f"{f.rule_id}: {f.title}"),
            "time": "0",
        })
        if f.status is Status.FAIL:
            el = ET.SubElement(case, "failure", {"message": _clean(f.message),
                                                 "type": f"{f.severity.value}"})
            el.text = _details(f)
        elif f.status is Status.ERROR:
            el = ET.SubElement(case, "error", {"message": _clean(f.message),
                                               "type": "insufficient-evidence"})
            el.text = _details(f)
        elif f.status in (Status.SKIPPED, Status.WAIVED):
            ET.SubElement(case, "skipped", {"message": _clean(_skip_message(f))})
        out = ET.SubElement(case, "system-out")
        out.text = f"severity: {f.severity.value}\nstatus: {f.status.value}\n" + (
            _details(f) if f.status is Status.PASS else "")
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")
