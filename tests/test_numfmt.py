"""Shown numbers keep the order relation of the compared numbers (issue 12 item 5)."""

from __future__ import annotations

import math
import random
from decimal import Decimal

from governance.numfmt import compared, decimals_for, num_pair, pct, pct_pair, row_decimals
from governance.reporters._jinja import fmt_number


def rel(a: float | Decimal, b: float | Decimal) -> int:
    return (a > b) - (a < b)


def shown(text: str) -> Decimal:
    return Decimal(text.rstrip("%").replace(",", ""))


def cases() -> list[tuple[float, float]]:
    rng = random.Random(12)
    out = [(0.09320975, 0.0932098), (0.0932098, 0.0932098), (0.20000004, 0.2), (0.2, 0.2),
           (0.19999999999999998, 0.2), (1.0, 0.99995), (0.7999999, 0.8), (5e-7, 4e-7),
           (-0.1, -0.1000001), (123456.5, 123456.49), (0.0, 1e-12)]
    for _ in range(300):
        b = rng.choice([0.1, 0.05, 0.8, 0.2, 1e-4, 0.0932098, rng.random()])
        k = rng.choice([0, 1, 2, 5, 1000, 10**9])
        a = b
        for _ in range(k % 7):
            a = math.nextafter(a, math.inf if rng.random() < 0.5 else -math.inf)
        a += rng.choice([0.0, 0.0, 1e-9, -1e-9, 1e-5, -1e-5]) * (k > 1000)
        out.append((a, b))
    return out


def test_pairs_keep_the_order_relation() -> None:
    for a, b in cases():
        ta, tb = num_pair(a, b)
        assert rel(shown(ta), shown(tb)) == rel(a, b), (a, b, ta, tb)
        pa, pb = pct_pair(a, b)
        assert rel(shown(pa), shown(pb)) == rel(a, b), (a, b, pa, pb)
        d = decimals_for([a], [b], fmt_number)
        assert rel(shown(fmt_number(a, d)), shown(fmt_number(b, d))) == rel(a, b), (a, b, d)


def test_examples_from_the_issue() -> None:
    # k-anonymity: exact share 0.09320975 passed max 0.0932098; never show 0.09321 > 0.0932098
    assert pct_pair(0.09320975, 0.0932098) == ("9.32097%", "9.32098%")
    assert num_pair(0.20000004, 0.2) == ("0.20000004", "0.2")
    assert compared(0.2000004, ">", 0.2) == "0.2000004 > 0.2"
    assert compared(0.25, ">", 0.2) == "0.25 > 0.2"  # no extra digits when not needed
    assert num_pair(0.123456, 0.5) == ("0.1235", "0.5")
    assert pct(0.25) == "25.0%" and pct(-1e-9) == "0.0%"
    assert fmt_number(0.09320975, decimals_for([0.09320975], [0.0932098], fmt_number)) == (
        "0.0932097")


def test_row_decimals() -> None:
    assert row_decimals(["a", 0.5, 0.25, 3], fmt_number) == 4
    d = row_decimals(["x", "pearson", 0.95000001, 120, 0.95, "yes"], fmt_number)
    assert fmt_number(0.95000001, d) != fmt_number(0.95, d)
