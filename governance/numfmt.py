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
         start: int, stop: int, bound_fmt: Callable[[float, int], str] | None = None
         ) -> int | None:
    """The smallest precision in [start, stop] at which every value/bound pair keeps its order
    relation; None if none does."""
    bfmt = bound_fmt or fmt
    pairs = [(a, b) for a in values for b in bounds]
    for p in range(start, stop + 1):
        if all(_agree(a, b, fmt(a, p), bfmt(b, p)) for a, b in pairs):
            return p
    return None


def _sig_len(x: float) -> int:
    """Significant digits of the shortest text that reads back as ``x`` (``repr``)."""
    if not math.isfinite(x) or x == 0:
        return 1
    return len(Decimal(repr(x)).normalize().as_tuple().digits)


def _pct_len(x: float) -> int:
    """Decimals of ``x`` as a percentage, written as briefly as ``repr(x)`` allows."""
    if not math.isfinite(x) or x == 0:
        return 0
    exp = (Decimal(repr(x)) * 100).normalize().as_tuple().exponent
    return max(0, -int(exp)) if isinstance(exp, int) else 0


def sig_len(x: float) -> int:
    """Significant digits ``x`` was written with (its shortest round-trip text), at most 17."""
    return min(MAX_SIG, _sig_len(x))


def _bound_sig(b: float, p: int) -> str:
    # A threshold is a number someone wrote: never shown with fewer digits than it has.
    return sig(b, min(MAX_SIG, max(p, _sig_len(b))))


def _bound_pct(b: float, p: int, base: int = 1) -> str:
    own = max(base, min(MAX_DECIMALS, _pct_len(b)))
    text = pct(b, max(p, own))
    if p > own and _parse(text) == _parse(pct(b, own)):
        return pct(b, own)  # the extra digits are zeros: show the threshold as written
    return text


def num_texts(values: Sequence[float], bounds: Sequence[float], digits: int = 4,
              written: bool = True) -> tuple[list[str], list[str]]:
    """Values with at least ``digits`` significant digits, bounds with at least the digits
    they were written with (``written``: a threshold from a policy; else a computed limit,
    rounded like the values), and more where needed so that every value/bound pair of
    texts compares like the numbers."""
    # Values get at least the precision of the most precise written bound beside them.
    floor = max([digits, *(_sig_len(b) for b in bounds if written)])

    def value_sig(v: float, p: int) -> str:
        return sig(v, min(MAX_SIG, max(p, floor)))

    bound_fmt = _bound_sig if written else value_sig
    p = _fit(values, bounds, value_sig, digits, MAX_SIG, bound_fmt) or MAX_SIG
    return [value_sig(v, p) for v in values], [bound_fmt(b, p) for b in bounds]


def num_pair(value: float, bound: float, digits: int = 4,
             written: bool = True) -> tuple[str, str]:
    """(value, bound) as text (see :func:`num_texts`). ``num_pair(0.20000004, 0.2)`` is
    ``("0.20000004", "0.2")``, never ``("0.2", "0.2")``."""
    (a,), (b,) = num_texts([value], [bound], digits, written)
    return a, b


def pct_pair(value: float, bound: float, decimals: int = 1) -> tuple[str, str]:
    """(value, bound) shares as percentages, with more decimals if needed (see num_texts)."""
    floor = max(decimals, min(MAX_DECIMALS, _pct_len(bound)))

    def value_pct(v: float, p: int) -> str:
        return pct(v, max(p, floor))

    def bound_pct(b: float, p: int) -> str:
        return _bound_pct(b, p, decimals)

    p = _fit([value], [bound], value_pct, decimals, MAX_DECIMALS, bound_pct)
    if p is None:  # tiny numbers: significant digits instead
        a, b = num_pair(value * 100, bound * 100, MAX_SIG)
        return a + "%", b + "%"
    return value_pct(value, p), bound_pct(bound, p)


def compared(value: float | None, op: str, bound: float, digits: int = 4,
             percent: bool = False) -> str:
    """``"value op bound"`` (e.g. ``"0.2000004 > 0.2"``) with digits enough to be true."""
    if value is None:
        return f"undefined {op} {_bound_pct(bound, 1) if percent else _bound_sig(bound, digits)}"
    a, b = pct_pair(value, bound) if percent else num_pair(value, bound, digits)
    return f"{a} {op} {b}"


def bound_text(bound: float, digits: int = 4) -> str:
    """A threshold alone, as written (at least ``digits`` significant digits if needed)."""
    return _bound_sig(bound, digits)


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
