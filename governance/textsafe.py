"""Make text from inputs inert in every output (DESIGN principle 12): one mechanism.

Text from cards, policies, data and foreign files reaches terminals, CI logs, Markdown job
summaries and report files. Three things must never get through:

* **control characters** (ESC, BEL, CSI...): they repaint or re-title a terminal. C0 and C1
  controls and DEL become visible escapes (``\\x1b``); in single-line contexts newline,
  carriage return and tab too (``\\n``, ``\\r``, ``\\t``), so input cannot start a new line;
* **bidirectional controls** (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C) and the
  Unicode line/paragraph separators: they reorder or break what a reviewer sees ("Trojan
  Source"). They are shown as ``<U+202E>``;
* **CI workflow commands**: a line that begins with ``::`` (GitHub Actions), ``##[``
  (Azure Pipelines formatting) or contains ``##vso[`` (Azure logging commands) is acted on by
  the runner. Such a prefix gets its first character escaped (``\\x3a:``, ``\\x23#``).

:func:`one_line` is for single-line contexts (a field in the text report, an error message, a
Markdown or table cell, a JUnit attribute, a SARIF message, a progress line);
:func:`block` is for multi-line text: newlines and tabs stay, every line is neutralised.
:func:`excerpt` caps what is quoted from a foreign file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_SEPARATORS = "\u2028\u2029\ufeff"  # line/paragraph separators; zero-width no-break space
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0 (but newline and tab in blocks), DEL, C1, bidi controls and line separators.
_LINE_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}]")
_BLOCK_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}{_SEPARATORS}]")
# A workflow command at the start of a line (after blanks), or Azure's anywhere.
_COMMAND_START = re.compile(r"^([ \t]*)(?:(:)(?=:)|(#)(?=#\[))", re.MULTILINE)
_VSO = re.compile(r"(#)(?=#vso\[)", re.IGNORECASE)

TRUNCATED = "… (truncated)"


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"<U+{code:04X}>"


def _commands(text: str) -> str:
    text = _COMMAND_START.sub(
        lambda m: m.group(1) + ("\\x3a" if m.group(2) else "\\x23"), text)
    return _VSO.sub("\\\\x23", text)


def one_line(text: object) -> str:
    """``text`` as one inert line: controls, newlines, bidi escaped; no workflow command."""
    s = text if isinstance(text, str) else str(text)
    return _commands(_LINE_UNSAFE.sub(_escape, s))


def block(text: str) -> str:
    """Multi-line ``text`` made inert line by line (newlines and tabs stay)."""
    return _commands(_BLOCK_UNSAFE.sub(_escape, text))


def controls(text: str) -> str:
    """Controls and bidi characters escaped, newlines and tabs kept, workflow-command
    prefixes left alone: for a context that already cannot start a log line (the data of a
    GitHub annotation, whose newlines are percent-encoded; a JSON string)."""
    return _BLOCK_UNSAFE.sub(_escape, text)


_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}{_SEPARATORS}]|(#)(?=#vso\\[)", re.IGNORECASE)


def json_inert(text: str) -> str:
    """Serialised JSON made inert without changing its value: DEL, C1, bidi and line
    separators, and the ``#`` that starts ``##vso[``, become ``\\uXXXX`` escapes (JSON itself
    already escapes C0 controls and newlines). Only valid on JSON text: outside strings
    JSON has none of these characters."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def excerpt(text: object, limit: int = 80) -> str:
    """A short, inert quote of foreign text: at most ``limit`` characters, then "…"."""
    s = one_line(text)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def names(items: Iterable[object], *, limit: int = 20, width: int = 40) -> str:
    """A capped, inert list of names (column names of a foreign table) for messages."""
    seq = list(items)
    shown = ", ".join(excerpt(x, width) for x in seq[:limit])
    more = len(seq) - limit
    return shown + (f", … ({more} more)" if more > 0 else "")


def cap(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with a visible marker when it was longer."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(TRUNCATED))] + TRUNCATED
