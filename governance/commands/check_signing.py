"""Which key (if any) signs the report of ``governance check``; decided before the run.

Order (the first that applies wins):

1. ``--no-sign``: never sign (pre-commit hooks use it).
2. ``--sign-key FILE``: an operator's explicit key; unreadable -> exit 2.
3. The environment: the PEM text in ``$GOVERNANCE_SIGNING_KEY``; unusable -> exit 2. (Which
   variable holds a secret is an operator setting: governance.yaml cannot name one.)
4. ``signing.key`` of governance.yaml: a key file. Configured but absent (a fork pull request,
   a developer without the key) -> a warning and an unsigned report; the exit code comes from
   the gate alone.
5. No key anywhere: unsigned, silently.

``--require-signature`` turns 4 and 5 into an error (exit 2): a release job must not ship an
unsigned report. The key is loaded before any rule runs, so a bad key writes nothing.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from governance.errors import SigningError

if TYPE_CHECKING:
    from governance.config import ProjectConfig
    from governance.paths import Boundary
    from governance.signing.keys import SigningKey

KEY_ENV = "GOVERNANCE_SIGNING_KEY"
PASSPHRASE_ENV = "GOVERNANCE_KEY_PASSPHRASE"  # noqa: S105 - a variable name, not a secret


@dataclass(frozen=True)
class SigningPlan:
    key: SigningKey | None
    role: str
    warning: str | None = None
    key_path: Path | None = None  # the key file (PDF credentials sit next to it)
    passphrase: str | None = field(default=None, repr=False)


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group(
        "signing", "A key from --sign-key, else $GOVERNANCE_SIGNING_KEY (PEM text), else "
        "signing.key of governance.yaml signs the report (report.dsse.json in the output "
        "folder). A configured key file that is absent gives a warning and an unsigned "
        "report, unless --require-signature.")
    g.add_argument("--sign-key", type=Path, metavar="FILE",
                   help="sign with this Ed25519 private key (PEM); wins over the environment "
                   "and the configuration")
    g.add_argument("--sign-role", default=None, help="role of the signer (default: "
                   "signing.role of governance.yaml, else author)")
    g.add_argument("--no-sign", action="store_true",
                   help="never sign, whatever key is available (pre-commit hooks)")
    g.add_argument("--require-signature", action="store_true",
                   help="exit 2 unless the report can be signed (release jobs)")


def _passphrase() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


def plan_signing(args: argparse.Namespace, config: ProjectConfig | None,
                 boundary: Boundary | None = None) -> SigningPlan:
    """``boundary``: where paths written in governance.yaml may point (default: its folder)."""
    signing = config.model.signing if config else None
    role = args.sign_role or (signing.role if signing else "author")
    if args.no_sign:
        if args.require_signature:
            raise SigningError("--no-sign contradicts --require-signature",
                               field="--require-signature")
        return SigningPlan(None, role)
    from governance.signing.keys import key_file_warning, load_private_key, read_key_file

    passphrase = _passphrase()

    def from_file(path: Path) -> SigningPlan:
        key = load_private_key(read_key_file(path), source=str(path), passphrase=passphrase)
        loose = key_file_warning(path)  # group/other-readable key file
        return SigningPlan(key, role, warning=loose.removeprefix("warning: ") if loose else None,
                           key_path=path, passphrase=passphrase)

    if args.sign_key is not None:
        return from_file(Path(args.sign_key))
    pem = os.environ.get(KEY_ENV)
    if pem and pem.strip():
        return SigningPlan(load_private_key(pem.encode("utf-8"), source=f"${KEY_ENV}",
                                            passphrase=passphrase), role,
                           passphrase=passphrase)
    if config is not None and signing is not None and signing.key:
        # Confined like every path in governance.yaml (absolute, '..', symlinks out: exit 2);
        # present but not a regular file (FIFO, device): exit 2; absent: a warning below.
        path = config.resolve(signing.key, "signing", "key", boundary=boundary)
        if os.path.lexists(path):
            from governance.errors import ConfigError
            from governance.paths import check_regular

            check_regular(path, config.where("signing", "key"), error_type=ConfigError,
                          what=f"file {signing.key!r}")
            return from_file(path)
        where = f"signing.key of {config.path}" if config.path else "signing.key"
        if args.require_signature:
            raise SigningError(f"signing key not found ({where}) and ${KEY_ENV} is not set; "
                               "--require-signature needs a key", path=str(path),
                               field="--require-signature")
        return SigningPlan(None, role, warning=(
            f"signing key {path} ({where}) not found and ${KEY_ENV} is not set: the report "
            "is not signed (--require-signature makes this an error)"))
    if args.require_signature:
        raise SigningError(f"no signing key: pass --sign-key FILE or set ${KEY_ENV} to the PEM "
                           "text (--require-signature)", field="--require-signature")
    return SigningPlan(None, role)
