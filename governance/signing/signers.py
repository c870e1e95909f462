"""Who signed a report bundle, and what each signer approved.

The main envelope's signatures are checked against the trust file (each key counts once);
each approval attestation is checked (one signature, a trusted key, the right statement,
role, report, target and time) and bound to its key's envelope signature. Used by
:func:`governance.signing.verify.verify_bundle`, ``approve --review`` and the display of a
bundle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from governance.evidence.store import digests_equal
from governance.report import Report, SignatureInfo, Target
from governance.signing.bundle import Bundle
from governance.signing.dsse import INTOTO_PAYLOAD_TYPE, Envelope, VerifyBudget, find_signer
from governance.signing.keys import raw_public
from governance.signing.statement import (
    APPROVAL_PREDICATE_TYPE,
    APPROVAL_SUBJECT_NAME,
    STATEMENT_TYPE,
    ApprovalPredicate,
    ParsedStatement,
    iso,
    parse_approval_predicate,
    parse_statement,
    sha256_hex,
)
from governance.signing.trust import TrustedKey, TrustStore

FUTURE_SKEW = timedelta(minutes=5)


@dataclass
class _SignerState:
    key: TrustedKey
    signature_index: int
    role: str | None = None
    approval: ApprovalPredicate | None = None
    approval_ok: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SignatureAnalysis:
    """Who signed the main envelope and what each signer approved."""

    reasons: tuple[str, ...]
    signers: tuple[TrustedKey, ...]  # distinct trusted keys with a valid main signature
    infos: tuple[SignatureInfo, ...]
    roles: dict[str, tuple[str, ...]]  # role -> keyids with a valid approval in that role


def _who(k: TrustedKey) -> str:
    return f"key {k.short} ({k.owner})"


def _target_text(t: Target) -> str:
    return f"release {t.release!r}, environment {t.environment!r}"


def _utc(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


@dataclass
class _Signers:
    """The main envelope's signatures, checked: one state per distinct trusted key."""

    states: dict[bytes, _SignerState] = field(default_factory=dict)
    order: list[bytes] = field(default_factory=list)
    bad_infos: dict[int, SignatureInfo] = field(default_factory=dict)


def _envelope_signers(env: Envelope, trust: TrustStore, candidates: Any,
                      budget: VerifyBudget, reasons: list[str]) -> _Signers:
    out = _Signers()
    first_of: dict[bytes, int] = {}
    if not env.signatures:
        reasons.append("the envelope has no signatures")
    for i, s in enumerate(env.signatures):
        n = i + 1
        hint = (s.keyid or "")[:16] or "none"
        if s.sig in first_of:  # byte-identical: never verified twice
            why = (f"signature #{n} repeats signature #{first_of[s.sig] + 1} byte for byte; "
                   "a key signs once and counts once")
            reasons.append(why)
            out.bad_infos[i] = SignatureInfo(keyid=s.keyid or "", role="duplicate",
                                             verified=False, reason=why)
            continue
        first_of[s.sig] = i
        idx = find_signer(env, s, candidates, budget)
        if idx is None:
            hinted = trust.by_keyid(s.keyid)
            if budget.exhausted:
                why = (f"signature #{n} (keyid {hint}) was not checked: the verification "
                       "budget is spent (too many signatures that match no trusted key)")
            elif hinted is not None:
                why = (f"signature #{n} by {_who(hinted)} is invalid: the payload or "
                       "payloadType was altered after signing")
            else:
                why = f"signature #{n} (keyid {hint}) was not made by a trusted key"
            reasons.append(why)
            out.bad_infos[i] = SignatureInfo(keyid=s.keyid or "", role="unknown",
                                             signer=hinted.owner if hinted else None,
                                             verified=False, reason=why)
            continue
        key = trust.keys[idx]
        raw = raw_public(key.public)
        if raw in out.states:
            why = (f"signature #{n} duplicates the signature of {_who(key)} "
                   f"(signature #{out.states[raw].signature_index + 1}); a key signs once and "
                   "counts once")
            reasons.append(why)
            out.bad_infos[i] = SignatureInfo(keyid=key.keyid, role="duplicate",
                                             signer=key.owner, verified=False, reason=why)
            continue
        out.states[raw] = _SignerState(key=key, signature_index=i)
        out.order.append(raw)
    return out


def _approval_statement(a: Envelope, what: str, trust: TrustStore, candidates: Any,
                        budget: VerifyBudget, reasons: list[str]
                        ) -> tuple[TrustedKey, ParsedStatement, ApprovalPredicate] | None:
    """The approval's signer, statement and predicate; None (with reasons) when unusable."""
    if a.payload_type != INTOTO_PAYLOAD_TYPE:
        reasons.append(f"{what}: payloadType is {a.payload_type!r}, expected "
                       f"{INTOTO_PAYLOAD_TYPE!r}")
    if len(a.signatures) != 1:
        reasons.append(f"{what} has {len(a.signatures)} signatures; an approval is signed "
                       "by exactly one key")
        return None
    signer: TrustedKey | None = None
    for s in a.signatures:
        idx = find_signer(a, s, candidates, budget)
        if idx is not None:
            signer = trust.keys[idx]
            break
    if signer is None:
        reasons.append(f"{what} is not validly signed by a trusted key")
        return None
    st, problems = parse_statement(a.payload, what)
    if st is None or problems:
        reasons.extend(problems)
        return None
    if st.type_ != STATEMENT_TYPE or st.predicate_type != APPROVAL_PREDICATE_TYPE:
        reasons.append(f"{what}: not an approval attestation (predicateType "
                       f"{st.predicate_type!r})")
        return None
    pred, problems = parse_approval_predicate(st, what)
    if pred is None:
        reasons.extend(problems)
        return None
    return signer, st, pred


def _approval_problems(label: str, st: ParsedStatement, pred: ApprovalPredicate,
                       signer: TrustedKey, main_digest: str, report: Report | None,
                       now: datetime | None) -> list[str]:
    """What is wrong with a validly signed approval, against the statement and report."""
    mine: list[str] = []
    subj = st.subjects[0]
    if len(st.subjects) != 1 or subj.name != APPROVAL_SUBJECT_NAME or not digests_equal(
            subj.sha256, main_digest):
        mine.append(f"{label} was signed for a different report statement")
    if pred.keyid != signer.keyid:
        mine.append(f"{label} names keyid {pred.keyid[:16]} but was signed by "
                    f"{signer.short}")
    if pred.role not in signer.roles:
        mine.append(f"{label}: the trust file does not allow this key to sign as "
                    f"{pred.role!r} (allowed: {', '.join(signer.roles)})")
    signed_at = _utc(pred.signedAt)
    if now is not None and signed_at > _utc(now) + FUTURE_SKEW:
        mine.append(f"{label} is dated in the future ({iso(signed_at)}, now {iso(now)})")
    if report is not None:
        if signed_at < _utc(report.generated_at) - FUTURE_SKEW:
            mine.append(f"{label} is dated {iso(signed_at)}, before the report was "
                        f"generated ({iso(report.generated_at)})")
        if pred.reportId != report.report_id:
            mine.append(f"{label} is for report {pred.reportId}, not {report.report_id}")
        if pred.target != report.target:
            mine.append(f"{label} is for {_target_text(pred.target)}, but the report is "
                        f"for {_target_text(report.target)}")
    return mine


def _apply_approval(label: str, pred: ApprovalPredicate, signer: TrustedKey,
                    signers: _Signers, mine: list[str]) -> None:
    """Bind a checked approval to its key's envelope signature (one role per key)."""
    raw = raw_public(signer.public)
    state = signers.states.get(raw)
    if state is None:
        mine.append(f"{label}: the key has no valid signature on the report envelope")
    elif state.approval is not None:
        mine.append(f"{label}: this key already approved as {state.approval.role!r} in an "
                    "earlier approval; one key counts for one role")
        state = None
    if pred.decision == "reject":
        text = f": {pred.comment}" if pred.comment else ""
        mine.append(f"{label}: {signer.owner} rejected the release{text}")
    if state is not None:
        state.approval = pred
        state.role = pred.role
        state.approval_ok = not mine
        state.problems = mine


def _signature_infos(env: Envelope, signers: _Signers
                     ) -> tuple[list[SignatureInfo], dict[str, list[str]]]:
    roles: dict[str, list[str]] = {}
    final: list[SignatureInfo] = []
    by_index = {signers.states[r].signature_index: signers.states[r] for r in signers.order}
    for i in range(len(env.signatures)):
        if i in signers.bad_infos:
            final.append(signers.bad_infos[i])
            continue
        signer_state = by_index[i]
        pred = signer_state.approval
        if signer_state.approval_ok and pred is not None and pred.decision == "approve":
            roles.setdefault(pred.role, []).append(signer_state.key.keyid)
        if pred is None:
            reason: str | None = "no approval attestation for this signature"
        else:
            reason = "; ".join(signer_state.problems) or None
        final.append(SignatureInfo(
            keyid=signer_state.key.keyid, role=signer_state.role or "unknown",
            signer=signer_state.key.owner, decision=pred.decision if pred else None,
            comment=pred.comment if pred else None,
            signed_at=pred.signedAt if pred else None,
            verified=signer_state.approval_ok if pred else True, reason=reason))
    return final, roles


def analyse_signatures(bundle: Bundle, trust: TrustStore, report: Report | None,
                       now: datetime | None = None) -> SignatureAnalysis:
    env = bundle.envelope
    reasons: list[str] = []
    candidates = trust.candidates()
    budget = VerifyBudget()
    signers = _envelope_signers(env, trust, candidates, budget, reasons)

    main_digest = sha256_hex(env.payload)
    for j, a in enumerate(bundle.approvals):
        what = f"approval #{j + 1}"
        checked = _approval_statement(a, what, trust, candidates, budget, reasons)
        if checked is None:
            continue
        signer, st, pred = checked
        label = f"{what} ({pred.role} by {_who(signer)})"
        mine = _approval_problems(label, st, pred, signer, main_digest, report, now)
        _apply_approval(label, pred, signer, signers, mine)
        reasons.extend(mine)

    final, roles = _signature_infos(env, signers)
    return SignatureAnalysis(reasons=tuple(reasons),
                             signers=tuple(signers.states[r].key for r in signers.order),
                             infos=tuple(final),
                             roles={k: tuple(v) for k, v in roles.items()})


