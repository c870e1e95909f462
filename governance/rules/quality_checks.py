"""The data-quality rule kinds: turn the statistics of :mod:`governance.analysis.quality` into
outcomes with evidence. Imported only inside rule ``evaluate`` functions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.analysis import colmeasures as cm
from governance.analysis import quality as q
from governance.analysis.colprovider import column_stats
from governance.analysis.common import (
    Dataset,
    feature_columns,
    finite,
    fmt_num,
    fmt_share,
    is_numeric,
    label_column,
    listing,
    load_dataset,
    require,
)
from governance.errors import EvidenceError
from governance.numfmt import bound_text, compared, num_pair, pct_pair
from governance.report import KeyValueEvidence, Scalar, TableEvidence
from governance.rules.base import Outcome, RuleContext

if TYPE_CHECKING:
    from governance.rules.params.class_balance import ClassBalanceParams
    from governance.rules.params.constant_columns import ConstantColumnsParams
    from governance.rules.params.dimensionality import DimensionalityParams
    from governance.rules.params.duplicate_rows import DuplicateRowsParams
    from governance.rules.params.feature_correlation import FeatureCorrelationParams
    from governance.rules.params.label_leakage import LabelLeakageParams
    from governance.rules.params.missing_values import MissingValuesParams
    from governance.rules.params.outliers import OutliersParams

Row = list[Scalar]



def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _columns(ds: Dataset, columns: list[str] | None, exclude: list[str]) -> list[str]:
    cols = list(columns) if columns is not None else ds.columns
    require(ds, cols)
    require(ds, [c for c in exclude if columns is None])
    cols = [c for c in cols if c not in set(exclude)]
    if not cols:
        raise EvidenceError(f"artifact {ds.name!r}: no columns left to check")
    return cols


def _default_label(ds: Dataset, explicit: str | None) -> str | None:
    if explicit is not None:
        require(ds, [explicit])
        return explicit
    cmap = ds.artifact.columns
    name = cmap.label if cmap is not None else None
    return name if name is not None and name in ds.columns else None


# ---------------------------------------------------------------------------------------------
def check_missing_values(ctx: RuleContext, p: MissingValuesParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training", stats_only=True)
    cols = _columns(ds, p.columns, p.exclude)
    unknown = [c for c in p.per_column if c not in cols]
    if unknown:
        require(ds, unknown)
        raise EvidenceError(f"per_column names columns that are not checked: "
                            f"{', '.join(unknown)}")
    stats = [q.column_missing(column_stats(ctx, ds, c), p.missing_markers) for c in cols]
    rows: list[Row] = []
    bad: list[tuple[str, float, float]] = []
    for s in stats:
        limit = p.per_column.get(s.column, p.max_column_rate)
        exceeds = s.rate > limit
        if exceeds:
            bad.append((s.column, s.rate, limit))
        rows.append([s.column, s.missing, s.rows, s.rate, limit, _yes(exceeds)])
    total = sum(s.missing for s in stats)
    cells = ds.rows * len(cols)
    overall = total / cells
    overall_bad = p.max_overall_rate is not None and overall > p.max_overall_rate
    table = TableEvidence(title=f"Missing values per column ({ds.name})",
                          columns=["column", "missing", "rows", "missing rate", "max rate",
                                   "exceeds"], rows=rows)
    kv = KeyValueEvidence(title="Missing values in total", items={
        "artifact": ds.name, "rows": ds.rows, "columns checked": len(cols),
        "missing cells": total, "overall missing rate": overall,
        "max overall rate": p.max_overall_rate,
        "columns over their limit": len(bad),
        "missing markers": ", ".join(p.missing_markers) or None})
    observed = {"overall_rate": overall, "columns_over_limit": [b[0] for b in bad]}
    expected = {"max_column_rate": p.max_column_rate, "max_overall_rate": p.max_overall_rate}
    kw: dict[str, Any] = {"observed": observed, "expected": expected, "evidence": (table, kv),
          "locations": (ds.location(ctx),)}
    if bad or overall_bad:
        parts = []
        if bad:
            parts.append(f"{len(bad)} of {len(cols)} columns of {ds.name!r} exceed their "
                         "missing-value limit: " + listing(
                             [f"{c} {compared(r, '>', m, percent=True)}"
                              for c, r, m in bad]))
        if overall_bad:
            assert p.max_overall_rate is not None
            rate_t, limit_t = pct_pair(overall, p.max_overall_rate)
            parts.append(f"overall missing rate {rate_t} of {ds.name!r} exceeds {limit_t}")
        subjects = tuple(c for c, _, _ in bad) + (("(overall)",) if overall_bad else ())
        return Outcome.failed("; ".join(parts), subjects=subjects, **kw)
    worst = max(stats, key=lambda s: s.rate)
    if worst.missing == 0:
        return Outcome.passed(f"no missing values in {len(cols)} column(s) of {ds.name!r}",
                              **kw)
    return Outcome.passed(
        f"missing values of {ds.name!r} within limits: highest column rate "
        f"{fmt_share(worst.rate)} ({worst.column}), overall {fmt_share(overall)}",
        **kw)


# ---------------------------------------------------------------------------------------------
def check_duplicate_rows(ctx: RuleContext, p: DuplicateRowsParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training")
    cols = _columns(ds, p.columns, p.exclude)
    n = len(ds.frame)
    dupes = q.duplicate_rows(ds.frame, cols)
    share = dupes / n
    kv = KeyValueEvidence(title=f"Duplicate rows ({ds.name})", items={
        "artifact": ds.name, "rows": n, "duplicate rows": dupes, "duplicate share": share,
        "max share": p.max_share, "columns compared": len(cols),
        "columns left out": ", ".join(p.exclude) or None})
    where = "all columns" if p.columns is None and not p.exclude else f"{len(cols)} columns"
    kw: dict[str, Any] = {"observed": share, "expected": {"max_share": p.max_share},
                          "evidence": (kv,), "locations": (ds.location(ctx),)}
    shown, limit = pct_pair(share, p.max_share)
    if share > p.max_share:
        return Outcome.failed(
            f"{dupes} of {n} rows of {ds.name!r} ({shown}) repeat an earlier row "
            f"on {where}; at most {limit} allowed",
            subjects=(ds.name,), **kw)
    return Outcome.passed(
        f"{dupes} of {n} rows of {ds.name!r} ({shown}) repeat an earlier row on "
        f"{where} (at most {limit} allowed)", **kw)


# ---------------------------------------------------------------------------------------------
def check_constant_columns(ctx: RuleContext, p: ConstantColumnsParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training", stats_only=True)
    cols = _columns(ds, p.columns, p.exclude)
    stats = [q.column_constancy(column_stats(ctx, ds, c)) for c in cols]
    rows: list[Row] = []
    constant: list[str] = []
    near: list[tuple[str, float]] = []
    for s in stats:
        state = "ok"
        if s.constant:
            state = "constant" if s.non_missing else "constant (no values)"
            constant.append(s.column)
        elif (p.near_constant_share is not None and s.dominant_share is not None
              and s.dominant_share >= p.near_constant_share):
            state = "near-constant"
            near.append((s.column, s.dominant_share))
        rows.append([s.column, s.non_missing, s.distinct, s.dominant_share, state])
    table = TableEvidence(title=f"Distinct values per column ({ds.name})",
                          columns=["column", "non-missing", "distinct values",
                                   "most frequent value share", "state"], rows=rows)
    kv = KeyValueEvidence(title="Constant columns", items={
        "artifact": ds.name, "columns checked": len(cols), "constant": len(constant),
        "max constant": p.max_constant, "near-constant": len(near),
        "near-constant share": p.near_constant_share,
        "max near-constant": p.max_near_constant})
    kw: dict[str, Any] = {"observed": {"constant": constant, "near_constant": [c for c, _ in near]},
          "expected": {"max_constant": p.max_constant,
                       "max_near_constant": p.max_near_constant},
          "evidence": (table, kv), "locations": (ds.location(ctx),)}
    parts: list[str] = []
    subjects: list[str] = []
    if len(constant) > p.max_constant:
        parts.append(f"{len(constant)} constant column(s) in {ds.name!r} ({listing(constant)})"
                     f", at most {p.max_constant} allowed")
        subjects.extend(constant)
    if len(near) > p.max_near_constant:
        assert p.near_constant_share is not None
        parts.append(f"{len(near)} near-constant column(s) in {ds.name!r} (" + listing(
            [f"{c}: one value in {compared(s, '>=', p.near_constant_share, percent=True)}"
             for c, s in near]) + f"), at most {p.max_near_constant} allowed")
        subjects.extend(c for c, _ in near)
    if parts:
        return Outcome.failed("; ".join(parts), subjects=tuple(subjects),
                              **kw)
    near_part = (f", {len(near)} near-constant (at most {p.max_near_constant})"
                 if p.near_constant_share is not None else "")
    return Outcome.passed(
        f"constant columns of {ds.name!r} within limits: {len(constant)} constant (at most "
        f"{p.max_constant}){near_part} among {len(cols)} column(s)", **kw)


# ---------------------------------------------------------------------------------------------
def check_class_balance(ctx: RuleContext, p: ClassBalanceParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training", stats_only=True)
    label = label_column(ds, p.label)
    bal = q.balance_of(column_stats(ctx, ds, label))
    if not bal.classes:
        return Outcome.error(f"label column {label!r} of {ds.name!r} has no values: "
                             "insufficient evidence", locations=(ds.location(ctx),))
    n = sum(c.count for c in bal.classes)
    table = TableEvidence(title=f"Classes of {label} ({ds.name})",
                          columns=["class", "count", "share"],
                          rows=[[c.label, c.count, c.share] for c in bal.classes])
    ratio = bal.imbalance_ratio
    kv = KeyValueEvidence(title="Class balance", items={
        "artifact": ds.name, "label column": label, "labelled rows": n,
        "missing labels": bal.missing, "classes": len(bal.classes),
        "minority share": bal.minority_share, "imbalance ratio": ratio,
        "min minority share": p.min_minority_share,
        "max imbalance ratio": p.max_imbalance_ratio})
    minority = bal.classes[-1]
    majority = bal.classes[0]
    kw: dict[str, Any] = {
          "observed": {"minority_share": bal.minority_share, "imbalance_ratio": ratio,
                       "classes": len(bal.classes)},
          "expected": {"min_minority_share": p.min_minority_share,
                       "max_imbalance_ratio": p.max_imbalance_ratio,
                       "min_classes": p.min_classes},
          "evidence": (table, kv), "locations": (ds.location(ctx),)}
    problems: list[str] = []
    if len(bal.classes) < p.min_classes:
        problems.append(f"only {len(bal.classes)} class(es), at least {p.min_classes} needed")
    if p.min_minority_share is not None and bal.minority_share < p.min_minority_share:
        shown, limit = pct_pair(bal.minority_share, p.min_minority_share)
        problems.append(f"minority class {minority.label!r} is {shown} "
                        f"of {n} labelled rows, below the minimum {limit}")
    if p.max_imbalance_ratio is not None and (ratio is None or ratio > p.max_imbalance_ratio):
        shown, limit = (num_pair(ratio, p.max_imbalance_ratio) if ratio is not None
                        else ("n/a", bound_text(p.max_imbalance_ratio)))
        problems.append(f"imbalance ratio {shown} ({majority.count}:{minority.count})"
                        f" is above the maximum {limit}")
    if problems:
        return Outcome.failed(f"label {label!r} of {ds.name!r}: " + "; ".join(problems),
                              subjects=(label,), **kw)
    return Outcome.passed(
        f"label {label!r} of {ds.name!r} is balanced enough: minority class "
        f"{minority.label!r} {fmt_share(minority.share)}, imbalance ratio {fmt_num(ratio)}",
        **kw)


# ---------------------------------------------------------------------------------------------
# ---------------------------------------------------------------------------------------------
def _numeric_values(ctx: RuleContext, ds: Dataset, col: str) -> q.Counts:
    """The column's finite (distinct values, counts)."""
    counts = cm.finite_counts(column_stats(ctx, ds, col))
    if counts[0].size == 0:
        raise EvidenceError(f"column {col!r} of {ds.name!r} has no values: insufficient "
                            "evidence")
    return counts


def check_outliers(ctx: RuleContext, p: OutliersParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training", stats_only=True)
    label = _default_label(ds, p.label)
    if p.columns is not None:
        cols = _columns(ds, p.columns, p.exclude)
        not_num = [c for c in cols if not ds.numeric(c)]
        if not_num:
            raise EvidenceError(f"column(s) {listing(not_num)} of {ds.name!r} are not numeric; "
                                "outliers are checked on numeric columns only")
    else:
        cols = [c for c in _columns(ds, None, p.exclude)
                if c != label and ds.numeric(c)]
        if not cols:
            raise EvidenceError(f"artifact {ds.name!r} has no numeric columns to check for "
                                "outliers: insufficient evidence")
    require(ds, list(p.per_column))
    rows: list[Row] = []
    bad: list[tuple[str, float, float]] = []
    for col in cols:
        values = _numeric_values(ctx, ds, col)
        res = (q.iqr_outliers(values, p.iqr_k, col) if p.method == "iqr"
               else q.zscore_outliers(values, p.z_threshold, col))
        limit = p.per_column.get(col, p.max_share)
        exceeds = res.share > limit
        if exceeds:
            bad.append((col, res.share, limit))
        rows.append([col, res.values, res.outliers, res.share, finite(res.lower),
                     finite(res.upper), limit, _yes(exceeds)])
    how = (f"IQR fences, k={p.iqr_k:g}" if p.method == "iqr"
           else f"|z| > {p.z_threshold:g}")
    table = TableEvidence(title=f"Outliers per numeric column ({ds.name}, {how})",
                          columns=["column", "values", "outliers", "outlier share",
                                   "lower bound", "upper bound", "max share", "exceeds"],
                          rows=rows)
    kw: dict[str, Any] = {"observed": {"columns_over_limit": [c for c, _, _ in bad]},
          "expected": {"max_share": p.max_share, "method": p.method},
          "evidence": (table,), "locations": (ds.location(ctx),)}
    if bad:
        return Outcome.failed(
            f"{len(bad)} of {len(cols)} numeric column(s) of {ds.name!r} have more outliers "
            f"({how}) than allowed: " + listing(
                [f"{c} {compared(s, '>', m, percent=True)}" for c, s, m in bad]),
            subjects=tuple(c for c, _, _ in bad), **kw)
    worst = max(rows, key=lambda r: float(r[3] or 0.0))
    return Outcome.passed(
        f"outlier shares ({how}) of {len(cols)} numeric column(s) of {ds.name!r} within "
        f"limits; highest {fmt_share(float(worst[3] or 0.0))} ({worst[0]})",
        **kw)


# ---------------------------------------------------------------------------------------------
def check_dimensionality(ctx: RuleContext, p: DimensionalityParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training", stats_only=True)
    label = _default_label(ds, p.label)
    feats = [c for c in feature_columns(ds, p.features, [], label) if c != label]
    if not feats:
        raise EvidenceError(f"artifact {ds.name!r} has no feature columns: insufficient "
                            "evidence")
    n_rows = ds.rows
    numeric = [c for c in feats if ds.numeric(c)]
    categorical = [c for c in feats if c not in set(numeric)]
    if p.expand_categoricals:
        width = len(numeric) + sum(max(column_stats(ctx, ds, c).distinct - 1, 1)
                                   for c in categorical)
    else:
        width = len(feats)
    per_feature = n_rows / width
    kv = KeyValueEvidence(title=f"Rows per feature ({ds.name})", items={
        "artifact": ds.name, "rows": n_rows, "features": len(feats),
        "numeric features": len(numeric), "categorical features": len(categorical),
        "feature dimensions counted": width,
        "categoricals expanded (one-hot)": p.expand_categoricals,
        "rows per feature": per_feature, "min rows per feature": p.min_rows_per_feature,
        "max features": p.max_features})
    kw: dict[str, Any] = {"observed": {"rows_per_feature": per_feature, "features": width},
          "expected": {"min_rows_per_feature": p.min_rows_per_feature,
                       "max_features": p.max_features},
          "evidence": (kv,), "locations": (ds.location(ctx),)}
    dims = "feature dimensions (one-hot)" if p.expand_categoricals else "features"
    problems = []
    if per_feature < p.min_rows_per_feature:
        shown, limit = num_pair(per_feature, p.min_rows_per_feature, 3)
        problems.append(f"{n_rows} rows for {width} {dims} is {shown} rows per "
                        f"feature, below the minimum {limit}")
    if p.max_features is not None and width > p.max_features:
        problems.append(f"{width} {dims}, more than the maximum {p.max_features}")
    if problems:
        return Outcome.failed(f"{ds.name!r}: " + "; ".join(problems), subjects=(ds.name,),
                              **kw)
    shown, limit = num_pair(per_feature, p.min_rows_per_feature, 3)
    return Outcome.passed(f"{ds.name!r}: {n_rows} rows for {width} {dims} is "
                          f"{shown} rows per feature (minimum {limit})", **kw)


# ---------------------------------------------------------------------------------------------
def _associations(df: Any, numeric: list[str], categorical: list[str],
                  p: FeatureCorrelationParams) -> list[q.PairAssociation]:
    """Every pair's association: the numeric correlations, then Cramér's V (categorical)."""
    pairs: list[q.PairAssociation] = []
    if len(numeric) >= 2:
        for method in p.methods:
            pairs.extend(q.numeric_correlations(df, numeric, method))
    if p.categorical:
        for i, a in enumerate(categorical):
            for b in categorical[i + 1:]:
                v, n = q.cramers_v(df[a], df[b])
                if v is not None:
                    pairs.append(q.PairAssociation(a, b, "cramers_v", v, n))
    return pairs


def check_feature_correlation(ctx: RuleContext, p: FeatureCorrelationParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training")
    label = _default_label(ds, p.label)
    cols = [c for c in _columns(ds, p.columns, p.exclude) if c != label]
    df = ds.frame
    numeric = [c for c in cols if is_numeric(df[c]) and df[c].notna().any()]
    categorical = [c for c in cols if not is_numeric(df[c])
                   and 2 <= df[c].nunique() <= p.max_categories]
    if len(numeric) < 2 and not (p.categorical and len(categorical) >= 2):
        raise EvidenceError(f"artifact {ds.name!r} has fewer than two numeric columns to "
                            "correlate: insufficient evidence")
    pairs = _associations(df, numeric, categorical, p)

    def limit(pair: q.PairAssociation) -> float:
        return p.max_cramers_v if pair.method == "cramers_v" else p.max_abs_correlation

    flagged = [x for x in pairs if abs(x.value) > limit(x)]
    redundant = list(dict.fromkeys((x.a, x.b) for x in flagged))
    ranked = sorted(pairs, key=lambda x: (-abs(x.value), x.a, x.b, x.method))
    shown = [x for x in ranked if x in flagged] + [x for x in ranked[:10] if x not in flagged]
    shown.sort(key=lambda x: (-abs(x.value), x.a, x.b, x.method))
    table = TableEvidence(
        title=f"Strongest feature associations ({ds.name})",
        columns=["feature A", "feature B", "method", "value", "rows", "max |value|",
                 "redundant"],
        rows=[[x.a, x.b, x.method, x.value, x.n, limit(x), _yes(x in flagged)]
              for x in shown])
    kv = KeyValueEvidence(title="Feature correlation", items={
        "artifact": ds.name, "numeric columns": len(numeric),
        "categorical columns": len(categorical) if p.categorical else None,
        "pairs compared": len(pairs), "redundant pairs": len(redundant),
        "max redundant pairs": p.max_pairs, "methods": ", ".join(p.methods)
        + (", cramers_v" if p.categorical else "")})
    expected: dict[str, Any] = {"max_abs_correlation": p.max_abs_correlation,
                                "max_pairs": p.max_pairs}
    if p.categorical:
        expected["max_cramers_v"] = p.max_cramers_v
    kw: dict[str, Any] = {"observed": {"redundant_pairs": [f"{a} ~ {b}" for a, b in redundant]},
          "expected": expected, "evidence": (table, kv), "locations": (ds.location(ctx),)}

    def described(x: q.PairAssociation) -> str:
        # The decision compares |value| with the limit: say so, with digits enough that the
        # shown numbers compare the same way (issue 12 item 5).
        op = ">" if x in flagged else "<="
        mag, lim = num_pair(abs(x.value), limit(x))
        if x.value < 0:
            return f"{x.a} ~ {x.b} ({x.method} -{mag}, |value| {mag} {op} {lim})"
        return f"{x.a} ~ {x.b} ({x.method} {mag} {op} {lim})"

    best: dict[tuple[str, str], q.PairAssociation] = {}
    for x in flagged:
        if (x.a, x.b) not in best or abs(x.value) > abs(best[(x.a, x.b)].value):
            best[(x.a, x.b)] = x
    listed = listing([described(best[pair]) for pair in redundant])
    if len(redundant) > p.max_pairs:
        subjects = tuple(dict.fromkeys(c for pair in redundant for c in pair))
        return Outcome.failed(
            f"{len(redundant)} redundant feature pair(s) in {ds.name!r} (at most "
            f"{p.max_pairs} allowed): " + listed, subjects=subjects, **kw)
    if redundant:
        return Outcome.passed(
            f"{len(redundant)} redundant feature pair(s) in {ds.name!r}, within the "
            f"{p.max_pairs} allowed: " + listed, **kw)
    top = f"; strongest {described(ranked[0])}" if ranked else ""
    return Outcome.passed(f"no feature pairs of {ds.name!r} above the correlation limits"
                          f"{top}", **kw)


# ---------------------------------------------------------------------------------------------
def check_label_leakage(ctx: RuleContext, p: LabelLeakageParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training")
    label = label_column(ds, p.label)
    feats = [c for c in feature_columns(ds, p.features, p.exclude, label) if c != label]
    y = ds.frame[label]
    if y.dropna().nunique() < 2:
        raise EvidenceError(f"label column {label!r} of {ds.name!r} has fewer than two "
                            "classes: insufficient evidence")
    if not feats:
        raise EvidenceError(f"artifact {ds.name!r} has no feature columns: insufficient "
                            "evidence")
    scores = [q.leakage_score(ds.frame[c], y, c, max_categories=p.max_categories)
              for c in feats]
    assessed = [s for s in scores if s.score is not None]
    if not assessed:
        raise EvidenceError(f"no feature of {ds.name!r} could be assessed for label leakage "
                            "(all skipped): insufficient evidence")
    leaking = [s for s in assessed if s.score is not None and s.score > p.max_score]
    names = {"roc_auc": "ROC AUC", "stump_balanced_accuracy": "stump balanced accuracy",
             "skipped": "not assessed"}
    ordered = sorted(scores, key=lambda s: (-(s.score if s.score is not None else -1.0),
                                            s.column))
    table = TableEvidence(
        title=f"Single-feature predictiveness of {label} ({ds.name})",
        columns=["feature", "method", "score", "max score", "leaking", "note"],
        rows=[[s.column, names[s.method], s.score, p.max_score,
               "n/a" if s.score is None else _yes(s in leaking), s.note] for s in ordered])
    kw: dict[str, Any] = {"observed": {"leaking": [s.column for s in leaking],
                       "highest_score": ordered[0].score},
          "expected": {"max_score": p.max_score},
          "evidence": (table,), "locations": (ds.location(ctx),)}
    skipped = len(scores) - len(assessed)
    notes = ((f"{skipped} feature(s) not assessed (see the table)",) if skipped else ())
    if leaking:
        return Outcome.failed(
            f"{len(leaking)} feature(s) of {ds.name!r} predict the label {label!r} almost "
            "perfectly on their own (possible label leakage): " + listing(
                [f"{s.column} ({names[s.method]} {compared(s.score, '>', p.max_score)})"
                 for s in leaking]),
            subjects=tuple(s.column for s in leaking), notes=notes,
            **kw)
    top = ordered[0]
    return Outcome.passed(
        f"no single feature of {ds.name!r} predicts the label {label!r} almost perfectly; "
        f"highest {top.column} ({names[top.method]} {compared(top.score, '<=', p.max_score)})",
        notes=notes, **kw)
