"""Helpers shared by the performance and fairness rules: formatting, decisions on a point
value or a confidence bound, and evidence blocks. Imported only inside ``evaluate``."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from governance.metrics.bootstrap import percentile_interval
from governance.metrics.counts import FloatArray
from governance.report import IntervalEvidence

DecideOn = Literal["point", "ci_lower", "ci_upper"]

#: Largest share of bootstrap resamples in which the quantity may be undefined (a group
#: without positives, an empty group, 0/0) for the interval to count as evidence: above it,
#: a decision on a confidence bound is insufficient evidence (an ``error``).
MAX_UNDEFINED_SHARE = 0.05


def finite(x: float | np.floating | None) -> float | None:
    """A float for reports: NaN and inf become None."""
    if x is None:
        return None
    v = float(x)
    return v if math.isfinite(v) else None


def fmt(x: float | None) -> str:
    if x is None or not math.isfinite(x):
        return "undefined"
    return f"{x:.4g}"


def ci_text(lo: float | None, hi: float | None, confidence: float) -> str:
    if lo is None or hi is None:
        return ""
    return f" ({confidence * 100:g}% CI {fmt(lo)}–{fmt(hi)})"


def interval(samples: FloatArray | None, confidence: float
             ) -> tuple[float | None, float | None, float]:
    """Percentile CI of 1-D resamples: (lower, upper, fraction undefined)."""
    if samples is None:
        return None, None, 0.0
    lo, hi, frac = percentile_interval(np.asarray(samples)[:, None], confidence)
    return finite(lo[0]), finite(hi[0]), float(frac[0])


def intervals(samples: FloatArray | None, confidence: float, g: int,
              values: FloatArray | None = None, var: FloatArray | None = None
              ) -> tuple[list[float | None], list[float | None]]:
    """CIs per group: normal intervals from ``values`` and analytic variances ``var`` when
    given (DeLong), else percentiles per column of ``(B, G)`` resamples."""
    if var is not None and values is not None:
        from governance.metrics.delong import normal_interval

        lo, hi = normal_interval(values, var, confidence)
        return [finite(x) for x in lo], [finite(x) for x in hi]
    if samples is None:
        return [None] * g, [None] * g
    lo, hi, _ = percentile_interval(samples, confidence)
    return [finite(x) for x in lo], [finite(x) for x in hi]


def analytic_interval(value: float, var: float | None, confidence: float
                      ) -> tuple[float | None, float | None]:
    from governance.metrics.delong import normal_interval

    if var is None:
        return None, None
    lo, hi = normal_interval(value, var, confidence)
    return finite(float(lo)), finite(float(hi))


def undefined_text(what: str, share: float, n_resamples: int) -> str:
    """A note on the resamples left out of an interval because ``what`` was undefined."""
    count = round(share * n_resamples)
    return (f"{what}: undefined in {count} of {n_resamples} bootstrap resamples "
            f"({share:.1%}), left out of the interval")


def too_undefined(share: float, decide_on: DecideOn) -> bool:
    """Whether a decision on a bound of an interval with ``share`` undefined resamples is
    insufficient evidence (a decision on the point estimate is not affected)."""
    return decide_on != "point" and share > MAX_UNDEFINED_SHARE


def undefined_error(what: str, share: float, n_resamples: int) -> str:
    return (f"{undefined_text(what, share, n_resamples)}: more than "
            f"{MAX_UNDEFINED_SHARE:.0%}, so the interval is insufficient evidence for a "
            "decision on its bound (decide on the point estimate, or use more data)")


def decided(value: float | None, lo: float | None, hi: float | None, decide_on: DecideOn
            ) -> float | None:
    if decide_on == "ci_lower":
        return lo
    if decide_on == "ci_upper":
        return hi
    return value


def basis(decide_on: DecideOn) -> str:
    return {"point": "the point estimate", "ci_lower": "the lower CI bound",
            "ci_upper": "the upper CI bound"}[decide_on]


def interval_block(title: str, metric: str, value: float | None, lo: float | None,
                   hi: float | None, confidence: float | None, n: int | None,
                   threshold: float | None, n_resamples: int, undefined: float = 0.0,
                   method: str | None = None) -> IntervalEvidence:
    if method is None and n_resamples:
        method = f"percentile bootstrap, {n_resamples} resamples"
        if undefined > 0:
            method += (f" ({round(undefined * n_resamples)} undefined, {undefined:.1%}, "
                       "left out)")
    return IntervalEvidence(title=title, metric=metric, value=finite(value), ci_lower=lo,
                            ci_upper=hi, confidence=confidence if n_resamples else None,
                            method=method, n=n, threshold=threshold)
