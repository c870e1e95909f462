"""One JSON reading for everything signed: parsers must never disagree about what was signed.

Python's ``json`` module accepts duplicate object keys (the last one wins; other parsers keep the
first or fail), ``NaN``/``Infinity``, ``1e400`` (infinity) and integers of any length (exact
here, rounded by JavaScript and Go). A signed document that two verifiers read differently is
a forgery waiting to happen, so bundles, envelopes, statements and signed waivers are read
with :func:`loads`, which refuses all of these (I-JSON, RFC 7493: integers within ±(2^53-1)).
:func:`is_canonical` tells whether payload bytes are exactly what we write (compact, sorted
keys, UTF-8): a statement we did not write byte for byte is refused instead of interpreted.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1


class StrictJSONError(ValueError):
    """The text is not JSON, or uses a construct parsers disagree on."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise StrictJSONError(f"duplicate key {k[:64]!r} in a JSON object")
        out[k] = v
    return out


def _constant(name: str) -> Any:
    raise StrictJSONError(f"non-finite number {name} is not JSON")


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 16:
        raise StrictJSONError(f"integer {text[:24]}{'…' if len(text) > 24 else ''} is beyond "
                              f"±{MAX_SAFE_INTEGER} (parsers would read it differently)")
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise StrictJSONError(f"integer {text} is beyond ±{MAX_SAFE_INTEGER} (parsers would "
                              "read it differently)")
    return value


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise StrictJSONError(f"number {text[:24]} overflows to infinity")
    return value


def loads(raw: bytes | str) -> Any:
    """Parse JSON strictly; raises :class:`StrictJSONError` (a ValueError) with the reason."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise StrictJSONError("not UTF-8 text") from None
    if text.startswith("\ufeff"):
        raise StrictJSONError("starts with a byte-order mark")
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant,
                          parse_int=_int, parse_float=_float)
    except StrictJSONError:
        raise
    except json.JSONDecodeError as exc:
        raise StrictJSONError(str(exc)) from None
    except RecursionError:
        raise StrictJSONError("JSON nested too deeply") from None
    except ValueError as exc:  # e.g. a number Python cannot convert
        raise StrictJSONError(f"not JSON: {exc}") from None


def encode_json(obj: Any) -> bytes:
    """The canonical encoding: compact, sorted keys, UTF-8, no NaN."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def is_canonical(raw: bytes, data: Any) -> bool:
    """Whether ``raw`` is exactly the compact, sorted-keys UTF-8 encoding of ``data``."""
    try:
        return encode_json(data) == raw
    except (ValueError, TypeError):
        return False
