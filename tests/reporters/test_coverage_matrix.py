"""Coverage matrix (issue 12 item 13): rules without clause references are shown, and each
clause is coloured by the worst status of its rules, in HTML, PDF and Markdown. A failing gate
never shows an all-green table."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from governance.engine import summarize
from governance.report import Finding, Reference, Report, Severity, Status
from governance.reporters import render
from governance.reporters._view import build_view, worst_status

from .conftest import build_report

EU = "EU AI Act"


def _finding(rule_id: str, status: Status, *clauses: str) -> Finding:
    return Finding(rule_id=rule_id, title=f"title of {rule_id}", kind="metric_threshold",
                   family="performance", severity=Severity.HIGH, status=status,
                   message=f"{rule_id} is {status.value}",
                   references=[Reference(framework=EU, clause=c) for c in clauses])


def make(findings: list[Finding]) -> Report:
    base = build_report()
    return base.model_copy(update={
        "findings": findings, "waivers": [],
        "summary": summarize(findings, [], Severity.INFO)})


@pytest.fixture(scope="module")
def failing_unmapped() -> Report:
    """The bug: every mapped rule passes; the rule that fails the gate maps to no clause."""
    return make([_finding("ACC-1", Status.PASS, "Art. 15(1)"),
                 _finding("DOC-1", Status.PASS, "Art. 11(1)"),
                 _finding("PRIV-9", Status.FAIL)])


@pytest.fixture(scope="module")
def mixed() -> Report:
    return make([_finding("A", Status.PASS, "Art. 15(1)"),
                 _finding("B", Status.ERROR, "Art. 15(1)"),
                 _finding("C", Status.WAIVED, "Art. 10(2)"),
                 _finding("D", Status.PASS, "Art. 10(2)"),
                 _finding("E", Status.SKIPPED, "Art. 12(1)"),
                 _finding("F", Status.FAIL, "Art. 12(1)", "Art. 15(1)"),
                 _finding("G", Status.PASS)])


def test_worst_status_order() -> None:
    assert worst_status([Status.PASS, Status.SKIPPED]) is Status.SKIPPED
    assert worst_status([Status.PASS, Status.SKIPPED, Status.WAIVED]) is Status.WAIVED
    assert worst_status([Status.WAIVED, Status.ERROR, Status.PASS]) is Status.ERROR
    assert worst_status([Status.ERROR, Status.FAIL]) is Status.FAIL
    assert worst_status([Status.PASS]) is Status.PASS


def test_view_colours_clause_by_worst_rule_and_lists_unmapped(mixed: Report) -> None:
    v = build_view(mixed)
    (fw,) = v.frameworks
    assert [(c.clause, c.status) for c in fw.clauses] == [
        ("Art. 10(2)", Status.WAIVED), ("Art. 12(1)", Status.FAIL),
        ("Art. 15(1)", Status.FAIL)]
    assert fw.unmapped is not None
    assert [(r.rule_id, r.status) for r in fw.unmapped.rules] == [("G", Status.PASS)]
    assert fw.unmapped.status is Status.PASS
    assert v.unmapped is not None and [r.rule_id for r in v.unmapped.rules] == ["G"]
    only_err = make([_finding("A", Status.PASS, "Art. 9"), _finding("B", Status.ERROR, "Art. 9")])
    assert build_view(only_err).frameworks[0].clauses[0].status is Status.ERROR


class Rows(HTMLParser):
    """(table caption, row class, row text) of every coverage table row."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[tuple[str, str, str]] = []
        self._table = False
        self._caption: list[str] | None = None
        self.caption = ""
        self._row: tuple[str, list[str]] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._table = "coverage" in (a.get("class") or "")
        elif tag == "caption" and self._table:
            self._caption = []
        elif tag == "tr" and self._table and "cov-row" in (a.get("class") or ""):
            self._row = (a.get("class") or "", [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self._caption is not None:
            self.caption = "".join(self._caption).strip()
            self._caption = None
        elif tag == "tr" and self._row is not None:
            self.rows.append((self.caption, self._row[0],
                              re.sub(r"\s+", " ", " ".join(self._row[1])).strip()))
            self._row = None
        elif tag == "table":
            self._table = False

    def handle_data(self, data: str) -> None:
        if self._caption is not None:
            self._caption.append(data)
        if self._row is not None:
            self._row[1].append(data)


def test_html_failing_gate_never_shows_an_all_green_table(failing_unmapped: Report) -> None:
    html = render(failing_unmapped, "html").decode()
    rows = Rows(html).rows
    eu = [r for r in rows if r[0] == "EU AI Act: evidence checked per clause"]
    assert [(cls, text) for _, cls, text in eu] == [
        ("cov-row cov-pass", "Art. 11(1) — ✓ Pass DOC-1 ✓ Pass"),
        ("cov-row cov-pass", "Art. 15(1) — ✓ Pass ACC-1 ✓ Pass"),
        ("cov-row cov-fail cov-unmapped",
         "not mapped to EU AI Act Rules without a clause reference ✗ Fail PRIV-9 ✗ Fail"),
    ]
    assert "The release gate failed" in html
    # Each table has a non-green row whenever the gate failed.
    for caption in {r[0] for r in rows}:
        assert any("cov-pass" not in cls for c, cls, _ in rows if c == caption), caption


def test_html_worst_status_colours(mixed: Report) -> None:
    rows = Rows(render(mixed, "html").decode()).rows
    assert [(cls.split()[1], text.split(" ")[0] + " " + text.split(" ")[1]) for _, cls, text
            in rows] == [("cov-waived", "Art. 10(2)"), ("cov-fail", "Art. 12(1)"),
                         ("cov-fail", "Art. 15(1)"), ("cov-pass", "not mapped")]
    html = render(mixed, "html").decode()
    assert "tr.cov-fail th, tr.cov-fail td { background: #fde6e6; }" in html


def test_html_no_framework_at_all_still_lists_the_rules() -> None:
    report = make([_finding("X", Status.FAIL), _finding("Y", Status.PASS)])
    rows = Rows(render(report, "html").decode()).rows
    assert rows == [("Rules that reference no framework clause", "cov-row cov-fail cov-unmapped",
                     "not mapped to any clause Rules without a clause reference ✗ Fail "
                     "X ✗ Fail Y ✓ Pass")]


def test_gate_failed_outside_the_findings_is_shown_in_every_table() -> None:
    """Every rule passes, but an expired waiver fails the gate: no table may be all green."""
    from datetime import date

    from governance.report import Waiver, WaiverNotice

    findings = [_finding("ACC-1", Status.PASS, "Art. 15(1)")]
    notice = WaiverNotice(waiver=Waiver(rule_id="ACC-1", reason="r", approved_by="x",
                                        expires=date(2025, 1, 1)), state="expired",
                          message="waiver for ACC-1 expired on 2025-01-01; renew or remove it")
    base = build_report()
    report = base.model_copy(update={
        "findings": findings, "waivers": [notice],
        "summary": summarize(findings, [notice], Severity.INFO)})
    assert report.summary.status.value == "fail"
    rows = Rows(render(report, "html").decode()).rows
    assert rows[-1] == ("EU AI Act: evidence checked per clause", "cov-row cov-fail cov-gate-row",
                        "release gate Reasons outside this table ✗ Fail waiver for ACC-1 "
                        "expired on 2025-01-01; renew or remove it")
    md_text = render(report, "markdown").decode()
    assert ("| *release gate* | reasons outside this table | 🔴 ✗ fail | waiver for ACC-1 "
            "expired on 2025-01-01; renew or remove it |") in md_text
    # A passing gate has no such row.
    ok = make(findings)
    assert all("cov-gate-row" not in cls for _, cls, _ in Rows(render(ok, "html").decode()).rows)


def test_markdown_coverage_matrix(failing_unmapped: Report, mixed: Report) -> None:
    text = render(failing_unmapped, "markdown").decode()
    section = text.split("### Framework coverage", 1)[1].split("###", 1)[0]
    assert ("| Clause | Subject | Worst outcome | Rules and outcomes |" in section)
    assert "| Art. 15\\(1\\) | — | 🟢 ✓ pass | ACC-1 ✓ pass |" in section
    assert ("| *not mapped to EU AI Act* | rules without a clause reference | 🔴 ✗ fail | "
            "PRIV-9 ✗ fail |") in section
    text = render(mixed, "markdown").decode()
    section = text.split("### Framework coverage", 1)[1].split("###", 1)[0]
    assert "| Art. 10\\(2\\) | — | 🟣 ~ waived | C ~ waived · D ✓ pass |" in section
    assert "| Art. 15\\(1\\) | — | 🔴 ✗ fail | A ✓ pass · B ! error · F ✗ fail |" in section


def test_pdf_shows_unmapped_failing_rule(failing_unmapped: Report, tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render(failing_unmapped, "pdf"))
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "not mapped to EU AI Act" in flat
    assert re.search(r"not mapped to EU AI Act Rules without a clause reference ✗ Fail "
                     r"PRIV-9 ✗ Fail", flat), flat[flat.find("4. Framework"):][:600]
