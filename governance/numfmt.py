"""Numbers for people that never contradict the decision they sit next to (issue 12 item 5).

A rule decides on exact floats; people read rounded text. Rounding each number on its own can
make ``0.09320975 <= 0.0932098`` read as ``0.09321 > 0.0932098`` beside PASS, or two different
values read as equal. The helpers here round a value and the threshold it was compared with
*together*, adding digits until the shown texts have the same order relation (``<``, ``=``,
``>``) as the exact values. JSON keeps exact values; only human text is rounded.

Stdlib only (imported by rules, reporters and the lint path alike).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation, localcontext

#: Most significant digits ever needed: 17 tell any two distinct doubles apart.
MAX_SIG = 17
#: Most decimals tried for fixed-point and percent text before falling back to exponents.
MAX_DECIMALS = 40


def _cmp(a: float | Decimal, b: float | Decimal) -> int:
    return (a > b) - (a < b)


def _parse(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").rstrip("%").strip())
    except InvalidOperation:
        return None


def _is_num(x: object) -> bool:
    return (isinstance(x, int | float) and not isinstance(x, bool)
            and math.isfinite(float(x)))


def _agree(a: float, b: float, ta: str, tb: str) -> bool:
    da, db = _parse(ta), _parse(tb)
    if da is None or db is None:
        return True  # not a number on screen (e.g. "—"): nothing to contradict
    return _cmp(a, b) == _cmp(da, db)


def sig(x: float, digits: int = 4) -> str:
    """``x`` with ``digits`` significant digits (``%g``)."""
    return f"{x:.{digits}g}"


def pct(x: float, decimals: int = 1) -> str:
    """``x`` (a share) as a percentage with ``decimals`` decimals, rounded exactly."""
    with localcontext() as ctx:
        ctx.prec = 200
        q = (Decimal(x) * 100).quantize(Decimal(1).scaleb(-decimals))
    if q == 0:
        q = abs(q)  # never "-0.0%"
    return f"{q:f}%"


def _fit(values: Sequence[float], bounds: Sequence[float], fmt: Callable[[float, int], str],
         start: int, stop: int) -> int | None:
    """The smallest precision in [start, stop] at which every value/bound pair keeps its order
    relation; None if none does."""
    pairs = [(a, b) for a in values for b in bounds]
    for p in range(start, stop + 1):
        if all(_agree(a, b, fmt(a, p), fmt(b, p)) for a, b in pairs):
            return p
    return None


def num_pair(value: float, bound: float, digits: int = 4) -> tuple[str, str]:
    """(value, bound) as text with at least ``digits`` significant digits, more if needed so
    that the texts compare like the numbers. ``num_pair(0.20000004, 0.2)`` is
    ``("0.20000004", "0.2")``, never ``("0.2", "0.2")``."""
    p = _fit([value], [bound], sig, digits, MAX_SIG) or MAX_SIG
    return sig(value, p), sig(bound, p)


def pct_pair(value: float, bound: float, decimals: int = 1) -> tuple[str, str]:
    """(value, bound) shares as percentages, with more decimals if needed (see num_pair)."""
    p = _fit([value], [bound], pct, decimals, MAX_DECIMALS)
    if p is None:  # tiny numbers: significant digits instead
        a, b = num_pair(value * 100, bound * 100, MAX_SIG)
        return a + "%", b + "%"
    return pct(value, p), pct(bound, p)


def compared(value: float | None, op: str, bound: float, digits: int = 4,
             percent: bool = False) -> str:
    """``"value op bound"`` (e.g. ``"0.2000004 > 0.2"``) with digits enough to be true."""
    if value is None:
        return f"undefined {op} {pct(bound) if percent else sig(bound, digits)}"
    a, b = pct_pair(value, bound) if percent else num_pair(value, bound, digits)
    return f"{a} {op} {b}"


def numbers(value: object, limit: int = 400) -> list[float]:
    """Every finite number in a JSON-like value (depth-first, at most ``limit``)."""
    out: list[float] = []
    stack = [value]
    while stack and len(out) < limit:
        v = stack.pop()
        if _is_num(v):
            out.append(float(v))  # type: ignore[arg-type]
        elif isinstance(v, dict):
            stack.extend(reversed(list(v.values())))
        elif isinstance(v, list | tuple):
            stack.extend(reversed(list(v)))
    return out


def decimals_for(values: Iterable[float], bounds: Iterable[float],
                 fmt: Callable[[float, int], str], base: int = 4,
                 cap: int = MAX_DECIMALS) -> int:
    """The precision (``fmt``'s second argument, at least ``base``) at which every number of
    ``values`` shows the same order relation to every number of ``bounds`` as it has."""
    vs = sorted(set(values))
    bs = sorted(set(bounds))
    if not vs or not bs:
        return base
    return _fit(vs, bs, fmt, base, cap) or cap


def row_decimals(row: Sequence[object], fmt: Callable[[float, int], str], base: int = 4,
                 cap: int = MAX_DECIMALS) -> int:
    """Precision at which the numbers of one table row keep their order relations to one
    another (a value and the threshold beside it)."""
    nums = sorted({float(x) for x in row if _is_num(x)})  # type: ignore[arg-type]
    if len(nums) < 2:
        return base
    return _fit(nums, nums, fmt, base, cap) or cap
