"""``policy lint FILE...`` without options is read without argparse (``cli.plain_lint``): the
namespace must be the one the parser returns, and every other line goes to the parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from governance import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "credit-scoring" / "policy.yaml"


def parsed(argv: list[str]) -> dict[str, object]:
    return vars(cli.build_parser(argv).parse_args(argv))


@pytest.mark.parametrize("files", [
    ["policy.yaml"],
    ["a.yaml", "b/c.yml", "lint", "policy", "check"],
    ["", "./x", "/abs/p.yaml", "with space.yaml", "ünï.yaml", "a=b", "@file"],
])
def test_plain_lint_is_what_the_parser_returns(files: list[str]) -> None:
    argv = ["policy", "lint", *files]
    fast = cli.plain_lint(argv)
    assert fast is not None
    assert vars(fast) == parsed(argv)
    assert all(isinstance(p, Path) for p in vars(fast)["files"])


@pytest.mark.parametrize("argv", [
    ["policy", "lint"],
    ["policy", "lint", "--help"],
    ["policy", "lint", "-h"],
    ["policy", "lint", "a.yaml", "--", "b.yaml"],
    ["policy", "lint", "-"],
    ["policy", "lint", "-1"],
    ["policy", "lint", "a.yaml", "--bogus"],
    ["policy", "schema"],
    ["policy"],
    ["--version"],
    ["card", "lint", "a.yaml"],
    ["lint", "policy", "a.yaml"],
    [],
])
def test_other_lines_go_to_the_parser(argv: list[str]) -> None:
    assert cli.plain_lint(argv) is None


def test_plain_lint_imports_no_argparse_nor_json() -> None:
    probe = ("import sys\nfrom governance.cli import main\n"
             f"code = main(['policy', 'lint', {str(EXAMPLE)!r}])\n"
             "print(code, 'argparse' in sys.modules, 'json' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.splitlines()[-1] == "0 False False"
    # with an option the parser reads the line (and the same lint runs)
    probe = probe.replace("'lint', ", "'lint', '--', ")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, check=True)
    assert done.stdout.splitlines()[-1].split()[:2] == ["0", "True"]
