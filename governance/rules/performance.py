"""Rule kinds of the performance family: metrics recomputed from the artifacts.

``recomputed_metric`` (a metric recomputed from a predictions artifact within bounds, optionally
decided on a bootstrap confidence bound), ``metric_regression`` (no worse than the baseline
release by more than a tolerance; a negative tolerance means "must beat it"),
``claim_consistency`` (the card's declared metrics agree with the recomputed ones),
``generalization_gap`` (train vs test) and ``cv_spread`` (cross-validation fold spread).

Import-light: numpy/pandas and the metric modules are imported inside ``evaluate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from governance.errors import EvidenceError
from governance.metrics.names import ALL_METRICS, Average, Direction, direction
from governance.numfmt import bound_text, num_pair, num_texts
from governance.report import KeyValueEvidence, SourceLocation, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.claim_consistency import ClaimConsistencyParams
from governance.rules.params.metric_regression import MetricRegressionParams
from governance.rules.params.recomputed_metric import RecomputedMetricParams

if TYPE_CHECKING:
    from collections.abc import Sequence

    from governance.card.model import Artifact
    from governance.evidence.needs import StatNeed


@dataclass(frozen=True)
class Recomputed:
    metric: str
    value: float | None
    lo: float | None
    hi: float | None
    n: int
    artifact: Artifact
    undefined: float
    samples: Any = None
    method: str | None = None  # how the interval was computed (None: percentile bootstrap)


def recompute(ctx: RuleContext, metric: str, *, artifact: str | None, split: str | None,
              average: Average | None, n_resamples: int, confidence: float,
              key: str) -> Recomputed:
    """Recompute ``metric`` on a predictions artifact, with a bootstrap CI if asked."""
    from governance.metrics import gates
    from governance.metrics.groups import overall

    art, n, gv = overall(ctx, metric, artifact=artifact, split=split, average=average,
                         n_resamples=n_resamples, key=key)
    lo, hi, undefined = gates.interval(gv.overall_samples, confidence)
    if gv.method is not None:  # analytic (DeLong): the exact normal interval
        lo, hi = gates.analytic_interval(gv.overall, gv.overall_var, confidence)
        undefined = 0.0 if lo is not None else 1.0
    return Recomputed(metric, gates.finite(gv.overall), lo, hi, n, art, undefined,
                      gv.overall_samples, gv.method)


def metric_need(ctx: RuleContext, metric: str, *, artifact: str | None, split: str | None,
                n_resamples: int) -> StatNeed:
    """The statistics :func:`recompute` will ask for (``RuleKind.needs``)."""
    from governance.metrics.plan import overall_need

    return overall_need(ctx, metric, artifact=artifact, split=split, n_resamples=n_resamples)


def _needs_recomputed(ctx: RuleContext, params: Any) -> Sequence[StatNeed]:
    return [metric_need(ctx, params.metric, artifact=params.artifact, split=params.split,
                        n_resamples=params.n_resamples)]


def _where(r: Recomputed) -> str:
    return f"artifact {r.artifact.name!r}"


# ---------------------------------------------------------------------------------------------
# recomputed_metric
# ---------------------------------------------------------------------------------------------


def _observed(r: Recomputed, confidence: float, used: float | None,
              decide_on: str) -> dict[str, Any]:
    return {"metric": r.metric, "value": r.value, "ci_lower": r.lo, "ci_upper": r.hi,
            "confidence": confidence if r.lo is not None else None, "n": r.n,
            "artifact": r.artifact.name, "split": r.artifact.split, "decide_on": decide_on,
            "decided_value": used}


def evaluate_recomputed_metric(ctx: RuleContext, params: RecomputedMetricParams) -> Outcome:
    from governance.metrics import gates

    r = recompute(ctx, params.metric, artifact=params.artifact, split=params.split,
                  average=params.average, n_resamples=params.n_resamples,
                  confidence=params.confidence, key=ctx.rule.id)
    used = gates.decided(r.value, r.lo, r.hi, params.decide_on)
    threshold = params.min if params.min is not None else params.max
    block = gates.interval_block(f"{params.metric} recomputed from {r.artifact.name}",
                                 params.metric, r.value, r.lo, r.hi, params.confidence, r.n,
                                 threshold, params.n_resamples, r.undefined, r.method)
    expected = {k: v for k, v in (("min", params.min), ("max", params.max)) if v is not None}
    # The value decided on and the bounds, with digits enough to compare as decided.
    bounds = [b for b in (params.min, params.max) if b is not None]
    (used_t,), bound_t = (num_texts([used], bounds) if used is not None
                          else (["undefined"], [bound_text(b) for b in bounds]))
    text = dict(zip(bounds, bound_t, strict=True))
    point_t = used_t if params.decide_on == "point" else gates.fmt(r.value)
    head = (f"{params.metric} recomputed from {_where(r)} = {point_t}"
            f"{gates.ci_text(r.lo, r.hi, params.confidence)}, n={r.n}")
    obs = _observed(r, params.confidence, used, params.decide_on)
    notes = []
    if r.undefined > 0:
        notes.append(gates.undefined_text(params.metric, r.undefined, params.n_resamples))
    if gates.too_undefined(r.undefined, params.decide_on):
        return Outcome.error(gates.undefined_error(f"{head}: {params.metric}", r.undefined,
                                                   params.n_resamples), observed=obs,
                             expected=expected, evidence=(block,), notes=tuple(notes))
    if used is None:
        return Outcome.error(f"{head}: the value used for the decision "
                             f"({gates.basis(params.decide_on)}) is undefined: insufficient "
                             "evidence", observed=obs, expected=expected, evidence=(block,),
                             notes=tuple(notes))
    problems = []
    if params.min is not None and used < params.min:
        problems.append(f"below the minimum {text[params.min]}")
    if params.max is not None and used > params.max:
        problems.append(f"above the maximum {text[params.max]}")
    on = "" if params.decide_on == "point" else (
        f" (deciding on {gates.basis(params.decide_on)} {used_t})")
    if problems:
        return Outcome.failed(f"{head} is " + " and ".join(problems) + on, observed=obs,
                              expected=expected, evidence=(block,), notes=tuple(notes))
    within = " and ".join(
        s for s in ((f"at least the minimum {text[params.min]}" if params.min is not None
                     else ""),
                    (f"at most the maximum {text[params.max]}" if params.max is not None
                     else ""))
        if s)
    return Outcome.passed(f"{head} is {within}{on}", observed=obs, expected=expected,
                          evidence=(block,), notes=tuple(notes))


RECOMPUTED_METRIC = RuleKind(
    name="recomputed_metric",
    family="performance",
    summary="A metric recomputed from a predictions artifact lies within [min, max] "
    "(on the point value or a bootstrap confidence bound).",
    params=RecomputedMetricParams,
    evaluate=evaluate_recomputed_metric,
    needs=_needs_recomputed,
)


# ---------------------------------------------------------------------------------------------
# metric_regression
# ---------------------------------------------------------------------------------------------


def evaluate_metric_regression(ctx: RuleContext, params: MetricRegressionParams) -> Outcome:
    from governance.baseline import baseline_metric
    from governance.metrics import gates

    if ctx.baseline is None:
        return Outcome.error("no baseline release given (--baseline, or baseline: in "
                             "governance.yaml): insufficient evidence")
    r = recompute(ctx, params.metric, artifact=params.artifact, split=params.split,
                  average=params.average, n_resamples=params.n_resamples,
                  confidence=params.confidence, key=ctx.rule.id)
    split = params.baseline_split or r.artifact.split
    base = baseline_metric(ctx.baseline, params.metric, split)
    better: Direction = params.direction or direction(params.metric) or "higher_is_better"
    tol = params.tolerance if params.tolerance is not None else (
        0.0 if params.relative_tolerance is None else None)
    sign = 1.0 if better == "higher_is_better" else -1.0
    limits = []
    if tol is not None:
        limits.append(base.value - sign * tol)
    if params.relative_tolerance is not None:
        limits.append(base.value - sign * params.relative_tolerance * abs(base.value))
    limit = max(limits) if better == "higher_is_better" else min(limits)
    used = gates.decided(r.value, r.lo, r.hi, params.decide_on)
    version = ctx.baseline.version or "?"
    # The value compared and the limit, with digits enough to compare as decided.
    used_t, limit_t = (num_pair(used, limit, written=False) if used is not None
                       else ("undefined", gates.fmt(limit)))
    point_t = used_t if params.decide_on == "point" else gates.fmt(r.value)
    head = (f"{params.metric} = {point_t}"
            f"{gates.ci_text(r.lo, r.hi, params.confidence)} vs baseline {version} "
            f"{gates.fmt(base.value)}")
    change = None if r.value is None else r.value - base.value
    rel = "below" if better == "higher_is_better" else "above"
    tol_parts = []
    if tol is not None:
        tol_parts.append(f"tolerance {tol:g}")
    if params.relative_tolerance is not None:
        tol_parts.append(f"relative tolerance {params.relative_tolerance:g}")
    expected = {"baseline": base.value, "limit": limit, "direction": better,
                "tolerance": tol, "relative_tolerance": params.relative_tolerance}
    obs = {**_observed(r, params.confidence, used, params.decide_on), "change": change,
           "baseline_source": base.source}
    block = gates.interval_block(f"{params.metric} vs baseline {version}", params.metric,
                                 r.value, r.lo, r.hi, params.confidence, r.n, limit,
                                 params.n_resamples)
    kv = KeyValueEvidence(title="Baseline comparison", items={
        "metric": params.metric, "current": r.value, "baseline": base.value,
        "baseline version": version, "baseline source": base.source, "change": change,
        "direction": better, "limit": limit, "decided on": params.decide_on})
    if used is None:
        return Outcome.error(f"{head}: the value used for the decision is undefined: "
                             "insufficient evidence", observed=obs, expected=expected,
                             evidence=(block, kv))
    ok = used >= limit if better == "higher_is_better" else used <= limit
    must = f"must not be {rel} {limit_t} ({', '.join(tol_parts)}, {better})"
    on = "" if params.decide_on == "point" else (
        f"; deciding on {gates.basis(params.decide_on)} {used_t}")
    msg = f"{head}: change {change:+.4g}; {must}{on}" if change is not None else head
    if ok:
        return Outcome.passed(msg, observed=obs, expected=expected, evidence=(block, kv))
    return Outcome.failed(msg, observed=obs, expected=expected, evidence=(block, kv))


METRIC_REGRESSION = RuleKind(
    name="metric_regression",
    family="performance",
    summary="A recomputed metric is no worse than the baseline release's by more than an "
    "absolute/relative tolerance (negative tolerance: must improve).",
    params=MetricRegressionParams,
    evaluate=evaluate_metric_regression,
    needs=lambda ctx, p: _needs_recomputed(ctx, p) if ctx.baseline is not None else [],
)


# ---------------------------------------------------------------------------------------------
# claim_consistency
# ---------------------------------------------------------------------------------------------


def _declared_average(value: str | None) -> Average | None:
    for avg in ("binary", "micro", "macro", "weighted"):
        if value == avg:
            return avg
    return None


def _needs_claims(ctx: RuleContext, params: ClaimConsistencyParams) -> Sequence[StatNeed]:
    names = set(params.metrics) if params.metrics is not None else set(ALL_METRICS)
    return [metric_need(ctx, d.name, artifact=d.artifact, split=d.split, n_resamples=0)
            for d in ctx.card.card.metrics
            if d.slice is None and d.name in names
            and (params.dataset is None or d.dataset == params.dataset)]


def evaluate_claim_consistency(ctx: RuleContext, params: ClaimConsistencyParams) -> Outcome:
    from governance.metrics import gates

    declared = [(i, m) for i, m in enumerate(ctx.card.card.metrics) if m.slice is None]
    notes: list[str] = []
    datasets = {m.dataset for _, m in declared if m.dataset is not None}
    if params.dataset is not None:
        declared = [(i, m) for i, m in declared if m.dataset == params.dataset]
    elif len(datasets) > 1:
        other = [(i, m) for i, m in declared if m.dataset is not None]
        declared = [(i, m) for i, m in declared if m.dataset is None]
        notes.append(f"{len(other)} metric(s) declared on {len(datasets)} datasets were not "
                     "checked; set dataset to the one the predictions artifact holds")
    if params.metrics is not None:
        missing = [m for m in params.metrics if not any(d.name == m for _, d in declared)]
        if missing:
            return Outcome.error(f"the card declares no metric {', '.join(missing)}: "
                                 "insufficient evidence",
                                 locations=(ctx.card_location("metrics"),))
        chosen = [(i, d) for i, d in declared if d.name in params.metrics]
    else:
        chosen = [(i, d) for i, d in declared if d.name in ALL_METRICS]
        skipped = sorted({d.name for _, d in declared if d.name not in ALL_METRICS})
        if skipped:
            notes.append("not recomputable, not checked: " + ", ".join(skipped))
    sliced = [m for m in ctx.card.card.metrics if m.slice is not None]
    if sliced:
        notes.append(f"{len(sliced)} metric(s) declared for a slice were not checked")
    if not chosen:
        return Outcome.error("the card declares no metric that can be recomputed: "
                             "insufficient evidence", locations=(ctx.card_location("metrics"),),
                             notes=tuple(notes))
    rows: list[list[str | int | float | bool | None]] = []
    observed: list[dict[str, Any]] = []
    bad: list[str] = []
    locs: list[SourceLocation] = []
    errors: list[str] = []
    for i, d in chosen:
        try:
            r = recompute(ctx, d.name, artifact=d.artifact, split=d.split,
                          average=params.average or _declared_average(d.average),
                          n_resamples=0, confidence=0.95, key=ctx.rule.id)
        except EvidenceError as exc:
            errors.append(f"{d.name}: {exc.message}")
            rows.append([d.name, d.split, d.artifact, d.value, None, None, "error"])
            continue
        label = d.name + (f" ({d.split})" if d.split else "")
        if r.value is None:
            errors.append(f"{label}: undefined on artifact {r.artifact.name!r}")
            rows.append([d.name, d.split, r.artifact.name, d.value, None, None, "undefined"])
            continue
        diff = d.value - r.value
        allowed = params.tolerance
        if params.relative_tolerance is not None:
            allowed = max(allowed, params.relative_tolerance * abs(r.value))
        better = direction(d.name)
        overstated = (diff > 0) if better != "lower_is_better" else (diff < 0)
        off = abs(diff) > allowed + 1e-12
        failing = off and (overstated or not params.only_overstatement)
        state = ("overstated" if overstated else "understated") if failing else "consistent"
        rows.append([d.name, d.split, r.artifact.name, d.value, r.value, diff, state])
        observed.append({"metric": d.name, "split": d.split, "artifact": r.artifact.name,
                         "declared": d.value, "recomputed": r.value, "difference": diff})
        if failing:
            by, tol_t = num_pair(abs(diff), allowed, written=False)
            bad.append(f"{label} declared {d.value:g} but recomputed {gates.fmt(r.value)} "
                       f"({state} by {by} > {tol_t})")
            locs.append(ctx.card_location(f"metrics[{i}].value"))
    table = TableEvidence(title="Declared vs recomputed metrics",
                          columns=["metric", "split", "artifact", "declared", "recomputed",
                                   "declared - recomputed", "state"], rows=rows)
    expected = {"tolerance": params.tolerance, "relative_tolerance": params.relative_tolerance}
    if errors:
        return Outcome.error("cannot recompute declared metric(s): " + "; ".join(errors),
                             observed=observed, expected=expected, evidence=(table,),
                             notes=tuple(notes))
    if bad:
        return Outcome.failed(f"{len(bad)} of {len(chosen)} declared metrics disagree with the "
                              f"artifacts beyond the tolerance {params.tolerance:g}: "
                              + "; ".join(bad), observed=observed, expected=expected,
                              evidence=(table,), locations=tuple(locs), notes=tuple(notes),
                              subjects=tuple(str(r[0]) for r in rows if r[-1] in (
                                  "overstated", "understated")))
    return Outcome.passed(f"all {len(chosen)} declared metrics agree with the values "
                          f"recomputed from the artifacts within {params.tolerance:g}",
                          observed=observed, expected=expected, evidence=(table,),
                          notes=tuple(notes))


CLAIM_CONSISTENCY = RuleKind(
    name="claim_consistency",
    family="performance",
    summary="Metrics declared in the model card agree with the values recomputed from the "
    "artifacts within a tolerance.",
    params=ClaimConsistencyParams,
    evaluate=evaluate_claim_consistency,
    needs=_needs_claims,
)


KINDS: tuple[RuleKind[Any], ...] = (RECOMPUTED_METRIC, METRIC_REGRESSION, CLAIM_CONSISTENCY)
