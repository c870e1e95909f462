"""Rule kinds of the performance family about generalisation: the train-test gap of a
recomputed metric and the spread of cross-validation scores (the other performance kinds:
:mod:`.performance`).

Import-light: numpy/pandas and the metric modules are imported inside ``evaluate``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.errors import EvidenceError
from governance.metrics.names import direction
from governance.numfmt import bound_text, num_pair
from governance.report import KeyValueEvidence, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.cv_spread import CVSpreadParams
from governance.rules.params.generalization_gap import GeneralizationGapParams
from governance.rules.performance import metric_need, recompute

if TYPE_CHECKING:
    from collections.abc import Sequence

    from governance.evidence.needs import StatNeed

# ---------------------------------------------------------------------------------------------
# generalization_gap
# ---------------------------------------------------------------------------------------------


def _needs_gap(ctx: RuleContext, params: GeneralizationGapParams) -> Sequence[StatNeed]:
    return [metric_need(ctx, params.metric, artifact=a, split=s,
                        n_resamples=params.n_resamples)
            for a, s in ((params.train_artifact, "train"), (params.test_artifact, "test"))]


def evaluate_generalization_gap(ctx: RuleContext, params: GeneralizationGapParams) -> Outcome:
    from governance.metrics import gates

    kw: dict[str, Any] = {"average": params.average, "n_resamples": params.n_resamples,
                          "confidence": params.confidence}
    train = recompute(ctx, params.metric, artifact=params.train_artifact, split="train",
                      key=ctx.rule.id + ":train", **kw)
    test = recompute(ctx, params.metric, artifact=params.test_artifact, split="test",
                     key=ctx.rule.id + ":test", **kw)
    if train.artifact.name == test.artifact.name:
        raise EvidenceError(f"train and test predictions are the same artifact "
                            f"{train.artifact.name!r}")
    better = params.direction or direction(params.metric) or "higher_is_better"
    sign = 1.0 if better == "higher_is_better" else -1.0

    def gap_of(tr: Any, te: Any) -> Any:
        g = sign * (tr - te)
        return g / abs(tr) if params.relative else g

    if train.value is None or test.value is None:
        return Outcome.error(f"{params.metric} is undefined on "
                             f"{'train' if train.value is None else 'test'} predictions: "
                             "insufficient evidence")
    gap = float(gap_of(train.value, test.value))
    lo = hi = None
    if train.samples is not None and test.samples is not None:
        lo, hi, _ = gates.interval(gap_of(train.samples, test.samples), params.confidence)
    used = gates.decided(gap, lo, hi, params.decide_on)
    kind = "relative gap" if params.relative else "gap"
    # The value compared and the limit, with digits enough to compare as decided.
    used_t, max_t = (num_pair(used, params.max_gap) if used is not None
                     else ("undefined", bound_text(params.max_gap)))
    gap_t = used_t if params.decide_on == "point" else gates.fmt(gap)
    head = (f"{params.metric} is {gates.fmt(train.value)} on train ({train.artifact.name}) and "
            f"{gates.fmt(test.value)} on test ({test.artifact.name}): {kind} "
            f"{gap_t}{gates.ci_text(lo, hi, params.confidence)}")
    obs = {"metric": params.metric, "train": train.value, "test": test.value, "gap": gap,
           "ci_lower": lo, "ci_upper": hi, "decided_value": used}
    block = gates.interval_block(f"Train-test {kind} of {params.metric}", params.metric, gap,
                                 lo, hi, params.confidence, test.n, params.max_gap,
                                 params.n_resamples)
    table = TableEvidence(title="Train vs test", columns=["split", "artifact", "n",
                                                          params.metric, "ci_lower",
                                                          "ci_upper"],
                          rows=[["train", train.artifact.name, train.n, train.value, train.lo,
                                 train.hi],
                                ["test", test.artifact.name, test.n, test.value, test.lo,
                                 test.hi]])
    if used is None:
        return Outcome.error(f"{head}: the value used for the decision is undefined",
                             observed=obs, expected={"max_gap": params.max_gap},
                             evidence=(block, table))
    on = "" if params.decide_on == "point" else (
        f" (deciding on {gates.basis(params.decide_on)} {used_t})")
    if used > params.max_gap:
        return Outcome.failed(f"{head} exceeds the maximum {max_t}{on}",
                              observed=obs, expected={"max_gap": params.max_gap},
                              evidence=(block, table))
    return Outcome.passed(f"{head} is within the maximum {max_t}{on}", observed=obs,
                          expected={"max_gap": params.max_gap}, evidence=(block, table))


GENERALIZATION_GAP = RuleKind(
    name="generalization_gap",
    family="performance",
    summary="The train-vs-test gap of a recomputed metric stays below a maximum "
    "(overfitting check).",
    params=GeneralizationGapParams,
    evaluate=evaluate_generalization_gap,
    needs=_needs_gap,
)


# ---------------------------------------------------------------------------------------------
# cv_spread
# ---------------------------------------------------------------------------------------------


def evaluate_cv_spread(ctx: RuleContext, params: CVSpreadParams) -> Outcome:
    import numpy as np
    import pandas as pd

    from governance.evidence.tables import find_artifact, read_table, require_columns
    from governance.metrics import gates

    index, art = find_artifact(ctx, name=params.artifact)
    df = read_table(ctx, art, index)
    require_columns(df, [params.fold_column, params.metric_column, params.value_column], art)
    display = f"artifact {art.name!r} ({art.path})"
    rows = df[df[params.metric_column].astype(str) == params.metric]
    if rows.empty:
        from governance.textsafe import names

        have = names(sorted(df[params.metric_column].astype(str).unique()), limit=10)
        raise EvidenceError(f"{display} has no rows for metric {params.metric!r} (metrics: "
                            f"{have})")
    folds = rows[params.fold_column].astype(str)
    dup = folds[folds.duplicated()]
    if not dup.empty:
        raise EvidenceError(f"{display}: fold {dup.iloc[0]} appears twice for metric "
                            f"{params.metric!r}")
    values = pd.to_numeric(rows[params.value_column], errors="coerce").to_numpy(
        dtype=np.float64)
    if not np.isfinite(values).all():
        raise EvidenceError(f"{display}: column {params.value_column!r} has missing or "
                            f"non-numeric values for metric {params.metric!r}")
    k = len(values)
    if k < params.min_folds:
        return Outcome.error(f"{display} has {k} fold(s) for {params.metric}, at least "
                             f"{params.min_folds} needed: insufficient evidence", observed=k,
                             expected=f">= {params.min_folds} folds")
    std = float(np.std(values, ddof=1))
    rng = float(values.max() - values.min())
    mean = float(values.mean())
    table = TableEvidence(title=f"Cross-validation folds: {params.metric}",
                          columns=["fold", params.metric],
                          rows=[[f, float(v)] for f, v in zip(folds, values, strict=True)])
    kv = KeyValueEvidence(title="Fold spread", items={
        "folds": k, "mean": mean, "std (ddof=1)": std, "range": rng,
        "max_std": params.max_std, "max_range": params.max_range})
    std_t, max_std_t = (num_pair(std, params.max_std) if params.max_std is not None
                        else (gates.fmt(std), ""))
    rng_t, max_rng_t = (num_pair(rng, params.max_range) if params.max_range is not None
                        else (gates.fmt(rng), ""))
    head = (f"{params.metric} over {k} folds: mean {gates.fmt(mean)}, std {std_t}, "
            f"range {rng_t}")
    obs = {"metric": params.metric, "folds": k, "mean": mean, "std": std, "range": rng}
    expected = {k2: v for k2, v in (("max_std", params.max_std),
                                    ("max_range", params.max_range)) if v is not None}
    problems = []
    if params.max_std is not None and std > params.max_std:
        problems.append(f"std exceeds the maximum {max_std_t}")
    if params.max_range is not None and rng > params.max_range:
        problems.append(f"range exceeds the maximum {max_rng_t}")
    if problems:
        return Outcome.failed(f"{head}: " + " and ".join(problems), observed=obs,
                              expected=expected, evidence=(table, kv))
    return Outcome.passed(f"{head}: within the limits", observed=obs, expected=expected,
                          evidence=(table, kv))


CV_SPREAD = RuleKind(
    name="cv_spread",
    family="performance",
    summary="Cross-validation fold scores (table: fold, metric, value) vary less than a "
    "maximum standard deviation or range.",
    params=CVSpreadParams,
    evaluate=evaluate_cv_spread,
)


KINDS: tuple[RuleKind[Any], ...] = (GENERALIZATION_GAP, CV_SPREAD)
