"""Rule kinds of the fairness family that bound each group: ``disparate_impact`` (the
four-fifths rule on selection rates) and ``group_metric_floor`` (every group's metric above a
floor, or below a ceiling). Shared group preparation and evidence: :mod:`.fairness`.

Import-light: numpy and the metric modules are imported inside ``evaluate``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.errors import EvidenceError
from governance.numfmt import bound_text, num_pair
from governance.report import EvidenceBlock, GroupMetricEvidence, GroupValue
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.fairness import (
    _finish,
    _group_block,
    _names,
    _prepare_defined,
    _reference,
    _shown,
    _table,
    comparable,
    group_needs,
    prepare,
)
from governance.rules.params.disparate_impact import DisparateImpactParams
from governance.rules.params.group_metric_floor import GroupMetricFloorParams

if TYPE_CHECKING:
    pass


# ---------------------------------------------------------------------------------------------
# disparate_impact
# ---------------------------------------------------------------------------------------------


def evaluate_disparate_impact(ctx: RuleContext, params: DisparateImpactParams) -> Outcome:
    import numpy as np

    from governance.metrics import fairness, gates

    metrics = ("selection_rate",)
    prep, notes, err = prepare(ctx, params, metrics)
    if err is not None:
        return err
    insufficient: list[str] = []
    parts, failed, flagged_all = [], [], []
    evidence: list[EvidenceBlock] = []
    observed: dict[str, Any] = {}
    for p in comparable(prep):
        gv = p.values["selection_rate"]
        ref = None
        if params.reference == "reference_group":
            ref = _reference(ctx, p.grouping)
            if ref is None:
                if len(p.grouping.features) == 1:
                    raise EvidenceError(f"the card declares no reference_group present in the "
                                        f"data for sensitive feature {p.grouping.name!r}")
                notes.append(f"{p.grouping.name}: no reference group for an intersection; "
                             "used the most-selected group")
        ratios = fairness.impact_ratios(gv.values, ref)
        labels = p.grouping.labels
        if np.isnan(ratios).any():  # 0/0: no group (or the reference group) is selected
            bad_groups = [labels[i] for i in np.flatnonzero(np.isnan(ratios))]
            base = (f"the reference group {labels[ref]}" if ref is not None
                    else "the most-selected group")
            insufficient.append(
                f"impact ratio across {p.grouping.name} is undefined for "
                f"{_names(set(bad_groups))} (selection rate of {base} = "
                f"{gates.fmt(gv.values[ref] if ref is not None else np.nanmax(gv.values))})")
        lo: list[float | None] = [None] * p.grouping.n_groups
        hi: list[float | None] = [None] * p.grouping.n_groups
        if gv.samples is not None:
            ratio_samples = fairness.impact_ratios(gv.samples, ref)
            lo, hi = gates.intervals(ratio_samples, params.confidence, p.grouping.n_groups)
            shares = np.isnan(ratio_samples).mean(axis=0)
            for j in np.flatnonzero(shares > 0).tolist():
                what = f"impact ratio of {labels[j]}"
                notes.append(gates.undefined_text(what, float(shares[j]), params.n_resamples))
                if gates.too_undefined(float(shares[j]), params.decide_on):
                    insufficient.append(gates.undefined_error(what, float(shares[j]),
                                                              params.n_resamples))
        top = ref if ref is not None else int(np.nanargmax(gv.values))
        flagged: set[str] = set()
        for i in range(p.grouping.n_groups):
            used = gates.decided(gates.finite(ratios[i]), lo[i], hi[i], params.decide_on)
            if used is None or used < params.min_ratio:
                flagged.add(labels[i])
        worst = int(np.nanargmin(ratios)) if not np.isnan(ratios).all() else 0
        observed[p.grouping.name] = {
            "min_impact_ratio": gates.finite(ratios[worst]), "group": labels[worst],
            "ratios": {labels[i]: gates.finite(ratios[i])
                       for i in _shown(p, "selection_rate", flagged)}}
        worst_ratio = gates.finite(ratios[worst])
        ratio_t, min_t = (num_pair(worst_ratio, params.min_ratio) if worst_ratio is not None
                          else (gates.fmt(worst_ratio), bound_text(params.min_ratio)))
        head = (f"lowest impact ratio across {p.grouping.name}: {labels[worst]} = "
                f"{ratio_t}"
                f"{gates.ci_text(lo[worst], hi[worst], params.confidence)}"
                f" (selection rate {gates.fmt(gv.values[worst])} vs "
                f"{gates.fmt(gv.values[top])} for {labels[top]})")
        if flagged:
            failed.append(f"{head}; below {min_t} (four-fifths rule): "
                          + _names(flagged))
        else:
            parts.append(f"{head} is at least {min_t}")
        flagged_all.extend(sorted(flagged))
        groups = [GroupValue(group=labels[i], value=gates.finite(ratios[i]), n=int(gv.n[i]),
                             ci_lower=lo[i], ci_upper=hi[i], flagged=labels[i] in flagged)
                  for i in _shown(p, "selection_rate", flagged)]
        evidence.append(GroupMetricEvidence(
            title=f"Impact ratio by {p.grouping.name}", feature=p.grouping.name,
            metric="impact_ratio", groups=groups, overall=None, threshold=params.min_ratio,
            threshold_label="four-fifths rule" if params.min_ratio == 0.8 else "minimum"))
        evidence.append(_group_block(p, "selection_rate", params.confidence, flagged))
        evidence.append(_table(p, ["selection_rate"], flagged))
    expected = {"min_ratio": params.min_ratio, "reference": params.reference}
    if insufficient:
        return Outcome.error("; ".join(insufficient) + ": insufficient evidence",
                             observed=observed, expected=expected, evidence=tuple(evidence),
                             notes=tuple(notes))
    return _finish(ctx, parts, failed, flagged_all, evidence, notes, observed, expected)


DISPARATE_IMPACT = RuleKind(
    name="disparate_impact",
    family="fairness",
    summary="Every group's selection rate is at least min_ratio (four-fifths rule: 0.8) of the "
    "most-selected group's (or the reference group's).",
    params=DisparateImpactParams,
    evaluate=evaluate_disparate_impact,
    needs=group_needs(lambda p: ("selection_rate",)),
)


# ---------------------------------------------------------------------------------------------
# group_metric_floor
# ---------------------------------------------------------------------------------------------


def evaluate_group_metric_floor(ctx: RuleContext, params: GroupMetricFloorParams) -> Outcome:
    import numpy as np

    from governance.metrics import gates

    metrics = (params.metric,)
    prep, notes, err = _prepare_defined(ctx, params, metrics)
    if err is not None:
        return err
    limit = params.min if params.min is not None else params.max
    assert limit is not None
    parts, failed, flagged_all = [], [], []
    insufficient: list[str] = []
    evidence: list[EvidenceBlock] = []
    observed: dict[str, Any] = {}
    for p in prep:
        if not p.values:
            raise EvidenceError(f"no group of {p.grouping.name} left: insufficient evidence")
        gv = p.values[params.metric]
        lo, hi = gates.intervals(gv.samples, params.confidence, p.grouping.n_groups,
                                 gv.values, gv.var)
        labels = p.grouping.labels
        if gv.samples is not None:
            shares = np.isnan(gv.samples).mean(axis=0)
            for j in np.flatnonzero((shares > 0)
                                    & ~np.isnan(np.asarray(gv.values, float))).tolist():
                what = f"{params.metric} of {labels[j]}"
                notes.append(gates.undefined_text(what, float(shares[j]), params.n_resamples))
                if gates.too_undefined(float(shares[j]), params.decide_on):
                    insufficient.append(gates.undefined_error(what, float(shares[j]),
                                                              params.n_resamples))
        flagged: set[str] = set()
        for i in range(p.grouping.n_groups):
            used = gates.decided(gates.finite(gv.values[i]), lo[i], hi[i], params.decide_on)
            if used is None:
                continue
            if (params.min is not None and used < limit) or (
                    params.max is not None and used > limit):
                flagged.add(labels[i])
        vals = np.asarray(gv.values, dtype=float)
        worst = int(np.nanargmin(vals) if params.min is not None else np.nanargmax(vals))
        word = "lowest" if params.min is not None else "highest"
        worst_v = gates.finite(vals[worst])
        worst_t, limit_t = (num_pair(worst_v, limit) if worst_v is not None
                            else (gates.fmt(worst_v), bound_text(limit)))
        head = (f"{word} {params.metric} across {p.grouping.name}: {labels[worst]} = "
                f"{worst_t}{gates.ci_text(lo[worst], hi[worst], params.confidence)}"
                f", n={int(gv.n[worst])}")
        observed[p.grouping.name] = {labels[i]: gates.finite(vals[i])
                                     for i in _shown(p, params.metric, set())}
        on = "" if params.decide_on == "point" else (
            f" (deciding on {gates.basis(params.decide_on)})")
        bound = "floor" if params.min is not None else "ceiling"
        if flagged:
            failed.append(f"{head}; {len(flagged)} group(s) beyond the {bound} {limit_t}{on}: "
                          + _names(flagged))
        else:
            parts.append(f"{head} is within the {bound} {limit_t}{on}")
        flagged_all.extend(sorted(flagged))
        evidence.append(_group_block(p, params.metric, params.confidence, flagged, limit,
                                     bound))
        evidence.append(_table(p, [params.metric], flagged))
    expected = {("min" if params.min is not None else "max"): limit}
    if insufficient:
        return Outcome.error("; ".join(insufficient), observed=observed, expected=expected,
                             evidence=tuple(evidence), notes=tuple(notes))
    return _finish(ctx, parts, failed, flagged_all, evidence, notes, observed, expected)


GROUP_METRIC_FLOOR = RuleKind(
    name="group_metric_floor",
    family="fairness",
    summary="Every group (per sensitive feature and intersection) has the metric at least min "
    "(or at most max): the worst-group floor.",
    params=GroupMetricFloorParams,
    evaluate=evaluate_group_metric_floor,
    needs=group_needs(lambda p: (p.metric,)),
)


KINDS: tuple[RuleKind[Any], ...] = (DISPARATE_IMPACT, GROUP_METRIC_FLOOR)
