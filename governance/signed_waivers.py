"""Which waivers may apply: signature, signer's role and duration, checked before evaluation.

Called from one place (:func:`governance.api.run_check`) between loading the policy and
evaluating it. Requirements come from every policy file in the ``extends`` chain and from
governance.yaml (``waivers: {require_signature, max_days, roles, signed}``); the strictest
wins: signatures are required if any file requires them, ``max_days`` is the smallest given,
``roles`` the roles every file allows (default ``risk-officer``; a file that requires
signatures without naming roles allows the default ones).

A waiver that fails a requirement is *refused*: it does not apply (the rule's failure stays a
failure) and a ``refused`` waiver notice says why; a refused waiver fails the gate on its own.
An accepted signed waiver carries ``signed_by`` (keyid, owner and role from the trust file),
which every report format shows.

Trust: the trust file decides whose signature counts. It must come from a location a pull
request cannot change (an operator's ``--trusted-keys`` or a protected path): with a trust
file under the contributor's control anyone can add their own key.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from governance.evidence.store import ArtifactStore
from governance.policy.loader import ResolvedPolicy, ResolvedWaiver, SignedWaiverRef
from governance.report import SourceLocation, WaiverNotice, WaiverSettings, WaiverSigner

if TYPE_CHECKING:
    from governance.signing.trust import TrustStore

DEFAULT_ROLES = ("risk-officer",)
FUTURE_SKEW = timedelta(days=1)


@dataclass(frozen=True)
class Requirements:
    require_signature: bool = False
    required_by: str | None = None  # where the requirement comes from, for messages
    max_days: int | None = None
    roles: tuple[str, ...] = DEFAULT_ROLES


@dataclass(frozen=True)
class Vetted:
    policy: ResolvedPolicy  # with the accepted waivers only
    notices: tuple[WaiverNotice, ...]  # refused waivers


def _where(loc: SourceLocation) -> str:
    return loc.path + (f":{loc.line}" if loc.line else "")


def requirements(settings: Sequence[tuple[WaiverSettings, SourceLocation]]) -> Requirements:
    req = Requirements()
    roles: tuple[str, ...] | None = None
    for s, loc in settings:
        if s.require_signature and not req.require_signature:
            req = dataclasses.replace(req, require_signature=True, required_by=_where(loc))
        if s.max_days is not None and (req.max_days is None or s.max_days < req.max_days):
            req = dataclasses.replace(req, max_days=s.max_days)
        # a file requiring signatures without naming roles means the default roles: another
        # file (say a pull request's policy extending it) narrows them, never widens them
        mine = s.roles if s.roles is not None else (DEFAULT_ROLES if s.require_signature
                                                    else None)
        if mine is not None:
            roles = tuple(r for r in (roles if roles is not None else mine) if r in mine)
    return dataclasses.replace(req, roles=roles if roles is not None else DEFAULT_ROLES)


def _read(store: ArtifactStore, ref: SignedWaiverRef) -> tuple[bytes, str]:
    from governance.signing.waiver import MAX_WAIVER_FILE_BYTES
    from governance.yamlio import read_capped

    where = _where(ref.location)
    real = store.resolve(ref.path, field=ref.location.field, where=where)
    raw = read_capped(real, ref.path, max_bytes=MAX_WAIVER_FILE_BYTES)
    sha = hashlib.sha256(raw).hexdigest()
    store.record_input("waiver", ref.path, sha)
    return raw, sha


def _check_signed(ref: SignedWaiverRef, store: ArtifactStore, policy: ResolvedPolicy,
                  req: Requirements, trust: TrustStore | None,
                  now: datetime) -> ResolvedWaiver | WaiverNotice:
    from governance.signing.waiver import parse_signed_waiver, verify_signed_waiver

    raw, _ = _read(store, ref)
    envelope, pred = parse_signed_waiver(raw, ref.path)
    w = pred.waiver
    problems: list[str] = []
    signer = None
    if trust is None:
        problems.append("there is no trust file to check its signature (pass --trusted-keys "
                        "or set signing.trusted_keys)")
    else:
        checked = verify_signed_waiver(envelope, pred, trust)
        problems.extend(checked.problems)
        signer = checked.signer
    if pred.role not in req.roles:
        problems.append(f"role {pred.role!r} may not grant waivers (allowed: "
                        f"{', '.join(req.roles) or 'none'})")
    expected_policy = ref.policy_name or policy.name
    if pred.policy is not None and pred.policy != expected_policy:
        problems.append(f"it was signed for policy {pred.policy!r}, not {expected_policy!r}")
    if w.rule_id not in {r.rule.id for r in policy.rules}:
        problems.append(f"the policy has no rule {w.rule_id!r}")
    from datetime import UTC

    # a time without a zone is read as UTC (never skipped: that would lift the future check)
    signed_at = pred.signedAt if pred.signedAt.tzinfo else pred.signedAt.replace(tzinfo=UTC)
    signed_on = signed_at.astimezone(UTC).date()
    if signed_at > (now if now.tzinfo else now.replace(tzinfo=UTC)) + FUTURE_SKEW:
        problems.append(f"it is dated in the future ({pred.signedAt.isoformat()})")
    days = (w.expires - signed_on).days
    if req.max_days is not None and days > req.max_days:
        problems.append(f"it runs {days} days (signed {signed_on.isoformat()}, expires "
                        f"{w.expires.isoformat()}), more than max_days {req.max_days}")
    if problems:
        return WaiverNotice(waiver=w, state="refused", message=(
            f"signed waiver {ref.path} for {w.rule_id} refused: {'; '.join(problems)}"))
    assert signer is not None
    signed = w.model_copy(update={"signed_by": WaiverSigner(
        keyid=signer.keyid, owner=signer.owner, role=pred.role, signed_at=pred.signedAt)})
    return ResolvedWaiver(signed, ref.location)  # where the file is listed: remove it there


def _check_inline(rw: ResolvedWaiver, req: Requirements,
                  now: datetime) -> ResolvedWaiver | WaiverNotice:
    w = rw.waiver
    where = _where(rw.location)
    if req.require_signature:
        return WaiverNotice(waiver=w, state="refused", message=(
            f"waiver for {w.rule_id} ({where}) refused: it is not signed, and "
            f"{req.required_by} requires signed waivers (`governance waiver sign`)"))
    days = (w.expires - now.date()).days
    if req.max_days is not None and days > req.max_days:
        return WaiverNotice(waiver=w, state="refused", message=(
            f"waiver for {w.rule_id} ({where}) refused: it runs {days} days from "
            f"{now.date().isoformat()} to {w.expires.isoformat()}, more than max_days "
            f"{req.max_days}"))
    return rw


def vet_waivers(policy: ResolvedPolicy, store: ArtifactStore, *, now: datetime,
                trust: TrustStore | None = None, config: WaiverSettings | None = None,
                config_path: str = "governance.yaml") -> Vetted:
    """Accepted waivers (signed ones with their signer) and a notice for each refused one."""
    settings = list(policy.waiver_settings)
    refs = list(policy.signed_waivers)
    if config is not None:
        settings.append((config, SourceLocation(role="config", path=config_path,
                                                field="waivers")))
        refs.extend(SignedWaiverRef(p, None, SourceLocation(
            role="config", path=config_path, field=f"waivers.signed[{i}]"))
            for i, p in enumerate(config.signed))
    req = requirements(settings)
    accepted: list[ResolvedWaiver] = []
    notices: list[WaiverNotice] = []
    results = [_check_inline(rw, req, now) for rw in policy.waivers]
    results += [_check_signed(ref, store, policy, req, trust, now) for ref in refs]
    for r in results:
        if isinstance(r, ResolvedWaiver):
            accepted.append(r)
        else:
            notices.append(r)
    return Vetted(policy._replace(waivers=tuple(accepted)), tuple(notices))
