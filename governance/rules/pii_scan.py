"""The ``pii_scan`` rule kind of the privacy family (its other kinds: :mod:`.privacy`).

Import-light: pandas is imported inside ``evaluate`` (through the table reader). Findings never
echo a raw value from a dataset: PII examples are masked (:func:`governance.pii.mask`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from governance.numfmt import compared
from governance.report import KeyValueEvidence, SourceLocation, TableEvidence
from governance.rules.base import Outcome, RuleContext, RuleKind
from governance.rules.params.pii_scan import DEFAULT_NAME_PATTERNS, PiiScanParams
from governance.rules.privacy import (
    Row,
    _loc,
    _pct,
    _select_artifacts,
    normalise_name,
)

if TYPE_CHECKING:
    import pandas as pd


# ---------------------------------------------------------------------------------------------
# pii_scan
# ---------------------------------------------------------------------------------------------


_HAS_CANDIDATE = re.compile(r"[\d@]")


def _scan_values(series: pd.Series, params: PiiScanParams, seed: int,
                 kinds: list[str]) -> tuple[int, dict[str, int], dict[str, str]]:
    """(values sampled, hits per kind, a masked example per kind)."""
    from pandas.api import types as ptypes

    from governance.pii import classify, find_pii, mask

    if ptypes.is_bool_dtype(series) or ptypes.is_float_dtype(series):
        return 0, {}, {}
    if not (ptypes.is_integer_dtype(series) or ptypes.is_object_dtype(series)
            or ptypes.is_string_dtype(series)):
        return 0, {}, {}
    values = series.dropna()
    if len(values) > params.sample_rows:
        values = values.sample(n=params.sample_rows, random_state=seed)
    hits: dict[str, int] = {}
    examples: dict[str, str] = {}
    cache: dict[str, tuple[str, ...]] = {}
    for raw in values.tolist():
        text = str(raw)
        found = cache.get(text)
        if found is None:
            if not _HAS_CANDIDATE.search(text):
                found = ()
            elif params.match == "value":
                kind = classify(text, kinds)
                found = (kind,) if kind else ()
                if kind and kind not in examples:
                    examples[kind] = mask(kind, text)
            else:
                matches = find_pii(text, kinds)
                found = tuple(sorted({m.kind for m in matches}))
                for m in matches:
                    examples.setdefault(m.kind, m.masked)
            cache[text] = found
        for kind in found:
            hits[kind] = hits.get(kind, 0) + 1
    return len(values), hits, examples


@dataclass
class _ScanTally:
    """What the PII scan found so far, over every column of every artifact."""

    rows: list[Row] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    n_columns: int = 0
    n_declared: int = 0
    n_allowed: int = 0


@dataclass(frozen=True)
class _ScanSetup:
    compiled: list[tuple[str, Any]]
    kinds: list[str]
    declared: set[str]
    handling_ok: bool


def _scan_setup(ctx: RuleContext, params: PiiScanParams) -> _ScanSetup:
    from governance.pii import DETECTORS
    from governance.userregex import compile_user_pattern

    privacy = ctx.card.card.privacy
    patterns = dict(DEFAULT_NAME_PATTERNS if params.name_patterns is None
                    else params.name_patterns)
    patterns.update(params.extra_name_patterns)
    # Linear-time matching (RE2): a user pattern like ^(a|aa)+$ cannot hang the run.
    compiled = [(cat, compile_user_pattern(p)) for cat, p in patterns.items()]
    kinds = list(params.detectors) if params.detectors is not None else list(DETECTORS)
    declared = {normalise_name(c) for c in (privacy.pii_columns if privacy else [])}
    handling_ok = True
    if params.allowed_handling is not None:
        text = (privacy.anonymisation or "").lower() if privacy else ""
        handling_ok = any(word.lower() in text for word in params.allowed_handling)
    return _ScanSetup(compiled, kinds, declared, handling_ok)


def _scan_column(ctx: RuleContext, params: PiiScanParams, setup: _ScanSetup, art: Any,
                 df: Any, column: Any, tally: _ScanTally) -> bool:
    """Scan one column (by name and by sampled values); True when it is flagged."""
    col = str(column)
    tally.n_columns += 1
    norm = normalise_name(col)
    by_name = ""
    if params.by_name:
        by_name = next((cat for cat, rx in setup.compiled if rx.search(norm)), "")
    sampled, hits, examples = 0, dict[str, int](), dict[str, str]()
    if params.by_value:
        sampled, hits, examples = _scan_values(df[column], params, ctx.seed, setup.kinds)
    top = max(sorted(hits), key=lambda k: hits[k]) if hits else None
    rate = hits[top] / sampled if top and sampled else 0.0
    by_value = top if top and rate >= params.min_hit_rate else None
    if not by_name and not hits:
        return False
    # Digits enough that the shown rate and minimum compare as decided.
    state = f"ok (hit rate {compared(rate, '<', params.min_hit_rate, percent=True)})"
    allow = next((a for a in params.allow if normalise_name(a.column) == norm
                  and a.artifact in (None, art.name)), None)
    suspect = bool(by_name or by_value)
    flagged = False
    if not suspect:
        pass  # state says why: the hit rate is below the minimum
    elif norm in setup.declared and params.declared_pii == "allow" and setup.handling_ok:
        state = "declared in privacy.pii_columns"
        tally.n_declared += 1
    elif allow is not None:
        state = f"allowed: {allow.reason}"
        tally.n_allowed += 1
    else:
        state = ("declared without an allowed handling" if norm in setup.declared
                 and params.declared_pii == "allow" else "undeclared personal data")
        subject = f"{art.name}:{col}"
        tally.flagged.append(subject)
        flagged = True
        why: list[str] = []
        if by_value:
            why.append(f"{by_value} by value in {_pct(rate)} of {sampled} sampled "
                       "values")
        if by_name:
            why.append(f"by name: {by_name}")
        tally.details.append(f"{subject} ({'; '.join(why)})")
    tally.rows.append([art.name, col, by_name or None, top,
                       sampled if params.by_value else None,
                       rate if params.by_value else None,
                       examples.get(top) if top else None, state])
    return flagged


def evaluate_pii_scan(ctx: RuleContext, params: PiiScanParams) -> Outcome:
    from governance.evidence.tables import read_table

    privacy = ctx.card.card.privacy
    setup = _scan_setup(ctx, params)
    tally = _ScanTally()
    locs: list[SourceLocation] = []
    arts = _select_artifacts(ctx, params.artifacts, params.roles)
    for index, art in arts:
        df = read_table(ctx, art, index)
        art_flagged = False
        for column in df.columns:
            art_flagged = _scan_column(ctx, params, setup, art, df, column, tally) or art_flagged
        if art_flagged:
            locs.append(_loc(ctx, f"artifacts[{index}].path"))
    table = TableEvidence(
        title="Columns with personal-data signals (values masked)",
        columns=["artifact", "column", "by name", "by value", "sampled", "hit rate",
                 "example (masked)", "state"], rows=tally.rows)
    kv = KeyValueEvidence(title="Scan settings", items={
        "artifacts": ", ".join(a.name for _, a in arts), "columns scanned": tally.n_columns,
        "sample rows per column": params.sample_rows, "seed": ctx.seed,
        "minimum hit rate": params.min_hit_rate, "match": params.match,
        "value detectors": ", ".join(setup.kinds)})
    evidence = (table, kv)
    if tally.flagged:
        if privacy is not None:
            locs.append(_loc(ctx, "privacy.pii_columns"))
        return Outcome.failed(
            f"{len(tally.flagged)} of {tally.n_columns} columns look like undeclared personal "
            "data: " + ", ".join(tally.details),
            observed=tally.flagged, expected="no undeclared personal data", evidence=evidence,
            locations=tuple(locs), subjects=tuple(tally.flagged))
    extra = []
    if tally.n_declared:
        extra.append(f"{tally.n_declared} declared")
    if tally.n_allowed:
        extra.append(f"{tally.n_allowed} allowed")
    return Outcome.passed(
        f"no undeclared personal data in {tally.n_columns} columns of {len(arts)} artifact(s)"
        + (f" ({', '.join(extra)})" if extra else ""),
        observed=[], expected="no undeclared personal data", evidence=evidence)


PII_SCAN = RuleKind(
    name="pii_scan",
    family="privacy",
    summary="Dataset columns that look like personal data (by column name and by validated "
    "value patterns on a seeded sample) are declared or explicitly allowed; values masked.",
    params=PiiScanParams,
    evaluate=evaluate_pii_scan,
    isolated=True,  # runs regexes from the policy: a worker process that can be killed
)

KINDS: tuple[RuleKind[Any], ...] = (PII_SCAN,)
