"""DSSE (Dead Simple Signing Envelope) v1: PAE, the JSON envelope, signing and verifying.

* ``PAE(type, body) = b"DSSEv1 %d %b %d %b" % (len(type), type, len(body), body)`` with the
  byte length of the UTF-8 payload type.
* JSON envelope: ``{"payload": b64, "payloadType": str, "signatures": [{"keyid": str, "sig":
  b64}]}``. We write standard base64 with padding; we read standard or URL-safe base64, with
  or without padding (the spec says verifiers MUST accept either).
* Signatures are Ed25519 over the PAE bytes. ``keyid`` is an unauthenticated hint: the
  verifier tries the hinted key first and then every other candidate key, and identifies a
  signer by its public key, never by the keyid string.
* :func:`accepted_keys` is the spec's (t, n) verification: the set of *distinct* public keys
  that verified some signature (securesystemslib counts distinct keyid strings instead).
* Bounded cost (issue 12 item 11): at most :data:`MAX_SIGNATURES` signatures per envelope and
  :data:`MAX_PAYLOAD_BYTES` of payload are parsed at all; byte-identical signatures are
  verified once; every verification attempt spends the size of the PAE from a
  :class:`VerifyBudget`, so a flood of bogus signatures against a long trust file stops
  early instead of hashing the payload thousands of times.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from governance.errors import SigningError
from governance.signing.keys import SigningKey, raw_public
from governance.textsafe import one_line

INTOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
MAX_SIGNATURES = 16
MAX_PAYLOAD_BYTES = 8 * 1024 * 1024
MAX_PAYLOAD_TYPE_CHARS = 256
# Bytes of PAE hashed by Ed25519 verification attempts per bundle (~0.25 s on one core).
VERIFY_BUDGET_BYTES = 256 * 1024 * 1024

_B64_STD = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_B64_URL = re.compile(r"[A-Za-z0-9\-_]*={0,2}")


def pae(payload_type: str, payload: bytes) -> bytes:
    """Pre-Authentication Encoding of DSSE v1."""
    t = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(t), t, len(payload), payload)


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str, *, where: str, field: str) -> bytes:
    """Standard or URL-safe base64 (one alphabet per string), padding absent or exact.

    The spec makes verifiers accept both alphabets and optional padding; everything else is
    refused so that one value has one spelling: whitespace, mixed alphabets, wrong padding and
    non-zero trailing bits (``QR==`` for ``QQ==``) are "not base64".
    """
    if not isinstance(text, str):
        raise SigningError("not base64", path=where, field=field)
    url = _B64_URL.fullmatch(text) is not None and _B64_STD.fullmatch(text) is None
    if not (url or _B64_STD.fullmatch(text)):
        raise SigningError("not base64", path=where, field=field)
    body = text.rstrip("=")
    pad = len(text) - len(body)
    if len(body) % 4 == 1 or (pad and (len(body) + pad) % 4):
        raise SigningError("not base64: wrong length or padding", path=where, field=field)
    std = body.replace("-", "+").replace("_", "/") if url else body
    try:
        data = base64.b64decode(std + "=" * (-len(std) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise SigningError("not base64", path=where, field=field) from None
    if base64.b64encode(data).decode("ascii").rstrip("=") != std:
        raise SigningError("not base64: non-canonical encoding (unused bits are not zero)",
                           path=where, field=field)
    return data


@dataclass(frozen=True)
class Signature:
    keyid: str | None
    sig: bytes


@dataclass(frozen=True)
class Envelope:
    payload: bytes
    payload_type: str
    signatures: tuple[Signature, ...] = ()

    def pae(self) -> bytes:
        return pae(self.payload_type, self.payload)

    def signed_by(self, key: SigningKey) -> Envelope:
        sig = Signature(keyid=key.keyid, sig=key.sign(self.pae()))
        return replace(self, signatures=(*self.signatures, sig))

    def to_json(self) -> dict[str, Any]:
        sigs: list[dict[str, str]] = []
        for s in self.signatures:
            entry = {"sig": b64encode(s.sig)}
            if s.keyid is not None:
                entry["keyid"] = s.keyid
            sigs.append(entry)
        return {"payload": b64encode(self.payload), "payloadType": self.payload_type,
                "signatures": sigs}

    @classmethod
    def from_json(cls, data: Any, *, where: str, field: str = "envelope") -> Envelope:
        """Parse a JSON envelope; raises :class:`SigningError` on a malformed one."""
        if not isinstance(data, dict):
            raise SigningError("a DSSE envelope must be a JSON object", path=where, field=field)
        for name in ("payload", "payloadType", "signatures"):
            if name not in data:
                raise SigningError("required field is missing", path=where,
                                   field=f"{field}.{name}")
        if not isinstance(data["payloadType"], str):
            raise SigningError("must be a string", path=where, field=f"{field}.payloadType")
        if len(data["payloadType"]) > MAX_PAYLOAD_TYPE_CHARS:
            raise SigningError(f"longer than {MAX_PAYLOAD_TYPE_CHARS} characters", path=where,
                               field=f"{field}.payloadType")
        unknown = sorted(set(data) - {"payload", "payloadType", "signatures"})
        if unknown:
            raise SigningError("unknown field", path=where,
                               field=f"{field}.{one_line(unknown[0][:64])}")
        raw_payload = data["payload"]
        if isinstance(raw_payload, str) and len(raw_payload) > (MAX_PAYLOAD_BYTES * 4) // 3 + 4:
            raise SigningError(f"payload is larger than the {MAX_PAYLOAD_BYTES}-byte cap",
                               path=where, field=f"{field}.payload")
        raw_sigs = data["signatures"]
        if not isinstance(raw_sigs, list):
            raise SigningError("must be a list", path=where, field=f"{field}.signatures")
        if len(raw_sigs) > MAX_SIGNATURES:
            raise SigningError(f"{len(raw_sigs)} signatures: at most {MAX_SIGNATURES} are "
                               "accepted", path=where, field=f"{field}.signatures")
        payload = b64decode(raw_payload, where=where, field=f"{field}.payload")
        sigs: list[Signature] = []
        for i, s in enumerate(raw_sigs):
            f = f"{field}.signatures[{i}]"
            if not isinstance(s, dict) or "sig" not in s:
                raise SigningError("a signature must be an object with 'sig'", path=where,
                                   field=f)
            extra = sorted(set(s) - {"keyid", "sig"})
            if extra:
                raise SigningError("unknown field", path=where,
                                   field=f"{f}.{one_line(extra[0][:64])}")
            keyid = s.get("keyid")
            if keyid is not None and not isinstance(keyid, str):
                raise SigningError("must be a string", path=where, field=f"{f}.keyid")
            sigs.append(Signature(keyid=keyid or None,
                                  sig=b64decode(s["sig"], where=where, field=f"{f}.sig")))
        return cls(payload=payload, payload_type=data["payloadType"], signatures=tuple(sigs))


def sign(payload: bytes, payload_type: str, key: SigningKey) -> Envelope:
    return Envelope(payload=payload, payload_type=payload_type).signed_by(key)


def verify_signature(public_key: Ed25519PublicKey, message: bytes, sig: bytes) -> bool:
    try:
        public_key.verify(sig, message)
    except InvalidSignature:
        return False
    return True


class VerifyBudget:
    """Bytes that verification attempts may still hash; shared by one verification run."""

    def __init__(self, max_bytes: int = VERIFY_BUDGET_BYTES) -> None:
        self.left = max_bytes
        self.exhausted = False

    def spend(self, n: int) -> bool:
        if n > self.left:
            self.exhausted = True
            return False
        self.left -= n
        return True


def find_signer(envelope: Envelope, signature: Signature,
                candidates: Sequence[tuple[str, Ed25519PublicKey]],
                budget: VerifyBudget | None = None) -> int | None:
    """Index in ``candidates`` ((keyid, key) pairs) of the key that made ``signature``.

    The keyid hint only orders the attempts; the key that verifies decides. With a
    ``budget``, each attempt spends the PAE's length; when it runs out the search stops
    (``budget.exhausted`` tells the caller why nothing was found).
    """
    message = envelope.pae()
    if len(signature.sig) != 64:  # an Ed25519 signature is 64 bytes: nothing to try
        return None
    order = sorted(range(len(candidates)),
                   key=lambda i: 0 if candidates[i][0] == signature.keyid else 1)
    for i in order:
        if budget is not None and not budget.spend(len(message)):
            return None
        if verify_signature(candidates[i][1], message, signature.sig):
            return i
    return None


def accepted_keys(envelope: Envelope, keys: Sequence[Ed25519PublicKey], *,
                  supported_types: Sequence[str]) -> set[bytes]:
    """DSSE (t, n) verification: raw bytes of the distinct keys that verified a signature.

    Returns an empty set if the payload type is not supported. The caller compares the size
    with its threshold.
    """
    if envelope.payload_type not in supported_types:
        return set()
    cands = [("", k) for k in keys]
    out: set[bytes] = set()
    budget = VerifyBudget()
    for s in dict.fromkeys(envelope.signatures):  # byte-identical signatures: verified once
        i = find_signer(envelope, s, cands, budget)
        if i is not None:
            out.add(raw_public(keys[i]))
    return out
