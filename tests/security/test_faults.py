"""Item 6: faults. Interrupted writes leave the old report intact and no partial file; rules that
crash, hang, exit or return garbage become ``error`` findings while the others still run; an
output folder that cannot be written is exit 2.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import math
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from governance.report import IntervalEvidence
from governance.rules import registry
from governance.rules.base import Outcome, Params, RuleContext, RuleKind

OLD = b'{"old": "report"}\n'


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture()
def old_report(project) -> Path:  # type: ignore[no-untyped-def]
    project.out.mkdir()
    path = project.out / "report.json"
    path.write_bytes(OLD)
    return path


@pytest.mark.parametrize(("target", "exc", "code", "message"), [
    ("replace", OSError(errno.ENOSPC, "No space left on device"), 2,
     "error: {path}: cannot write file: No space left on device\n"),
    ("fsync", OSError(errno.EIO, "Input/output error"), 2,
     "error: {path}: cannot write file: Input/output error\n"),
    ("fsync", KeyboardInterrupt(), 3, "error: interrupted\n"),
    ("chmod", MemoryError(), 3, None),
])
def test_interrupted_write_keeps_the_old_report(project, cli, old_report: Path,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch, target: str,
                                                exc: BaseException, code: int,
                                                message: str | None,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[bytes] = []

    def boom(*args: Any, **kwargs: Any) -> None:
        if target == "replace":  # the new file was complete in its temporary name
            seen.append(Path(args[0]).read_bytes())
        raise exc

    monkeypatch.setattr(os, target, boom)
    if message is None:  # an unexpected exception: internal error, still nothing half-written
        from governance.cli import main

        assert main(["check", "--config", "governance.yaml", "--quiet"]) == 3
        assert capsys.readouterr().err.startswith("internal error: MemoryError")
    else:
        r = cli("check", "--config", "governance.yaml", "--quiet")
        assert (r.code, r.err) == (code, message.format(path=project.out / "report.json"))
    monkeypatch.undo()
    assert old_report.read_bytes() == OLD
    assert _leftovers(project.out) == []
    if target == "replace":
        assert json.loads(seen[0])["summary"]["status"] == "pass"


@pytest.mark.parametrize(("out", "reason"), [
    # Tests run as root, where chmod 0o500 does not stop writes: use paths that no user can
    # create instead (a folder "inside" a regular file, or a regular file as the folder).
    ("policy.yaml/reports", "Not a directory"),
    ("policy.yaml", "File exists"),
    ("/proc/version/reports", "Not a directory"),
])
def test_unwritable_output_dir_is_exit_2(project, cli, out: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    before = project.policy.read_bytes()
    r = cli("check", "--config", "governance.yaml", "--output-dir", out, "--quiet")
    folder = Path(out)
    # The first write is the output-folder lock (issue 12 item 10), so the folder is named.
    assert (r.code, r.err) == (2, f"error: {folder}: cannot write to {folder}: {reason}\n")
    assert project.policy.read_bytes() == before


# ---- rules that misbehave -----------------------------------------------------------------

class NoParams(Params):
    pass


RELEASE = threading.Event()


def _hang(ctx: RuleContext, p: NoParams) -> Outcome:
    RELEASE.wait(30)
    return Outcome.passed("too late")


def _crash(ctx: RuleContext, p: NoParams) -> Outcome:
    raise ZeroDivisionError("division by zero")


def _exit(ctx: RuleContext, p: NoParams) -> Outcome:
    raise SystemExit(0)  # must not end the run, nor pass the gate


def _interrupt(ctx: RuleContext, p: NoParams) -> Outcome:
    raise KeyboardInterrupt


def _none(ctx: RuleContext, p: NoParams) -> Outcome:
    return None  # type: ignore[return-value]


def _nan(ctx: RuleContext, p: NoParams) -> Outcome:
    return Outcome.passed("nan", observed=math.nan, expected={"min": -math.inf},
                          evidence=(IntervalEvidence(title="t", metric="m", value=math.nan,
                                                     ci_lower=-math.inf),))


def _line(fn: Any) -> int:
    """The line of the ``raise`` (the first statement of the function body)."""
    return int(fn.__code__.co_firstlineno) + 1


MISBEHAVING = {"sec_hang": _hang, "sec_crash": _crash, "sec_exit": _exit,
               "sec_interrupt": _interrupt, "sec_none": _none, "sec_nan": _nan}


@pytest.fixture()
def misbehaving_kinds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    kinds = dict(registry.all_kinds())
    for name, fn in MISBEHAVING.items():
        kinds[name] = RuleKind(name=name, family="test", summary=name, params=NoParams,
                               evaluate=fn)
    monkeypatch.setattr(registry, "all_kinds", lambda: kinds)
    RELEASE.clear()
    try:
        yield
    finally:
        RELEASE.set()  # let the abandoned daemon thread finish


def test_crashing_and_hanging_rules_become_errors(project, cli, misbehaving_kinds: None) -> None:  # type: ignore[no-untyped-def]
    rules = "".join(
        f"  - id: X-{name}\n    title: {name}\n    kind: {name}\n    severity: high\n"
        for name in MISBEHAVING)
    project.edit(project.policy, "waivers:\n", rules + "waivers:\n")
    project.edit(project.config, "rule_timeout: 5", "rule_timeout: 0.5")
    start = time.monotonic()
    r = cli("check", "--config", "governance.yaml", "--quiet")
    assert time.monotonic() - start < 10
    assert r.code == 1
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    by_id = {f["rule_id"]: f for f in report["findings"]}
    assert {k: (f["status"], f["message"]) for k, f in by_id.items() if k != "X-sec_nan"} == {
        "INT-001": ("pass", "all 1 artifacts present and matching their sha256"),
        "X-sec_hang": ("error", "rule did not finish within 0.5 s (timeout); insufficient "
                                "evidence"),
        "X-sec_crash": ("error", "rule crashed: ZeroDivisionError: division by zero at "
                                 f"_crash:{_line(_crash)}"),
        "X-sec_exit": ("error", f"rule crashed: SystemExit: 0 at _exit:{_line(_exit)}"),
        "X-sec_interrupt": ("error",
                            f"rule crashed: KeyboardInterrupt at _interrupt:{_line(_interrupt)}"),
        "X-sec_none": ("error", "rule returned no outcome"),
    }
    nan = by_id["X-sec_nan"]
    assert (nan["observed"], nan["expected"]) == (None, {"min": None})
    assert nan["evidence"][0]["value"] is None and nan["evidence"][0]["ci_lower"] is None
    assert nan["notes"] == ["non-finite values (NaN/inf) in the rule's result are shown as null"]
    assert report["summary"]["status"] == "fail"


def test_rule_timeout_comes_from_the_config(project, cli, misbehaving_kinds: None) -> None:  # type: ignore[no-untyped-def]
    project.edit(project.policy, "waivers:\n",
                 "  - id: H\n    title: h\n    kind: sec_hang\n    severity: low\nwaivers:\n")
    project.edit(project.config, "rule_timeout: 5", "rule_timeout: 0.2")
    start = time.monotonic()
    assert cli("check", "--config", "governance.yaml", "--quiet").code == 1
    assert time.monotonic() - start < 5
    report = json.loads((project.out / "report.json").read_text(encoding="utf-8"))
    hang = next(f for f in report["findings"] if f["rule_id"] == "H")
    assert hang["message"] == "rule did not finish within 0.2 s (timeout); insufficient evidence"


def test_kinds_are_restored() -> None:
    assert not set(MISBEHAVING) & set(registry.all_kinds())
    assert dataclasses.is_dataclass(Outcome)


def test_several_formats_are_replaced_all_or_none(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while writing the second format leaves every earlier report file intact."""
    from governance.errors import InputError
    from governance.fileio import atomic_write_many

    a, b = tmp_path / "report.json", tmp_path / "report.html"
    a.write_bytes(b"old json")
    b.write_bytes(b"old html")
    real_fsync = os.fsync
    calls = {"n": 0}

    def flaky_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", flaky_fsync)
    with pytest.raises(InputError, match="No space left on device"):
        atomic_write_many({a: b"new json", b: b"new html"})
    assert a.read_bytes() == b"old json"
    assert b.read_bytes() == b"old html"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.json"]
