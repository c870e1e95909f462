"""``governance policy lint|schema|explain|test``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from governance.errors import ExitCode, GovernanceError, MultiError

if TYPE_CHECKING:
    import argparse


def register(sub: Any) -> None:
    register_for(sub, None)


def register_for(sub: Any, argv: Sequence[str] | None) -> None:
    """The ``policy`` parsers; for ``policy lint``/``policy schema`` only those two (the other
    sub-commands' module is not imported: a lint is start-up time)."""
    p = sub.add_parser("policy", help="lint policies, print the JSON Schema, explain rules")
    psub = p.add_subparsers(dest="policy_command", metavar="SUBCOMMAND", required=True)

    lint = psub.add_parser("lint", help="validate policy files (and what they extend)")
    lint.add_argument("files", nargs="+", type=Path)
    lint.set_defaults(**_lint_defaults())

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
    from governance.rules.kindmap import plugins_enabled

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


def _lint_defaults() -> dict[str, Any]:
    """What ``policy lint`` sets besides its files: the parser's defaults, and
    :func:`lint_namespace`'s."""
    return {"handler": run_lint, "read_only": True, "bounded": True}


def lint_namespace(files: Sequence[str]) -> argparse.Namespace:
    """The namespace the parser returns for ``policy lint FILES`` when no word is an option
    (``governance.cli.plain_lint``): the same attributes, without argparse."""
    from types import SimpleNamespace

    args = SimpleNamespace(debug=False, command="policy", policy_command="lint",
                           files=[Path(f) for f in files], **_lint_defaults())
    return cast("argparse.Namespace", args)  # read by attribute only, as a Namespace is


def run_schema(args: argparse.Namespace) -> int:
    import json

    from governance.policy.schema import policy_json_schema

    print(json.dumps(policy_json_schema(), indent=2, sort_keys=True))
    return int(ExitCode.OK)
