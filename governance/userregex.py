"""Regular expressions written by policy authors run on a linear-time engine.

Python's ``re`` backtracks: ``^(a|aa)+$`` on a long string of ``a`` runs for hours while
holding the interpreter, so no timeout can stop it. User-supplied patterns are therefore
compiled with RE2 (the maintained ``google-re2`` binding), whose matching time is linear in
the input. RE2 has no backreferences and no lookaround; a pattern using them is refused with
a message saying so. Patterns are also capped in length and in compiled size.

Without the binding (it is a declared dependency; this is defence in depth), patterns with
constructs that can backtrack (a quantified group, backreferences, lookaround) are refused.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

MAX_PATTERN_CHARS = 1_000
# RE2's memory budget per compiled pattern (its default is 8 MiB).
MAX_PROGRAM_BYTES = 8 << 20


class Matcher(Protocol):
    def search(self, text: str) -> Any: ...


class PatternError(ValueError):
    """A user pattern that is invalid or not allowed (pydantic shows the message)."""


_RISKY = re.compile(r"\)[*+?{]|\\[1-9]|\(\?[=!<]|\(\?P=")


def _re2() -> Any:
    try:
        import re2
    except ImportError:  # pragma: no cover - google-re2 is a dependency
        return None
    return re2


def compile_user_pattern(pattern: str) -> Matcher:
    """Compile ``pattern`` for linear-time matching; :class:`PatternError` if impossible."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise PatternError(f"pattern is {len(pattern)} characters; at most "
                           f"{MAX_PATTERN_CHARS} allowed")
    try:
        re.compile(pattern)  # the syntax users know; RE2 accepts a subset
    except re.error as exc:
        raise PatternError(f"not a valid regular expression: {exc}") from None
    re2 = _re2()
    if re2 is None:  # pragma: no cover - see the module docstring
        if _RISKY.search(pattern):
            raise PatternError("patterns with quantified groups, backreferences or lookaround "
                               "are refused (they can backtrack for hours); install "
                               "google-re2 for linear-time matching")
        return re.compile(pattern)
    options = re2.Options()
    options.log_errors = False
    options.max_mem = MAX_PROGRAM_BYTES
    try:
        compiled: Matcher = re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise PatternError("not supported by the linear-time regex engine (RE2; no "
                           f"backreferences or lookaround): {detail}") from None
    return compiled
