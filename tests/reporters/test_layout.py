"""Look at the report as a reader does: the HTML laid out by headless Chromium at 1280 px has
no horizontal overflow, the PDF (poppler ``pdftotext -bbox``) has no text outside the page's
margins, and every finding appears in both. Uses the rich fixture report (failing, waived,
errors) and a synthetic report with the long digests, paths and group names that used to be
cut off."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from governance.report import (
    Finding,
    GroupMetricEvidence,
    GroupValue,
    Severity,
    Status,
    TableEvidence,
)
from governance.reporters import render

MM = 72 / 25.4
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: Injected into a copy of the report (the report itself has no script): lists every block
#: element whose content is wider than its box, and the page's own scroll width.
OVERFLOW_PROBE = """<script>
(function () {
  var bad = [];
  document.querySelectorAll('body, body *').forEach(function (el) {
    var cs = getComputedStyle(el);
    if (cs.display.indexOf('inline') === 0 || cs.display === 'none') return;
    if (el.closest('.visually-hidden')) return;
    if (el.scrollWidth > el.clientWidth + 1) {
      bad.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + el.scrollWidth + '>' +
               el.clientWidth + ' ' + (el.textContent || '').trim().slice(0, 60));
    }
  });
  var out = document.createElement('pre');
  out.id = 'overflow-result';
  out.textContent = JSON.stringify({page: document.documentElement.scrollWidth,
                                    viewport: window.innerWidth, bad: bad});
  document.body.appendChild(out);
})();
</script>"""


def wide_report(make_report):  # type: ignore[no-untyped-def]
    """The fixture report plus a finding with what used to overflow or be cut."""
    base = make_report()
    digest = "0642efe749ed2aefd41e0cfd8e42a33fe71907807f07e7d5acda6c91be823a0d"
    groups = [GroupValue(group=f"race=Amer-Indian-Eskimo-and-Pacific-Islander-{i}", value=0.5 +
                         i / 10, n=100 + i, ci_lower=0.4 + i / 10, ci_upper=0.6 + i / 10)
              for i in range(3)]
    extra = Finding(
        rule_id="INT-009", title="Every artifact matches its pinned sha256",
        kind="artifact_integrity",
        family="integrity", severity=Severity.CRITICAL, status=Status.FAIL,
        message="1 of 2 artifacts changed",
        observed=[{"artifact": "feature-importance", "declared": 0.7367,
                   "difference": 3.333333333332966e-05, "recomputed": 0.7366666666666667}],
        expected={"tolerance": 0.001, "relative_tolerance": None},
        evidence=[TableEvidence(title="Artifact digests", columns=[
            "artifact", "path", "declared sha256", "actual sha256", "state"], rows=[
            ["feature-importance", "explain/a-very-long-folder-name/feature_importance.csv",
             digest, digest[::-1], "changed"]] * 3),
            GroupMetricEvidence(title="selection_rate by race", feature="race",
                                metric="selection_rate", groups=groups)])
    return base.model_copy(update={"findings": [*base.findings, extra]})


@pytest.fixture(scope="module")
def wide(request):  # type: ignore[no-untyped-def]
    from tests.reporters.conftest import build_report

    return wide_report(build_report)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (see .ci/run)")
def test_html_has_no_horizontal_overflow_at_1280px(wide, tmp_path: Path) -> None:
    html = render(wide, "html").decode("utf-8").replace("</body>", OVERFLOW_PROBE + "</body>")
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    proc = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900",
         "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=60)
    found = re.search(r'<pre id="overflow-result">(.*?)</pre>', proc.stdout, flags=re.S)
    assert found, proc.stderr[-2000:]
    result = json.loads(found.group(1).replace("&gt;", ">").replace("&lt;", "<")
                        .replace("&amp;", "&"))
    assert result["viewport"] == 1280
    assert result["page"] <= result["viewport"], result
    assert result["bad"] == []
    dom = proc.stdout
    for f in wide.findings:
        assert f'<span class="rule-id">{f.rule_id}</span>' in dom


def _words(pdf: Path) -> tuple[list[tuple[float, float]], list[tuple[float, float, float,
                                                                   float, str, int]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages: list[tuple[float, float]] = []
    words: list[tuple[float, float, float, float, str, int]] = []
    for m in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out,
                         flags=re.S):
        pages.append((float(m.group(1)), float(m.group(2))))
        for w in re.finditer(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                             r'yMax="([\d.-]+)">(.*?)</word>', m.group(3)):
            words.append((float(w.group(1)), float(w.group(2)), float(w.group(3)),
                          float(w.group(4)), w.group(5), len(pages)))
    return pages, words


def test_pdf_text_stays_inside_the_page_margins_and_every_finding_appears(
        wide, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render(wide, "pdf"))
    pages, words = _words(pdf)
    assert pages and words
    margin = 15 * MM - 1.5  # @page margin: 15 mm left and right
    outside = [(text, page, round(x0), round(x1)) for x0, y0, x1, y1, text, page in words
               if x0 < margin or x1 > pages[page - 1][0] - margin or y0 < 0
               or y1 > pages[page - 1][1]]
    assert outside == []
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    for f in wide.findings:
        assert f.rule_id in text
        assert " ".join(f.title.split()) in text, f.title
    # nothing cut: the long group names are whole, the digests complete, no placeholder
    assert "race=Amer-Indian-Eskimo-and-Pacific-Islander-2" in text.replace(" ", "") or \
        "race=Amer-Indian-Eskimo-and-Pacific-Islander-2" in text
    assert "…" not in text
    assert "relative_tolerance" not in text and "relative tolerance: —" not in text
    assert "not stated" not in text.replace("not stated in the model card", "")
    assert "3.333333333332966e-05" not in text and "3.333e-05" in text
