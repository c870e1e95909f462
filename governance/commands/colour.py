"""Colour for the terminal text report: on a terminal only, honouring NO_COLOR and FORCE_COLOR.

* ``NO_COLOR`` set to anything non-empty: never colour (https://no-color.org);
* else ``FORCE_COLOR`` non-empty (and not ``0``): always colour, even into a pipe;
* else colour only when the stream is a terminal and ``TERM`` is not ``dumb``.

Only the status words the text reporter writes at the start of a line, and the verdict, are
coloured; text that came from inputs is never touched.
"""

from __future__ import annotations

import os
import re
from typing import TextIO

RESET = "\x1b[0m"
COLOURS = {"PASS": "\x1b[32m", "FAIL": "\x1b[31m", "ERROR": "\x1b[1;31m", "WAIVED": "\x1b[33m",
           "SKIPPED": "\x1b[2m"}
_STATUS = re.compile(r"^(PASS|FAIL|ERROR|WAIVED|SKIPPED)(?= )", re.M)
_VERDICT = re.compile(r"^(verdict: )(PASS|FAIL)\b", re.M)


def use_colour(stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force and force != "0":
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and env.get("TERM") != "dumb"


def colourize(text: str) -> str:
    text = _STATUS.sub(lambda m: f"{COLOURS[m.group(1)]}{m.group(1)}{RESET}", text)
    return _VERDICT.sub(lambda m: f"{m.group(1)}{COLOURS[m.group(2)]}{m.group(2)}{RESET}", text)
