"""A ledger entry and its chain hash: the encoding an auditor re-implements offline.

Encoding (version 1), for each entry in ``seq`` order starting at 1:

1. Take the object with exactly the keys of :data:`HASHED_FIELDS` (every field of the entry
   except ``entry_hash``): ``seq`` is a JSON integer, every other value a JSON string or
   ``null``; ``payload`` is the payload's canonical JSON *as a string*; ``prev_hash`` is the
   previous entry's ``entry_hash`` (64 ``0`` characters for ``seq`` 1).
2. Serialise it as JSON with keys sorted, separators ``,`` and ``:`` (no whitespace) and every
   non-ASCII character escaped as ``\\uXXXX`` (Python:
   ``json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True)``).
3. ``entry_hash`` = lowercase hex SHA-256 of the bytes ``governance-ledger-v1\\n`` followed by
   that JSON text (ASCII).

The chain is intact when ``seq`` runs 1, 2, 3, ... without gaps, each ``prev_hash`` equals the
previous ``entry_hash`` and each ``entry_hash`` recomputes. Removing the newest entries is only
visible against a head hash kept elsewhere (``governance ledger verify --expect-head``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, replace
from typing import Any

KINDS = ("check", "sign", "approve", "waiver", "verify")
GENESIS = "0" * 64
DOMAIN = b"governance-ledger-v1\n"
HASHED_FIELDS = (
    "seq", "ts", "kind", "model_name", "model_version", "release", "environment",
    "policy_name", "policy_version", "policy_digest", "report_digest", "verdict", "actor",
    "keyid", "role", "decision", "payload", "prev_hash",
)


@dataclass(frozen=True)
class Entry:
    """One ledger event. ``seq``, ``prev_hash`` and ``entry_hash`` are set when appended."""

    ts: str  # ISO 8601 UTC, seconds, e.g. 2026-12-01T17:00:00+00:00
    kind: str
    payload: str  # canonical JSON text
    model_name: str | None = None
    model_version: str | None = None
    release: str | None = None
    environment: str | None = None
    policy_name: str | None = None
    policy_version: str | None = None
    policy_digest: str | None = None
    report_digest: str | None = None
    verdict: str | None = None
    actor: str | None = None
    keyid: str | None = None
    role: str | None = None
    decision: str | None = None
    seq: int = 0
    prev_hash: str = GENESIS
    entry_hash: str = ""

    def chained(self, seq: int, prev_hash: str) -> Entry:
        """This entry as number ``seq`` after ``prev_hash``, with its hash."""
        linked = replace(self, seq=seq, prev_hash=prev_hash, entry_hash="")
        return replace(linked, entry_hash=entry_hash(linked.hashed()))

    def hashed(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: data[k] for k in HASHED_FIELDS}

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def canonical(obj: Any) -> str:
    """The ledger's canonical JSON text (sorted keys, compact, ASCII)."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False)


def entry_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the documented encoding of ``fields`` (the keys of HASHED_FIELDS)."""
    missing = set(HASHED_FIELDS) - set(fields)
    if missing:
        raise ValueError(f"entry lacks {sorted(missing)}")
    data = {k: fields[k] for k in HASHED_FIELDS}
    return hashlib.sha256(DOMAIN + canonical(data).encode("ascii")).hexdigest()
