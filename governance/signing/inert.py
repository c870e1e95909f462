"""Text from a bundle, statement or trust file made inert for one line of terminal/CI output.

Signer names, keyid hints, subject names, comments and finding messages come from files a pull
request can write, and ``verify`` lists them even when no signature verifies. Control characters
(newline, carriage return, ESC, C1), bidirectional overrides and line separators become visible
escapes (``\\x0a``, ``\\u202e``), so no input can start a new line (``::error::``, ``##vso[``)
or recolour or reorder the terminal.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f"
                     "\u2028\u2029\ufeff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def one_line(text: str) -> str:
    return _UNSAFE.sub(_escape, text)
