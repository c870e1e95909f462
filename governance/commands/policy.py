"""``governance policy lint|schema|explain|test``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, GovernanceError, MultiError


def register(sub: Any) -> None:
    register_for(sub, None)


def register_for(sub: Any, argv: Sequence[str] | None) -> None:
    """The ``policy`` parsers; for ``policy lint``/``policy schema`` only those two (the other
    sub-commands' module is not imported: a lint is start-up time)."""
    p = sub.add_parser("policy", help="lint policies, print the JSON Schema, explain rules")
    psub = p.add_subparsers(dest="policy_command", metavar="SUBCOMMAND", required=True)

    lint = psub.add_parser("lint", help="validate policy files (and what they extend)")
    lint.add_argument("files", nargs="+", type=Path)
    lint.set_defaults(handler=run_lint, read_only=True, bounded=True)

    schema = psub.add_parser("schema", help="print the JSON Schema of policy files")
    schema.set_defaults(handler=run_schema, read_only=True, bounded=True)

    words = [a for a in argv or () if not a.startswith("-")]
    if words[1:2] in (["lint"], ["schema"]):
        return
    from governance.commands import policy_extra

    policy_extra.register(psub)


def run_lint(args: argparse.Namespace) -> int:
    import os

    from governance.policy.loader import load_policies
    from governance.rules.registry import plugins_enabled

    # plugins are an operator setting: the environment, as for `governance check`
    plugins = os.environ.get("GOVERNANCE_PLUGINS", "") in ("1", "true", "yes")
    failed = False
    for path in args.files:
        try:
            with plugins_enabled(plugins):
                policy = load_policies([path], display_base=Path.cwd())
        except GovernanceError as exc:
            failed = True
            for e in exc.shown() if isinstance(exc, MultiError) else [exc]:
                print(f"{e}", file=sys.stderr)
            continue
        print(f"{path}: ok ({len(policy.rules)} rules, {len(policy.waivers)} waivers)")
    return int(ExitCode.USAGE if failed else ExitCode.OK)


def run_schema(args: argparse.Namespace) -> int:
    from governance.policy.schema import policy_json_schema

    print(json.dumps(policy_json_schema(), indent=2, sort_keys=True))
    return int(ExitCode.OK)
