"""Signing a report statement and co-signing it with a signed approval.

Every signer does two things with one key:

1. adds a signature over the PAE of the *main* envelope (so the envelope is a plain DSSE
   multi-signature that a threshold verifier such as securesystemslib accepts), and
2. adds an approval attestation: its own DSSE envelope whose Statement subject is the sha256
   of the main payload and whose predicate carries role, decision (approve/reject), comment,
   signer name, time and the report's id and target release/environment.

A key that already signed the envelope or already approved it is refused, so one key
contributes one signature and one role.
"""

from __future__ import annotations

import re
from datetime import datetime

from governance.errors import SigningError, VerificationError
from governance.report import Report, Target
from governance.signing.bundle import Bundle
from governance.signing.dsse import INTOTO_PAYLOAD_TYPE, Envelope, sign, verify_signature
from governance.signing.keys import SigningKey
from governance.signing.statement import (
    REPORT_PREDICATE_TYPE,
    ROLE_PATTERN,
    Subject,
    approval_statement,
    parse_report_predicate,
    parse_statement,
    report_statement,
)

DECISIONS = ("approve", "reject")
MAX_COMMENT = 2000


def _check_role(role: str, decision: str, comment: str | None) -> None:
    if not re.match(ROLE_PATTERN, role):
        raise SigningError(f"invalid role {role!r}: use lowercase letters, digits, '-' and '_'",
                           field="--role")
    if decision not in DECISIONS:
        raise SigningError(f"invalid decision {decision!r}: approve or reject",
                           field="--decision")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise SigningError(f"comment longer than {MAX_COMMENT} characters", field="--comment")


def _ptype(st: object) -> str:
    return f"predicateType {getattr(st, 'predicate_type', '')!r}"


def check_verdict(report: Report, action: str, where: str | None = None) -> None:
    """Refuse (exit 1) a report whose summary is not the one its findings give."""
    from governance.verdict import verdict_problems

    problems = verdict_problems(report)
    if problems:
        raise VerificationError(f"refusing to {action}: the report's verdict does not follow "
                                f"from its findings: {'; '.join(problems)}", path=where)


def approval_envelope(*, report_payload: bytes, key: SigningKey, role: str, decision: str,
                      comment: str | None, signer: str | None, now: datetime, report_id: str,
                      target: Target) -> Envelope:
    payload = approval_statement(report_payload=report_payload, role=role, decision=decision,
                                 comment=comment, signer=signer, keyid=key.keyid,
                                 signed_at=now, report_id=report_id, target=target)
    return sign(payload, INTOTO_PAYLOAD_TYPE, key)


def create_bundle(report: Report, subjects: list[Subject], key: SigningKey, *, role: str,
                  now: datetime, signer: str | None = None,
                  comment: str | None = None) -> Bundle:
    """The author's bundle: the signed report statement plus the author's approval."""
    _check_role(role, "approve", comment)
    check_verdict(report, "sign")
    payload = report_statement(report, subjects)
    envelope = sign(payload, INTOTO_PAYLOAD_TYPE, key)
    approval = approval_envelope(report_payload=payload, key=key, role=role, decision="approve",
                                 comment=comment, signer=signer, now=now,
                                 report_id=report.report_id, target=report.target)
    return Bundle(envelope, (approval,))


def approve_bundle(bundle: Bundle, key: SigningKey, *, role: str, decision: str,
                   comment: str | None, signer: str | None, now: datetime,
                   where: str = "<envelope>") -> Bundle:
    """Co-sign ``bundle`` with ``key`` and add its approval attestation."""
    _check_role(role, decision, comment)
    env = bundle.envelope
    if env.payload_type != INTOTO_PAYLOAD_TYPE:
        raise SigningError(f"refusing to co-sign: payloadType is {env.payload_type!r}, expected "
                           f"{INTOTO_PAYLOAD_TYPE!r}", path=where)
    pae = env.pae()
    for s in env.signatures:
        if verify_signature(key.public, pae, s.sig):
            raise SigningError(f"key {key.keyid[:16]} has already signed this report; a key "
                               "signs once", path=where)
    for a in bundle.approvals:
        for s in a.signatures:
            if verify_signature(key.public, a.pae(), s.sig):
                raise SigningError(f"key {key.keyid[:16]} has already approved this report; a "
                                   "key signs once", path=where)
    st, problems = parse_statement(env.payload, "report statement")
    if st is None or problems or st.predicate_type != REPORT_PREDICATE_TYPE:
        detail = problems[0] if problems else _ptype(st)
        raise SigningError(f"refusing to co-sign: not a governance report attestation "
                           f"({detail})", path=where)
    pred, problems = parse_report_predicate(st)
    if pred is None:
        raise SigningError(f"refusing to co-sign: {problems[0]}", path=where)
    if decision == "approve":  # a rejection is always possible
        check_verdict(pred.report, "approve", where)
    if decision == "approve" and pred.verdict != pred.report.summary.status.value:
        raise VerificationError(f"refusing to co-sign: the statement's verdict "
                                f"{pred.verdict!r} disagrees with the report's "
                                f"{pred.report.summary.status.value!r}", path=where)
    if decision == "approve" and pred.report.summary.status.value != "pass":
        raise VerificationError("refusing to approve a failing report (verdict "
                                f"{pred.report.summary.status.value!r}); `--decision reject` "
                                "records a rejection", path=where)
    approval = approval_envelope(report_payload=env.payload, key=key, role=role,
                                 decision=decision, comment=comment, signer=signer, now=now,
                                 report_id=pred.report.report_id, target=pred.report.target)
    return Bundle(env.signed_by(key), (*bundle.approvals, approval))
