"""The sign-off bundle file (``report.dsse.json``).

Format (JSON, 2-space indented, sorted keys)::

    {
      "bundleType": "https://governance-checker.dev/signoff-bundle/v1",
      "envelope":  {"payload": ..., "payloadType": "application/vnd.in-toto+json",
                    "signatures": [{"keyid": ..., "sig": ...}, ...]},
      "approvals": [{"payload": ..., "payloadType": "application/vnd.in-toto+json",
                     "signatures": [{"keyid": ..., "sig": ...}]}, ...]
    }

``envelope`` is a standard DSSE JSON envelope whose payload is the report Statement; every
signer (author and each approver) adds one signature over the same PAE, so external tools can
verify it with a threshold (``jq .envelope report.dsse.json``). ``approvals`` holds, per
signer, a DSSE envelope of an approval Statement (role, decision, comment, signer, time,
target) signed by the same key. A bare DSSE envelope (no bundle around it) is accepted too and
read as a bundle without approvals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from governance.errors import SigningError
from governance.signing.dsse import Envelope
from governance.textsafe import one_line

BUNDLE_TYPE = "https://governance-checker.dev/signoff-bundle/v1"
MAX_BUNDLE_BYTES = 16 * 1024 * 1024
MAX_APPROVALS = 16
# Commas, '[' and '{' bound the number of JSON values: a bundle has a few hundred at most. The
# count is taken before parsing, so a flood of tiny values never becomes millions of objects.
MAX_JSON_STRUCTURE = 20_000
ENVELOPE_FILENAME = "report.dsse.json"


@dataclass(frozen=True)
class Bundle:
    envelope: Envelope
    approvals: tuple[Envelope, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"bundleType": BUNDLE_TYPE, "envelope": self.envelope.to_json(),
                "approvals": [a.to_json() for a in self.approvals]}

    def to_bytes(self) -> bytes:
        return (json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n").encode("utf-8")


def parse_bundle(raw: bytes, where: str) -> Bundle:
    if len(raw) > MAX_BUNDLE_BYTES:
        raise SigningError(f"envelope is larger than the {MAX_BUNDLE_BYTES}-byte cap",
                           path=where)
    structure = raw.count(b",") + raw.count(b"[") + raw.count(b"{")
    if structure > MAX_JSON_STRUCTURE:
        raise SigningError(f"not a sign-off bundle: {structure} JSON values and separators, "
                           f"more than the {MAX_JSON_STRUCTURE} a bundle of at most "
                           f"{MAX_APPROVALS} approvals can have", path=where)
    from governance.signing.strictjson import StrictJSONError, loads

    try:
        data = loads(raw)
    except StrictJSONError as exc:
        raise SigningError(f"not a JSON sign-off bundle or DSSE envelope: {exc}",
                           path=where) from None
    if not isinstance(data, dict):
        raise SigningError("not a sign-off bundle or DSSE envelope: expected a JSON object",
                           path=where)
    if "bundleType" not in data:
        if "payload" in data and "signatures" in data:
            return Bundle(Envelope.from_json(data, where=where, field="$"))
        raise SigningError("not a sign-off bundle or DSSE envelope: no 'bundleType' or "
                           "'payload'", path=where)
    if data["bundleType"] != BUNDLE_TYPE:
        raise SigningError(f"unsupported bundleType {data['bundleType']!r}, expected "
                           f"{BUNDLE_TYPE!r}", path=where, field="bundleType")
    unknown = sorted(set(data) - {"bundleType", "envelope", "approvals"})
    if unknown:
        raise SigningError("unknown field", path=where, field=one_line(unknown[0][:64]))
    if "envelope" not in data:
        raise SigningError("required field is missing", path=where, field="envelope")
    envelope = Envelope.from_json(data["envelope"], where=where, field="envelope")
    raw_approvals = data.get("approvals", [])
    if not isinstance(raw_approvals, list):
        raise SigningError("must be a list", path=where, field="approvals")
    if len(raw_approvals) > MAX_APPROVALS:
        raise SigningError(f"{len(raw_approvals)} approvals: at most {MAX_APPROVALS} are "
                           "accepted", path=where, field="approvals")
    approvals = tuple(Envelope.from_json(a, where=where, field=f"approvals[{i}]")
                      for i, a in enumerate(raw_approvals))
    return Bundle(envelope, approvals)


def load_bundle(path: Path) -> Bundle:
    where = str(path)
    from governance.paths import read_regular

    try:  # a regular file, opened without blocking (a FIFO or device is refused)
        raw = read_regular(path, where, max_bytes=MAX_BUNDLE_BYTES, error_type=SigningError,
                           what="envelope file")
    except SigningError as exc:
        if "-byte cap" not in exc.message:
            raise
        raise SigningError(f"envelope is larger than the {MAX_BUNDLE_BYTES}-byte cap",
                           path=where) from None
    return parse_bundle(raw, where)


def save_bundle(path: Path, bundle: Bundle) -> None:
    from governance.fileio import atomic_write

    atomic_write(path, bundle.to_bytes())
