"""PDF/A-3b report checked with poppler and pikepdf: text, attachment, conformance markers,
determinism, and a fetch-free renderer (loopback canary)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from governance.report import canonical_json
from governance.reporters import render


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory, report) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(render(report, "pdf"))
    return path


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _embedded_names(path: Path) -> list[str]:
    out = _run("pdfdetach", "-list", str(path))
    return re.findall(r"^\d+: (.+)$", out, flags=re.M)


def test_text_has_verdict_and_every_rule(pdf_path, report):
    text = _run("pdftotext", "-layout", str(pdf_path), "-")
    assert "FAILED" in text
    for f in report.findings:
        assert f.rule_id in text, f.rule_id
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(pdf_path))).group(1))
    assert pages >= 3
    # running header (model, version, report id) and page numbers on later pages
    page2 = _run("pdftotext", "-layout", "-f", "2", "-l", "2", str(pdf_path), "-")
    assert "credit-scoring 1.1.0" in page2 and f"Report {report.report_id}" in page2
    assert f"Page 2 of {pages}" in page2
    assert "This report is unsigned" in text


def test_embedded_report_json_is_the_canonical_report(pdf_path, report, tmp_path):
    assert _embedded_names(pdf_path) == ["report.json"]
    out = tmp_path / "extracted.json"
    _run("pdfdetach", "-save", "1", "-o", str(out), str(pdf_path))
    assert out.read_bytes() == canonical_json(report)


def test_pdfa_3a_markers(pdf_path):
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "3A"
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        assert "/DestOutputProfile" in intents[0]
        af = pdf.Root.AF
        # WeasyPrint lists the one file spec twice (from the name tree and the object scan)
        assert len({a.objgen for a in af}) == 1
        spec = af[0]
        assert str(spec.AFRelationship) == "/Data"
        assert str(spec.UF) == "report.json"
        assert str(spec.EF.F.Subtype) == "/application/json"
        assert pdf.docinfo.CreationDate == "D:20250322093000Z"
        assert pdf.Root.Lang == "en"
    fonts = _run("pdffonts", str(pdf_path)).splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # all embedded
    assert all("DejaVu" in line for line in fonts)


def test_same_report_same_bytes_in_another_process(pdf_path, report, tmp_path):
    """`governance render` in a fresh interpreter (other hash seed) gives the same bytes."""
    saved = tmp_path / "report.json"
    saved.write_bytes(canonical_json(report))
    out = tmp_path / "again.pdf"
    proc = subprocess.run([sys.executable, "-m", "governance", "render", str(saved), "--format",
                           "pdf", "--output", str(out)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "random"})
    assert proc.returncode == 0, proc.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == \
        hashlib.sha256(pdf_path.read_bytes()).hexdigest()


def test_hostile_report_is_escaped_and_fetch_free(hostile, tmp_path):
    canary, report = hostile
    path = tmp_path / "hostile.pdf"
    path.write_bytes(render(report, "pdf"))
    assert canary.requests == []
    assert _embedded_names(path) == ["report.json"]  # nothing from file:///etc/passwd
    text = _run("pdftotext", str(path), "-")
    assert "<script>alert(1)</script>" in text  # shown as text
    assert "This report is unsigned" in text
    with pikepdf.open(path) as pdf:
        uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", [])
                if "/A" in a and "/URI" in a.A]
        assert uris == []  # no external link annotations at all


def test_fetcher_refuses_everything_but_data_even_if_markup_got_through(canary, tmp_path):
    """Defence in depth: raw hostile HTML laid out with our fetcher fetches nothing."""
    import weasyprint

    from governance.reporters.pdf import _fetcher

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    html = (f'<html><head><link rel="stylesheet" href="{canary.url("css")}">'
            f'<style>@import url({canary.url("import")}); body {{ background: '
            f'url({canary.url("bg")}) }}</style>'
            f'<link rel="attachment" href="{secret.as_uri()}"></head><body>'
            f'<img src="{canary.url("img")}"><img src="{secret.as_uri()}">'
            f'<a rel="attachment" href="{secret.as_uri()}">x</a>'
            '<img src="data:image/svg+xml;utf8,<svg xmlns=\'http://www.w3.org/2000/svg\' '
            'width=\'4\' height=\'4\'></svg>">ok</body></html>')
    fetcher = _fetcher()
    with pytest.raises(ValueError, match="blocked URL"):
        fetcher.fetch(canary.url("direct"))
    with pytest.raises(ValueError, match="blocked URL"):
        fetcher.fetch(secret.as_uri())
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    out = tmp_path / "raw.pdf"
    weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(out)
    assert canary.requests == []
    assert _embedded_names(out) == []
    assert b"TOP SECRET" not in out.read_bytes()


def _struct_elems(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    out: list[pikepdf.Dictionary] = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                out.append(node)
            if "/K" in node:
                stack.append(node.K)
    return out


def test_tagged_accessible_pdf(pdf_path, report):
    """PDF/A-3a = tagged: structure tree, marked content, language, title, headings, table
    headers linked to their cells, and alt text with the numbers for every chart."""
    info = _run("pdfinfo", str(pdf_path))
    assert re.search(r"^Tagged:\s+yes$", info, flags=re.M)
    assert re.search(r"^Title:\s+Governance audit report: credit-scoring 1.1.0$", info,
                     flags=re.M)
    with pikepdf.open(pdf_path) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        elems = _struct_elems(pdf)
        kinds = [str(e.S) for e in elems]
        for tag in ("/Document", "/H1", "/H2", "/H3", "/H4", "/Table", "/TH", "/TD", "/L",
                    "/Figure", "/Caption"):
            assert tag in kinds, tag
        figures = [e for e in elems if str(e.S) == "/Figure"]
        # passing and skipped findings are in brief in the PDF (no charts, no tables)
        charts = sum(1 for f in report.findings for b in f.evidence
                     if b.type in ("group_metric", "interval")
                     and f.status.value not in ("pass", "skipped"))
        assert charts and len(figures) == charts
        alts = [str(f.Alt) for f in figures]
        assert all(a.startswith(("Bar chart of ", "Interval chart of ")) for a in alts), alts
        group = next(b for f in report.findings for b in f.evidence if b.type == "group_metric")
        g = group.groups[0]
        assert any(f"{g.group} " in a and "(confidence interval " in a for a in alts)
        tds = [e for e in elems if str(e.S) == "/TD"]
        linked = [e for e in tds if "/A" in e and "/Headers" in e.A and len(e.A.Headers)]
        assert len(linked) / len(tds) > 0.9  # every data cell names its headers


def test_passing_findings_in_brief_failing_ones_in_full(pdf_path, report):
    """Passing/skipped findings: message and the decisive numbers (estimate, CI, threshold)
    in the PDF, no evidence tables or charts; fail/error/waived keep all their evidence."""
    text = " ".join(_run("pdftotext", str(pdf_path), "-").split())
    assert "Missing values in the training data" in text  # DQ-001 fails: its table
    assert "Population stability index" in text  # DRIFT-001 errs
    assert "True-positive rate by age group" in text  # FAIR-002 waived
    assert "Artifacts" not in text  # INT-001 passes: in brief, no table
    perf = next(f for f in report.findings if f.rule_id == "PERF-001")
    assert " ".join(perf.message.split()) in text
    b = perf.evidence[0]
    assert b.type == "interval" and b.threshold is not None
    assert "Estimate accuracy" in text and "CI" in text
    for number in (b.value, b.ci_lower, b.ci_upper, b.threshold):
        assert f"{number:.4g}".rstrip("0") in text, number
    assert "Accuracy on the test split" not in text  # its chart and table are in the HTML
    html = render(report, "html").decode()
    assert "Accuracy on the test split" in html and "Artifacts" in html


def test_a_table_repeating_the_rows_of_another_is_named_not_repeated(report, tmp_path):
    """A failing drift finding's two tables over the same columns: the PDF shows the first
    and names the second (the HTML shows both); the data stays in report.json."""
    from governance.report import Status, TableEvidence

    cols = [f"feature_{i:02d}" for i in range(12)]
    decisive = TableEvidence(title="Drift per column", columns=["column", "PSI", "drifted"],
                             rows=[[c, 0.3 if i == 0 else 0.01, "yes" if i == 0 else "no"]
                                   for i, c in enumerate(cols)])
    every = TableEvidence(title="All drift statistics", columns=["column", "PSI", "KS p-value"],
                          rows=[[c, 0.3 if i == 0 else 0.01, 0.5] for i, c in enumerate(cols)])
    drift = next(f for f in report.findings if f.rule_id == "DRIFT-001").model_copy(
        update={"status": Status.FAIL, "evidence": [decisive, every]})
    rep = report.model_copy(update={"findings": [
        drift if f.rule_id == "DRIFT-001" else f for f in report.findings]})
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render(rep, "pdf"))
    text = " ".join(_run("pdftotext", str(pdf), "-").split())
    assert "Drift per column" in text and "feature_11" in text
    assert ("The table “All drift statistics” (12 rows × 3 columns: column, PSI, KS p-value) "
            "lists the same rows as “Drift per column” above") in text
    assert text.count("feature_11") == 1
    html = render(rep, "html").decode()
    assert html.count("feature_11") == 2
