"""HTML report: self-contained, accessible, complete, and immune to card-derived markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from governance.reporters import render
from governance.reporters._charts import group_chart

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "main", "footer", "nav",
    "section", "article", "h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "a",
    "span", "strong", "em", "code", "br", "div", "figure", "figcaption", "svg", "g", "rect",
    "line", "text", "circle", "tspan",
}


class Doc(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.headings: list[int] = []
        self._stack: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag not in ("span", "strong", "em", "code", "a"):
            self.text.append(" ")
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag not in ("span", "strong", "em", "code", "a"):
            self.text.append(" ")
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if not (self._stack and self._stack[-1] == "style"):
            self.text.append(data)

    @property
    def plain(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text))


@pytest.fixture(scope="module")
def html(report, signatures) -> str:
    return render(report, "html", signatures).decode()


@pytest.fixture(scope="module")
def doc(html) -> Doc:
    return Doc(html)


def test_self_contained_no_script_no_urls(html, doc):
    tags = {t for t, _ in doc.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert not re.search(r"(?i)\b(https?|file|ftp|javascript|data):", html)
    assert "url(" not in html and "@import" not in html
    for tag, attrs in doc.tags:
        assert "src" not in attrs
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if "href" in attrs:
            assert re.fullmatch(r"#[a-z]+(-\d+)?", attrs["href"] or ""), attrs["href"]
    ids = {a["id"] for _, a in doc.tags if "id" in a}
    for _, attrs in doc.tags:
        if "href" in attrs:
            assert attrs["href"][1:] in ids  # every in-document link has a target
    assert sum(1 for t, _ in doc.tags if t == "style") == 1


def test_accessible_structure(doc):
    html_tag = doc.tags[0]
    assert html_tag == ("html", {"lang": "en"})
    assert doc.headings[0] == 1 and doc.headings.count(1) == 1
    for prev, cur in zip(doc.headings, doc.headings[1:]):
        assert cur <= prev + 1, "heading levels must not skip"
    tables = sum(1 for t, _ in doc.tags if t == "table")
    captions = sum(1 for t, _ in doc.tags if t == "caption")
    assert tables == captions > 10
    ths = [a for t, a in doc.tags if t == "th"]
    assert ths and all(a.get("scope") in ("col", "row") for a in ths)
    svgs = [a for t, a in doc.tags if t == "svg"]
    assert len(svgs) == 3 and all(a.get("role") == "img" for a in svgs)


def test_cover_and_summary(doc, report):
    text = doc.plain
    assert "Release gate ✗ FAILED" in text
    for needle in ("credit-scoring 1.1.0", "credit-scoring-release 1.0.0", report.policy.sha256,
                   report.report_id, "2025-03-22 09:30:00 UTC",
                   "credit-scoring-1.1.0 / production", "governance-checker 0.1.0"):
        assert needle in text, needle
    for reason in report.summary.reasons:
        assert reason in text
    # severity x status matrix: Critical row = 1 fail, 0 error, 0 waived, 0 skipped, 1 pass
    m = re.search(r"Critical ((?:\d+ ){5})(\d+)", text)
    assert m and m.group(1).split() == ["1", "0", "0", "0", "1"] and m.group(2) == "2"
    m = re.search(r"All ((?:\d+ ){5})(\d+)", text)
    assert m and m.group(1).split() == ["3", "2", "1", "1", "4"] and m.group(2) == "11"


def test_every_finding_rendered_by_family(doc, report):
    text = doc.plain
    for f in report.findings:
        assert f"{f.rule_id} {f.title}" in text
        assert f.message in text
    order = [m.group(1) for m in re.finditer(r"2\.\d+ ([A-Z][a-z]+(?: [a-z]+)?) \d", text)]
    assert order == ["Documentation", "Artifact integrity", "Performance", "Fairness",
                     "Data quality", "Drift", "Privacy", "Versioning"]
    assert "Expected min: 0.8 Observed 0.7143" in text
    assert "Remediation: Re-weight the training data" in text
    assert "Defined at policy policy.yaml:60:5 field rules[3].params.min" in text


def test_evidence_blocks(doc, html):
    text = doc.plain
    # group metric table with CI and flag; interval; generic table; key/value
    assert "female 92 0.5 0.4 0.6 ⚠ yes" in text
    assert "male 208 0.7 0.636 0.764 no" in text
    assert "unknown 0 — — — no" in text
    assert "accuracy 0.7533 0.7267 0.78 95 % bootstrap (percentile) 300 0.7" in text
    assert "credit_amount 82 0.082 0.05 no" in text
    assert "columns scanned 21" in text
    assert "0.5 (flagged)" in text  # flagged bar says so in words, not colour only


def test_chart_geometry_matches_the_data(report, html):
    fair = next(f for f in report.findings if f.rule_id == "FAIR-001")
    ev = fair.evidence[0]
    c = group_chart(ev)
    # domain 0..0.8 (values 0.5, 0.7, CI up to 0.764, threshold 0.56) over [158, 522]
    assert (c.plot_left, c.plot_right) == (158.0, 522.0)
    assert c.threshold is not None and c.threshold.x == pytest.approx(158 + 0.56 / 0.8 * 364)
    female, male = c.bars
    assert female.flagged and female.width == pytest.approx(0.5 / 0.8 * 364, abs=0.01)
    assert male.ci == (pytest.approx(158 + 0.636 / 0.8 * 364, abs=0.01),
                       pytest.approx(158 + 0.764 / 0.8 * 364, abs=0.01))
    assert f'x1="{c.threshold.x}"' in html
    assert [t.label for t in c.ticks] == ["0", "0.2", "0.4", "0.6", "0.8"]


def test_waivers_coverage_inputs_environment(doc, report):
    text = doc.plain
    assert ("FAIR-002 Dana Okafor (MRM) Known under-representation of applicants over 60; "
            "re-sampling planned for the next release.") in text
    assert "2025-03-31 MRM-142" in text
    assert "✗ Expired DQ-001 Sam Lee 2025-01-31" in text
    assert "! Expiring FAIR-002" in text and "– Stale OLD-009" in text
    assert "EU AI Act: evidence checked per clause" in text
    assert "NIST AI RMF 1.0: evidence checked per clause" in text
    assert ("Art. 10(2)(f) Examination of possible biases ✗ Fail FAIR-001 ✗ Fail "
            "FAIR-002 ~ Waived" in text)
    # clauses in natural order
    eu = text.split("EU AI Act: evidence checked per clause", 1)[1].split("NIST", 1)[0]
    clauses = re.findall(r"Art\. \d+(?:\([^)]*\))*", eu)
    assert clauses == ["Art. 10(2)(f)", "Art. 10(3)", "Art. 10(5)", "Art. 11(1)",
                       "Art. 12(1)", "Art. 13(3)(b)", "Art. 15(1)", "Art. 73"]
    assert "compliant" not in text.lower()
    for i in report.inputs:
        assert f"{i.role} {i.path} {i.sha256}" in text
    assert "scikit-learn 1.9.0" in text


def test_signoff_with_and_without_signatures(doc, report):
    text = doc.plain
    assert "Ada Lovelace (ML engineering) author submit 2025-03-22 09:31:00 UTC ✓ Verified" in text
    assert "✗ NOT verified: key not in the trusted keys file" in text
    assert "Key id 0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" in text
    assert "Comment: Approved with waiver MRM-142" in text
    assert "unnamed signer compliance approve — Not checked" in text
    assert "unsigned" not in text
    unsigned = Doc(render(report, "html").decode()).plain
    assert "This report is unsigned." in unsigned
    assert "No signing key was used" in unsigned and "governance verify" in unsigned


def test_hostile_card_text_is_escaped(hostile):
    canary, report = hostile
    html = render(report, "html").decode()
    doc = Doc(html)
    tags = {t for t, _ in doc.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    for tag, attrs in doc.tags:
        assert "src" not in attrs and not any(k.startswith("on") for k in attrs), (tag, attrs)
        if "href" in attrs:
            assert re.fullmatch(r"#[a-z]+(-\d+)?", attrs["href"] or "")
        assert all("javascript" not in (v or "") and "127.0.0.1" not in (v or "")
                   for k, v in attrs.items() if k != "content"), (tag, attrs)
    assert sum(1 for t, _ in doc.tags if t == "style") == 1
    # the text is shown, escaped, exactly as written
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "<script>alert(1)</script> javascript:alert(1)" in doc.plain
    assert f"url(http://127.0.0.1:{canary.port}/col)" in doc.plain
    assert "<link rel=attachment href=file:///etc/passwd>" in doc.plain
    assert canary.requests == []


def test_minimal_and_ragged_reports_render_in_every_text_format(make_report):
    from governance.report import GroupMetricEvidence, GroupValue, TableEvidence

    base = make_report()
    empty = base.model_copy(update={"findings": [], "waivers": [], "inputs": [],
                                    "environment": {}})
    for fmt in ("text", "json", "sarif", "junit", "markdown", "html"):
        assert render(empty, fmt)
    html = Doc(render(empty, "html").decode()).plain
    assert "The policy has no rules." in html and "not recorded" in html
    # ragged table rows and a chart with more groups than fit on a page
    groups = [GroupValue(group=f"g{i:03d}", value=i / 100, n=10) for i in range(55)]
    f = base.findings[0].model_copy(update={"evidence": [
        TableEvidence(title="ragged", columns=["a"], rows=[["x", 1, 2.5], []]),
        GroupMetricEvidence(title="many", feature="f", metric="m", groups=groups)]})
    html = render(base.model_copy(update={"findings": [f]}), "html").decode()
    assert "The chart shows the first 40 groups; the table lists all 55." in html
    assert "g054" in html and html.count("<rect") == 40 + 2  # 40 bars + 2 legend swatches
