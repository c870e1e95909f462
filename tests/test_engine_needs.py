"""The engine's pre-pass: rules declare statistics, one provider call per provider computes the
union before any rule runs (governance.evidence.needs). Declaring never changes a result."""

from __future__ import annotations

import sys
import threading
import time
import types
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from governance.evidence import needs as needs_mod
from governance.evidence.needs import StatNeed
from governance.report import Severity, Status
from governance.rules.base import Outcome, RuleContext, RuleKind
from tests.test_engine import NoParams, policy, run

CALLS: list[list[StatNeed]] = []
MODE: dict[str, Any] = {}


def _prefetch(ctx: Any, needs: Sequence[StatNeed]) -> None:
    CALLS.append(list(needs))
    ctx.store.record_input("artifact:predictions", "pre.csv", "0" * 64)  # must be dropped
    if MODE.get("raise"):
        raise RuntimeError("provider broke")
    if MODE.get("hang"):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.02)
            try:
                ctx.store.cached(("test-stat", "late"), lambda: 1)
            except Exception:  # the store refuses reads once the pre-pass overran
                MODE["stopped"] = True
                return
        return
    for n in needs:
        ctx.store.cached(("test-stat", str(n.spec)), lambda n=n: f"computed:{n.spec}")


@pytest.fixture(autouse=True)
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    mod = types.ModuleType("tests_fake_provider")
    mod.prefetch = _prefetch  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_fake_provider", mod)
    monkeypatch.setitem(needs_mod.PROVIDERS, "fake", "tests_fake_provider")
    CALLS.clear()
    MODE.clear()
    yield


def declares(*specs: str) -> Any:
    def needs(ctx: RuleContext, p: NoParams) -> list[StatNeed]:
        return [StatNeed("fake", "preds", s) for s in specs]
    return needs


def reads(spec: str) -> Any:
    def evaluate(ctx: RuleContext, p: NoParams) -> Outcome:
        seen: list[str] = []
        value = ctx.store.cached(("test-stat", spec), lambda: seen.append("own") or "own")
        return Outcome.passed(f"{value}", observed=len(seen))
    return evaluate


def k(name: str, spec: str, needs: Any) -> RuleKind[NoParams]:
    return RuleKind(name=name, family="test", summary=name, params=NoParams,
                    evaluate=reads(spec), needs=needs)


def test_one_provider_call_with_the_union_of_every_rules_needs(mini_project: Path) -> None:
    pol = policy([("A", Severity.HIGH, k("a", "x", declares("x", "y"))),
                  ("B", Severity.HIGH, k("b", "y", declares("y"))),
                  ("C", Severity.HIGH, k("c", "z", None))])
    report = run(mini_project, pol)
    assert len(CALLS) == 1
    assert [n.spec for n in CALLS[0]] == ["x", "y"]  # deduplicated, in rule order
    by_id = {f.rule_id: f for f in report.findings}
    assert by_id["A"].message == "computed:x" and by_id["A"].observed == 0
    assert by_id["B"].message == "computed:y" and by_id["B"].observed == 0
    assert by_id["C"].message == "own" and by_id["C"].observed == 1  # declared nothing
    # the pre-pass records no input: only rules record what they use
    assert all(i.path != "pre.csv" for i in report.inputs)


def test_a_failing_provider_or_declaration_changes_no_result(mini_project: Path) -> None:
    def broken(ctx: RuleContext, p: NoParams) -> list[StatNeed]:
        raise ValueError("bad params")

    MODE["raise"] = True
    pol = policy([("A", Severity.HIGH, k("a", "x", declares("x"))),
                  ("B", Severity.HIGH, k("b", "y", broken))])
    report = run(mini_project, pol)
    assert len(CALLS) == 1
    assert [(f.rule_id, f.status, f.message) for f in report.findings] == [
        ("A", Status.PASS, "own"), ("B", Status.PASS, "own")]


def test_an_overrunning_pre_pass_is_bounded_and_stopped(mini_project: Path) -> None:
    MODE["hang"] = True
    pol = policy([("A", Severity.HIGH, k("a", "x", declares("x")))])
    started = time.monotonic()
    report = run(mini_project, pol, rule_timeout=0.5)
    assert time.monotonic() - started < 3
    assert report.findings[0].message == "own"
    for _ in range(100):  # its thread notices the cancellation at its next store access
        if MODE.get("stopped"):
            break
        time.sleep(0.02)
    assert MODE.get("stopped") is True
    assert not [t for t in threading.enumerate() if t.name == "prefetch"]
