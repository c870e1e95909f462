"""Make control characters, bidi controls and CI workflow commands inert in report text.

Reporters pass their final multi-line text through :func:`visible_controls` (newline and tab
stay; every line is neutralised) and single-line fields through :func:`one_line`. Both are
:mod:`governance.textsafe`, the one mechanism shared with error messages and the CLI.
"""

from __future__ import annotations

from governance.textsafe import block, cap, one_line

__all__ = ["block", "cap", "one_line", "visible_controls"]


def visible_controls(text: str) -> str:
    return block(text)
