"""A small, deterministic YAML emitter for imported cards.

Strings are written plain only when the project's YAML 1.2 reader reads them back as the same
string; otherwise they are double-quoted (JSON escaping is valid YAML). Round-trip safety is
checked by the caller, which re-parses and validates the output.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9 _.,()/+'@-]*$")
_RESERVED = re.compile(
    r"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|"
    r"off|Off|OFF|y|Y|n|N)$")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite number in an imported card")
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if (_PLAIN.match(text) and not _RESERVED.match(text) and not text.endswith(" ")
            and ": " not in text and " #" not in text):
        return text
    # JSON escaping is valid YAML: C1/bidi characters and Azure's ##vso[ become \uXXXX, so
    # printing the imported card in a CI log or a terminal is inert (governance.textsafe).
    from governance.textsafe import json_inert

    return json_inert(json.dumps(text, ensure_ascii=False))


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            k = _scalar(str(key))
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{k}:")
                out.extend(_lines(item, indent + 2))
            else:
                out.append(f"{pad}{k}: {_inline(item)}")
        return out
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                sub = _lines(item, indent + 2)
                out.append(f"{pad}- {sub[0].lstrip()}")
                out.extend(sub[1:])
            elif isinstance(item, list) and item:
                out.append(f"{pad}-")
                out.extend(_lines(item, indent + 2))
            else:
                out.append(f"{pad}- {_inline(item)}")
        return out
    return [pad + _scalar(value)]


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def dump_yaml(data: dict[str, Any], header: list[str] | None = None) -> str:
    """Block-style YAML for a mapping, with optional ``#`` comment lines on top."""
    lines = [f"# {h}".rstrip() for h in header or []]
    lines.extend(_lines(data, 0))
    return "\n".join(lines) + "\n"
