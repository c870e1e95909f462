"""``--debug`` is accepted by every command and shows the traceback of an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance import cli
from governance.commands import policy

PACK = Path(__file__).resolve().parents[1] / "policies" / "fairness.yaml"


def _boom(args: object) -> int:
    raise RuntimeError("kaboom")


@pytest.mark.parametrize("argv", [
    ["policy", "lint", "x.yaml"],
    ["--debug", "policy", "lint", "x.yaml"],
    ["policy", "lint", "--debug", "x.yaml"],
])
def test_debug_anywhere_shows_traceback(argv: list[str], monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(policy, "run_lint", _boom)
    assert cli.main(argv) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaboom" in err
    if "--debug" in argv:
        assert "Traceback (most recent call last)" in err
        assert "rerun with --debug" not in err
    else:
        assert "Traceback" not in err
        assert "(this is a bug; rerun with --debug for the traceback)" in err


@pytest.mark.parametrize("argv", [
    ["--debug", "policy", "schema"],
    ["policy", "lint", "--debug", str(PACK)],
    ["keygen", "--help", "--debug"],
])
def test_debug_accepted_by_commands_without_their_own_flag(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 0
    assert "unrecognized arguments" not in capsys.readouterr().err


def test_debug_after_double_dash_is_an_argument(capsys: pytest.CaptureFixture[str]) -> None:
    # After "--" it is a file name, not the flag: policy lint then fails on the missing file.
    assert cli.main(["policy", "lint", "--", "--debug"]) == 2
    assert "--debug" in capsys.readouterr().err
