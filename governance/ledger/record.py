"""Ledger entries built from what the commands produced, and the one call that records them.

Commands call :func:`record` with an :class:`Entry`; it opens the ledger the settings name,
appends and closes. A failure is a :class:`LedgerError` (exit 2), never silent.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from governance.ledger.entry import Entry, canonical

if TYPE_CHECKING:
    from governance.ledger.settings import LedgerSettings
    from governance.report import Report, Waiver


def now_ts() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _report_fields(report: Report) -> dict[str, Any]:
    return {
        "model_name": report.model.name, "model_version": report.model.version,
        "release": report.target.release, "environment": report.target.environment,
        "policy_name": report.policy.name, "policy_version": report.policy.version,
        "policy_digest": report.policy.sha256, "verdict": report.summary.status.value,
    }


def check_entry(report: Report) -> Entry:
    """A check: the canonical report JSON is the payload; its SHA-256 the report digest."""
    from governance.report import canonical_json

    data = canonical_json(report)
    return Entry(ts=now_ts(), kind="check", payload=data.decode("utf-8"),
                 report_digest=hashlib.sha256(data).hexdigest(), **_report_fields(report))


def sign_entry(report: Report, raw: bytes, *, keyid: str, role: str, signer: str | None,
               bundle: str) -> Entry:
    payload = canonical({"report_id": report.report_id, "bundle": bundle})
    return Entry(ts=now_ts(), kind="sign", payload=payload, actor=signer, keyid=keyid,
                 role=role, decision="approve", report_digest=hashlib.sha256(raw).hexdigest(),
                 **_report_fields(report))


def approve_entry(report: Report, *, keyid: str, role: str, decision: str,
                  signer: str | None, comment: str | None, bundle: str) -> Entry:
    payload = canonical({"report_id": report.report_id, "bundle": bundle,
                         "comment": comment})
    return Entry(ts=now_ts(), kind="approve", payload=payload, actor=signer, keyid=keyid,
                 role=role, decision=decision, report_digest=_report_digest(report),
                 **_report_fields(report))


def waiver_entry(waiver: Waiver, *, keyid: str, role: str, policy: str | None,
                 file: str) -> Entry:
    data = waiver.model_dump(mode="json")
    payload = canonical({"waiver": data, "policy": policy, "file": file})
    return Entry(ts=now_ts(), kind="waiver", payload=payload, actor=waiver.approved_by,
                 keyid=keyid, role=role, decision="approve", model_name=waiver.scope.model,
                 model_version=waiver.scope.version, policy_name=policy)


def verify_entry(report: Report | None, *, ok: bool, reasons: list[str],
                 keyids: list[str], bundle: str) -> Entry:
    payload = canonical({"bundle": bundle, "ok": ok, "reasons": reasons[:50],
                         "keyids": keyids})
    base: dict[str, Any] = _report_fields(report) if report is not None else {}
    if report is not None:
        base["report_digest"] = _report_digest(report)
    base["verdict"] = "verified" if ok else "failed"
    return Entry(ts=now_ts(), kind="verify", payload=payload, decision=None, **base)


def _report_digest(report: Report) -> str:
    """SHA-256 of the report's canonical JSON (the bytes a check writes as report.json)."""
    from governance.report import canonical_json

    return hashlib.sha256(canonical_json(report)).hexdigest()


def record(settings: LedgerSettings | None, entry: Entry) -> Entry | None:
    """Append ``entry`` to the ledger ``settings`` name (None: recording is off)."""
    if settings is None:
        return None
    from governance.ledger.store import Ledger

    with Ledger(settings.url) as ledger:
        return ledger.append(entry)
