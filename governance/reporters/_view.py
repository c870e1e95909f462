"""A presentation view of a :class:`Report` shared by the HTML, PDF and Markdown reporters.

Grouping, ordering and wording decisions live here once, so that every human-readable
format says the same thing in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from governance.numfmt import decimals_for, numbers
from governance.report import (
    Finding,
    Report,
    Severity,
    SignatureInfo,
    Status,
    WaiverNotice,
)
from governance.reporters import SIGNED_BY_THIS_RUN
from governance.reporters._evidence_view import (
    EvidenceView,
    covered_by_table,
    duplicate_group_table,
    evidence_view,
    mark_repeats,
)
from governance.reporters._facts import FactView, fact_view
from governance.reporters._jinja import fmt_number
from governance.reporters._remediation import remediation
from governance.rules.registry import FAMILIES

STATUS_ORDER = (Status.FAIL, Status.ERROR, Status.WAIVED, Status.SKIPPED, Status.PASS)
SEVERITY_ORDER = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW,
                  Severity.INFO)

STATUS_LABEL = {
    Status.PASS: "Pass",
    Status.FAIL: "Fail",
    Status.ERROR: "Error",
    Status.SKIPPED: "Skipped",
    Status.WAIVED: "Waived",
}
#: A symbol next to the word, so that status never depends on colour alone.
STATUS_SYMBOL = {
    Status.PASS: "✓",
    Status.FAIL: "✗",
    Status.ERROR: "!",
    Status.SKIPPED: "–",
    Status.WAIVED: "~",
}
STATUS_MEANING = {
    Status.PASS: "the evidence meets the rule",
    Status.FAIL: "the evidence does not meet the rule",
    Status.ERROR: "the evidence is missing or insufficient to decide",
    Status.SKIPPED: "the rule does not apply",
    Status.WAIVED: "a failure accepted by an approved waiver",
}


def family_title(family: str) -> str:
    """The family's heading: the registry's title (rules.registry.FAMILIES), else its name."""
    return FAMILIES.get(family, family.replace("_", " ").replace("-", " ").capitalize())


def _family_key(family: str) -> tuple[int, str]:
    order = list(FAMILIES)
    return (order.index(family), "") if family in order else (len(order), family)


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort ``Art. 9`` before ``Art. 10(2)``: digits compare as numbers."""
    parts = re.split(r"(\d+)", text)
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in parts if p)


def finding_order(f: Finding) -> tuple[int, int, str]:
    return (STATUS_ORDER.index(f.status), -f.severity.rank, f.rule_id)


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class FindingView:
    f: Finding
    anchor: str  # "finding-N": never derived from report text
    status_label: str
    status_symbol: str
    evidence: tuple[EvidenceView, ...]
    digits: int = 4  # decimals of the expected/observed values (see EvidenceView.digits)
    expected: FactView | None = None
    observed: FactView | None = None
    remediation: str | None = None
    remediation_default: bool = False


@dataclass(frozen=True)
class FamilyView:
    key: str
    title: str
    anchor: str  # "family-N"
    findings: tuple[FindingView, ...]
    counts: tuple[CountRow, ...]


@dataclass(frozen=True)
class MatrixRow:
    severity: str
    label: str
    counts: tuple[int, ...]  # in STATUS_ORDER
    total: int


@dataclass(frozen=True)
class RuleStatus:
    rule_id: str
    status: Status


#: How a coverage-matrix row is coloured: by the WORST status of its rules, in this order
#: (a failed or undecided rule colours its clause red/orange whatever its other rules say).
WORST_FIRST = (Status.FAIL, Status.ERROR, Status.WAIVED, Status.SKIPPED, Status.PASS)


def worst_status(statuses: Sequence[Status]) -> Status:
    """The worst of ``statuses`` (fail > error > waived > skipped > pass)."""
    return min(statuses, key=WORST_FIRST.index) if statuses else Status.SKIPPED


@dataclass(frozen=True)
class ClauseView:
    clause: str
    title: str | None
    rules: tuple[RuleStatus, ...]
    status: Status = Status.SKIPPED  # worst status of ``rules``


@dataclass(frozen=True)
class FrameworkView:
    name: str
    clauses: tuple[ClauseView, ...]
    # Rules of the policy that reference no clause of this framework (maybe none at all):
    # shown as a last row so that a failing rule never hides behind an all-green table.
    unmapped: ClauseView | None = None
    # When the gate failed for reasons no row of this table shows (an expired waiver of a
    # passing rule): those reasons, shown as a failing last row.
    gate_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignatureView:
    info: SignatureInfo
    state: str  # verified | not-verified | unchecked
    state_text: str
    signed: str


@dataclass(frozen=True)
class ReportView:
    report: Report
    title: str
    families: tuple[FamilyView, ...]
    attention: tuple[FindingView, ...]  # fail and error, most severe first
    waived: tuple[FindingView, ...]
    matrix: tuple[MatrixRow, ...]  # severity x status over all findings
    status_labels: tuple[CountRow, ...]  # STATUS_ORDER with labels (count = 0)
    generated: str
    target: str
    notices: tuple[WaiverNotice, ...]
    status_counts: tuple[CountRow, ...]
    severity_counts: tuple[CountRow, ...]
    frameworks: tuple[FrameworkView, ...]
    signatures: tuple[SignatureView, ...]
    total: int
    # Rules that reference no framework clause at all (with their worst status); None if none.
    unmapped: ClauseView | None = None


def _finding_view(f: Finding, index: int) -> FindingView:
    digits = decimals_for(numbers(f.observed), numbers(f.expected), fmt_number)
    observed = fact_view(f.observed, digits)
    covered = covered_by_table(f.observed, f)
    if covered is not None and isinstance(f.observed, list):
        observed = FactView("text", text=f"{len(f.observed)} rows, listed in the table "
                            f"“{covered}” below")
    text, default = remediation(f)
    return FindingView(f=f, anchor=f"finding-{index}", status_label=STATUS_LABEL[f.status],
                       status_symbol=STATUS_SYMBOL[f.status],
                       evidence=mark_repeats(tuple(evidence_view(b) for b in f.evidence
                                                    if not duplicate_group_table(b, f))),
                       expected=fact_view(f.expected, digits), observed=observed,
                       remediation=text, remediation_default=default, digits=digits)


def _when(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
        return dt.strftime("%Y-%m-%d %H:%M:%S UTC")
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def _status_counts(findings: Sequence[Finding]) -> tuple[CountRow, ...]:
    return tuple(CountRow(s.value, STATUS_LABEL[s], sum(1 for f in findings if f.status is s))
                 for s in STATUS_ORDER)


def signature_view(sig: SignatureInfo) -> SignatureView:
    signed = _when(sig.signed_at) if sig.signed_at else "—"
    if sig.verified is True:
        return SignatureView(sig, "verified", "✓ Verified against the trusted keys", signed)
    if sig.verified is False:
        reason = f": {sig.reason}" if sig.reason else ""
        return SignatureView(sig, "not-verified", f"✗ NOT verified{reason}", signed)
    if sig.reason == SIGNED_BY_THIS_RUN:
        return SignatureView(sig, "this-run", "✓ Signed when this report was produced; check "
                             "with governance verify", signed)
    return SignatureView(sig, "unchecked", "Not checked (no trusted keys given)", signed)


def build_view(report: Report, signatures: Sequence[SignatureInfo] = ()) -> ReportView:
    findings = list(report.findings)
    views = [_finding_view(f, i + 1) for i, f in enumerate(findings)]
    by_family: dict[str, list[FindingView]] = {}
    for fv in views:
        by_family.setdefault(fv.f.family, []).append(fv)
    families = tuple(
        FamilyView(key=fam, title=family_title(fam), anchor=f"family-{i + 1}",
                   findings=tuple(sorted(items, key=lambda fv: finding_order(fv.f))),
                   counts=tuple(c for c in _status_counts([fv.f for fv in items]) if c.count))
        for i, (fam, items) in enumerate(
            sorted(by_family.items(), key=lambda kv: _family_key(kv[0]))))

    clauses: dict[str, dict[str, tuple[str | None, dict[str, Status]]]] = {}
    for f in sorted(findings, key=lambda f: f.rule_id):
        for ref in f.references:
            fw = clauses.setdefault(ref.framework, {})
            title, rules = fw.get(ref.clause, (None, {}))
            rules[f.rule_id] = f.status
            fw[ref.clause] = (title or ref.title, rules)
    frameworks = tuple(
        _gate_row(report, FrameworkView(name=name, clauses=tuple(
            _clause(clause, title, rules)
            for clause, (title, rules) in sorted(fw.items(), key=lambda kv: natural_key(kv[0]))),
            unmapped=_unmapped(findings, name)))
        for name, fw in sorted(clauses.items(), key=lambda kv: kv[0].lower()))

    status_counts = tuple(
        CountRow(s.value, STATUS_LABEL[s], report.summary.counts.by_status.get(s.value, 0))
        for s in STATUS_ORDER)
    severity_counts = tuple(
        CountRow(s.value, s.value.capitalize(), report.summary.counts.by_severity.get(s.value, 0))
        for s in SEVERITY_ORDER)
    attention = tuple(sorted(
        (fv for fv in views if fv.f.status in (Status.FAIL, Status.ERROR)),
        key=lambda fv: (-fv.f.severity.rank, fv.f.status is Status.ERROR, fv.f.rule_id)))
    waived = tuple(sorted((fv for fv in views if fv.f.waiver is not None),
                          key=lambda fv: fv.f.rule_id))
    matrix = tuple(
        MatrixRow(severity=sev.value, label=sev.value.capitalize(),
                  counts=tuple(sum(1 for f in findings if f.severity is sev and f.status is st)
                               for st in STATUS_ORDER),
                  total=sum(1 for f in findings if f.severity is sev))
        for sev in SEVERITY_ORDER)
    t = report.target
    target = " / ".join(x for x in (t.release, t.environment) if x) or "not specified"
    return ReportView(
        report=report,
        title=f"Governance audit report: {report.model.name} {report.model.version}",
        families=families, attention=attention, waived=waived, matrix=matrix,
        status_labels=tuple(CountRow(s.value, STATUS_LABEL[s], 0) for s in STATUS_ORDER),
        generated=_when(report.generated_at), target=target,
        notices=tuple(sorted(report.waivers, key=lambda n: (n.state, n.waiver.rule_id))),
        status_counts=status_counts, severity_counts=severity_counts, frameworks=frameworks,
        signatures=tuple(signature_view(s) for s in signatures), total=len(findings),
        unmapped=_unmapped(findings, None))


def _clause(clause: str, title: str | None, rules: dict[str, Status]) -> ClauseView:
    items = tuple(RuleStatus(r, s) for r, s in sorted(rules.items()))
    return ClauseView(clause=clause, title=title, rules=items,
                      status=worst_status([rs.status for rs in items]))


def _gate_row(report: Report, fw: FrameworkView) -> FrameworkView:
    """A failed gate never shows an all-green table: if no row fails or errs, name why."""
    if report.summary.status.value == "pass":
        return fw
    rows = [*fw.clauses, *([fw.unmapped] if fw.unmapped else [])]
    if any(c.status in (Status.FAIL, Status.ERROR) for c in rows):
        return fw
    return FrameworkView(name=fw.name, clauses=fw.clauses, unmapped=fw.unmapped,
                         gate_reasons=tuple(report.summary.reasons) or ("the gate failed",))


def _unmapped(findings: Sequence[Finding], framework: str | None) -> ClauseView | None:
    """Rules with no clause of ``framework`` (``None``: of any framework), as one row."""
    rules = {f.rule_id: f.status for f in findings
             if not any(framework is None or r.framework == framework for r in f.references)}
    if not rules:
        return None
    label = ("not mapped to any clause" if framework is None
             else f"not mapped to {framework}")
    return _clause(label, None, rules)
