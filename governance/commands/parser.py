"""The argument parser of :mod:`governance.cli`: every sub-command's module, or only the invoked
one's. Apart from ``cli`` so that a plain ``policy lint FILE...`` line (read without argparse,
``cli.plain_lint``) does not compile it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from governance import __version__

# Sub-command -> the module in governance.commands that registers it (in --help order).
COMMANDS: dict[str, str] = {
    "check": "check", "policy": "policy", "card": "card", "render": "render",
    "keygen": "signing", "sign": "signing", "approve": "signing", "verify": "signing",
    "waiver": "waiver", "trust": "trust", "rules": "rules", "init": "init",
    "history": "ledger", "status": "ledger", "diff": "ledger", "ledger": "ledger",
}


class Parser(argparse.ArgumentParser):
    """No abbreviated options (``--output`` must never be taken for ``--output-dir``).

    Sub-command parsers are created with the parent's class, so the rule holds everywhere."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def _invoked(argv: Sequence[str]) -> str | None:
    """The sub-command named on the command line (the first argument not an option)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
        if arg == "--":
            return None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the command line, only the invoked sub-command's parser is built
    (every one when none is named, for --help and the error listing the commands)."""
    import importlib

    parser = Parser(
        prog="governance",
        description="Gate ML model releases on evidence: check model cards and their artifacts "
        "against declarative policies; write signed audit reports.",
        epilog="exit codes: 0 gate passed, 1 gate failed, 2 usage or input error, "
        "3 internal error",
    )
    parser.add_argument("--version", action="version", version=f"governance {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an internal error (any command)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    command = _invoked(argv) if argv is not None else None
    names = [COMMANDS[command]] if command else list(dict.fromkeys(COMMANDS.values()))
    for name in names:
        module = importlib.import_module(f"governance.commands.{name}")
        if command is not None and hasattr(module, "register_for"):  # nested sub-commands
            module.register_for(sub, argv)
        else:
            module.register(sub)
    return parser
