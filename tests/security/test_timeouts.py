"""Rule timeouts actually stop the work (issue 13 item 4, issue 12 item 10): an isolated rule
(policy-supplied patterns, e.g. a backtracking regex) runs in a worker process that is killed;
a rule run in a thread is cut off from the store and the inputs it recorded are dropped."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from governance.cli import main
from governance.evidence.store import ArtifactStore, RuleCancelled, RuleScope
from governance.rules import registry
from governance.rules.base import Outcome, Params, RuleContext, RuleKind
from tests.security.conftest import install_rule_plugin

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "perf"))
from test_engines import make_project  # noqa: E402

PLUGIN = '''
import os, re
from pathlib import Path
from governance.rules.base import Outcome, Params, RuleKind
class P(Params):
    pass
def evaluate(ctx, params):
    Path(os.environ["GOV_TEST_DIR"], "pid").write_text(str(os.getpid()))
    ctx.store.record_input("artifact:other", "early.csv", "0" * 64)
    re.match(r"^(a|aa)+$", "a" * 60 + "b")  # exponential backtracking: never returns
    Path(os.environ["GOV_TEST_DIR"], "after").write_text("still running")
    return Outcome.passed("finished")
def quick(ctx, params):
    return Outcome.passed("quick", evidence=())
KINDS = [RuleKind(name="regex_bomb", family="test", summary="s", params=P, evaluate=evaluate,
                  isolated=True),
         RuleKind(name="quick_isolated", family="test", summary="s", params=P, evaluate=quick,
                  isolated=True)]
'''


@pytest.fixture()
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    yield from install_rule_plugin(tmp_path, monkeypatch, "bombplugin", PLUGIN)


def test_a_backtracking_rule_is_killed_and_contributes_nothing(tmp_path: Path, plugin: Path
                                                               ) -> None:
    root = make_project(tmp_path / "p")
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"id": "BOMB", "title": "t", "kind": "regex_bomb", "severity": "high"},
                       {"id": "NEXT", "title": "t", "kind": "quick_isolated",
                        "severity": "high"}]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    (root / "governance.yaml").write_text(
        "apiVersion: governance/v1\nkind: Config\npolicies: [policy.yaml]\ncard: card.yaml\n"
        "output_dir: out\nformats: [json]\nrule_timeout: 1\n", encoding="utf-8")
    start = time.monotonic()
    code = main(["check", "--config", str(root / "governance.yaml"), "--plugins", "--quiet"])
    assert time.monotonic() - start < 20
    assert code == 1
    report = json.loads((root / "out" / "report.json").read_text())
    by_id = {f["rule_id"]: (f["status"], f["message"]) for f in report["findings"]}
    assert by_id == {
        "BOMB": ("error", "rule did not finish within 1 s (timeout; its worker process was "
                          "stopped); insufficient evidence"),
        "NEXT": ("pass", "quick")}  # a new worker after the killed one
    assert "early.csv" not in [i["path"] for i in report["inputs"]]
    pid = int((plugin / "pid").read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # the worker is gone (killed and reaped), not just abandoned
    time.sleep(0.5)
    assert not (plugin / "after").exists()


RELEASE = threading.Event()


class NoParams(Params):
    pass


def _records_then_hangs(ctx: RuleContext, params: NoParams) -> Outcome:
    ctx.store.record_input("artifact:other", "early.csv", "0" * 64)
    RELEASE.wait(10)
    ctx.store.record_input("artifact:other", "late.csv", "1" * 64)
    return Outcome.passed("late")


def test_a_timed_out_thread_records_no_inputs(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime

    from governance.api import CheckRequest, run_check

    kinds = dict(registry.all_kinds())
    kinds["records_then_hangs"] = RuleKind(name="records_then_hangs", family="test",
                                           summary="s", params=NoParams,
                                           evaluate=_records_then_hangs)
    monkeypatch.setattr(registry, "all_kinds", lambda: kinds)
    root = make_project(tmp_path)
    policy = yaml.safe_load((root / "policy.yaml").read_text())
    policy["rules"] = [{"id": "H", "title": "t", "kind": "records_then_hangs",
                        "severity": "high"}]
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    RELEASE.clear()
    try:
        report = run_check(CheckRequest(policies=[root / "policy.yaml"],
                                        card=root / "card.yaml", root=root,
                                        now=datetime(2026, 1, 1, tzinfo=UTC), report_id="r",
                                        rule_timeout=0.3)).report
    finally:
        RELEASE.set()
    (f,) = report.findings
    assert f.message == "rule did not finish within 0.3 s (timeout); insufficient evidence"
    assert [i.path for i in report.inputs if i.role == "artifact:other"] == []


def test_a_cancelled_scope_reads_nothing_and_records_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("x\n1\n")
    store = ArtifactStore(tmp_path)
    scope = RuleScope()
    seen: list[Any] = []

    def rule() -> None:
        store.enter_scope(scope)
        store.record_input("artifact:x", "a.csv", "0" * 64)
        store.cancel_scope(scope)  # what the engine does at the deadline
        store.record_input("artifact:x", "b.csv", "0" * 64)
        for call in (lambda: store.read_bytes("a.csv"),
                     lambda: store.cached(("t", "a"), lambda: 1)):
            try:
                call()
            except RuleCancelled as exc:
                seen.append(exc.message)

    t = threading.Thread(target=rule)
    t.start()
    t.join()
    store.commit_scope(scope)
    assert store.inputs() == []
    assert seen == ["the rule overran its time limit; it may read nothing more"] * 2
