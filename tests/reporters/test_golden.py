"""Golden files: every reporter's output for the fixture report, byte for byte.

Regenerate after a deliberate change with GOVERNANCE_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import pytest

from governance.reporters import render

# (format, golden file, with signatures)
CASES = [
    ("text", "report.txt", True),
    ("json", "report.json", False),
    ("sarif", "report.sarif", False),
    ("junit", "report.junit.xml", False),
    ("markdown", "report.md", True),
    ("markdown", "report-unsigned.md", False),
    ("html", "report.html", True),
    ("github", "report.github.txt", False),
    ("gitlab", "report.codequality.json", False),
]


@pytest.mark.parametrize(("fmt", "name", "signed"), CASES, ids=[c[1] for c in CASES])
def test_matches_golden(report, signatures, golden, fmt, name, signed):
    data = render(report, fmt, signatures if signed else ())
    golden(name, data)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "markdown", "html",
                                 "github", "gitlab"])
def test_deterministic(make_report, signatures, fmt):
    # Two independently built, equal reports render to identical bytes.
    a = render(make_report(), fmt, signatures)
    b = render(make_report(), fmt, signatures)
    assert a == b
    assert a.endswith(b"\n")


def test_json_golden_is_the_canonical_report(report):
    from governance.report import canonical_json, load_report

    data = render(report, "json")
    assert data == canonical_json(report)
    assert load_report(data) == report
