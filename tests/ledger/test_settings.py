"""Where the ledger lives and how it fails: operator URL only from flag/environment, project
paths confined, switches, clear exit-2 errors before any report is written, inert output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from governance.cli import main
from tests.conftest import ROOT


@pytest.fixture()
def example(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GOVERNANCE_LEDGER_URL", raising=False)
    monkeypatch.delenv("GOVERNANCE_LEDGER", raising=False)
    monkeypatch.chdir(example_copy)
    return example_copy


CHECK = ["check", "--config", "governance.yaml", "--format", "json", "-q"]


def test_switches_disable_recording(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main([*CHECK, "--no-ledger"]) == 0
    assert not (example / ".governance").exists()
    monkeypatch.setenv("GOVERNANCE_LEDGER", "off")
    assert main(CHECK) == 0
    assert not (example / ".governance").exists()
    assert main(["history", "credit-scoring"]) == 2  # a query needs the ledger


def test_config_ledger_path_inside_the_project(example: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    cfg = example / "governance.yaml"
    cfg.write_text(cfg.read_text() + "ledger: audit/releases.sqlite\n")
    assert main(CHECK) == 0
    assert (example / "audit" / "releases.sqlite").is_file()
    assert not (example / ".governance").exists()
    capsys.readouterr()
    assert main(["history", "credit-scoring"]) == 0  # queries find the same ledger
    assert "credit-scoring: 1 checks" in capsys.readouterr().out


@pytest.mark.parametrize(("line", "message"), [
    ("ledger: ../outside.sqlite", "leaves the project root"),
    ("ledger: /tmp/x.sqlite", "absolute path"),
    ("ledger_url: postgresql+psycopg://evil@host/db", "ledger_url is an operator setting"),
])
def test_config_cannot_reach_outside(example: Path, capsys: pytest.CaptureFixture[str],
                                     line: str, message: str) -> None:
    cfg = example / "governance.yaml"
    n = len(cfg.read_text().splitlines()) + 1
    cfg.write_text(cfg.read_text() + line + "\n")
    assert main(CHECK) == 2
    err = capsys.readouterr().err
    assert message in err and f"governance.yaml:{n}:" in err
    assert not (example / "reports").exists()


@pytest.mark.parametrize(("url", "message"), [
    ("mysql://u@h/db", "unsupported ledger database 'mysql'"),
    ("not a url", "not a database URL"),
    ("postgresql+psycopg://bob:s3cret@/nodb?host=/nonexistent-socket-dir",
     "cannot open ledger postgresql+psycopg://bob:***@/nodb"),
])
def test_bad_ledger_is_exit_2_before_anything_is_written(
        example: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        url: str, message: str) -> None:
    monkeypatch.setenv("GOVERNANCE_LEDGER_URL", url)
    assert main(CHECK) == 2
    err = capsys.readouterr().err
    assert message in err and "s3cret" not in err
    assert not (example / "reports").exists()


def test_ledger_url_flag_beats_environment(example: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVERNANCE_LEDGER_URL", "mysql://ignored")
    url = "sqlite:///" + str(tmp_path / "flag.sqlite")
    assert main([*CHECK, "--ledger-url", url]) == 0
    assert (tmp_path / "flag.sqlite").is_file()


def test_sqlalchemy_is_imported_only_when_a_ledger_is_used(example: Path) -> None:
    probe = ("import json, sys\nfrom governance.cli import main\n"
             "code = main(['policy', 'lint', 'policy.yaml'])\n"
             "print(json.dumps({'code': code, 'sa': 'sqlalchemy' in sys.modules}))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=example, check=False)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"code": 0, "sa": False}


def test_diff_output_is_inert(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*CHECK, "--no-ledger"]) == 0
    a = example / "reports" / "report.json"
    data = json.loads(a.read_text())
    evil = "pwn\x1b]0;title\x07\u202e::error::x\n##vso[task.setvariable]y <b>@team</b>"
    data["model"]["name"] = evil
    for f in data["findings"]:
        if f["rule_id"] == "PERF-001":
            f["status"], f["title"] = "fail", evil
    b = example / "b.json"
    b.write_text(json.dumps(data))
    for fmt in ("text", "markdown"):
        assert main(["diff", str(a), str(b), "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "PERF-001" in out
        for bad in ("\x1b", "\x07", "\u202e", "##vso["):
            assert bad not in out, (fmt, bad)
        assert not any(line.lstrip().startswith("::") for line in out.splitlines())
        if fmt == "markdown":  # no HTML, no mentions in a pull-request comment
            assert "<b>" not in out and "@team" not in out


def test_root_ledger_not_tracked() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q",
                              "examples/credit-scoring/.governance/ledger.sqlite"],
                             cwd=ROOT, check=False)
    assert ignored.returncode == 0


def test_without_the_ledger_extra(example: Path) -> None:
    """SQLAlchemy, Alembic and psycopg hidden: the default ledger is skipped (check passes,
    nothing recorded); a ledger named by the operator is exit 2 naming the extra."""
    from governance.extras import EXTRAS
    from tests.test_extras import PROBE

    def run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        code = PROBE.format(hidden=list(EXTRAS["ledger"]), argv=CHECK)
        return subprocess.run([sys.executable, "-c", code], cwd=example, capture_output=True,
                              text=True, timeout=120, check=False,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env})

    done = run({})
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stderr
    assert not (example / ".governance").exists()
    import shutil

    shutil.rmtree(example / "reports")
    done = run({"GOVERNANCE_LEDGER_URL": "sqlite:///" + str(example / "x.sqlite")})
    assert done.returncode == 2
    assert ("the release ledger needs the 'ledger' extra (module 'sqlalchemy' is not "
            "installed): pip install 'governance-checker[ledger]'") in done.stderr
    assert not (example / "reports").exists()
