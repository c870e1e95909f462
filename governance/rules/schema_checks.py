"""The ``data_schema`` rule kind's check: a dataset against its declared columns (type,
missing values, range, allowed categories). Imported only inside the rule's ``evaluate``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from governance.analysis import colmeasures as cm
from governance.analysis import quality as q
from governance.analysis.colprovider import column_stats
from governance.analysis.colstats import ColumnStats
from governance.analysis.common import is_numeric, listing, load_dataset
from governance.report import KeyValueEvidence, Scalar, TableEvidence
from governance.rules.base import Outcome, RuleContext

if TYPE_CHECKING:
    from governance.rules.params.data_schema import DataSchemaParams

Row = list[Scalar]


def _column_problems(s: Any, st: ColumnStats, spec: Any
                     ) -> tuple[list[str], str, int, int | None, int | None]:
    """One declared column against its spec: (problems, actual type, missing values,
    values out of range, values not allowed)."""
    problems: list[str] = []
    nulls = st.na
    has_values = nulls < len(s)
    actual = q.actual_dtype(s) if has_values else "no values"
    if not spec.nullable and nulls:
        problems.append(f"{nulls} missing value(s) in a non-nullable column")
    if spec.dtype != "any" and has_values and not q.dtype_matches(s, spec.dtype):
        problems.append(f"type {actual}, expected {spec.dtype}")
    bad_range: int | None = None
    if (spec.min is not None or spec.max is not None) and has_values:
        if is_numeric(s):
            bad_range = cm.out_of_range(st, spec.min, spec.max)
            if bad_range:
                lo = "-inf" if spec.min is None else f"{spec.min:g}"
                hi = "inf" if spec.max is None else f"{spec.max:g}"
                problems.append(f"{bad_range} value(s) outside [{lo}, {hi}]")
        else:
            problems.append("not numeric, so its range cannot be checked")
    bad_allowed: int | None = None
    if spec.allowed is not None and has_values:
        bad_allowed, labels = cm.not_allowed(st, list(spec.allowed))
        if bad_allowed:
            problems.append(f"{bad_allowed} value(s) not in the allowed categories ("
                            + listing(labels, 5) + ")")
    return problems, actual, nulls, bad_range, bad_allowed


def check_data_schema(ctx: RuleContext, p: DataSchemaParams) -> Outcome:
    ds = load_dataset(ctx, p.artifact, prefer="training")
    df = ds.frame
    rows: list[Row] = []
    violations: list[tuple[str, str]] = []
    unverifiable: list[str] = []
    for col, spec in p.columns.items():
        if col not in df.columns:
            state = "missing" if spec.required else "absent (optional)"
            if spec.required:
                violations.append((col, "required column missing"))
            rows.append([col, spec.dtype, None, None, None, None, state])
            continue
        s = df[col]
        problems, actual, nulls, bad_range, bad_allowed = _column_problems(
            s, column_stats(ctx, ds, col), spec)
        if spec.dtype != "any" and nulls == len(s):
            unverifiable.append(col)
        for prob in problems:
            violations.append((col, prob))
        state = "ok" if not problems else "; ".join(problems)
        if col in unverifiable and not problems:
            state = "no values: type not verifiable"
        rows.append([col, spec.dtype, actual, nulls, bad_range, bad_allowed, state])
    extra = [str(c) for c in df.columns if c not in p.columns]
    if extra and not p.allow_extra_columns:
        violations.append(("(extra columns)", f"{len(extra)} undeclared column(s): "
                           + listing(extra)))
    table = TableEvidence(title=f"Schema of {ds.name}",
                          columns=["column", "expected type", "actual type", "missing",
                                   "out of range", "not allowed", "state"], rows=rows)
    kv = KeyValueEvidence(title="Schema check", items={
        "artifact": ds.name, "rows": len(df), "columns declared": len(p.columns),
        "columns in table": int(df.shape[1]), "undeclared columns": len(extra),
        "violations": len(violations)})
    kw: dict[str, Any] = {
          "observed": {"violations": len(violations)}, "expected": "no schema violations",
          "evidence": (table, kv), "locations": (ds.location(ctx),)}
    if violations:
        cols = list(dict.fromkeys(c for c, _ in violations))
        return Outcome.failed(
            f"{len(violations)} schema violation(s) in {ds.name!r}: "
            + listing([f"{c}: {what}" for c, what in violations], 6),
            subjects=tuple(cols), **kw)
    if unverifiable:
        return Outcome.error(
            f"column(s) {listing(unverifiable)} of {ds.name!r} have no values, so their type "
            "cannot be checked: insufficient evidence", **kw)
    return Outcome.passed(f"{ds.name!r} conforms to the declared schema of {len(p.columns)} "
                          "column(s)", **kw)
