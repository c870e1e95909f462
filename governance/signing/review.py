"""What an approver sees before co-signing: verified signatures, the verdict, what failed.

:func:`review_bundle` checks the bundle's existing signatures and approvals against the trust
file (as ``verify`` does), recomputes the verdict from the findings, and collects the findings
an approver must look at (fail, error, waived). ``governance approve`` prints the review and
refuses ``--decision approve`` when :attr:`Review.blockers` is not empty; a rejection is
always possible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from governance.report import Finding, Report, SignatureInfo, Status
from governance.signing.bundle import Bundle
from governance.signing.trust import TrustStore


@dataclass(frozen=True)
class Review:
    report: Report | None
    signatures: tuple[SignatureInfo, ...]
    attention: tuple[Finding, ...]  # fail, error and waived findings, in report order
    signature_problems: tuple[str, ...]
    verdict_problems: tuple[str, ...]

    @property
    def blockers(self) -> tuple[str, ...]:
        """Reasons an approval is refused (empty: approving is allowed)."""
        out = [*self.signature_problems, *self.verdict_problems]
        if self.report is not None and self.report.summary.status.value != "pass":
            out.append(f"the report's verdict is {self.report.summary.status.value!r}")
        return tuple(out)


def review_bundle(bundle: Bundle, trust: TrustStore, now: datetime | None = None) -> Review:
    from governance.signing.signers import analyse_signatures
    from governance.signing.verify import report_of
    from governance.verdict import verdict_problems

    pred, statement_problems = report_of(bundle.envelope)
    report = pred.report if pred is not None else None
    analysis = analyse_signatures(bundle, trust, report, now)
    sig_problems = [*statement_problems, *analysis.reasons]
    if not analysis.signers:
        sig_problems.append("no existing signature verifies against the trust file")
    v_problems: list[str] = []
    if report is not None and pred is not None:
        v_problems = verdict_problems(report)
        if pred.verdict != report.summary.status.value:
            v_problems.append(f"the statement's verdict {pred.verdict!r} disagrees with the "
                              f"report's {report.summary.status.value!r}")
    for f in report.findings if report is not None else []:
        # a waiver shown as signed must name a key the approver's trust file allows that role
        # (the waiver file itself is checked by `verify` against the bound files)
        signer = f.waiver.signed_by if f.waiver is not None else None
        if signer is None:
            continue
        key = trust.by_keyid(signer.keyid)
        if key is None or signer.role not in key.roles:
            sig_problems.append(f"finding {f.rule_id} shows a waiver signed by {signer.owner} as "
                                f"{signer.role} (key {signer.keyid[:16]}), which the trust file "
                                "does not allow")
    attention = tuple(f for f in (report.findings if report else [])
                      if f.status in (Status.FAIL, Status.ERROR, Status.WAIVED))
    return Review(report=report, signatures=analysis.infos, attention=attention,
                  signature_problems=tuple(sig_problems),
                  verdict_problems=tuple(v_problems))


def file_problems(bundle: Bundle, trust: TrustStore, root: Path) -> list[str]:
    """What ``verify`` would say about the files: subject digests and signed waiver files."""
    from governance.signing.statement import REPORT_PREDICATE_TYPE, parse_statement
    from governance.signing.verify import _check_subjects, report_of
    from governance.signing.waiver import report_waiver_problems

    st, _ = parse_statement(bundle.envelope.payload, "report statement")
    pred, _ = report_of(bundle.envelope)
    if st is None or st.predicate_type != REPORT_PREDICATE_TYPE:
        return []  # already a blocker of the review
    report = pred.report if pred is not None else None
    problems, _ = _check_subjects([(s.name, s.sha256, s.roles) for s in st.subjects], report,
                                  root)
    if report is not None:
        problems += report_waiver_problems(report, root, trust)
    return problems
