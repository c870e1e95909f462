"""``governance trust add KEY --owner O --role R``: register a public key in the trust file.

The trust file says who may sign as what; ``verify`` trusts only the keys listed there.
:data:`TRUST_FILE_FORMAT` documents it (shown by ``verify --help`` and ``trust add --help``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, SigningError

TRUST_ENV = "GOVERNANCE_TRUSTED_KEYS"  # the operator's trust file (beats governance.yaml)

TRUST_FILE_FORMAT = """\
trust file format (YAML; `governance trust add` writes entries):

  apiVersion: governance/v1          # optional
  kind: TrustedKeys                  # optional
  keys:
    - keyid: 3f1c...                 # sha256 hex of the key's DER SubjectPublicKeyInfo
      owner: "Alice Example <alice@example.org>"
      roles: [author, approver]      # lowercase: letters, digits, '-', '_'
      public_key: |
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEA...
        -----END PUBLIC KEY-----
      certificate: |                 # optional: X.509 certificate of the signer's PDF key
        -----BEGIN CERTIFICATE-----  # (PAdES signatures inside report.pdf)
        ...
        -----END CERTIFICATE-----

  keyid must match public_key; a key may appear in one entry only; one key counts for one
  role per sign-off. Any error is exit 2 naming file:line:col: field.
"""


def register(sub: Any) -> None:
    p = sub.add_parser("trust", help="manage the trust file (who may sign as what)")
    tsub = p.add_subparsers(dest="trust_command", metavar="SUBCOMMAND", required=True)
    a = tsub.add_parser(
        "add", help="register a public key with its owner and roles",
        description="Append an entry for KEY (a PEM public key, e.g. NAME.pub from `governance "
        "keygen`) to the trust file; the file is created when missing. Refuses a key that is "
        "already registered.", epilog=TRUST_FILE_FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("key", type=Path, metavar="KEY", help="public key file (PEM)")
    a.add_argument("--owner", required=True, help="who holds the key (name <email>)")
    a.add_argument("--role", action="append", required=True, metavar="ROLE",
                   help="a role the key may sign as (repeatable)")
    a.add_argument("--certificate", type=Path, metavar="CERT",
                   help="the signer's PDF signing certificate (PEM, NAME.crt from `governance "
                   "keygen`): makes their PAdES signatures in report.pdf trusted")
    a.add_argument("--trusted-keys", type=Path, help="trust file (default: "
                   "$GOVERNANCE_TRUSTED_KEYS, else signing.trusted_keys of the nearest "
                   "governance.yaml)")
    a.set_defaults(handler=run_add)


def _trust_file(args: argparse.Namespace) -> Path:
    if args.trusted_keys is not None:
        return Path(args.trusted_keys)
    import os

    if os.environ.get(TRUST_ENV):
        return Path(os.environ[TRUST_ENV])
    from governance.config import find_config, load_config

    found = find_config()
    if found is not None:
        config = load_config(found)
        signing = config.model.signing
        if signing is not None and signing.trusted_keys:
            return config.resolve(signing.trusted_keys, "signing", "trusted_keys")
    raise SigningError("no trust file: pass --trusted-keys FILE (or set "
                       "$GOVERNANCE_TRUSTED_KEYS, or signing.trusted_keys in governance.yaml)",
                       field="--trusted-keys")


def entry_text(keyid: str, owner: str, roles: list[str], pem: str, indent: str,
               certificate: str | None = None) -> str:
    def block(text: str) -> str:
        return "".join(f"{indent}      {line}\n" for line in text.strip().splitlines())

    cert = f"{indent}  certificate: |\n{block(certificate)}" if certificate else ""
    return (f"{indent}- keyid: {keyid}\n"
            f"{indent}  owner: {json.dumps(owner)}\n"
            f"{indent}  roles: [{', '.join(roles)}]\n"
            f"{indent}  public_key: |\n{block(pem)}{cert}")


def run_add(args: argparse.Namespace) -> int:
    from governance.fileio import atomic_write
    from governance.signing.keys import keyid_of, load_public_key, public_pem, read_key_file
    from governance.signing.statement import ROLE_PATTERN
    from governance.signing.trust import load_trust_file

    owner = args.owner.strip()
    if not owner or len(owner) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in owner):
        raise SigningError("must be 1-200 printable characters", field="--owner")
    roles = list(dict.fromkeys(args.role))
    for r in roles:
        if not re.match(ROLE_PATTERN, r):
            raise SigningError(f"invalid role {r!r}: use lowercase letters, digits, '-' and "
                               "'_'", field="--role")
    key = load_public_key(read_key_file(args.key), source=str(args.key))
    keyid = keyid_of(key)
    pem = public_pem(key)
    certificate: str | None = None
    if args.certificate is not None:
        from cryptography.hazmat.primitives import serialization

        from governance.signing.pdf import load_certificate

        cert = load_certificate(read_key_file(args.certificate), source=str(args.certificate))
        certificate = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    path = _trust_file(args)
    if path.exists():
        store = load_trust_file(path)
        for i, k in enumerate(store.keys):
            if k.keyid == keyid:
                raise SigningError(f"key {keyid[:16]} is already registered at keys[{i}] "
                                   f"(owner {k.owner!r}, roles {', '.join(k.roles)}); a key "
                                   "may appear in one entry only", path=str(path),
                                   field="keys")
        old = path.read_text("utf-8")
        m = re.search(r"^( *)- keyid:", old, flags=re.M)
        indent = m.group(1) if m else "  "
        text = old + ("" if old.endswith("\n") else "\n") + entry_text(keyid, owner, roles,
                                                                       pem, indent, certificate)
        count = len(store.keys) + 1
    else:
        text = ("apiVersion: governance/v1\nkind: TrustedKeys\nkeys:\n"
                + entry_text(keyid, owner, roles, pem, "  ", certificate))
        count = 1
    _check_result(text, path, keyid, count)
    atomic_write(path, text.encode("utf-8"))
    sys.stdout.write(f"added key {keyid} ({owner}; roles {', '.join(roles)}) to {path} "
                     f"({count} key{'s' if count != 1 else ''})\n")
    return int(ExitCode.OK)


def _check_result(text: str, path: Path, keyid: str, count: int) -> None:
    """The new file must load, with the new key as its last entry: otherwise write nothing."""
    import tempfile

    from governance.signing.trust import load_trust_file

    with tempfile.TemporaryDirectory() as tmp:
        probe = Path(tmp) / path.name
        probe.write_text(text, encoding="utf-8")
        try:
            store = load_trust_file(probe)
        except SigningError as exc:
            raise SigningError(f"cannot append an entry automatically ({exc.message}); add it "
                               "by hand", path=str(path), field="keys") from None
    if len(store.keys) != count or store.keys[-1].keyid != keyid:
        raise SigningError("cannot append an entry automatically (`keys:` is not the last "
                           "section of the file); add it by hand", path=str(path),
                           field="keys")
