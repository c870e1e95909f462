"""``governance card validate|import``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, GovernanceError, MultiError


def register(sub: Any) -> None:
    register_for(sub, None)


def register_for(sub: Any, argv: Sequence[str] | None) -> None:
    """The ``card`` parsers; for ``card validate`` not ``card import``'s (start-up time)."""
    p = sub.add_parser("card", help="validate or import model cards")
    csub = p.add_subparsers(dest="card_command", metavar="SUBCOMMAND", required=True)
    v = csub.add_parser("validate", help="validate model card files")
    v.add_argument("files", nargs="+", type=Path)
    v.set_defaults(handler=run_validate, read_only=True, bounded=True)

    s = csub.add_parser("schema", help="print the JSON Schema of model cards",
                        description="Print the JSON Schema (draft 2020-12) of governance/v1 "
                        "model cards, with field descriptions, for editors and CI.")
    s.set_defaults(handler=run_schema)

    e = csub.add_parser("explain", help="what a model card field means, with an example",
                        description="Without FIELD: list the card's top-level fields. With "
                        "FIELD (dotted; list items as artifacts[].columns): its meaning, its "
                        "sub-fields and an example.")
    e.add_argument("field", nargs="?", metavar="FIELD")
    e.set_defaults(handler=run_explain)

    words = [a for a in argv or () if not a.startswith("-")]
    if words[1:2] == ["validate"]:
        return
    from governance.commands import card_import

    card_import.register(csub)


def run_validate(args: argparse.Namespace) -> int:
    from governance.card.loader import load_card

    failed = False
    for path in args.files:
        try:
            card = load_card(path, str(path))
        except GovernanceError as exc:
            failed = True
            for e in exc.shown() if isinstance(exc, MultiError) else [exc]:
                print(f"{e}", file=sys.stderr)
            continue
        m = card.card.model
        from governance.textsafe import one_line

        print(one_line(f"{path}: ok ({m.name} {m.version}, {len(card.card.artifacts)} "
                       "artifacts)"))
    return int(ExitCode.USAGE if failed else ExitCode.OK)


def run_schema(args: argparse.Namespace) -> int:
    import json

    from governance.card.docs import card_json_schema

    print(json.dumps(card_json_schema(), indent=2, sort_keys=True))
    return int(ExitCode.OK)


def run_explain(args: argparse.Namespace) -> int:
    from governance.card.docs import explain

    sys.stdout.write(explain(args.field))
    return int(ExitCode.OK)
