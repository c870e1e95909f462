"""The verdict is derivable: one pure function from findings, ``fail_on`` and waivers to a Summary.

The engine uses :func:`summarize` to write a report's summary; ``sign``, ``approve`` and
``verify`` use :func:`verdict_problems` to recompute it from the report's own findings and
waiver notices and refuse a report whose summary disagrees (DESIGN principle 11). A report
edited by hand (``summary.status`` flipped to pass, a failure turned into ``waived`` without a
waiver, a count changed) is caught here; a finding edited by hand needs ``verify --reproduce``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from governance.report import (
    Counts,
    Finding,
    Report,
    Severity,
    Status,
    Summary,
    Verdict,
    WaiverNotice,
)

# Waiver notices that fail the gate on their own.
FAILING_NOTICES = ("expired", "refused")


def summarize(findings: Sequence[Finding], notices: Sequence[WaiverNotice],
              fail_on: Severity) -> Summary:
    """The summary of ``findings``: counts, the reasons the gate fails, and the verdict.

    The gate fails on a ``fail`` or ``error`` finding at or above ``fail_on`` and on an
    expired or refused waiver.
    """
    by_status = Counter(f.status.value for f in findings)
    by_severity = Counter(f.severity.value for f in findings)
    counts = Counts(
        by_status={s.value: by_status.get(s.value, 0) for s in Status},
        by_severity={s.value: by_severity.get(s.value, 0) for s in Severity},
    )
    reasons: list[str] = []
    for f in findings:
        if f.status in (Status.FAIL, Status.ERROR) and f.severity.rank >= fail_on.rank:
            reasons.append(f"{f.rule_id} ({f.severity.value}) {f.status.value}: {f.message}")
    for n in notices:
        if n.state in FAILING_NOTICES:
            reasons.append(n.message)
    verdict = Verdict.FAIL if reasons else Verdict.PASS
    return Summary(status=verdict, fail_on=fail_on, counts=counts, reasons=reasons)


def verdict_problems(report: Report) -> list[str]:
    """Every way the report's summary disagrees with its findings and waivers (empty: none).

    Checks: each ``waived`` finding carries a waiver for its own rule that had not expired
    when the report was generated; the recomputed summary (verdict, counts, reasons) equals
    the recorded one.
    """
    problems: list[str] = []
    today = report.generated_at.date()
    for f in report.findings:
        if f.status != Status.WAIVED:
            continue
        w = f.waiver
        if w is None:
            problems.append(f"finding {f.rule_id} is 'waived' but carries no waiver")
        elif w.rule_id != f.rule_id:
            problems.append(f"finding {f.rule_id} is waived by a waiver for {w.rule_id}")
        elif w.expires < today:
            problems.append(f"finding {f.rule_id} is waived by a waiver that expired on "
                            f"{w.expires.isoformat()}, before the report date "
                            f"{today.isoformat()}")
    recorded = report.summary
    derived = summarize(report.findings, report.waivers, recorded.fail_on)
    if derived.status != recorded.status:
        problems.append(f"summary.status is {recorded.status.value!r} but the findings give "
                        f"{derived.status.value!r} at fail_on {recorded.fail_on.value!r}")
    if derived.counts != recorded.counts:
        problems.append("summary.counts do not match the findings")
    if derived.reasons != recorded.reasons:
        problems.append("summary.reasons do not match the findings")
    return problems
