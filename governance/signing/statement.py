"""in-toto Statement v1 payloads: the report attestation and the approval attestation.

Report attestation (the payload of the main DSSE envelope)::

    {"_type": "https://in-toto.io/Statement/v1",
     "subject": [{"name": "model/model.bin", "digest": {"sha256": "<hex>"},
                  "annotations": {"roles": ["artifact:model"]}}, ...],
     "predicateType": "https://governance-checker.dev/attestations/report/v1",
     "predicate": {"reportId": ..., "generatedAt": "2026-01-01T00:00:00Z",
                   "target": {"release": "1.4.0", "environment": "production"},
                   "verdict": "pass", "report": {<the report's canonical JSON data>}}}

Subject names are POSIX paths relative to the project root (``--artifacts-root`` when
verifying) or ``pack:NAME`` for a policy pack shipped with the tool. ``reportId``,
``generatedAt``, ``target`` and ``verdict`` repeat fields of the embedded report so that other
tools can read them without our schema; the verifier checks they agree.

Approval attestation (one per signer, each in its own DSSE envelope)::

    {"_type": "https://in-toto.io/Statement/v1",
     "subject": [{"name": "report-statement", "digest": {"sha256": "<sha256 of the main
                  envelope's payload bytes>"}}],
     "predicateType": "https://governance-checker.dev/attestations/approval/v1",
     "predicate": {"role": "approver", "decision": "approve" | "reject", "comment": ...,
                   "signer": ..., "keyid": ..., "signedAt": ..., "reportId": ...,
                   "target": {"release": ..., "environment": ...}}}

Payloads are serialised as compact JSON with sorted keys (UTF-8, finite numbers only).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from governance.report import Report, Target, report_to_data
from governance.signing.strictjson import StrictJSONError, encode_json, is_canonical, loads

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
REPORT_PREDICATE_TYPE = "https://governance-checker.dev/attestations/report/v1"
APPROVAL_PREDICATE_TYPE = "https://governance-checker.dev/attestations/approval/v1"
APPROVAL_SUBJECT_NAME = "report-statement"
ROLE_PATTERN = r"^[a-z][a-z0-9_-]{0,63}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def iso(dt: datetime) -> str:
    """UTC, seconds precision, ``Z`` suffix."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Subject:
    name: str
    sha256: str
    roles: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "digest": {"sha256": self.sha256}}
        if self.roles:
            out["annotations"] = {"roles": list(self.roles)}
        return out


def report_statement(report: Report, subjects: list[Subject]) -> bytes:
    data = report_to_data(report)
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [s.to_json() for s in sorted(subjects, key=lambda s: s.name)],
        "predicateType": REPORT_PREDICATE_TYPE,
        "predicate": {
            "reportId": report.report_id,
            "generatedAt": data["generated_at"],
            "target": data["target"],
            "verdict": report.summary.status.value,
            "report": data,
        },
    }
    return encode_json(statement)


def approval_statement(*, report_payload: bytes, role: str, decision: str,
                       comment: str | None, signer: str | None, keyid: str,
                       signed_at: datetime, report_id: str, target: Target) -> bytes:
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": APPROVAL_SUBJECT_NAME,
                     "digest": {"sha256": sha256_hex(report_payload)}}],
        "predicateType": APPROVAL_PREDICATE_TYPE,
        "predicate": {
            "role": role, "decision": decision, "comment": comment, "signer": signer,
            "keyid": keyid, "signedAt": iso(signed_at), "reportId": report_id,
            "target": target.model_dump(mode="json"),
        },
    }
    return encode_json(statement)


# ---------------------------------------------------------------------------------------------
# Parsing (for verify): problems are returned as reasons, not raised.
# ---------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Digest(_Model):
    sha256: str = Field(pattern=SHA256_PATTERN)


class _Descriptor(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")

    name: str = Field(min_length=1)
    digest: _Digest
    annotations: dict[str, Any] | None = None


class _Statement(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    type_: str = Field(alias="_type")
    subject: list[_Descriptor] = Field(min_length=1)
    predicateType: str
    predicate: dict[str, Any]


class ReportPredicate(_Model):
    reportId: str
    generatedAt: datetime
    target: Target
    verdict: str
    report: Report


class ApprovalPredicate(_Model):
    role: str = Field(pattern=ROLE_PATTERN)
    decision: Literal["approve", "reject"]
    comment: str | None = None
    signer: str | None = None
    keyid: str
    signedAt: datetime
    reportId: str
    target: Target


@dataclass(frozen=True)
class ParsedStatement:
    type_: str
    predicate_type: str
    subjects: tuple[Subject, ...]
    predicate: dict[str, Any]


def _first_error(exc: ValidationError, prefix: str) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    where = f"{prefix}.{loc}" if loc else prefix
    msg = "required field is missing" if err["type"] == "missing" else err["msg"]
    return f"{where}: {msg}"


def parse_statement(payload: bytes, what: str) -> tuple[ParsedStatement | None, list[str]]:
    """Parse a Statement: strict JSON (no duplicate keys, NaN or unsafe integers; else None).

    A statement that is not byte for byte in our canonical encoding is returned *with* a
    problem: every caller treats a non-empty problem list as a refusal.
    """
    try:
        data = loads(payload)
    except StrictJSONError as exc:
        return None, [f"{what} payload is not valid JSON ({exc}): not an in-toto Statement"]
    # Parsed anyway (so every other problem is listed too), but a reason of its own: callers
    # refuse a statement that comes with problems.
    problems = [] if is_canonical(payload, data) else [
        f"{what} payload is not in canonical JSON (compact, sorted keys, UTF-8) as governance "
        "writes it"]
    try:
        st = _Statement.model_validate(data)
    except ValidationError as exc:
        return None, [f"{what} payload is not an in-toto Statement: "
                      f"{_first_error(exc, 'statement')}"]
    subjects = []
    for d in st.subject:
        roles: tuple[str, ...] = ()
        if d.annotations and isinstance(d.annotations.get("roles"), list):
            roles = tuple(str(r) for r in d.annotations["roles"])
        subjects.append(Subject(d.name, d.digest.sha256, roles))
    return ParsedStatement(st.type_, st.predicateType, tuple(subjects), st.predicate), problems


def parse_report_predicate(st: ParsedStatement) -> tuple[ReportPredicate | None, list[str]]:
    try:
        return ReportPredicate.model_validate(st.predicate), []
    except ValidationError as exc:
        return None, [f"report predicate is invalid: {_first_error(exc, 'predicate')}"]


def parse_approval_predicate(st: ParsedStatement,
                             what: str) -> tuple[ApprovalPredicate | None, list[str]]:
    try:
        return ApprovalPredicate.model_validate(st.predicate), []
    except ValidationError as exc:
        return None, [f"{what}: predicate is invalid: {_first_error(exc, 'predicate')}"]
