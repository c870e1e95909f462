"""``governance rules``: the rule kinds this installation knows (name, family, summary)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from governance.errors import ExitCode


def register(sub: Any) -> None:
    p = sub.add_parser(
        "rules", help="list the rule kinds (name, family, summary)",
        description="List every rule kind a policy may use: built-in kinds, grouped by family, "
        "then plugin kinds. `governance policy explain KIND` documents one kind's parameters.")
    p.add_argument("--family", help="only the kinds of this family")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from governance.errors import InputError
    from governance.rules.registry import all_kinds

    kinds = list(all_kinds().values())
    families = list(dict.fromkeys(k.family for k in kinds))
    if args.family is not None:
        if args.family not in families:
            raise InputError(f"unknown family {args.family!r} (choose from "
                             f"{', '.join(sorted(families))})", field="--family")
        kinds = [k for k in kinds if k.family == args.family]
    kinds.sort(key=lambda k: (families.index(k.family), k.name))
    if args.json:
        rows = [{"name": k.name, "family": k.family, "summary": k.summary} for k in kinds]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return int(ExitCode.OK)
    width = max(len(k.name) for k in kinds)
    fam = max(len(k.family) for k in kinds)
    for k in kinds:
        sys.stdout.write(f"{k.name:<{width}}  {k.family:<{fam}}  {k.summary}\n")
    return int(ExitCode.OK)
