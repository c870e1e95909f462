"""Make control characters visible in text output (terminal, Markdown, HTML).

Card and data text can carry ESC/BEL sequences that re-title or repaint a terminal, or break a
job summary. Reporters pass their final text through :func:`visible_controls`; tab and newline
stay, every other C0/C1 control character becomes a ``\\xNN`` escape.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible_controls(text: str) -> str:
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
