"""Rules evaluated in a worker process that can be killed (issue 13 item 4).

A thread cannot be stopped: a rule stuck in a backtracking user regex keeps the interpreter
busy after its timeout. Rule kinds marked ``isolated`` (those that run patterns from a policy,
and every kind when the operator asks for ``--isolate-rules``) are evaluated in a separate
process, ``python -m governance.worker``, started once per check and reused. The parent writes
one JSON request per line on the worker's stdin (the rule, its parameters, the card and
baseline files and their digests, the run's seed and clock) and reads one JSON line back: the
outcome and the inputs the rule read. Nothing is pickled in either direction. A rule that
overruns its time limit gets its worker killed (SIGKILL) and contributes nothing: no outcome
but the timeout error, no inputs; the next isolated rule starts a new worker.

The worker re-reads the card and refuses to run if its sha256 differs from the one the parent
read; it reads artifacts through its own :class:`ArtifactStore` under the same root.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

#: Largest response line accepted from a worker.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
#: How long a new worker may take to start (interpreter and library imports).
START_TIMEOUT = 120.0
READY = b'{"ready": true}'


@dataclass(frozen=True)
class WorkerSpec:
    """What a worker needs to rebuild a rule's context (files are re-read and re-hashed)."""

    root: Path
    card_file: Path
    card_display: str
    card_sha256: str
    baseline_file: Path | None = None
    baseline_display: str | None = None
    baseline_sha256: str | None = None
    plugins: bool = False


#: ``python -P -c`` program: run MODULE as ``__main__`` with this package's folder appended to
#: ``sys.path`` (last: it never shadows the standard library or installed packages).
_CHILD = ("import runpy, sys; root, module = sys.argv[1:3]; del sys.argv[1:3]; "
          "sys.path.append(root); runpy.run_module(module, run_name='__main__', alter_sys=True)")


def python_child(module: str) -> list[str]:
    """Command line of ``python -m MODULE`` run by this process, but with ``-P``: the working
    folder (a project's files, possibly hostile) stays off ``sys.path``, so a ``pydantic.py``
    in the repository is never imported. This package's folder is appended to ``sys.path``
    instead, so the child finds the same ``governance`` as its parent even when the parent
    found it through its own working folder."""
    package_root = str(Path(__file__).resolve().parent.parent)
    return [sys.executable, "-P", "-c", _CHILD, package_root, module]


class WorkerError(Exception):
    """The worker died, timed out or answered something that is not a result."""


def outcome_to_json(outcome: Any) -> dict[str, Any]:
    return {
        "status": outcome.status.value, "message": outcome.message,
        "observed": outcome.observed, "expected": outcome.expected,
        "evidence": [b.model_dump(mode="json") for b in outcome.evidence],
        "locations": [loc.model_dump(mode="json") for loc in outcome.locations],
        "notes": list(outcome.notes), "subjects": list(outcome.subjects),
    }


def outcome_from_json(data: dict[str, Any]) -> Any:
    from pydantic import TypeAdapter

    from governance.report import EvidenceBlock, SourceLocation, Status
    from governance.rules.base import Outcome

    evidence = TypeAdapter(list[EvidenceBlock]).validate_python(data["evidence"])
    locations = [SourceLocation.model_validate(x) for x in data["locations"]]
    return Outcome(Status(data["status"]), str(data["message"]), observed=data["observed"],
                   expected=data["expected"], evidence=tuple(evidence),
                   locations=tuple(locations), notes=tuple(str(n) for n in data["notes"]),
                   subjects=tuple(str(s) for s in data["subjects"]))


class Worker:
    """One worker process, started on first use; killed on a timeout, closed at the end."""

    def __init__(self, spec: WorkerSpec) -> None:
        self.spec = spec
        self.proc: subprocess.Popen[bytes] | None = None
        self._ready = False
        self._pending = False  # a request was submitted and its answer not collected
        self._buf = bytearray()  # read from the worker past the last line taken

    def _spawn(self) -> None:
        self.proc = subprocess.Popen(
            python_child("governance.worker"), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, cwd=str(self.spec.root))
        self._ready = False
        self._buf = bytearray()

    def _await_ready(self) -> subprocess.Popen[bytes]:
        """The worker once it said it is ready (its start-up and imports do not count
        against a rule's time limit)."""
        assert self.proc is not None
        if not self._ready:
            assert self.proc.stdout is not None
            try:
                ready = _read_line(self.proc.stdout, time.monotonic() + START_TIMEOUT,
                                   self._buf)
            except WorkerError as exc:
                self.kill()
                raise WorkerError(f"the worker did not start: {exc}") from None
            if ready.strip() != READY:
                self.kill()
                raise WorkerError("the worker did not start")
            self._ready = True
        return self.proc

    def kill(self) -> None:
        proc, self.proc = self.proc, None
        self._pending = False
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()

    def close(self) -> None:
        """Let the worker exit (end of its input); one still working on a request whose
        answer is not wanted (the check stopped early) is killed."""
        if self._pending:
            self.kill()
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if proc.stdin is not None:
                proc.stdin.close()
            proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()

    def evaluate(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request; the response, or WorkerError (the worker is then killed)."""
        self.submit(request)
        return self.collect(timeout)

    def submit(self, request: dict[str, Any]) -> None:
        """Send one request without waiting for its answer: the worker works on it (once
        started) while this process goes on; :meth:`collect` takes the answer. One request
        at a time: the next is submitted after the answer is collected."""
        if self.proc is None or self.proc.poll() is not None:
            self._spawn()
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(request).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError as exc:
            self.kill()
            raise WorkerError(str(exc) or type(exc).__name__) from None
        self._pending = True

    def collect(self, timeout: float) -> dict[str, Any]:
        """The answer to the request submitted, within ``timeout`` seconds from now (a
        worker still starting gets its start-up time first), or WorkerError (the worker is
        then killed)."""
        if self.proc is None:
            raise WorkerError("the worker exited without an answer")
        self._pending = False
        proc = self._await_ready()
        assert proc.stdout is not None
        try:
            line = _read_line(proc.stdout, time.monotonic() + timeout, self._buf)
        except (OSError, WorkerError) as exc:
            self.kill()
            raise WorkerError(str(exc) or type(exc).__name__) from None
        try:
            data: dict[str, Any] = json.loads(line)
        except ValueError:
            self.kill()
            raise WorkerError("the worker answered something that is not JSON") from None
        return data


def _read_line(stream: IO[bytes], deadline: float, buf: bytearray) -> bytes:
    """The next line from ``stream``; ``buf`` holds what was read past the previous line
    (the worker may have written its "ready" line and an answer by the time either is read)
    and keeps what is read past this one."""
    fd = stream.fileno()
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while True:
            end = buf.find(b"\n")
            if end >= MAX_RESPONSE_BYTES or (end < 0 and len(buf) > MAX_RESPONSE_BYTES):
                raise WorkerError("the worker's answer is too large")
            if end >= 0:
                line = bytes(buf[:end + 1])
                del buf[:end + 1]
                return line
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise WorkerError("timeout")
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise WorkerError("the worker exited without an answer")
            buf += chunk


def request_for(rr: Any, ctx: Any, spec: WorkerSpec) -> dict[str, Any]:
    return {
        "rule": rr.rule.model_dump(mode="json"), "kind": rr.kind.name,
        "params": rr.params.model_dump(mode="json"),
        "now": ctx.now.isoformat(), "seed": ctx.seed,
        "engine": ctx.engine, "dask_scheduler": ctx.dask_scheduler,
        "root": str(spec.root), "card": [str(spec.card_file), spec.card_display,
                                          spec.card_sha256],
        "baseline": None if spec.baseline_file is None else [
            str(spec.baseline_file), spec.baseline_display, spec.baseline_sha256],
        "plugins": spec.plugins,
    }


def _serve_one(req: dict[str, Any]) -> dict[str, Any]:
    from governance.baseline import load_baseline
    from governance.card.loader import load_card
    from governance.evidence.store import ArtifactStore, digests_equal
    from governance.policy.model import Rule
    from governance.rules import registry
    from governance.rules.base import Outcome, RuleContext, evaluate_inline
    from governance.validation import strict_validate

    card_file, card_display, card_sha = req["card"]
    card = load_card(Path(card_file), card_display)
    if not digests_equal(card.sha256, card_sha):
        outcome = Outcome.error(f"{card_display} changed while the check was running")
        return {"outcome": outcome_to_json(outcome), "inputs": []}
    baseline = None
    if req["baseline"] is not None:
        b_file, b_display, b_sha = req["baseline"]
        baseline = load_baseline(Path(b_file), b_display)
        if not digests_equal(baseline.sha256, b_sha):
            outcome = Outcome.error(f"{b_display} changed while the check was running")
            return {"outcome": outcome_to_json(outcome), "inputs": []}
    with registry.plugins_enabled(bool(req["plugins"])):
        kind = registry.get_kind(req["kind"])
    if kind is None:
        raise WorkerError(f"unknown rule kind {req['kind']!r}")
    params = strict_validate(kind.params, req["params"])
    rule = Rule.model_validate(req["rule"])
    store = ArtifactStore(Path(req["root"]))
    ctx = RuleContext(rule=rule, card=card, store=store,
                      now=datetime.fromisoformat(req["now"]), baseline=baseline,
                      seed=int(req["seed"]), engine=str(req["engine"]),
                      dask_scheduler=req["dask_scheduler"])
    try:
        outcome = evaluate_inline(kind, params, ctx)
    finally:
        store.close()
    return {"outcome": outcome_to_json(outcome),
            "inputs": [list(i) for i in store.inputs()], "engines": store.engines()}


def main() -> int:  # pragma: no cover - exercised through subprocesses
    import importlib

    # imported before "ready": start-up is not part of a rule's time limit
    for name in ("governance.engine", "governance.evidence.tables",
                 "governance.metrics.compute"):
        importlib.import_module(name)

    sys.stdout.write(READY.decode() + "\n")
    sys.stdout.flush()
    for line in sys.stdin.buffer:
        try:
            answer = _serve_one(json.loads(line))
        except Exception as exc:
            answer = {"failure": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    # Every answer is flushed: leave without interpreter teardown (pandas, SciPy loaded),
    # which the parent would otherwise wait for when it closes the worker.
    os._exit(main())
