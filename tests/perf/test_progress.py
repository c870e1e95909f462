"""Progress: rules done and rows read on a terminal; quiet in CI, without a TTY, with --quiet."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from governance.api import CheckRequest, run_check
from governance.commands.check import _Progress, _progress

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_engines import NOW, make_project  # noqa: E402


def test_status_line_shows_rules_and_rows() -> None:
    out = io.StringIO()
    p = _Progress(out)
    p.rule_done(1, 3, "ACC")
    p.rows_read(262_144, 1_000_000)
    p.rows_read(1_000_000, 1_000_000)
    p.rule_done(3, 3, "DP")
    assert out.getvalue() == (
        "\r\x1b[2Kchecking rules 1/3 ACC"
        "\r\x1b[2Kchecking rules 1/3 · read 262,144 of 1,000,000 rows"
        "\r\x1b[2Kchecking rules 1/3 · read 1,000,000 of 1,000,000 rows"
        "\r\x1b[2Kchecking rules 3/3 DP\n")


def test_row_updates_are_throttled() -> None:
    out = io.StringIO()
    p = _Progress(out)
    for i in range(1, 1001):
        p.rows_read(i, None)
    assert out.getvalue().count("\r") < 20


def test_disabled_progress_is_none() -> None:
    assert _progress(False) is None
    assert isinstance(_progress(True), _Progress)


def test_streaming_engine_reports_rows_to_the_check(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    seen: list[tuple[int, int | None]] = []
    run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml", root=root,
                           now=NOW, report_id="r", engine="streaming",
                           extras={"progress_rows": lambda r, t: seen.append((r, t))}))
    assert seen and seen[-1] == (6_000, 6_000)


def test_no_progress_without_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    from governance.cli import main

    root = make_project(tmp_path)
    code = main(["check", "--engine", "streaming", "--policy", str(root / "policy.yaml"), "--card",
                 str(root / "card.yaml"), "--root", str(root), "--format", "json",
                 "--output-dir", str(tmp_path / "out")])
    assert code == 1
    assert "checking rules" not in capsys.readouterr().err
