"""The command line: the only module that prints or exits (DESIGN house rule 1).

Sub-commands live in :mod:`governance.commands`; each module there is import-light and
defines ``register(subparsers)``; its handler imports what it needs when it runs. Only the
invoked sub-command's module is imported and its parser built (start-up time of a lint).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from governance.errors import ExitCode, GovernanceError, MultiError

if TYPE_CHECKING:
    import argparse

Handler = Callable[["argparse.Namespace"], int]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser (:func:`governance.commands.parser.build_parser`, apart so that a plain
    ``policy lint`` line, read without it, does not compile it)."""
    from governance.commands.parser import build_parser as build

    return build(argv)


def _print_error(exc: GovernanceError) -> None:
    errors = exc.shown() if isinstance(exc, MultiError) else [exc]
    for e in errors:
        print(f"error: {e}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    return _main(sys.argv[1:] if argv is None else list(argv))[0]


def _without_debug(argv: list[str]) -> tuple[list[str], bool]:
    """``--debug`` works with every command, anywhere on the line (before a bare ``--``
    only): it is taken out before parsing, and internal errors then print their traceback."""
    end = argv.index("--") if "--" in argv else len(argv)
    debug = "--debug" in argv[:end]
    return [w for i, w in enumerate(argv) if not (i < end and w == "--debug")], debug


def _main(argv: list[str]) -> tuple[int, bool]:
    """The exit code, and whether the command was read-only (may skip interpreter teardown)."""
    argv, debug = _without_debug(argv)
    code, args = _dispatch(argv, debug)
    return code, bool(getattr(args, "read_only", False) or getattr(args, "exit_fast", False))


def plain_lint(argv: Sequence[str]) -> argparse.Namespace | None:
    """For ``policy lint FILE...`` with no option (no word starting with ``-``): the namespace
    the parser returns for it, made without argparse (importing it and building the parser
    are ~4 ms of a lint); None for any other command line, which the parser reads.
    ``tests/test_cli_plain_lint.py`` holds it equal to the parser's answer."""
    if len(argv) < 3 or argv[0] != "policy" or argv[1] != "lint" or any(
            a.startswith("-") for a in argv[2:]):
        return None
    from governance.commands.policy import lint_namespace

    return lint_namespace(argv[2:])


def _dispatch(argv: list[str], debug: bool = False) -> tuple[int, argparse.Namespace | None]:
    args = plain_lint(argv)
    if args is None:
        parser = build_parser(argv)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse: --help/--version exit 0, bad usage exits 2
            code = exc.code if isinstance(exc.code, int) else ExitCode.USAGE
            return int(code), None
        if getattr(args, "handler", None) is None:
            parser.print_help(sys.stderr)
            return int(ExitCode.USAGE), None
    handler: Handler = args.handler
    if _GC_HELD and not getattr(args, "bounded", False):
        _release_gc()
    if getattr(args, "read_only", False):
        _without_pydantic_plugins()
    try:
        code = int(handler(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the handling below
        return code, args
    except GovernanceError as exc:
        _print_error(exc)
        return int(exc.exit_code), args
    except ModuleNotFoundError as exc:
        from governance.extras import missing_extra

        missing = missing_extra(exc, f"governance {args.command}")
        if missing is None:
            return _internal(exc, debug), args
        _print_error(missing)
        return int(missing.exit_code), args
    except BrokenPipeError:
        # The reader went away (`governance rules | head`): not a bug. Silence the final flush
        # and exit non-zero, as the Python documentation recommends (the output is incomplete).
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return int(ExitCode.GATE_FAILED), args
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return int(ExitCode.INTERNAL), args
    except Exception as exc:
        return _internal(exc, debug), args


_PYDANTIC_LOADER = "pydantic.plugin._loader"
_PLUGINS_OFF = ("__all__", "1", "true")  # the values pydantic reads as "no plugins"


def _without_pydantic_plugins() -> None:
    """A pydantic plugin (an installed package's entry point) is not needed to read a policy
    or card: scanning every distribution's metadata for one costs ~10 ms of a lint, and even
    with ``PYDANTIC_DISABLE_PLUGINS`` set, pydantic's plugin loader imports
    ``importlib.metadata`` (with the ``email`` package, ~5 ms) before reading that variable.
    While it says "no plugins", a module whose ``get_plugins()`` returns what the loader then
    returns, ``()``, stands in for the loader (pydantic imports only that function from it);
    if the variable changes, the real loader is imported and answers."""
    import os

    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if (os.environ["PYDANTIC_DISABLE_PLUGINS"] not in _PLUGINS_OFF
            or _PYDANTIC_LOADER in sys.modules):
        return
    import types

    def real_loader() -> Any:
        import importlib

        if sys.modules.get(_PYDANTIC_LOADER) is stand_in:
            del sys.modules[_PYDANTIC_LOADER]
        return importlib.import_module(_PYDANTIC_LOADER)

    def get_plugins() -> Any:
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _PLUGINS_OFF:
            return ()
        return real_loader().get_plugins()

    stand_in = types.ModuleType(_PYDANTIC_LOADER, "governance.cli: pydantic's plugin loader "
                                "while plugins are disabled")
    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    def other(name: str) -> Any:  # anything else a pydantic version asks of its loader
        if name.startswith("__"):  # module protocol (__path__, __file__, ...): not the loader's
            raise AttributeError(name)
        return getattr(real_loader(), name)

    stand_in.__getattr__ = other  # type: ignore[method-assign]
    sys.modules[_PYDANTIC_LOADER] = stand_in


def _internal(exc: BaseException, debug: bool) -> int:
    import traceback

    from governance.textsafe import excerpt

    print(f"internal error: {type(exc).__name__}: {excerpt(exc, 400)}", file=sys.stderr)
    if debug:
        traceback.print_exc()
    else:
        print("(this is a bug; rerun with --debug for the traceback)", file=sys.stderr)
    return int(ExitCode.INTERNAL)


_GC_HELD = False  # run() turned garbage collection off for the start-up


def _release_gc() -> None:
    """Collect as usual from here on (a command that may run long), leaving the start-up's
    objects (modules, classes, parsers) out of every later pass."""
    import gc

    global _GC_HELD
    _GC_HELD = False
    gc.freeze()
    gc.enable()


def run() -> None:
    """The process entry point (``governance`` script, ``python -m governance``).

    Garbage collection is off while the interpreter imports and builds the policy/card
    models (start-up allocates many objects and frees few; a collection pass then is pure
    cost). Long commands get it back, with the start-up objects frozen out of later passes.
    A read-only command (lint, schema, card validate, verify) flushes its output and leaves
    with ``os._exit``: it holds no files open and nothing needs finalising, and interpreter
    teardown (freeing every module and model class) would be a fifth of its run time.
    ``check`` and ``render`` (``exit_fast``) leave the same way once their files are written
    and closed: ~0.2 s of a check with pandas, SciPy and WeasyPrint loaded. ``atexit``
    handlers still run first (e.g. finalizers that remove temporary folders).
    """
    import gc
    import os

    global _GC_HELD
    gc.disable()
    _GC_HELD = True
    code, read_only = _main(sys.argv[1:])
    if not read_only or sys.getprofile() is not None:  # a profiler writes its data at exit
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # e.g. a closed pipe: let the interpreter report it as it normally does
        raise SystemExit(code) from None
    import atexit

    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
