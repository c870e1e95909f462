"""The trust file ``trusted-keys.yaml``: who may sign as what.

Format (loaded with :mod:`governance.yamlio`, never ``yaml.load``)::

    apiVersion: governance/v1        # optional
    kind: TrustedKeys                # optional
    keys:
      - keyid: 3f1c...               # sha256 hex of the key's DER SubjectPublicKeyInfo
        owner: Alice Example <alice@example.org>
        roles: [author]
        public_key: |
          -----BEGIN PUBLIC KEY-----
          MCowBQYDK2VwAyEA...
          -----END PUBLIC KEY-----
        certificate: |               # optional: the X.509 certificate of the signer's PDF
          -----BEGIN CERTIFICATE-----  # signing key (NAME.crt from `governance keygen`)
          ...

Rules (each violation is an input error naming file, line and field; exit 2):

* ``keyid`` must be the keyid of ``public_key``;
* a key may appear in one entry only: the same public key under two entries (two owners or
  two role sets) is a conflict and the whole file is rejected;
* ``roles`` is a non-empty list of lowercase role names. One entry may list several roles,
  but one key counts for one role per sign-off (see :mod:`governance.signing.verify`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field

from governance.errors import SigningError
from governance.signing.keys import keyid_of, load_public_key, raw_public
from governance.signing.statement import ROLE_PATTERN, SHA256_PATTERN


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    keyid: str = Field(pattern=SHA256_PATTERN)
    owner: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(min_length=1)
    public_key: str = Field(min_length=1)
    #: X.509 certificate (PEM) of the same signer's PDF signing key (PAdES; see
    #: governance.signing.pdf). Optional: without it the signer's PDF signatures are untrusted.
    certificate: str | None = Field(default=None, min_length=1)


class _TrustFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    apiVersion: Literal["governance/v1"] | None = None
    kind: Literal["TrustedKeys"] | None = None
    keys: list[_Entry] = Field(min_length=1)


@dataclass(frozen=True)
class TrustedKey:
    keyid: str
    owner: str
    roles: tuple[str, ...]
    public: Ed25519PublicKey = field(repr=False, compare=False)
    certificate_der: bytes | None = field(default=None, repr=False, compare=False)
    certificate_sha256: str | None = None

    @property
    def short(self) -> str:
        return self.keyid[:16]


@dataclass(frozen=True)
class TrustStore:
    path: str
    keys: tuple[TrustedKey, ...]

    def candidates(self) -> list[tuple[str, Ed25519PublicKey]]:
        return [(k.keyid, k.public) for k in self.keys]

    def by_keyid(self, keyid: str | None) -> TrustedKey | None:
        for k in self.keys:
            if keyid is not None and k.keyid == keyid:
                return k
        return None


def load_trust_file(path: Path) -> TrustStore:
    from governance.validation import validate_doc
    from governance.yamlio import load_yaml_file

    where = str(path)
    doc = load_yaml_file(path, where)
    model = validate_doc(_TrustFile, doc.data, doc, error_type=SigningError)
    return build_trust_store(model.keys, where, doc)


def build_trust_store(entries: Sequence[_Entry], where: str, doc: object = None) -> TrustStore:
    from governance.yamlio import YamlDoc

    def at(*loc: str | int) -> dict[str, int | None]:
        pos = doc.locate(("keys", *loc), prefer_key=True) if isinstance(doc, YamlDoc) else None
        return {"line": pos.line if pos else None, "col": pos.col if pos else None}

    out: list[TrustedKey] = []
    seen: dict[bytes, int] = {}
    for i, e in enumerate(entries):
        for r in e.roles:
            if not re.match(ROLE_PATTERN, r):
                raise SigningError(f"invalid role {r!r}: use lowercase letters, digits, '-' "
                                   "and '_'", path=where, **at(i, "roles"),
                                   field=f"keys[{i}].roles")
        pos = at(i, "public_key")
        key = load_public_key(e.public_key, source=where, field_name=f"keys[{i}].public_key",
                              line=pos["line"], col=pos["col"])
        actual = keyid_of(key)
        if actual != e.keyid:
            raise SigningError(f"keyid does not match the public key (the key's keyid is "
                               f"{actual})", path=where, **at(i, "keyid"),
                               field=f"keys[{i}].keyid")
        raw = raw_public(key)
        if raw in seen:
            j = seen[raw]
            first = out[j]
            raise SigningError(
                f"key {actual[:16]} is registered twice: already at keys[{j}] (owner "
                f"{first.owner!r}, roles {', '.join(first.roles)}); a key may appear in one "
                "entry only", path=where, **pos,
                field=f"keys[{i}].public_key")
        seen[raw] = i
        cert_der: bytes | None = None
        if e.certificate is not None:
            from cryptography.hazmat.primitives import serialization

            from governance.signing.pdf import load_certificate

            cpos = at(i, "certificate")
            cert_der = load_certificate(
                e.certificate, source=where, field_name=f"keys[{i}].certificate",
                line=cpos["line"], col=cpos["col"]).public_bytes(serialization.Encoding.DER)
        out.append(TrustedKey(keyid=actual, owner=e.owner, roles=tuple(dict.fromkeys(e.roles)),
                              public=key, certificate_der=cert_der,
                              certificate_sha256=hashlib.sha256(cert_der).hexdigest()
                              if cert_der else None))
    return TrustStore(path=where, keys=tuple(out))
