"""Progress: rules done and rows read on a terminal; quiet in CI, without a TTY, with --quiet."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from governance.api import CheckRequest, run_check
from governance.commands.progress import Progress, progress_for

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_engines import NOW, make_project  # noqa: E402


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_live_line_shows_rule_in_progress_rows_and_elapsed() -> None:
    out, clock = io.StringIO(), Clock()
    p = Progress(out, "live", clock=clock)
    p.rule_started(1, 3, "ACC")
    clock.t += 0.5
    p.rows_read(262_144, 1_000_000)
    clock.t += 1.0
    p.rows_read(1_000_000, 1_000_000)
    p.rule_done(1, 3, "ACC")
    clock.t += 70
    p.rule_done(3, 3, "DP")
    p.close()
    assert out.getvalue() == (
        "\r\x1b[2Kchecking rules 0/3 · ACC · 0.0s"
        "\r\x1b[2Kchecking rules 0/3 · ACC · read 262,144 of 1,000,000 rows · 0.5s"
        "\r\x1b[2Kchecking rules 0/3 · ACC · read 1,000,000 of 1,000,000 rows · 1.5s"
        "\r\x1b[2Kchecking rules 1/3 · 1.5s"
        "\r\x1b[2Kchecking rules 3/3 · 1:11\n")


def test_live_row_updates_are_throttled() -> None:
    out, clock = io.StringIO(), Clock()
    p = Progress(out, "live", clock=clock)
    for i in range(1, 1001):
        clock.t += 0.001
        p.rows_read(i, None)
    assert out.getvalue().count("\r") == 10  # one redraw per 0.1 s of the 1 s


def test_plain_lines_one_per_rule_and_a_heartbeat_at_most_every_10s() -> None:
    out, clock = io.StringIO(), Clock()
    p = Progress(out, "plain", clock=clock)
    p.rule_started(1, 2, "ACC")
    for _ in range(240):  # 30 s of rows, one callback every 0.125 s
        clock.t += 0.125
        p.rows_read(1000, None)
    p.rule_done(1, 2, "ACC")
    p.rule_started(2, 2, "DP")
    p.rule_done(2, 2, "DP")
    p.close()
    lines = out.getvalue().splitlines()
    assert "\x1b" not in out.getvalue() and "\r" not in out.getvalue()
    assert lines == [
        "still checking rules 0/2 · ACC · read 1,000 rows · 10s",
        "still checking rules 0/2 · ACC · read 1,000 rows · 20s",
        "still checking rules 0/2 · ACC · read 1,000 rows · 30s",
        "checked rule 1/2 ACC",
        "checked rule 2/2 DP",
    ]


def test_hostile_rule_ids_are_inert() -> None:
    hostile = "R1\x1b]0;pwned\x07\n::error::forged"
    for mode in ("live", "plain"):
        out = io.StringIO()
        p = Progress(out, mode)  # type: ignore[arg-type]
        p.rule_started(1, 1, hostile)
        p.rule_done(1, 1, hostile)
        text = out.getvalue()
        assert "\x1b]" not in text and "\x07" not in text
        assert "\n::error::" not in text
        assert text.count("\n") == 1


def test_quiet_means_no_progress_and_a_pipe_means_plain() -> None:
    assert progress_for(True) is None
    p = progress_for(False, io.StringIO())
    assert p is not None and p.mode == "plain"
    p.close()


def test_streaming_engine_reports_rows_to_the_check(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    seen: list[tuple[int, int | None]] = []
    run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml", root=root,
                           now=NOW, report_id="r", engine="streaming",
                           extras={"progress_rows": lambda r, t: seen.append((r, t))}))
    assert seen and seen[-1] == (6_000, 6_000)


def _check_argv(root: Path, out: Path) -> list[str]:
    return ["check", "--engine", "streaming", "--policy", str(root / "policy.yaml"), "--card",
            str(root / "card.yaml"), "--root", str(root), "--format", "json",
            "--output-dir", str(out)]


def test_plain_lines_without_a_terminal_and_none_with_quiet(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from governance.cli import main

    root = make_project(tmp_path)
    assert main(_check_argv(root, tmp_path / "out")) == 1
    err = capsys.readouterr().err
    done = [line for line in err.splitlines() if line.startswith("checked rule ")]
    assert len(done) >= 1 and done[-1].startswith(f"checked rule {len(done)}/{len(done)} ")
    assert "\x1b" not in err and "\r" not in err
    assert main([*_check_argv(root, tmp_path / "out2"), "--quiet"]) == 1
    assert "checked rule" not in capsys.readouterr().err


def test_live_line_on_a_terminal(tmp_path: Path) -> None:
    import os
    import pty
    import subprocess

    root = make_project(tmp_path)
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    proc = subprocess.Popen([sys.executable, "-m", "governance",
                             *_check_argv(root, tmp_path / "o")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave,
                            env=env)
    os.close(slave)
    chunks = []
    while True:  # read as it comes (a full pty buffer would block the child)
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=120) == 1
    err = b"".join(chunks).decode()
    assert "\r\x1b[2Kchecking rules 0/" in err
    assert "checked rule" not in err  # no plain lines on a terminal
