"""Rule kinds of the fairness family, per sensitive feature and their intersections.

``fairness_gap`` (demographic parity, equalized odds, equal opportunity or any group metric, as
a difference or ratio, between groups or to the overall value), ``disparate_impact`` (the
four-fifths rule on selection rates) and ``group_metric_floor`` (every group's metric above a
floor, or below a ceiling).

Groups smaller than ``min_group_size`` are insufficient evidence (an ``error`` finding) unless
``small_groups: exclude`` leaves them out with a note (as NYC Local Law 144 bias audits may for
categories under 2% of the data). Failing groups become the finding's subjects, so a waiver
scoped to a group (``sex=female``) waives exactly that group's failure.

Import-light: numpy and the metric modules are imported inside ``evaluate``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.errors import EvidenceError
from governance.numfmt import bound_text, num_pair
from governance.report import EvidenceBlock, GroupMetricEvidence, GroupValue, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.fairness_gap import FairnessGapParams
from governance.rules.params.groups import GroupParams

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from governance.evidence.needs import StatNeed
    from governance.metrics.compute import GroupValues
    from governance.metrics.counts import Grouping
    from governance.metrics.grouptypes import GroupSpec, Prepared

Row = list[str | int | float | bool | None]


def _spec(params: GroupParams, joint_overall: bool = False) -> GroupSpec:
    from governance.metrics.grouptypes import GroupSpec

    return GroupSpec(artifact=params.artifact, split=params.split, features=params.features,
                     intersections=params.intersections, min_group_size=params.min_group_size,
                     min_group_fraction=params.min_group_fraction,
                     small_groups=params.small_groups, average=params.average,
                     n_resamples=params.n_resamples, joint_overall=joint_overall)


def _reference(ctx: RuleContext, grouping: Grouping) -> int | None:
    if len(grouping.features) != 1:
        return None
    col = grouping.features[0]
    for sf in ctx.card.card.sensitive_features:
        if (sf.column or sf.name) == col and sf.reference_group is not None:
            return grouping.index((sf.reference_group,))
    return None


def prepare(ctx: RuleContext, params: GroupParams, metrics: tuple[str, ...]
            ) -> tuple[list[Prepared], list[str], Outcome | None]:
    """The groupings and per-group values (:func:`governance.metrics.groups.prepare`); groups
    below the minimum size become the insufficient-evidence outcome."""
    from governance.metrics.groups import prepare as prepare_groups

    joint = getattr(params, "method", "") == "to_overall"
    prep, notes, small = prepare_groups(ctx, _spec(params, joint), metrics)
    if small is not None:
        return prep, notes, small_groups_error(small.rows, small.limit)
    return prep, notes, None


def small_groups_error(small_table: list[Row], limit: int) -> Outcome:
    """The insufficient-evidence outcome for groups below the minimum size (every engine)."""
    listed = "; ".join(f"{r[1]} (n={r[2]})" for r in small_table[:10])
    if len(small_table) > 10:
        listed += f"; and {len(small_table) - 10} more"
    table = TableEvidence(title="Groups below the minimum size",
                          columns=["grouping", "group", "n", "minimum"], rows=small_table)
    return Outcome.error(
        f"{len(small_table)} group(s) below the minimum size {limit}: {listed}: "
        "insufficient evidence (set small_groups: exclude to leave them out)",
        evidence=(table,), expected={"min_group_size": limit})


def _undefined(prep: list[Prepared], metrics: tuple[str, ...], mode: str
               ) -> tuple[list[str], Outcome | None]:
    import numpy as np

    bad = []
    for p in prep:
        for m in metrics:
            if m not in p.values:
                continue
            labels = p.grouping.labels
            for i in np.flatnonzero(np.isnan(p.values[m].values)):
                bad.append(f"{m} of {labels[int(i)]}")
    if not bad:
        return [], None
    text = ", ".join(bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
    if mode == "exclude":
        return [f"undefined and left out: {text}"], None
    return [], Outcome.error(f"undefined group metric(s) (e.g. a group without positive "
                             f"labels): {text}: insufficient evidence (set small_groups: "
                             "exclude to leave them out)")


MAX_SHOWN = 200


def _shown(p: Prepared, metric: str, flagged: set[str]) -> list[int]:
    """Indices of the groups put into evidence: all of them, or (for very many groups) the
    flagged ones and the extremes, up to ``MAX_SHOWN``."""
    import numpy as np

    g = p.grouping.n_groups
    if g <= MAX_SHOWN:
        return list(range(g))
    labels = p.grouping.labels
    first = [i for i in range(g) if labels[i] in flagged][:MAX_SHOWN // 2]
    order = np.argsort(np.nan_to_num(np.asarray(p.values[metric].values, dtype=float)))
    rest = [int(i) for i in np.concatenate([order[:MAX_SHOWN // 4], order[-MAX_SHOWN // 4:]])]
    return sorted(set(first) | set(rest))[:MAX_SHOWN]


def _names(groups: set[str], limit: int = 10) -> str:
    listed = sorted(groups)
    more = f" and {len(listed) - limit} more" if len(listed) > limit else ""
    return ", ".join(listed[:limit]) + more


def _group_block(p: Prepared, metric: str, confidence: float, flagged: set[str],
                 threshold: float | None = None, label: str | None = None
                 ) -> GroupMetricEvidence:
    from governance.metrics import gates

    gv = p.values[metric]
    lo, hi = gates.intervals(gv.samples, confidence, p.grouping.n_groups, gv.values, gv.var)
    labels = p.grouping.labels
    shown = _shown(p, metric, flagged)
    title = f"{metric} by {p.grouping.name}"
    if len(shown) < p.grouping.n_groups:
        title += f" ({len(shown)} of {p.grouping.n_groups} groups shown)"
    groups = [GroupValue(group=labels[i], value=gates.finite(gv.values[i]), n=int(gv.n[i]),
                         ci_lower=lo[i], ci_upper=hi[i], flagged=labels[i] in flagged)
              for i in shown]
    return GroupMetricEvidence(title=title, feature=p.grouping.name,
                               metric=metric, groups=groups, overall=gates.finite(gv.overall),
                               threshold=threshold, threshold_label=label,
                               ci_method=_ci_method(gv))


def _ci_method(gv: GroupValues) -> str | None:
    if gv.method is not None:
        return gv.method
    if gv.samples is None:
        return None
    return f"percentile bootstrap, {len(gv.samples)} resamples"


def _table(p: Prepared, metrics: list[str], flagged: set[str]) -> TableEvidence:
    from governance.metrics import gates

    rows: list[Row] = []
    labels = p.grouping.labels
    sizes = next(iter(p.values.values())).n
    for i in _shown(p, metrics[0], flagged):
        lab = labels[i]
        row: Row = [lab, int(sizes[i])]
        row.extend(gates.finite(p.values[m].values[i]) for m in metrics)
        row.append(lab in flagged)
        rows.append(row)
    rows.append(["overall", int(sizes.sum()),
                 *[gates.finite(p.values[m].overall) for m in metrics], False])
    return TableEvidence(title=f"Per-group metrics by {p.grouping.name}",
                         columns=["group", "n", *metrics, "flagged"], rows=rows)


def _finish(ctx: RuleContext, parts: list[str], failed: list[str], flagged: list[str],
            evidence: list[EvidenceBlock], notes: list[str], observed: Any,
            expected: Any) -> Outcome:
    subjects = tuple(dict.fromkeys(flagged))
    kw: dict[str, Any] = {"observed": observed, "expected": expected,
                          "evidence": tuple(evidence), "notes": tuple(notes)}
    if failed:
        return Outcome.failed("; ".join(failed), subjects=subjects, **kw)
    return Outcome.passed("; ".join(parts), **kw)


# ---------------------------------------------------------------------------------------------
# fairness_gap
# ---------------------------------------------------------------------------------------------

_CRITERION_NAMES = {"demographic_parity": "demographic parity",
                    "equalized_odds": "equalized odds",
                    "equal_opportunity": "equal opportunity"}


def group_needs(metrics: Callable[[Any], tuple[str, ...]]
                ) -> Callable[[RuleContext, Any], Sequence[StatNeed]]:
    """``RuleKind.needs`` of a grouping kind whose params give ``metrics(params)``."""
    def needs(ctx: RuleContext, params: Any) -> Sequence[StatNeed]:
        from governance.metrics.plan import group_need

        joint = getattr(params, "method", "") == "to_overall"
        return [group_need(ctx, _spec(params, joint), metrics(params))]
    return needs


def _gap_metrics(params: FairnessGapParams) -> tuple[str, ...]:
    from governance.metrics import fairness

    return fairness.CRITERIA.get(params.metric, (params.metric,))


def comparable(prep: list[Prepared]) -> Iterator[Prepared]:
    """Each grouping of ``prep`` in turn, checked to have at least two groups with values to
    compare (else insufficient evidence)."""
    for p in prep:
        if p.grouping.n_groups < 2 or not p.values:
            raise EvidenceError(f"fewer than two groups of {p.grouping.name} left to compare: "
                                "insufficient evidence")
        yield p


def _prepare_defined(ctx: RuleContext, params: GroupParams, metrics: tuple[str, ...]
                     ) -> tuple[list[Prepared], list[str], Outcome | None]:
    """:func:`prepare`, then the check that every compared group has a defined value."""
    prep, notes, err = prepare(ctx, params, metrics)
    if err is not None:
        return prep, notes, err
    more, err = _undefined(prep, metrics, params.small_groups)
    return prep, [*notes, *more], err


def evaluate_fairness_gap(ctx: RuleContext, params: FairnessGapParams) -> Outcome:
    import numpy as np

    from governance.metrics import fairness, gates

    metrics = _gap_metrics(params)
    prep, notes, err = _prepare_defined(ctx, params, metrics)
    if err is not None:
        return err
    name = _CRITERION_NAMES.get(params.metric, params.metric)
    what = f"{name} {params.measure}" + (" to overall" if params.method == "to_overall" else "")
    limit = params.max if params.measure == "difference" else params.min
    assert limit is not None
    parts, failed, flagged_all = [], [], []
    insufficient: list[str] = []
    evidence: list[EvidenceBlock] = []
    observed: dict[str, Any] = {}
    for p in comparable(prep):

        def gap(per: dict[str, tuple[Any, Any]]) -> Any:
            return fairness.criterion(params.metric, per, params.measure, params.method,
                                      params.agg)

        point = float(gap({m: (p.values[m].values, p.values[m].overall) for m in metrics}))
        lo = hi = None
        undefined = 0.0
        if params.n_resamples:
            samples = np.asarray(gap({m: (p.values[m].samples, p.values[m].overall_samples)
                                      for m in metrics}), dtype=float)
            lo, hi, undefined = gates.interval(
                np.where(_undefined_resamples(p, metrics), np.nan, samples), params.confidence)
        used = gates.decided(gates.finite(point), lo, hi, params.decide_on)
        # The value compared and the limit, with digits enough to compare as decided.
        used_t, limit_t = (num_pair(used, limit) if used is not None
                           else ("undefined", bound_text(limit)))
        point_t = used_t if params.decide_on == "point" else gates.fmt(point)
        head = (f"{what} across {p.grouping.name} = {point_t}"
                f"{gates.ci_text(lo, hi, params.confidence)}")
        observed[p.grouping.name] = {"value": gates.finite(point), "ci_lower": lo,
                                     "ci_upper": hi, "decided_value": used}
        if params.n_resamples:
            observed[p.grouping.name]["undefined_resamples"] = round(
                undefined * params.n_resamples)
        if undefined > 0:
            notes.append(gates.undefined_text(f"{what} across {p.grouping.name}", undefined,
                                              params.n_resamples))
        if gates.too_undefined(undefined, params.decide_on):
            insufficient.append(gates.undefined_error(f"{what} across {p.grouping.name}",
                                                      undefined, params.n_resamples))
        bad = used is None or (used > limit if params.measure == "difference"
                               else used < limit)
        flagged: set[str] = set()
        if bad:
            flagged = _flag(ctx, p, metrics, params, limit)
        bound = "maximum" if params.measure == "difference" else "minimum"
        on = "" if params.decide_on == "point" else (
            f" (deciding on {gates.basis(params.decide_on)} {used_t})")
        if used is None:
            failed.append(f"{head}: undefined")
        elif bad:
            verb = "exceeds" if params.measure == "difference" else "is below"
            failed.append(f"{head} {verb} the {bound} {limit_t}{on}; groups: "
                          + _names(flagged))
        else:
            parts.append(f"{head} is within the {bound} {limit_t}{on}")
        flagged_all.extend(sorted(flagged))
        analytic = [p.values[m].method for m in metrics if p.values[m].method]
        method = None
        if analytic and params.n_resamples:
            method = (f"percentile of {params.n_resamples} parametric draws per group from "
                      f"{analytic[0]}")
        evidence.append(gates.interval_block(f"{what} across {p.grouping.name}", what, point,
                                             lo, hi, params.confidence, p.n, limit,
                                             params.n_resamples, undefined, method))
        evidence.extend(_group_block(p, m, params.confidence, flagged) for m in metrics)
        evidence.append(_table(p, list(metrics), flagged))
    if insufficient:
        return Outcome.error("; ".join(insufficient), observed=observed,
                             evidence=tuple(evidence), notes=tuple(notes))
    if any(v["decided_value"] is None for v in observed.values()):
        return Outcome.error("; ".join(failed + parts) + ": insufficient evidence",
                             observed=observed, evidence=tuple(evidence), notes=tuple(notes))
    expected = {("max" if params.measure == "difference" else "min"): limit,
                "measure": params.measure, "method": params.method}
    return _finish(ctx, parts, failed, flagged_all, evidence, notes, observed, expected)


def _undefined_resamples(p: Prepared, metrics: tuple[str, ...]) -> Any:
    """Per resample: whether a metric of a group that is defined on the data is undefined in
    the resample (the gap would then compare other groups: a different quantity)."""
    import numpy as np

    out = None
    for m in metrics:
        gv = p.values[m]
        assert gv.samples is not None
        defined = ~np.isnan(np.asarray(gv.values, dtype=float))
        bad = np.isnan(gv.samples[:, defined]).any(axis=-1)
        out = bad if out is None else out | bad
    return out


def _flag(ctx: RuleContext, p: Prepared, metrics: tuple[str, ...], params: FairnessGapParams,
          limit: float) -> set[str]:
    """The groups that make the gap too large (see the module docstring)."""
    import numpy as np

    labels = p.grouping.labels
    flagged: set[str] = set()
    ref = _reference(ctx, p.grouping)
    for m in metrics:
        v = np.asarray(p.values[m].values, dtype=float)
        o = p.values[m].overall
        if params.method == "to_overall":
            base = np.full_like(v, o)
        elif ref is not None:
            base = np.full_like(v, v[ref])
        else:
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            if params.measure == "difference":
                off = np.abs(v - base) > limit
            else:
                r = v / base
                off = np.minimum(r, 1 / r) < limit
        flagged.update(labels[i] for i in np.flatnonzero(off))
    if not flagged:
        for m in metrics:
            v = np.asarray(p.values[m].values, dtype=float)
            if np.isnan(v).all():
                continue
            flagged.add(labels[int(np.nanargmin(v))])
            flagged.add(labels[int(np.nanargmax(v))])
    return flagged


FAIRNESS_GAP = RuleKind(
    name="fairness_gap",
    family="fairness",
    summary="A fairness gap (demographic parity, equalized odds, equal opportunity or any group "
    "metric; difference or ratio; between groups or to overall) per sensitive feature and "
    "intersection stays within a limit.",
    params=FairnessGapParams,
    evaluate=evaluate_fairness_gap,
    needs=group_needs(_gap_metrics),
)


KINDS: tuple[RuleKind[Any], ...] = (FAIRNESS_GAP,)
