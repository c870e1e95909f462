"""The command line: the only module that prints or exits (DESIGN house rule 1).

Sub-commands live in :mod:`governance.commands`; each module there is import-light and
defines ``register(subparsers)``; its handler imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from governance import __version__
from governance.errors import ExitCode, GovernanceError, MultiError

Handler = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """No abbreviated options (``--output`` must never be taken for ``--output-dir``).

    Sub-command parsers are created with the parent's class, so the rule holds everywhere."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    from governance.commands import (
        card,
        check,
        init,
        policy,
        render,
        rules,
        signing,
        trust,
        waiver,
    )

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
    for module in (check, policy, card, render, signing, waiver, trust, rules, init):
        module.register(sub)
    return parser


def _print_error(exc: GovernanceError) -> None:
    errors = exc.shown() if isinstance(exc, MultiError) else [exc]
    for e in errors:
        print(f"error: {e}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    # --debug works with every command, anywhere on the line (before a bare "--" only):
    # internal errors then print their traceback.
    end = words.index("--") if "--" in words else len(words)
    debug = "--debug" in words[:end]
    words = [w for i, w in enumerate(words) if not (i < end and w == "--debug")]
    parser = build_parser()
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:  # argparse: --help/--version exit 0, bad usage exits 2
        code = exc.code if isinstance(exc.code, int) else ExitCode.USAGE
        return int(code)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return int(ExitCode.USAGE)
    try:
        code = int(handler(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the handling below
        return code
    except GovernanceError as exc:
        _print_error(exc)
        return int(exc.exit_code)
    except ModuleNotFoundError as exc:
        from governance.extras import missing_extra

        missing = missing_extra(exc, f"governance {args.command}")
        if missing is None:
            return _internal(exc, debug)
        _print_error(missing)
        return int(missing.exit_code)
    except BrokenPipeError:
        # The reader went away (`governance rules | head`): not a bug. Silence the final flush
        # and exit non-zero, as the Python documentation recommends (the output is incomplete).
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return int(ExitCode.GATE_FAILED)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return int(ExitCode.INTERNAL)
    except Exception as exc:
        return _internal(exc, debug)



def _internal(exc: BaseException, debug: bool) -> int:
    import traceback

    from governance.textsafe import excerpt

    print(f"internal error: {type(exc).__name__}: {excerpt(exc, 400)}", file=sys.stderr)
    if debug:
        traceback.print_exc()
    else:
        print("(this is a bug; rerun with --debug for the traceback)", file=sys.stderr)
    return int(ExitCode.INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
