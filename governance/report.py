"""Findings and the report: frozen, typed values and their canonical JSON (DESIGN §4).

A :class:`Report` is pure data. Reporters turn it into bytes; the signer wraps its canonical
JSON in an attestation. Same inputs give the same findings, byte-identical except ``report_id``
and ``generated_at``.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, JsonValue

from governance.statuses import Status as Status
from governance.statuses import Verdict as Verdict
from governance.terms import Frozen as Frozen
from governance.terms import Reference as Reference
from governance.terms import Scope as Scope
from governance.terms import Severity as Severity
from governance.terms import SourceLocation as SourceLocation
from governance.terms import Waiver as Waiver
from governance.terms import WaiverSettings as WaiverSettings
from governance.terms import WaiverSigner as WaiverSigner

SCHEMA_VERSION = "1.0"


# ---------------------------------------------------------------------------------------------
# Evidence blocks: typed, so that every reporter can render them without guessing.
# ---------------------------------------------------------------------------------------------

Scalar = str | int | float | bool | None


class TableEvidence(Frozen):
    """A plain table (data-quality per column, drift per column, confusion counts, ...)."""

    type: Literal["table"] = "table"
    title: str
    columns: list[str]
    rows: list[list[Scalar]]


class GroupValue(Frozen):
    group: str
    value: float | None
    n: int | None = None
    ci_lower: float | None = None
    ci_upper: float | None = None
    flagged: bool = False


class GroupMetricEvidence(Frozen):
    """One metric per group of a sensitive feature (or intersection): drawn as a bar chart."""

    type: Literal["group_metric"] = "group_metric"
    title: str
    feature: str
    metric: str
    groups: list[GroupValue]
    overall: float | None = None
    threshold: float | None = None
    threshold_label: str | None = None
    ci_method: str | None = None  # how the groups' intervals were computed


class IntervalEvidence(Frozen):
    """A point value with a confidence interval (bootstrap or analytic)."""

    type: Literal["interval"] = "interval"
    title: str
    metric: str
    value: float | None
    ci_lower: float | None = None
    ci_upper: float | None = None
    confidence: float | None = None
    method: str | None = None
    n: int | None = None
    threshold: float | None = None


class KeyValueEvidence(Frozen):
    """Named values (sample sizes, digests, settings)."""

    type: Literal["kv"] = "kv"
    title: str
    items: dict[str, Scalar]


EvidenceBlock = Annotated[
    TableEvidence | GroupMetricEvidence | IntervalEvidence | KeyValueEvidence,
    Field(discriminator="type"),
]


class Finding(Frozen):
    rule_id: str
    title: str
    kind: str
    family: str
    severity: Severity
    status: Status
    message: str
    observed: JsonValue = None
    expected: JsonValue = None
    evidence: list[EvidenceBlock] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    remediation: str | None = None
    locations: list[SourceLocation] = Field(default_factory=list)
    waiver: Waiver | None = None
    notes: list[str] = Field(default_factory=list)


class Tool(Frozen):
    name: str
    version: str


class ModelRef(Frozen):
    name: str
    version: str


class Target(Frozen):
    """The release a report (and so a sign-off) is about: prevents replay for another one."""

    release: str | None = None
    environment: str | None = None


class InputFile(Frozen):
    role: str
    path: str
    sha256: str


class PolicyRef(Frozen):
    name: str
    version: str
    sha256: str
    files: list[str] = Field(default_factory=list)


class Counts(Frozen):
    by_status: dict[str, int]
    by_severity: dict[str, int]


class WaiverNotice(Frozen):
    """A waiver that did not simply apply: expired, expiring soon, matching nothing, or
    refused (unsigned where signatures are required, signer not trusted or without the
    role, longer than ``max_days``)."""

    waiver: Waiver
    state: Literal["expired", "expiring", "stale", "refused"]
    message: str


class Summary(Frozen):
    status: Verdict
    fail_on: Severity
    counts: Counts
    reasons: list[str] = Field(default_factory=list)


class OwnerSummary(Frozen):
    name: str
    role: str | None = None
    email: str | None = None


class DatasetSummary(Frozen):
    name: str
    source: str | None = None
    license: str | None = None
    rows: int | None = None
    description: str | None = None


class CardSummary(Frozen):
    """What the model is, as its card states it: shown near the front of the HTML/PDF report."""

    description: str | None = None
    task: str | None = None
    algorithm: str | None = None
    risk_tier: str | None = None
    license: str | None = None
    owners: list[OwnerSummary] = Field(default_factory=list)
    primary_uses: list[str] = Field(default_factory=list)
    primary_users: list[str] = Field(default_factory=list)
    out_of_scope: list[str] = Field(default_factory=list)
    limitations: list[str] = Field(default_factory=list)
    training_data: DatasetSummary | None = None
    evaluation_data: DatasetSummary | None = None
    sensitive_features: list[str] = Field(default_factory=list)


class RunSettings(Frozen):
    """What re-evaluating a report needs besides its inputs (``governance verify --reproduce``).

    The as-of time is ``generated_at``, ``fail_on`` is in the summary, the target in
    ``target``; the card and baseline are the inputs with those roles.
    """

    seed: int
    policies: list[str]  # the policy files given, relative to the project root or pack:NAME
    rule_timeout: float
    waiver_warn_days: int
    waivers: WaiverSettings | None = None  # of governance.yaml / --require-signed-waivers
    config_path: str = "governance.yaml"


class Report(Frozen):
    schema_version: str = SCHEMA_VERSION
    report_id: str
    generated_at: datetime
    tool: Tool
    model: ModelRef
    target: Target = Field(default_factory=Target)
    inputs: list[InputFile]
    policy: PolicyRef
    summary: Summary
    findings: list[Finding]
    waivers: list[WaiverNotice] = Field(default_factory=list)
    environment: dict[str, str] = Field(default_factory=dict)
    run: RunSettings | None = None
    #: The model card's own statements (intended use, limits, data, owners); absent in reports
    #: written before it existed, and then left out of the canonical JSON.
    card: CardSummary | None = None


# ---------------------------------------------------------------------------------------------
# Canonical JSON
# ---------------------------------------------------------------------------------------------


def _check_finite(value: Any, where: str = "$") -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"non-finite number at {where}; use null for missing values")
    if isinstance(value, dict):
        for k, v in value.items():
            _check_finite(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _check_finite(v, f"{where}[{i}]")


def report_to_data(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = report.model_dump(mode="json")
    if data.get("card") is None:
        data.pop("card", None)  # reports without a card summary keep their exact bytes
    return data


def canonical_json(report: Report) -> bytes:
    """Sorted keys, no insignificant whitespace, UTF-8, trailing newline."""
    data = report_to_data(report)
    _check_finite(data)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)
    # DEL, C1 controls, bidi/line-separator characters and Azure's ##vso[ as \uXXXX escapes
    # (the same JSON value): inert when a CI log or a terminal prints it (principle 12).
    from governance.textsafe import json_inert

    return json_inert(text).encode("utf-8") + b"\n"


def load_report(raw: bytes, path: str = "<report>") -> Report:
    """Parse a saved report; raises :class:`InputError` naming the file and field."""
    from pydantic import ValidationError

    from governance.errors import InputError

    def no_constant(name: str) -> Any:
        raise ValueError(f"non-finite number {name} is not allowed")

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:  # never "last one wins": parsers disagree on which one
                raise ValueError(f"duplicate key {key!r} in a JSON object")
            out[key] = value
        return out

    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=no_constant,
                          object_pairs_hook=no_duplicates)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        col = getattr(exc, "colno", None)
        raise InputError(f"not a JSON report: {exc}", path=path, line=line, col=col) from None
    except ValueError as exc:
        raise InputError(f"not a JSON report: {exc}", path=path) from None
    except RecursionError:
        raise InputError("not a JSON report: nested too deeply", path=path) from None
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise InputError(err["msg"], path=path, field=field) from None


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Deterministic order: by severity (highest first), then rule id."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.rule_id))


class SignatureInfo(Frozen):
    """One signature on a report's attestation, as shown in the sign-off block."""

    keyid: str
    role: str
    signer: str | None = None
    decision: str | None = None
    comment: str | None = None
    signed_at: datetime | None = None
    verified: bool | None = None  # None: not checked against a trust file
    reason: str | None = None
