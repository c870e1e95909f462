"""``governance waiver sign``: a waiver as a signed DSSE envelope (see governance.signing.waiver).

The signer's key must be in the trust file with a role that may grant waivers (by default
``risk-officer``) for the waiver to apply; list the written file under ``waivers.signed`` of
the policy or governance.yaml.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, SigningError


def register(sub: Any) -> None:
    from governance.commands.signing import key_source_args

    p = sub.add_parser("waiver", help="signed waivers",
                       description="Sign a waiver so that a policy requiring signed waivers "
                       "accepts it.")
    wsub = p.add_subparsers(dest="waiver_command", metavar="COMMAND")
    s = wsub.add_parser("sign", help="sign a waiver (DSSE envelope, in-toto Statement)",
                        description="Write a DSSE envelope whose in-toto Statement carries "
                        "the waiver (predicateType https://governance-checker.dev/"
                        "attestations/waiver/v1), signed with your key in ROLE.")
    s.add_argument("--rule-id", required=True, help="the rule the waiver accepts failing")
    s.add_argument("--reason", required=True, help="justification")
    s.add_argument("--approved-by", required=True, help="who approves it (name, e-mail)")
    s.add_argument("--expires", required=True, type=date.fromisoformat, metavar="YYYY-MM-DD")
    s.add_argument("--ticket", help="tracking ticket")
    s.add_argument("--model", help="scope: only this model name")
    s.add_argument("--model-version", help="scope: only this model version")
    s.add_argument("--group", help="scope: only this group of a fairness rule")
    s.add_argument("--policy", help="the policy (metadata.name) the waiver is for")
    s.add_argument("--role", default="risk-officer",
                   help="role you sign as (default risk-officer; the trust file must allow it)")
    key_source_args(s)
    s.add_argument("--out", type=Path, required=True, help="file to write (never overwritten)")
    from governance.ledger.settings import add_arguments as ledger_arguments

    ledger_arguments(s)
    s.set_defaults(handler=run_sign)
    p.set_defaults(handler=lambda _a: _usage(p))


def _usage(p: argparse.ArgumentParser) -> int:
    p.print_help(sys.stderr)
    return int(ExitCode.USAGE)


def run_sign(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from governance.commands.signing import _load_key, _now
    from governance.report import Scope, Waiver
    from governance.signing.waiver import envelope_bytes, sign_waiver

    try:
        waiver = Waiver(rule_id=args.rule_id, reason=args.reason, approved_by=args.approved_by,
                        expires=args.expires, ticket=args.ticket,
                        scope=Scope(model=args.model, version=args.model_version,
                                    group=args.group))
    except ValidationError as exc:
        raise SigningError(exc.errors()[0]["msg"], field="waiver") from None
    if args.out.exists() or args.out.is_symlink():
        raise SigningError("file exists; refusing to overwrite", path=str(args.out))
    key = _load_key(args)
    envelope = sign_waiver(waiver, key, role=args.role, policy=args.policy, now=_now())
    from governance.fileio import atomic_write

    atomic_write(args.out, envelope_bytes(envelope))
    sys.stdout.write(f"signed waiver for {waiver.rule_id} as {args.role} with key "
                     f"{key.keyid}\nwrote {args.out}\n")
    from governance.ledger.hooks import record_entry
    from governance.ledger.record import waiver_entry

    sys.stderr.write(record_entry(args, waiver_entry(waiver, keyid=key.keyid, role=args.role,
                                                     policy=args.policy, file=str(args.out))))
    return int(ExitCode.OK)
