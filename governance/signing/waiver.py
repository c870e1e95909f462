"""Signed waivers: a DSSE envelope around an in-toto Statement whose predicate is one waiver.

Statement (payload of a plain DSSE JSON envelope, ``payloadType application/vnd.in-toto+json``)::

    {"_type": "https://in-toto.io/Statement/v1",
     "subject": [{"name": "waiver:FAIR-002", "digest": {"sha256": "<sha256 of the compact,
                  sorted-keys JSON of predicate.waiver>"}}],
     "predicateType": "https://governance-checker.dev/attestations/waiver/v1",
     "predicate": {"waiver": {"rule_id": ..., "reason": ..., "approved_by": ..., "expires":
                   "2027-06-30", "ticket": ..., "scope": {"model": ..., "version": ...,
                   "group": ...}},
                   "policy": "credit-scoring-release" | null,
                   "role": "risk-officer", "keyid": "<signer keyid>", "signedAt": ...}}

``governance waiver sign`` writes it; :func:`verify_signed_waiver` checks it against the trust
file: the signature is by a trusted key, the predicate names that key, the role is one the
trust file allows the key, the subject digest matches the waiver. Whether the role may grant
waivers, ``max_days`` and the policy name are checked by :mod:`governance.signed_waivers`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from governance.errors import SigningError
from governance.report import Report, Waiver
from governance.signing.dsse import INTOTO_PAYLOAD_TYPE, Envelope, VerifyBudget, find_signer, sign
from governance.signing.keys import SigningKey
from governance.signing.statement import (
    ROLE_PATTERN,
    STATEMENT_TYPE,
    iso,
    parse_statement,
    sha256_hex,
)
from governance.signing.strictjson import encode_json
from governance.signing.trust import TrustedKey, TrustStore

WAIVER_PREDICATE_TYPE = "https://governance-checker.dev/attestations/waiver/v1"
MAX_WAIVER_FILE_BYTES = 256 * 1024


def waiver_data(waiver: Waiver) -> dict[str, Any]:
    data: dict[str, Any] = waiver.model_dump(mode="json", exclude={"signed_by"})
    return data


def waiver_statement(waiver: Waiver, *, policy: str | None, role: str, keyid: str,
                     signed_at: datetime) -> bytes:
    data = waiver_data(waiver)
    return encode_json({
        "_type": STATEMENT_TYPE,
        "subject": [{"name": f"waiver:{waiver.rule_id}",
                     "digest": {"sha256": sha256_hex(encode_json(data))}}],
        "predicateType": WAIVER_PREDICATE_TYPE,
        "predicate": {"waiver": data, "policy": policy, "role": role, "keyid": keyid,
                      "signedAt": iso(signed_at)},
    })


def sign_waiver(waiver: Waiver, key: SigningKey, *, role: str, policy: str | None,
                now: datetime) -> Envelope:
    import re

    if not re.match(ROLE_PATTERN, role):
        raise SigningError(f"invalid role {role!r}: use lowercase letters, digits, '-' and '_'",
                           field="--role")
    payload = waiver_statement(waiver, policy=policy, role=role, keyid=key.keyid,
                               signed_at=now)
    return sign(payload, INTOTO_PAYLOAD_TYPE, key)


def envelope_bytes(envelope: Envelope) -> bytes:
    return (json.dumps(envelope.to_json(), indent=2, sort_keys=True) + "\n").encode("utf-8")


class WaiverPredicate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    waiver: Waiver
    policy: str | None = None
    role: str = Field(pattern=ROLE_PATTERN)
    keyid: str
    signedAt: datetime


@dataclass(frozen=True)
class CheckedWaiver:
    """A parsed signed waiver; ``signer`` is None and ``problems`` say why when it failed."""

    predicate: WaiverPredicate
    signer: TrustedKey | None
    problems: tuple[str, ...]


def parse_signed_waiver(raw: bytes, where: str) -> tuple[Envelope, WaiverPredicate]:
    """The envelope and its (unverified) predicate; SigningError (exit 2) if malformed."""
    if len(raw) > MAX_WAIVER_FILE_BYTES:
        raise SigningError(f"signed waiver is larger than {MAX_WAIVER_FILE_BYTES} bytes",
                           path=where)
    from governance.signing.strictjson import StrictJSONError, loads

    try:
        data = loads(raw)
    except StrictJSONError as exc:
        raise SigningError(f"not a signed waiver: not a valid JSON DSSE envelope ({exc})",
                           path=where) from None
    envelope = Envelope.from_json(data, where=where, field="$")
    st, problems = parse_statement(envelope.payload, "signed waiver")
    if st is None or problems:
        raise SigningError(problems[0], path=where)
    if st.predicate_type != WAIVER_PREDICATE_TYPE:
        raise SigningError(f"not a signed waiver: predicateType {st.predicate_type!r}, "
                           f"expected {WAIVER_PREDICATE_TYPE!r}", path=where)
    try:
        pred = WaiverPredicate.model_validate(st.predicate)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise SigningError(f"signed waiver predicate is invalid: {err['msg']}", path=where,
                           field=f"predicate.{loc}") from None
    if pred.waiver.signed_by is not None:
        raise SigningError("signed waiver predicate is invalid: signed_by is not allowed",
                           path=where, field="predicate.waiver.signed_by")
    subj = st.subjects
    if (len(subj) != 1 or subj[0].name != f"waiver:{pred.waiver.rule_id}"
            or subj[0].sha256 != sha256_hex(encode_json(waiver_data(pred.waiver)))):
        raise SigningError("signed waiver subject does not match its waiver", path=where,
                           field="subject")
    return envelope, pred


def verify_signed_waiver(envelope: Envelope, pred: WaiverPredicate,
                         trust: TrustStore) -> CheckedWaiver:
    """Who signed the waiver, checked against ``trust`` (problems listed, never raised)."""
    problems: list[str] = []
    if envelope.payload_type != INTOTO_PAYLOAD_TYPE:
        problems.append(f"payloadType is {envelope.payload_type!r}, expected "
                        f"{INTOTO_PAYLOAD_TYPE!r}")
    budget = VerifyBudget()
    signer: TrustedKey | None = None
    for s in dict.fromkeys(envelope.signatures):
        idx = find_signer(envelope, s, trust.candidates(), budget)
        if idx is not None:
            signer = trust.keys[idx]
            break
    if signer is None:
        problems.append("it is not signed by a key in the trust file")
    else:
        if pred.keyid != signer.keyid:
            problems.append(f"it names keyid {pred.keyid[:16]} but was signed by "
                            f"{signer.short}")
        if pred.role not in signer.roles:
            problems.append(f"the trust file does not allow key {signer.short} "
                            f"({signer.owner}) to sign as {pred.role!r} (allowed: "
                            f"{', '.join(signer.roles)})")
    return CheckedWaiver(pred, signer if not problems else None, tuple(problems))


def report_waiver_problems(report: Report, root: Path, trust: TrustStore) -> list[str]:
    """Each applied waiver that claims a signer must be a bound, verifying waiver file.

    For ``verify``: an author with a trusted key could otherwise write ``signed_by`` into a
    waived finding. The waiver files are inputs of the report (role ``waiver``), so their
    digests are checked with the other subjects; here each one is verified against the
    verifier's trust file and matched to the waiver and signer the finding shows.
    """
    from governance.errors import GovernanceError
    from governance.evidence.store import ArtifactStore

    store = ArtifactStore(root)
    verified: list[tuple[dict[str, Any], str, str]] = []  # (waiver data, keyid, role)
    problems: list[str] = []
    for inp in report.inputs:
        if inp.role != "waiver":
            continue
        try:
            with store.resolve(inp.path).open("rb") as fh:  # bounded read (was the whole file)
                raw = fh.read(MAX_WAIVER_FILE_BYTES + 1)
            envelope, pred = parse_signed_waiver(raw, inp.path)
        except GovernanceError as exc:
            problems.append(f"signed waiver {inp.path} cannot be checked: {exc.message}")
            continue
        checked = verify_signed_waiver(envelope, pred, trust)
        if checked.signer is None:
            problems.append(f"signed waiver {inp.path} does not verify: "
                            f"{'; '.join(checked.problems)}")
            continue
        verified.append((waiver_data(pred.waiver), checked.signer.keyid, pred.role))
    for f in report.findings:
        w = f.waiver
        if w is None or w.signed_by is None:
            continue
        claim = (waiver_data(w), w.signed_by.keyid, w.signed_by.role)
        if claim not in verified:
            problems.append(f"finding {f.rule_id} shows a waiver signed by {w.signed_by.owner} "
                            f"as {w.signed_by.role} (key {w.signed_by.keyid[:16]}) that no "
                            "bound, verifying waiver file carries")
    return problems
