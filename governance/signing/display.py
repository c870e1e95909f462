"""Signature rows for the HTML/PDF sign-off block.

With a trust file, every signature is verified (signer identified by public key, approval
checked as in :func:`governance.signing.signers.analyse_signatures`); ``verified`` is True or
False with a ``reason``. Without one, the rows show what the approvals *claim* (matched by
keyid hint) and ``verified`` is None: nothing was checked.
"""

from __future__ import annotations

from pathlib import Path

from governance.report import Report, SignatureInfo, canonical_json
from governance.signing.bundle import Bundle, load_bundle
from governance.signing.statement import (
    APPROVAL_PREDICATE_TYPE,
    ApprovalPredicate,
    parse_approval_predicate,
    parse_statement,
)


def _claimed(bundle: Bundle) -> list[SignatureInfo]:
    claims: dict[str, ApprovalPredicate] = {}
    for i, a in enumerate(bundle.approvals):
        st, _ = parse_statement(a.payload, f"approval #{i + 1}")
        if st is None or st.predicate_type != APPROVAL_PREDICATE_TYPE:
            continue
        pred, _ = parse_approval_predicate(st, f"approval #{i + 1}")
        if pred is not None:
            claims.setdefault(pred.keyid, pred)
    out: list[SignatureInfo] = []
    for s in bundle.envelope.signatures:
        pred = claims.get(s.keyid or "")
        out.append(SignatureInfo(
            keyid=s.keyid or "", role=pred.role if pred else "unknown",
            signer=pred.signer if pred else None, decision=pred.decision if pred else None,
            comment=pred.comment if pred else None,
            signed_at=pred.signedAt if pred else None, verified=None,
            reason="not checked against a trust file"))
    return out


def signature_infos(envelope_path: Path, trusted_keys: Path | None, *,
                    report: Report | None = None) -> list[SignatureInfo]:
    """One row per signature on the report envelope (raises SigningError on bad input).

    With ``report`` (the report being rendered), signatures are shown as verifying only if the
    envelope signs exactly that report: an edited report.json next to a valid bundle gets
    every row marked not verified, with the reason.
    """
    bundle = load_bundle(envelope_path)
    from governance.signing.verify import report_of

    pred, _ = report_of(bundle.envelope)
    if trusted_keys is None:
        infos = _claimed(bundle)
    else:
        from governance.signing.signers import analyse_signatures
        from governance.signing.trust import load_trust_file

        trust = load_trust_file(trusted_keys)
        infos = list(analyse_signatures(bundle, trust, pred.report if pred else None).infos)
    if report is not None and (pred is None or canonical_json(pred.report) != canonical_json(
            report)):
        why = (f"the envelope {envelope_path.name} signs a different report (report id "
               f"{pred.report.report_id if pred else '?'}), not this one")
        infos = [i.model_copy(update={"verified": False, "reason": why}) for i in infos]
    return infos
