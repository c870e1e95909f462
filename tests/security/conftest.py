"""Fixtures for the hostile-input suite: a small synthetic project, a CLI runner, time limits.

The synthetic project is deliberately tiny and written here line by line, so that every test
can assert the exact ``file:line:col: field: message`` the tool prints.
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from governance.cli import main

PREDS = "y_true,y_pred,y_score,sex\n1,1,0.9,female\n0,0,0.2,male\n1,0,0.4,male\n0,1,0.7,female\n"

# Line numbers matter: tests assert them.
POLICY = """\
apiVersion: governance/v1
kind: Policy
metadata:
  name: sec
  version: "1.0"
rules:
  - id: INT-001
    title: Artifacts match their digests
    kind: artifact_integrity
    severity: critical
    params:
      require_sha256: true
waivers:
  - rule_id: INT-001
    reason: accepted for the test
    approved_by: alice
    expires: 2099-01-01
"""

CARD = """\
apiVersion: governance/v1
kind: ModelCard
model:
  name: sec-model
  version: "1.0.0"
  task: binary_classification
  owners:
    - name: Team A
privacy:
  contains_personal_data: true
artifacts:
  - name: preds
    role: predictions
    path: data/preds.csv
    sha256: {sha}
"""

CONFIG = """\
apiVersion: governance/v1
kind: Config
policies: [policy.yaml]
card: card.yaml
root: .
output_dir: out
formats: [json]
rule_timeout: 5
"""


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def policy(self) -> Path:
        return self.root / "policy.yaml"

    @property
    def card(self) -> Path:
        return self.root / "card.yaml"

    @property
    def config(self) -> Path:
        return self.root / "governance.yaml"

    @property
    def out(self) -> Path:
        return self.root / "out"

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """A passing project in ``tmp_path`` (also the current folder, so messages are relative)."""
    root = tmp_path / "proj"
    (root / "data").mkdir(parents=True)
    preds = root / "data" / "preds.csv"
    preds.write_text(PREDS, encoding="utf-8")
    sha = hashlib.sha256(preds.read_bytes()).hexdigest()
    (root / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (root / "card.yaml").write_text(CARD.format(sha=sha), encoding="utf-8")
    (root / "governance.yaml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(root)
    return Project(root)


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


CliRunner = Callable[..., Result]


@pytest.fixture()
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run ``governance ARGS...`` in-process; never lets an exception or a traceback through."""

    def run(*argv: str) -> Result:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        assert "internal error" not in captured.err, captured.err
        return Result(code, captured.out, captured.err)

    return run


def within(seconds: float, fn: Callable[[], Any]) -> Any:
    """Run ``fn`` in a daemon thread; fail the test (instead of hanging) if it overruns."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            failure.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"did not finish within {seconds} s (hang)"
    if failure:
        raise failure[0]
    return result[0] if result else None


@pytest.fixture()
def timed() -> Callable[[float, Callable[[], Any]], Any]:
    return within


class CanaryServer:
    """A loopback HTTP server that records every request: hostile content must not fetch."""

    def __init__(self) -> None:
        hits: list[str] = []
        self.hits = hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body{}")

            do_POST = do_GET  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def canary_server() -> Iterator[CanaryServer]:
    server = CanaryServer()
    try:
        yield server
    finally:
        server.close()


def install_rule_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                        source: str) -> Iterator[Path]:
    """Install ``source`` as the rule-kind plugin package ``name`` (entry point
    ``governance.rules``, its ``KINDS``), for this process and for the worker processes it
    starts (``PYTHONPATH``); yield the folder ``$GOV_TEST_DIR`` the plugin leaves marks in."""
    import sys

    from governance.rules import registry

    site = tmp_path / "site"
    (site / name).mkdir(parents=True)
    (site / name / "__init__.py").write_text(source, encoding="utf-8")
    dist = site / f"{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[governance.rules]\n{name} = {name}:KINDS\n")
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", str(site))  # the worker process finds the plugin too
    monkeypatch.setenv("GOV_TEST_DIR", str(marks))
    registry._plugin_kinds.cache_clear()
    yield marks
    registry._plugin_kinds.cache_clear()
    sys.modules.pop(name, None)
