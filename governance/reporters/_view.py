"""A presentation view of a :class:`Report` shared by the HTML, PDF and Markdown reporters.

Grouping, ordering and wording decisions live here once, so that every human-readable
format says the same thing in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from governance.report import (
    EvidenceBlock,
    Finding,
    GroupMetricEvidence,
    IntervalEvidence,
    Report,
    Severity,
    SignatureInfo,
    Status,
    TableEvidence,
    WaiverNotice,
)
from governance.reporters._charts import (
    BarChart,
    IntervalChart,
    bar_chart_alt,
    group_chart,
    interval_chart,
    interval_chart_alt,
)
from governance.reporters._remediation import remediation

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

#: ``SignatureInfo.reason`` of the signature ``governance check --sign-key`` is about to make:
#: the report it renders names its author instead of saying "unsigned".
SIGNED_BY_THIS_RUN = "signed by this run"

#: Display order and titles of the built-in rule families; others follow alphabetically.
FAMILY_TITLES = {
    "documentation": "Documentation",
    "integrity": "Artifact integrity",
    "performance": "Performance",
    "fairness": "Fairness",
    "data_quality": "Data quality",
    "drift": "Drift",
    "privacy": "Privacy",
    "versioning": "Versioning",
}


def family_title(family: str) -> str:
    return FAMILY_TITLES.get(family, family.replace("_", " ").replace("-", " ").capitalize())


def _family_key(family: str) -> tuple[int, str]:
    order = list(FAMILY_TITLES)
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
class EvidenceView:
    block: EvidenceBlock
    chart: BarChart | IntervalChart | None
    numeric: tuple[bool, ...] = ()  # per table column: every value is a number
    alt: str = ""  # the chart's numbers in words (SVG <title>, PDF /Alt)
    digest: tuple[bool, ...] = ()  # per table column: every value is a hex digest


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False
    digest: bool = False


@dataclass(frozen=True)
class FactView:
    """An expected/observed value for people: a sentence, key-value rows or a table."""

    kind: str  # text | kv | table
    text: str = ""
    rows: tuple[tuple[str, str], ...] = ()
    columns: tuple[str, ...] = ()
    cells: tuple[tuple[Cell, ...], ...] = ()


@dataclass(frozen=True)
class FindingView:
    f: Finding
    anchor: str  # "finding-N": never derived from report text
    status_label: str
    status_symbol: str
    evidence: tuple[EvidenceView, ...]
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


@dataclass(frozen=True)
class ClauseView:
    clause: str
    title: str | None
    rules: tuple[RuleStatus, ...]


@dataclass(frozen=True)
class FrameworkView:
    name: str
    clauses: tuple[ClauseView, ...]


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


_HEX_DIGEST = re.compile(r"^(sha256:)?[0-9a-f]{40,128}$")


def _is_digest(v: object) -> bool:
    return isinstance(v, str) and bool(_HEX_DIGEST.match(v))


def _evidence(block: EvidenceBlock) -> EvidenceView:
    if isinstance(block, GroupMetricEvidence) and block.groups:
        return EvidenceView(block, group_chart(block), alt=bar_chart_alt(block))
    if isinstance(block, IntervalEvidence):
        chart = interval_chart(block)
        return EvidenceView(block, chart, alt=interval_chart_alt(block) if chart else "")
    if isinstance(block, TableEvidence):
        width = max([len(block.columns), *(len(row) for row in block.rows)])
        numeric = tuple(
            any(_is_number(row[i]) for row in block.rows if i < len(row))
            and all(_is_number(row[i]) or row[i] is None for row in block.rows if i < len(row))
            for i in range(width))
        digest = tuple(
            any(_is_digest(row[i]) for row in block.rows if i < len(row))
            and all(_is_digest(row[i]) or row[i] is None for row in block.rows if i < len(row))
            for i in range(width))
        return EvidenceView(block, None, numeric, digest=digest)
    return EvidenceView(block, None)


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _scalar(v: object) -> bool:
    return v is None or isinstance(v, str | bool | int | float)


def human_key(key: str) -> str:
    """``relative_tolerance`` -> ``relative tolerance`` (keys as words, not identifiers)."""
    return key.replace("_", " ")


def _flat_text(value: object) -> str | None:
    """A scalar, a list of scalars or a dict of scalars as one line; None if nothing to say."""
    from governance.reporters._jinja import fmt_value

    if value is None:
        return None
    if isinstance(value, dict):
        parts = [f"{human_key(k)} {_flat_text(v)}" for k, v in value.items()
                 if v is not None and _flat_text(v) is not None]
        return ", ".join(parts) if parts else None
    if isinstance(value, list):
        if not value:
            return "none"
        if all(_scalar(v) for v in value):
            return ", ".join(fmt_value(v) for v in value if v is not None)
        return fmt_value(value)
    return fmt_value(value)


def _table(rows: list[dict[str, object]], first: str | None = None) -> FactView:
    names = sorted({k for row in rows for k in row if k != first})
    numeric = {k: all(_is_number(r.get(k)) or r.get(k) is None for r in rows)
               and any(_is_number(r.get(k)) for r in rows) for k in [*names, first] if k}
    # Sorted (the canonical JSON sorts keys, so a re-rendered report reads the same), words
    # before numbers: the row's identity first, then its values.
    keys = ([first] if first else []) + sorted(names, key=lambda k: (numeric[k], k))
    cells = tuple(tuple(Cell(_flat_text(r.get(k)) or "—", numeric[k], _is_digest(r.get(k)))
                        for k in keys) for r in rows)
    return FactView("table", columns=tuple(human_key(k) for k in keys), cells=cells)


def fact_view(value: object) -> FactView | None:
    """Expected/observed JSON as a sentence, key-value rows or a table; None when absent.

    Keys without a value (``None``) are left out rather than shown as a placeholder; nested
    per-item values become table rows; numbers are rounded for reading (the JSON report keeps
    them exact)."""
    if value is None:
        return None
    if isinstance(value, list) and value and all(
            isinstance(v, dict) and all(_scalar(x) for x in v.values()) for v in value):
        return _table([dict(v) for v in value])
    if isinstance(value, dict):
        present = {k: v for k, v in value.items() if v is not None}
        if not present:
            return None
        if len(present) > 1 and all(isinstance(v, dict) and all(_scalar(x) for x in v.values())
                                    for v in present.values()):
            return _table([{"item": k, **v} for k, v in sorted(present.items())], first="item")
        rows = tuple((human_key(k), _flat_text(v) or "—") for k, v in sorted(present.items()))
        if len(rows) == 1:
            return FactView("text", text=f"{rows[0][0]}: {rows[0][1]}")
        return FactView("kv", rows=rows)
    text = _flat_text(value)
    return FactView("text", text=text) if text is not None else None


def _covered_by_table(value: object, f: Finding) -> str | None:
    """The title of an evidence table that already lists ``value`` row by row, if any."""
    if not (isinstance(value, list) and len(value) > 1 and all(isinstance(v, dict)
                                                               for v in value)):
        return None
    for b in f.evidence:
        if isinstance(b, TableEvidence) and len(b.rows) == len(value):
            return b.title
    return None


def _duplicate_group_table(block: EvidenceBlock, f: Finding) -> bool:
    """A plain table repeating a per-group chart's groups (shown once, with the chart)."""
    if not (isinstance(block, TableEvidence) and block.columns
            and block.columns[0].lower() == "group"):
        return False
    names = {str(row[0]) for row in block.rows if row and str(row[0]).lower() != "overall"}
    return any(isinstance(b, GroupMetricEvidence) and names
               and names == {g.group for g in b.groups} for b in f.evidence)


def _finding_view(f: Finding, index: int) -> FindingView:
    observed = fact_view(f.observed)
    covered = _covered_by_table(f.observed, f)
    if covered is not None and isinstance(f.observed, list):
        observed = FactView("text", text=f"{len(f.observed)} rows, listed in the table "
                            f"“{covered}” below")
    text, default = remediation(f)
    return FindingView(f=f, anchor=f"finding-{index}", status_label=STATUS_LABEL[f.status],
                       status_symbol=STATUS_SYMBOL[f.status],
                       evidence=tuple(_evidence(b) for b in f.evidence
                                      if not _duplicate_group_table(b, f)),
                       expected=fact_view(f.expected), observed=observed,
                       remediation=text, remediation_default=default)


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
        FrameworkView(name=name, clauses=tuple(
            ClauseView(clause=clause, title=title,
                       rules=tuple(RuleStatus(r, s) for r, s in sorted(rules.items())))
            for clause, (title, rules) in sorted(fw.items(), key=lambda kv: natural_key(kv[0]))))
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
        signatures=tuple(signature_view(s) for s in signatures), total=len(findings))
