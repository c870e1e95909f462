"""The worker process is sent the next isolated rule before its turn (governance.engine
._Ahead): it works on that rule while the main process evaluates the rules before it; the
outcome is the one the rule has when run at its turn; a check that stops early kills a worker
still busy with a request nobody will collect."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from governance.cli import main
from governance.worker import Worker, WorkerSpec
from tests.security.conftest import install_rule_plugin

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from test_engines import make_project  # noqa: E402

PLUGIN = '''
import os, time
from pathlib import Path
from governance.rules.base import Outcome, Params, RuleKind
class P(Params):
    pass
def marks():
    return Path(os.environ["GOV_TEST_DIR"])
def inline(ctx, params):
    """Waits until the isolated rule after it has started (20 s at most)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (marks() / "isolated-started").exists():
        time.sleep(0.01)
    seen = (marks() / "isolated-started").exists()
    return Outcome.passed("saw the isolated rule running" if seen else "waited alone")
def isolated(ctx, params):
    (marks() / "isolated-started").write_text(str(os.getpid()))
    return Outcome.passed("isolated done")
def sleeper(ctx, params):
    (marks() / "sleeper-pid").write_text(str(os.getpid()))
    time.sleep(60)
    return Outcome.passed("woke")
KINDS = [RuleKind(name="waits_for_isolated", family="test", summary="s", params=P,
                  evaluate=inline),
         RuleKind(name="marks_start", family="test", summary="s", params=P, evaluate=isolated,
                  isolated=True),
         RuleKind(name="sleeper", family="test", summary="s", params=P, evaluate=sleeper,
                  isolated=True)]
'''


@pytest.fixture()
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from install_rule_plugin(tmp_path, monkeypatch, "aheadplugin", PLUGIN)


def _check(tmp_path: Path, rules: list[dict[str, str]]) -> tuple[int, dict[str, str]]:
    root = make_project(tmp_path / "p")
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"title": "t", "severity": "high", **r} for r in rules]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    (root / "governance.yaml").write_text(
        "apiVersion: governance/v1\nkind: Config\npolicies: [policy.yaml]\ncard: card.yaml\n"
        "output_dir: out\nformats: [json]\nrule_timeout: 60\n", encoding="utf-8")
    code = main(["check", "--config", str(root / "governance.yaml"), "--plugins", "--quiet"])
    report = json.loads((root / "out" / "report.json").read_text())
    return code, {f["rule_id"]: f["message"] for f in report["findings"]}


def test_the_worker_runs_the_next_isolated_rule_while_earlier_rules_run(
        tmp_path: Path, plugin: Path) -> None:
    code, messages = _check(tmp_path, [{"id": "A", "kind": "waits_for_isolated"},
                                       {"id": "B", "kind": "marks_start"}])
    assert messages == {"A": "saw the isolated rule running", "B": "isolated done"}
    assert code == 0
    assert int((plugin / "isolated-started").read_text()) != os.getpid()  # in the worker


def test_a_worker_busy_with_an_uncollected_request_is_killed_on_close(
        tmp_path: Path, plugin: Path) -> None:
    from governance.card.loader import load_card

    root = make_project(tmp_path / "p")

    card = load_card(root / "card.yaml", "card.yaml")
    worker = Worker(WorkerSpec(root=root, card_file=root / "card.yaml", card_display="card.yaml",
                               card_sha256=card.sha256, plugins=True))
    worker.submit({"rule": {"id": "S", "title": "t", "kind": "sleeper", "severity": "high"},
                   "kind": "sleeper", "params": {}, "now": "2026-01-01T00:00:00+00:00",
                   "seed": 0, "engine": "auto", "dask_scheduler": None, "root": str(root),
                   "card": [str(root / "card.yaml"), "card.yaml", card.sha256],
                   "baseline": None, "plugins": True})
    deadline = time.monotonic() + 60
    while not (plugin / "sleeper-pid").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    pid = int((plugin / "sleeper-pid").read_text())
    start = time.monotonic()
    worker.close()
    assert time.monotonic() - start < 3  # not the 5 s grace of an idle worker, nor 60 s
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
