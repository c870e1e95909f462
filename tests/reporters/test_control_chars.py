"""ESC/BEL and other control characters from card or data text never reach output raw."""

from __future__ import annotations

import pytest

from governance.report import Report
from governance.reporters import render

EVIL = "\x1b]0;pwned\x07name\x00\x9b"


@pytest.mark.parametrize(("fmt", "shown"), [
    ("text", "pwned\\x07name\\x00\\x9b"),
    # Markdown source escapes the backslash, so the rendered page shows "\x07"
    ("markdown", "pwned\\\\x07name\\\\x00\\\\x9b"),
    ("html", "pwned\\x07name\\x00\\x9b"),
])
def test_control_characters_are_made_visible(report: Report, fmt: str, shown: str) -> None:
    hostile = report.model_copy(update={
        "model": report.model.model_copy(update={"name": EVIL})})
    out = render(hostile, fmt).decode("utf-8")
    assert not any(ch in out for ch in "\x1b\x07\x00\x9b")
    assert "\\x1b" in out
    assert shown in out
