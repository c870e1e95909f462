"""The drift rule kinds: compare columns of a reference and a current table with the statistics
of :mod:`governance.analysis.drift` and turn them into outcomes with evidence. Imported only
inside rule ``evaluate`` functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from governance.analysis import colmeasures as cm
from governance.analysis import drift as d
from governance.analysis.colprovider import column_stats
from governance.analysis.colstats import ColumnStats
from governance.analysis.common import (
    Dataset,
    fmt_num,
    listing,
    load_dataset,
    require,
)
from governance.card.model import ArtifactRole, Task
from governance.errors import EvidenceError
from governance.numfmt import compared, pct_pair
from governance.report import KeyValueEvidence, Scalar, TableEvidence
from governance.rules.base import Outcome, RuleContext

if TYPE_CHECKING:
    from governance.card.model import Artifact
    from governance.rules.params.drift import _Thresholds
    from governance.rules.params.feature_drift import FeatureDriftParams
    from governance.rules.params.label_drift import LabelDriftParams
    from governance.rules.params.prediction_drift import PredictionDriftParams

METHOD_NAMES: dict[str, str] = {
    "psi": "PSI",
    "ks": "Kolmogorov-Smirnov test",
    "chi2": "chi-square test",
    "jensenshannon": "Jensen-Shannon distance",
}
SHORT: dict[str, str] = {"psi": "PSI", "ks": "KS", "chi2": "chi-square",
                         "jensenshannon": "JS distance"}


@dataclass(frozen=True)
class ColumnPlan:
    """One comparison: a reference column against a current column."""

    name: str  # as shown
    ref_col: str
    cur_col: str
    kind: str  # numeric | categorical
    method: d.Method
    threshold: float


@dataclass(frozen=True)
class ColumnResult:
    plan: ColumnPlan
    stats: d.ColumnDrift | None  # None: too few values
    drifted: bool | None
    reason: str | None = None  # why there is no result

    def decision(self) -> tuple[float | None, float | None]:
        if self.stats is None:
            return None, None
        return self.stats.statistic(self.plan.method)


def default_threshold(p: _Thresholds, method: d.Method) -> float:
    return {"psi": p.psi_threshold, "ks": p.ks_alpha, "chi2": p.chi2_alpha,
            "jensenshannon": p.js_threshold}[method]


def rule_text(method: d.Method, threshold: float) -> str:
    if method in d.P_VALUE_METHODS:
        return f"p < {threshold:g}"
    return f"{SHORT[method]} > {threshold:g}"


def compare(plan: ColumnPlan, ref: ColumnStats, cur: ColumnStats,
            p: _Thresholds) -> ColumnResult:
    """One column's drift from the statistics of both samples (finite numbers for a numeric
    plan, non-missing category labels for a categorical one)."""
    if plan.kind == "numeric":
        rc, cc = cm.finite_counts(ref), cm.finite_counts(cur)
        n_r, n_c = int(rc[1].sum()), int(cc[1].sum())
    else:
        n_r, n_c = ref.non_missing, cur.non_missing
    if min(n_r, n_c) < p.min_rows:
        return ColumnResult(plan, None, None,
                            f"{n_r} reference / {n_c} current non-missing values, at least "
                            f"{p.min_rows} needed in each")
    if plan.kind == "numeric":
        stats = d.numeric_drift_counts(plan.name, rc, cc, bins=p.bins)
    else:
        stats = d.categorical_drift_stats(plan.name, ref, cur)
    stat, pval = stats.statistic(plan.method)
    return ColumnResult(plan, stats, d.is_drifted(plan.method, stat, pval, plan.threshold))


def _tables(results: list[ColumnResult], title: str) -> tuple[TableEvidence, TableEvidence]:
    decision: list[list[Scalar]] = []
    detail: list[list[Scalar]] = []
    for res in results:
        pl = res.plan
        stat, pval = res.decision()
        drifted = ("insufficient data" if res.stats is None else
                   "undetermined" if res.drifted is None else "yes" if res.drifted else "no")
        s = res.stats
        decision.append([pl.name, pl.kind, METHOD_NAMES[pl.method], stat, pval,
                         rule_text(pl.method, pl.threshold), drifted,
                         None if s is None else s.n_reference,
                         None if s is None else s.n_current])
        detail.append([pl.name, None if s is None else s.psi,
                       None if s is None else s.ks_statistic,
                       None if s is None else s.ks_pvalue, None if s is None else s.chi2,
                       None if s is None else s.chi2_pvalue,
                       None if s is None else s.js_distance,
                       None if s is None else s.categories, res.reason])
    return (
        TableEvidence(title=title, columns=[
            "column", "type", "test", "statistic", "p-value", "drift if", "drifted",
            "n reference", "n current"], rows=decision),
        TableEvidence(title="All drift statistics", columns=[
            "column", "PSI", "KS statistic", "KS p-value", "chi-square", "chi-square p-value",
            "JS distance", "categories", "note"], rows=detail),
    )


def _describe(res: ColumnResult) -> str:
    stat, pval = res.decision()
    m = res.plan.method
    # Digits enough that the shown statistic and threshold compare as decided.
    if m in d.P_VALUE_METHODS:
        return (f"{res.plan.name} ({SHORT[m]} statistic {fmt_num(stat)}, p = "
                f"{compared(pval, '<', res.plan.threshold)})")
    return f"{res.plan.name} ({SHORT[m]} {compared(stat, '>', res.plan.threshold)})"


def outcome(results: list[ColumnResult], *, ref: Dataset, cur: Dataset, ctx: RuleContext,
            what: str, max_share: float, extra: dict[str, Scalar] | None = None,
            notes: tuple[str, ...] = ()) -> Outcome:
    decided = [r for r in results if r.drifted is not None]
    drifted = [r for r in decided if r.drifted]
    missing = [r for r in results if r.drifted is None]
    between = f"between {ref.name!r} and {cur.name!r}"
    table, detail = _tables(results, f"Drift per {what} {between}")
    share = len(drifted) / len(decided) if decided else None
    items: dict[str, Scalar] = {
        "reference": ref.name, "current": cur.name, "reference rows": ref.rows,
        "current rows": cur.rows, f"{what}s compared": len(results),
        f"{what}s drifted": len(drifted), "drifted share": share,
        "max drifted share": max_share, f"{what}s with insufficient data": len(missing)}
    items.update(extra or {})
    kv = KeyValueEvidence(title="Drift summary", items=items)
    kw: dict[str, Any] = {
        "observed": {"drifted": [r.plan.name for r in drifted], "drifted_share": share},
        "expected": {"max_drifted_share": max_share},
        "evidence": (table, detail, kv),
        "locations": (ref.location(ctx), cur.location(ctx))}
    more: tuple[str, ...] = ()
    if missing:
        more = (f"insufficient data for {listing([r.plan.name for r in missing])}: "
                + "; ".join(f"{r.plan.name}: {r.reason}" for r in missing if r.reason),)
    share_t, max_t = pct_pair(share, max_share) if share is not None else ("n/a", "")
    if share is not None and share > max_share:
        return Outcome.failed(
            f"{len(drifted)} of {len(decided)} {what}s drifted {between} ({share_t}, "
            f"at most {max_t} allowed): " + listing(
                [_describe(r) for r in drifted]), subjects=tuple(r.plan.name for r in drifted),
            notes=notes + more, **kw)
    if missing:
        return Outcome.error(
            f"cannot judge drift {between} for {listing([r.plan.name for r in missing])}: "
            f"{missing[0].reason}: insufficient evidence", notes=notes + more, **kw)
    if drifted:
        head = (f"{len(drifted)} of {len(decided)} {what}s drifted {between} "
                f"({share_t}), within the allowed {max_t}: "
                + listing([_describe(r) for r in drifted]))
    else:
        head = f"no drift: 0 of {len(decided)} {what}s drifted {between}"
    return Outcome.passed(head, notes=notes, **kw)


# ---------------------------------------------------------------------------------------------
def _load_pair(ctx: RuleContext, reference: str | None,
               current: str | None) -> tuple[Dataset, Dataset]:
    ref = load_dataset(ctx, reference, ArtifactRole.REFERENCE_DATASET, stats_only=True)
    cur = load_dataset(ctx, current, ArtifactRole.DATASET, prefer="evaluation",
                       stats_only=True)
    return ref, cur


def check_feature_drift(ctx: RuleContext, p: FeatureDriftParams) -> Outcome:
    ref, cur = _load_pair(ctx, p.reference, p.current)
    notes: list[str] = []
    unknown_ex = [c for c in p.exclude
                  if c not in ref.columns and c not in cur.columns]
    if unknown_ex:
        raise EvidenceError(f"exclude names columns in neither {ref.name!r} nor {cur.name!r}: "
                            f"{listing(unknown_ex)}")
    if p.columns is not None:
        require(ref, p.columns)
        require(cur, p.columns)
        cols = [c for c in p.columns if c not in set(p.exclude)]
    else:
        ref_cols = ref.columns
        cur_set = set(cur.columns)
        cols = [c for c in ref_cols if c in cur_set and c not in set(p.exclude)]
        only = sorted((set(ref_cols) ^ cur_set) - set(p.exclude))
        if only:
            notes.append(f"columns in only one of the tables, not compared: {listing(only)}")
        # Identifier columns (text, every value distinct in both tables) always "drift":
        # leave them out of the default selection, and say so.
        ids = [c for c in cols if not ref.numeric(c)
               and _all_distinct(column_stats(ctx, ref, c))
               and _all_distinct(column_stats(ctx, cur, c))]
        if ids:
            cols = [c for c in cols if c not in set(ids)]
            notes.append(f"identifier-like columns (every value distinct) not compared: "
                         f"{listing(ids)}")
    if not cols:
        raise EvidenceError(f"{ref.name!r} and {cur.name!r} share no columns to compare: "
                            "insufficient evidence")
    unknown = [c for c in (*p.per_column, *p.categorical) if c not in cols]
    if unknown:
        raise EvidenceError(f"per_column / categorical name columns that are not compared: "
                            f"{listing(unknown)}")
    plans: list[ColumnPlan] = []
    for col in cols:
        numeric = col not in p.categorical and ref.numeric(col) and cur.numeric(col)
        kind = "numeric" if numeric else "categorical"
        spec = p.per_column.get(col)
        method: d.Method = (spec.method if spec is not None and spec.method is not None else
                            p.numeric_method if numeric else p.categorical_method)
        allowed = d.NUMERIC_METHODS if numeric else d.CATEGORICAL_METHODS
        if method not in allowed:
            raise EvidenceError(f"per_column.{col}.method: {method} does not apply to the "
                                f"{kind} column {col!r} (use {' or '.join(allowed)})")
        threshold = (spec.threshold if spec is not None and spec.threshold is not None
                     else default_threshold(p, method))
        plans.append(ColumnPlan(col, col, col, kind, method, threshold))
    results = [compare(pl, column_stats(ctx, ref, pl.ref_col),
                       column_stats(ctx, cur, pl.cur_col), p) for pl in plans]
    return outcome(results, ref=ref, cur=cur, ctx=ctx, what="column",
                   max_share=p.max_drifted_share, notes=tuple(notes))


def _all_distinct(st: ColumnStats) -> bool:
    """Every cell distinct (a missing value counts as one value), like an identifier."""
    return st.distinct + (1 if st.na else 0) == st.rows


def _column_of(artifact: Artifact, target: str) -> str:
    cmap = artifact.columns
    name = getattr(cmap, target, None) if cmap is not None else None
    return name if isinstance(name, str) else target


def _prediction_column(ds: Dataset, target: str) -> str:
    col = _column_of(ds.artifact, target)
    require(ds, [col])
    return col


def _target(ctx: RuleContext, p: PredictionDriftParams) -> tuple[bool, str]:
    """Whether the card is a regression card, and the predictions column compared."""
    regression = ctx.card.card.model.task == Task.REGRESSION
    return regression, p.target or ("y_pred" if regression else "y_score")


def check_prediction_drift(ctx: RuleContext, p: PredictionDriftParams) -> Outcome:
    ref = load_dataset(ctx, p.reference, ArtifactRole.PREDICTIONS, stats_only=True)
    cur = load_dataset(ctx, p.current, ArtifactRole.PREDICTIONS, stats_only=True)
    # The card's task decides: a regression model's predictions are numbers (PSI on quantile
    # bins of the reference, KS), never thousands of categories; class labels stay
    # categorical even when written as numbers.
    regression, target = _target(ctx, p)
    rc = _prediction_column(ref, target)
    cc = _prediction_column(cur, target)
    numeric = target == "y_score" or regression
    if numeric:
        what = "scores" if target == "y_score" else "regression predictions"
        for ds, col in ((ref, rc), (cur, cc)):
            if not ds.numeric(col):
                raise EvidenceError(f"column {col!r} of {ds.name!r} holds {what} but is not "
                                    "numeric")
    kind, method, allowed = _method_for(numeric, p.method)
    if method not in allowed:
        label = ("numeric y_score" if target == "y_score" else
                 "numeric predictions of a regression card" if numeric
                 else "predicted class labels")
        raise EvidenceError(f"method {method} does not apply to {label} (use "
                            f"{' or '.join(allowed)})")
    plan = ColumnPlan(target, rc, cc, kind, method, default_threshold(p, method))
    result = compare(plan, column_stats(ctx, ref, rc), column_stats(ctx, cur, cc), p)
    return outcome([result], ref=ref, cur=cur, ctx=ctx, what="prediction column",
                   max_share=0.0, extra={"compared": f"{rc} (reference) vs {cc} (current)"})


def _method_for(numeric: bool, given: d.Method | None
                ) -> tuple[str, d.Method, tuple[d.Method, ...]]:
    """Column kind, the drift method (the rule's, else the kind's default) and the methods
    that kind allows."""
    if numeric:
        return "numeric", given or "psi", d.NUMERIC_METHODS
    return "categorical", given or "jensenshannon", d.CATEGORICAL_METHODS


def _label_name(artifact: Artifact, explicit: str | None) -> str | None:
    cmap = artifact.columns
    return explicit or (cmap.label or cmap.y_true if cmap is not None else None)


def _label_of(ds: Dataset, explicit: str | None) -> str:
    name = _label_name(ds.artifact, explicit)
    if name is None:
        raise EvidenceError(f"artifact {ds.name!r} declares no label column (columns.label or "
                            "columns.y_true) and the rule gives no 'label' param: "
                            "insufficient evidence")
    require(ds, [name])
    return name


def check_label_drift(ctx: RuleContext, p: LabelDriftParams) -> Outcome:
    ref, cur = _load_pair(ctx, p.reference, p.current)
    rc, cc = _label_of(ref, p.label), _label_of(cur, p.label)
    regression = ctx.card.card.model.task == Task.REGRESSION
    kind, method, allowed = _method_for(regression, p.method)
    if method not in allowed:
        raise EvidenceError(f"method {method} does not apply to a {kind} label (use "
                            f"{' or '.join(allowed)})")
    name = rc if rc == cc else f"{rc} / {cc}"
    plan = ColumnPlan(name, rc, cc, kind, method, default_threshold(p, method))
    result = compare(plan, column_stats(ctx, ref, rc), column_stats(ctx, cur, cc), p)
    return outcome([result], ref=ref, cur=cur, ctx=ctx, what="label column", max_share=0.0)

