"""The questions people ask the ledger: history of a model, approval status, metric series."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from governance.ledger.entry import Entry
from governance.releases import Point, metric_points  # noqa: F401  (re-exported)

if TYPE_CHECKING:
    from governance.ledger.store import Ledger
    from governance.report import Report


@dataclass(frozen=True)
class Approval:
    environment: str | None
    role: str | None
    actor: str | None
    keyid: str | None
    decision: str | None
    ts: str
    seq: int


@dataclass(frozen=True)
class ExpiringWaiver:
    rule_id: str
    expires: date
    days_left: int
    approved_by: str
    seq: int


@dataclass
class History:
    model: str
    checks: list[Entry] = field(default_factory=list)
    approvals: list[Entry] = field(default_factory=list)
    waivers: list[ExpiringWaiver] = field(default_factory=list)


def history(ledger: Ledger, model: str, today: date, within_days: int = 30) -> History:
    """Checks and approvals of ``model``, and waivers scoped to it (or unscoped) that expire
    within ``within_days`` of ``today`` (or expired already)."""
    out = History(model)
    seen: set[tuple[str, str]] = set()

    def waiver(w: dict[str, Any], seq: int) -> None:
        try:
            expires = date.fromisoformat(str(w.get("expires")))
        except ValueError:
            return
        key = (str(w.get("rule_id")), expires.isoformat())
        left = (expires - today).days
        if left <= within_days and key not in seen:
            seen.add(key)
            out.waivers.append(ExpiringWaiver(key[0], expires, left,
                                              str(w.get("approved_by")), seq))

    for e in ledger.entries():
        if e.kind == "check" and e.model_name == model:
            out.checks.append(e)
        elif e.kind in ("approve", "sign") and e.model_name == model:
            out.approvals.append(e)
        elif e.kind == "waiver" and e.model_name in (None, model):
            waiver(json.loads(e.payload).get("waiver", {}), e.seq)
    if out.checks:  # waivers the newest check applied or reported (policy or signed files)
        newest = out.checks[-1]
        report = json.loads(newest.payload)
        for f in report.get("findings", []):
            if isinstance(f.get("waiver"), dict):
                waiver(f["waiver"], newest.seq)
        for notice in report.get("waivers", []):
            if isinstance(notice.get("waiver"), dict):
                waiver(notice["waiver"], newest.seq)
    out.waivers.sort(key=lambda w: (w.expires, w.rule_id))
    return out


@dataclass(frozen=True)
class Status:
    known: bool  # any check of the model version recorded
    approved: dict[str, list[Approval]]  # environment -> approvals standing for it
    rejected: dict[str, list[Approval]]
    verdicts: dict[str, str]  # environment -> verdict of the newest check


def status(ledger: Ledger, model: str, version: str, environment: str | None = None) -> Status:
    """Per environment: the newest check of ``model`` ``version`` and the approvals of exactly
    that report (by digest). An environment is approved when the newest check passed and it
    has an ``approve`` decision and no ``reject`` on that report."""
    newest: dict[str, Entry] = {}
    decisions: list[Entry] = []
    for e in ledger.entries(model_name=model, model_version=version):
        env = e.environment or "-"
        if environment is not None and env != environment:
            continue
        if e.kind == "check":
            newest[env] = e
        elif e.kind == "approve":
            decisions.append(e)
    approved: dict[str, list[Approval]] = {}
    rejected: dict[str, list[Approval]] = {}
    for env, check in newest.items():
        for d in decisions:
            if (d.environment or "-") != env or d.report_digest != check.report_digest:
                continue
            a = Approval(d.environment, d.role, d.actor, d.keyid, d.decision, d.ts, d.seq)
            (approved if d.decision == "approve" else rejected).setdefault(env, []).append(a)
    return Status(bool(newest), {k: v for k, v in approved.items()
                                 if k not in rejected and newest[k].verdict == "pass"},
                  rejected, {k: str(v.verdict) for k, v in newest.items()})


def previous_reports(ledger: Ledger, model: str, limit: int,
                     before_release: str | None = None) -> list[Report]:
    """The newest check report of each of the last ``limit`` releases of ``model`` (oldest
    first), leaving out ``before_release`` (the release being checked now). Only the chosen
    reports are read whole."""
    from governance.report import load_report

    by_release: dict[str, int] = {}
    for seq, release, version in ledger.check_releases(model):
        key = release or version or "-"
        if key == before_release:
            continue
        by_release.pop(key, None)  # keep insertion order = order of the newest check
        by_release[key] = seq
    chosen = list(by_release.values())[-limit:] if limit > 0 else []
    payloads = ledger.payloads(chosen)
    return [load_report(payloads[seq].encode("utf-8"), f"ledger entry #{seq}")
            for seq in chosen]


def release_report(ledger: Ledger, model: str, release: str) -> Report | None:
    """The newest check report whose release (else model version) is ``release``."""
    from governance.report import load_report

    found: Entry | None = None
    for e in ledger.entries(kind="check", model_name=model):
        if release in (e.release, e.model_version):
            found = e
    if found is None:
        return None
    return load_report(found.payload.encode("utf-8"), f"ledger entry #{found.seq}")


def as_jsonable(obj: Any) -> Any:
    from dataclasses import asdict, is_dataclass

    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    return obj
