"""Start-up: only the invoked sub-command's parser, read-only commands leave without teardown
but with their output flushed and their exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from governance.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "examples" / "credit-scoring" / "policy.yaml"


def _commands(argv: list[str]) -> set[str]:
    parser = build_parser(argv)
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)  # type: ignore[arg-type]


def test_only_the_invoked_parser_is_built() -> None:
    assert _commands(["policy", "lint", "x.yaml"]) == {"policy"}
    assert _commands(["verify", "r.json"]) == {"keygen", "sign", "approve", "verify"}
    every = {"check", "policy", "card", "render", "keygen", "sign", "approve", "verify",
             "waiver", "trust", "rules", "init", "history", "status", "diff", "ledger"}
    assert _commands(["--help"]) == every
    assert _commands(["nonsense"]) == every  # the usage error lists every command
    assert _commands([]) == every


def _nested_commands(argv: list[str], command: str) -> set[str]:
    """The sub-commands of ``command`` that the parser built for ``argv``."""
    parser = build_parser(argv)
    sub = next(a for a in parser._actions if a.dest == "command")
    group = sub.choices[command]  # type: ignore[index]
    nested = next(a for a in group._actions if a.dest == f"{command}_command")
    return set(nested.choices)  # type: ignore[arg-type]


def test_policy_lint_skips_the_other_policy_commands() -> None:
    assert _nested_commands(["policy", "lint", "x.yaml"], "policy") == {"lint", "schema"}
    assert _nested_commands(["policy", "--help"], "policy") == {"lint", "schema", "explain",
                                                                "test"}
    assert _nested_commands(["policy", "explain", "R1"], "policy") >= {"explain", "test"}


def test_card_validate_skips_card_import() -> None:
    assert _nested_commands(["card", "validate", "c.yaml"], "card") == {"validate", "schema",
                                                                        "explain"}
    assert _nested_commands(["card", "--help"], "card") == {"validate", "schema", "explain",
                                                            "import"}
    assert _nested_commands(["card", "import", "x.md", "--from", "hf"], "card") >= {"import"}


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "governance", *args], capture_output=True,
                          text=True, cwd=ROOT, check=False)


def test_fast_exit_keeps_output_and_exit_code(tmp_path: Path) -> None:
    done = _run(["policy", "lint", str(POLICY), str(POLICY)])
    assert done.returncode == 0
    assert done.stdout.count(": ok (20 rules, 0 waivers)") == 2  # flushed into the pipe
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: governance/v1\nkind: Policy\nrules: 3\n")
    done = _run(["policy", "lint", str(POLICY), str(bad)])
    assert done.returncode == 2
    assert ": ok (20 rules" in done.stdout
    assert "bad.yaml:3:" in done.stderr
    schema = _run(["policy", "schema"])
    assert schema.returncode == 0 and schema.stdout.rstrip().endswith("}")


def test_unknown_command_is_a_usage_error() -> None:
    done = _run(["nonsense"])
    assert done.returncode == 2
    assert "check" in done.stderr and "verify" in done.stderr


def test_every_command_module_is_in_the_lazy_table() -> None:
    """A command module registering top-level sub-commands (``register(sub)``) must be listed
    in the parser's COMMANDS, or its commands would exist only in --help."""
    from governance.commands.parser import COMMANDS

    folder = ROOT / "governance" / "commands"
    modules = {p.stem for p in folder.glob("*.py") if "\ndef register(sub" in p.read_text()}
    assert modules == set(COMMANDS.values())
