"""A presentation view of a :class:`Report` shared by the HTML, PDF and Markdown reporters.

Grouping, ordering and wording decisions live here once, so that every human-readable
format says the same thing in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from governance.numfmt import decimals_for, numbers, row_decimals
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

#: ``SignatureInfo.reason`` of the signature ``governance check --sign-key`` is about to make:
#: the report it renders names its author instead of saying "unsigned".
SIGNED_BY_THIS_RUN = "signed by this run"

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
class EvidenceView:
    block: EvidenceBlock
    chart: BarChart | IntervalChart | None
    numeric: tuple[bool, ...] = ()  # per table column: every value is a number
    # Decimals for this block's numbers: 4, or more where fewer would make a value and the
    # threshold it was compared with look equal or swapped (issue 12 item 5).
    digits: int = 4
    alt: str = ""  # the chart's numbers in words (SVG <title>, PDF /Alt)
    digest: tuple[bool, ...] = ()  # per table column: every value is a hex digest
    # PDF: the title of an earlier table of the same finding with the same rows (same keys
    # in the same order); the PDF names this table instead of repeating it (HTML shows both).
    repeats: str = ""


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


def _digits(values: Sequence[float | None], bounds: Sequence[float | None]) -> int:
    return decimals_for([v for v in values if v is not None],
                        [b for b in bounds if b is not None], fmt_number)


_HEX_DIGEST = re.compile(r"^(sha256:)?[0-9a-f]{40,128}$")


def _is_digest(v: object) -> bool:
    return isinstance(v, str) and bool(_HEX_DIGEST.match(v))


def _evidence(block: EvidenceBlock) -> EvidenceView:
    chart: BarChart | IntervalChart | None = None
    if isinstance(block, GroupMetricEvidence):
        digits = _digits([x for g in block.groups for x in (g.value, g.ci_lower, g.ci_upper)]
                         + [block.overall], [block.threshold])
        chart = group_chart(block, digits) if block.groups else None
        return EvidenceView(block, chart, digits=digits,
                            alt=bar_chart_alt(block, digits) if chart else "")
    if isinstance(block, IntervalEvidence):
        digits = _digits([block.value, block.ci_lower, block.ci_upper], [block.threshold])
        chart = interval_chart(block, digits)
        return EvidenceView(block, chart, digits=digits,
                            alt=interval_chart_alt(block, digits) if chart else "")
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
        digits = max([4, *(row_decimals([*row, *_bounds_in_text(row)], fmt_number)
                           for row in block.rows[:2000])])
        return EvidenceView(block, None, numeric, digits=digits, digest=digest)
    # Named values (e.g. a share and the allowed share): keep their order relations.
    return EvidenceView(block, chart, digits=row_decimals(list(block.items.values()),
                                                          fmt_number))


#: A cell that states a comparison with a threshold, e.g. "PSI > 0.2" or "p < 0.05".
_BOUND_TEXT = re.compile(r"(?:<|>|<=|>=|≤|≥)\s*(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*$")


def _bounds_in_text(row: Sequence[object]) -> list[float]:
    """Thresholds written inside text cells of a table row (e.g. a drift table's "drift if"
    column), so that the numbers beside them get digits enough to compare the same way."""
    out: list[float] = []
    for cell in row:
        if isinstance(cell, str) and len(cell) <= 64:
            m = _BOUND_TEXT.search(cell)
            if m:
                out.append(float(m[1]))
    return out


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _scalar(v: object) -> bool:
    return v is None or isinstance(v, str | bool | int | float)


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


def human_key(key: str) -> str:
    """``relative_tolerance`` -> ``relative tolerance`` (keys as words, not identifiers); a key
    that is data (a group such as ``age_group=<25``) stays as it is."""
    return key.replace("_", " ") if _IDENTIFIER.match(key) else key


def _flat_text(value: object, digits: int = 4) -> str | None:
    """A scalar, a list of scalars or a dict of scalars as one line; None if nothing to say."""
    from governance.reporters._jinja import fmt_value

    if value is None:
        return None
    if isinstance(value, dict):
        parts = [f"{human_key(k)} {_flat_text(v, digits)}" for k, v in sorted(value.items())
                 if v is not None and _flat_text(v, digits) is not None]
        return ", ".join(parts) if parts else None
    if isinstance(value, list):
        if not value:
            return "none"
        if all(_scalar(v) for v in value):
            return ", ".join(fmt_value(v, digits) for v in value if v is not None)
        return fmt_value(value, digits)
    return fmt_value(value, digits)


def _table(rows: list[dict[str, object]], first: str | None = None, digits: int = 4
           ) -> FactView:
    names = sorted({k for row in rows for k in row if k != first})
    numeric = {k: all(_is_number(r.get(k)) or r.get(k) is None for r in rows)
               and any(_is_number(r.get(k)) for r in rows) for k in [*names, first] if k}
    # Sorted (the canonical JSON sorts keys, so a re-rendered report reads the same), words
    # before numbers: the row's identity first, then its values.
    keys = ([first] if first else []) + sorted(names, key=lambda k: (numeric[k], k))
    cells = tuple(tuple(Cell(_flat_text(r.get(k), digits) or "—", numeric[k],
                             _is_digest(r.get(k))) for k in keys) for r in rows)
    return FactView("table", columns=tuple(human_key(k) for k in keys), cells=cells)


def fact_view(value: object, digits: int = 4) -> FactView | None:
    """Expected/observed JSON as a sentence, key-value rows or a table; None when absent.

    Keys without a value (``None``) are left out rather than shown as a placeholder; nested
    per-item values become table rows; numbers are rounded for reading (the JSON report keeps
    them exact)."""
    if value is None:
        return None
    if isinstance(value, list) and value and all(
            isinstance(v, dict) and all(_scalar(x) for x in v.values()) for v in value):
        return _table([dict(v) for v in value], digits=digits)
    if isinstance(value, dict):
        present = {k: v for k, v in value.items() if v is not None}
        if not present:
            return None
        if len(present) > 1 and all(isinstance(v, dict) and all(_scalar(x) for x in v.values())
                                    for v in present.values()):
            return _table([{"item": k, **v} for k, v in sorted(present.items())], first="item",
                          digits=digits)
        rows = tuple((human_key(k), _flat_text(v, digits) or "—")
                     for k, v in sorted(present.items()))
        if len(rows) == 1:
            return FactView("text", text=f"{rows[0][0]}: {rows[0][1]}")
        return FactView("kv", rows=rows)
    text = _flat_text(value, digits)
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
    digits = decimals_for(numbers(f.observed), numbers(f.expected), fmt_number)
    observed = fact_view(f.observed, digits)
    covered = _covered_by_table(f.observed, f)
    if covered is not None and isinstance(f.observed, list):
        observed = FactView("text", text=f"{len(f.observed)} rows, listed in the table "
                            f"“{covered}” below")
    text, default = remediation(f)
    return FindingView(f=f, anchor=f"finding-{index}", status_label=STATUS_LABEL[f.status],
                       status_symbol=STATUS_SYMBOL[f.status],
                       evidence=_mark_repeats(tuple(_evidence(b) for b in f.evidence
                                                    if not _duplicate_group_table(b, f))),
                       expected=fact_view(f.expected, digits), observed=observed,
                       remediation=text, remediation_default=default, digits=digits)


REPEAT_MIN_ROWS = 10  # smaller tables are cheap to show twice


def _row_keys(block: TableEvidence) -> tuple[object, ...]:
    return tuple(repr(row[0]) if row else "" for row in block.rows)


def _mark_repeats(views: tuple[EvidenceView, ...]) -> tuple[EvidenceView, ...]:
    """Tables listing the same rows (e.g. a drift finding's decisive statistic per column, then
    every statistic per column) marked with the earlier table's title."""
    seen: dict[tuple[object, ...], str] = {}
    out = []
    for ev in views:
        b = ev.block
        if isinstance(b, TableEvidence) and len(b.rows) >= REPEAT_MIN_ROWS:
            keys = _row_keys(b)
            if keys in seen:
                ev = replace(ev, repeats=seen[keys])
            else:
                seen[keys] = b.title
        out.append(ev)
    return tuple(out)


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
