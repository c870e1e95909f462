"""Markdown summary: verdict, counts, failing rules, waivers; card text can't inject anything."""

from __future__ import annotations

import re

from governance.reporters import render
from governance.reporters.markdown import md


def test_summary_content(report):
    text = render(report, "markdown").decode()
    assert text.startswith("## Governance gate ✗ FAILED: credit-scoring 1.1.0\n")
    assert "**11 rules:** 3 ✗ fail · 2 ! error · 1 ~ waived · 1 – skipped · 4 ✓ pass" in text
    attention = text.split("### Needs attention", 1)[1].split("###", 1)[0]
    rows = [line for line in attention.splitlines() if line.startswith("| ") and "---" not in line]
    assert [r.split(" | ")[2] for r in rows[1:]] == [
        "FAIR-001", "DQ-001", "DRIFT-001", "VER-002", "DOC-002"]
    assert "| FAIR-002 | Dana Okafor \\(MRM\\) | 2025-03-31 | MRM-142 |" in text
    assert "- **expired** waiver of DQ-001" in text
    assert "<details><summary>All 11 rules</summary>" in text
    assert "This report is unsigned" in text


def test_signatures_listed(report, signatures):
    text = render(report, "markdown", signatures).decode()
    assert "| Ada Lovelace \\(ML engineering\\) | author | a1b2c3d4e5f60718 | submit | ✓ Verified" \
        in text
    assert "✗ NOT verified\\: key not in the trusted keys file" in text
    assert "unsigned" not in text


def test_escape_function():
    assert md("a <b> & c") == "a &lt;b&gt; &amp; c"
    assert md("[x](javascript:alert(1))") == "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"
    assert md("![i](http://h/x.png)") == "\\!\\[i\\]\\(http\\://h/x.png\\)"
    assert md("www.example.com") == "www\\.example.com"
    assert md("- item") == "\\- item" and md("# h") == "\\# h" and md("1. x") == "1\\. x"
    assert md("a | b\nc") == "a \\| b\\\\nc"  # the newline is shown as \n
    assert md("ping @team") == "ping @\u200bteam"
    assert md("`code` *em* _u_ ~s~") == "\\`code\\` \\*em\\* \\_u\\_ \\~s\\~"


def test_hostile_card_text_is_inert(hostile):
    canary, report = hostile
    text = render(report, "markdown").decode()
    # our own markup is the only raw HTML: details/summary/sub
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", text))
    assert tags <= {"details", "summary", "sub"}, tags
    assert "](" not in text  # no Markdown link or image from data
    assert "javascript:" not in text and "http://" not in text and "file://" not in text
    assert "javascript\\:alert\\(1\\)" in text
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in text
    assert "@\u200beveryone" in text and "@everyone" not in text
    assert canary.requests == []
