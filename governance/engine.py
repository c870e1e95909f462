"""The rule engine: evaluate a resolved policy against a card and its evidence.

Pure: never prints, exits, or reads the environment or the clock; the caller passes ``now``,
the report id and the environment description. A rule that raises or overruns its time limit
becomes an ``error`` finding while the other rules still run.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from governance import __version__
from governance.baseline import Baseline
from governance.card.loader import LoadedCard
from governance.card.summary import card_summary
from governance.evidence.needs import PROVIDERS, StatNeed
from governance.evidence.store import ArtifactStore, RuleScope
from governance.extras import MissingExtraError, missing_extra_in_text
from governance.policy.loader import ResolvedPolicy, ResolvedRule, ResolvedWaiver
from governance.report import (
    Finding,
    InputFile,
    ModelRef,
    PolicyRef,
    Report,
    RunSettings,
    Severity,
    Status,
    Target,
    Tool,
    Waiver,
    WaiverNotice,
    sort_findings,
)
from governance.rules.base import Outcome, RuleContext, evaluate_inline
from governance.verdict import summarize
from governance.worker import Worker, WorkerSpec

DEFAULT_RULE_TIMEOUT = 300.0
TOOL_NAME = "governance-checker"

__all__ = ["EngineOptions", "evaluate", "summarize"]


@dataclass(frozen=True)
class EngineOptions:
    fail_on: Severity = Severity.INFO
    rule_timeout: float = DEFAULT_RULE_TIMEOUT
    waiver_warn_days: int = 14
    seed: int = 0
    target: Target = field(default_factory=Target)
    environment: dict[str, str] = field(default_factory=dict)
    # Waivers refused before evaluation (governance.signed_waivers): reported, never applied.
    waiver_notices: tuple[WaiverNotice, ...] = ()
    run: RunSettings | None = None  # recorded in the report for `verify --reproduce`
    # Called after each rule with (done, total, rule_id): progress display, never output.
    on_rule_done: Callable[[int, int, str], None] | None = None
    # Called before each rule with (index, total, rule_id): the rule in progress, likewise.
    on_rule_start: Callable[[int, int, str], None] | None = None
    # Operator settings (never from a policy, card or governance.yaml): the statistics
    # engine (auto | memory | streaming | dask) and a Dask scheduler address.
    engine: str = "auto"
    dask_scheduler: str | None = None
    # How to re-create a rule's context in a worker process (None: isolated kinds run in
    # a thread too), and whether every rule runs there (operator: --isolate-rules).
    worker: WorkerSpec | None = None
    isolate_all: bool = False


def _timeout_outcome(timeout: float, stopped: bool) -> Outcome:
    how = "; its worker process was stopped" if stopped else ""
    return Outcome.error(f"rule did not finish within {timeout:g} s (timeout{how}); "
                         "insufficient evidence")


def _run_rule(rr: ResolvedRule, ctx: RuleContext, timeout: float) -> Outcome:
    """Run a rule in a thread. The inputs it records are held in a scope and committed only
    if it finishes in time; after a timeout the scope is cancelled: the rule's later reads
    fail and its later inputs are dropped, so it contributes nothing (a thread cannot be
    killed: kinds that may not stop by themselves run in a worker process instead)."""
    result: list[Outcome] = []
    scope = RuleScope()
    failure: list[MissingExtraError] = []

    def target() -> None:
        ctx.store.enter_scope(scope)
        try:
            result.append(evaluate_inline(rr.kind, rr.params, ctx))
        except MissingExtraError as exc:
            failure.append(exc)

    thread = threading.Thread(target=target, name=f"rule-{rr.rule.id}", daemon=True)
    thread.start()
    thread.join(timeout)
    if failure:  # an optional dependency group is not installed: exit 2
        ctx.store.cancel_scope(scope)
        raise failure[0]
    if thread.is_alive() or not result:
        ctx.store.cancel_scope(scope)
        return _timeout_outcome(timeout, False)
    ctx.store.commit_scope(scope)
    return result[0]


def _run_isolated(rr: ResolvedRule, ctx: RuleContext, timeout: float,
                  worker: Worker, submitted: bool = False) -> Outcome:
    """Run a rule in the worker process (``submitted``: its request was sent ahead, the
    worker may be done already); on a timeout the process is killed."""
    from governance.worker import WorkerError, outcome_from_json, request_for

    try:
        if submitted:
            answer = worker.collect(timeout)
        else:
            answer = worker.evaluate(request_for(rr, ctx, worker.spec), timeout)
    except WorkerError as exc:
        if str(exc) == "timeout":
            return _timeout_outcome(timeout, True)
        from governance.extras import require

        require("evidence", f"rule {rr.rule.id} ({rr.kind.name})")  # the worker imports it
        return Outcome.error(f"rule crashed: its worker process failed: {exc}")
    if "failure" in answer:
        missing = missing_extra_in_text(str(answer["failure"]),
                                        f"rule {rr.rule.id} ({rr.kind.name})")
        if missing is not None:
            raise missing
        return Outcome.error(f"rule crashed: {answer['failure']}")
    for role, path, sha256 in answer["inputs"]:
        ctx.store.record_input(str(role), str(path), str(sha256))
    for path, used in answer.get("engines", {}).items():
        for engine in str(used).split("+"):
            ctx.store.note_engine(str(path), engine)
    return cast(Outcome, outcome_from_json(answer["outcome"]))


class _Ahead:
    """The next rule the worker process runs, sent before its turn so that the worker works
    on it while this process evaluates the rules before it (one request in flight)."""

    def __init__(self, worker: Worker | None, queue: list[tuple[ResolvedRule, RuleContext]]
                 ) -> None:
        self.worker = worker
        self.queue = queue
        self.sent: ResolvedRule | None = None
        self.send_next()

    def send_next(self) -> None:
        from governance.worker import WorkerError, request_for

        if self.worker is None or not self.queue or self.sent is not None:
            return
        rr, ctx = self.queue.pop(0)
        try:
            self.worker.submit(request_for(rr, ctx, self.worker.spec))
        except WorkerError:
            return  # the rule is run at its turn, with a new worker
        self.sent = rr

    def run(self, rr: ResolvedRule, ctx: RuleContext, timeout: float) -> Outcome:
        """The rule's outcome: its answer if it was sent ahead, else it is run now."""
        assert self.worker is not None
        submitted = self.sent is rr
        self.sent = None  # rules come in policy order: nothing else can be in flight
        try:
            return _run_isolated(rr, ctx, timeout, self.worker, submitted)
        finally:
            self.send_next()


def _collect_needs(policy: ResolvedPolicy, make_ctx: Callable[[ResolvedRule], RuleContext],
                   in_worker: Callable[[ResolvedRule], bool]) -> dict[str, list[StatNeed]]:
    """Every rule's declared statistics, by provider (rules run in a worker read through their
    own store and are left out). A rule whose ``needs`` raises declares nothing: it reports
    its own error when it runs."""
    by_provider: dict[str, list[StatNeed]] = {}
    for rr in policy.rules:
        if rr.kind.needs is None or in_worker(rr):
            continue
        try:
            needs = list(rr.kind.needs(make_ctx(rr), rr.params))
        except Exception:  # noqa: S112 - declaring is an optimisation; evaluate reports
            continue
        for need in needs:
            if need.provider in PROVIDERS:
                by_provider.setdefault(need.provider, []).append(need)
    return by_provider


def _prefetch(by_provider: dict[str, list[StatNeed]], ctx: RuleContext, timeout: float) -> None:
    """Compute the declared statistics, one provider (one pass per artifact) at a time, in a
    thread bounded by ``timeout``. Nothing it does is recorded as a report input (its scope is
    always cancelled); on an overrun the scope's cancellation stops its further reads. Any
    failure is dropped: each rule then computes, or reports, its statistics itself."""
    if not by_provider:
        return
    scope = RuleScope()

    def target() -> None:
        ctx.store.enter_scope(scope)
        for provider, needs in sorted(by_provider.items()):
            try:
                module = importlib.import_module(PROVIDERS[provider])
                module.prefetch(ctx, list(dict.fromkeys(needs)))
            except Exception:  # noqa: S112 - the rules report their own errors
                continue

    thread = threading.Thread(target=target, name="prefetch", daemon=True)
    thread.start()
    thread.join(timeout)
    ctx.store.cancel_scope(scope)


def _finite(value: Any) -> tuple[Any, bool]:
    """``value`` with every NaN/inf float replaced by None; and whether any was replaced."""
    if isinstance(value, float) and not math.isfinite(value):
        return None, True
    if isinstance(value, dict):
        pairs = [(k, _finite(v)) for k, v in value.items()]
        return {k: v for k, (v, _) in pairs}, any(c for _, (_, c) in pairs)
    if isinstance(value, list | tuple):
        items = [_finite(v) for v in value]
        return [v for v, _ in items], any(c for _, c in items)
    return value, False


def _finite_outcome(outcome: Outcome) -> Outcome:
    """Reports must be finite JSON: a rule's NaN/inf values become null (with a note)."""
    observed, c1 = _finite(outcome.observed)
    expected, c2 = _finite(outcome.expected)
    evidence: list[Any] = []
    c3 = False
    for block in outcome.evidence:
        data, changed = _finite(block.model_dump())
        evidence.append(type(block).model_validate(data) if changed else block)
        c3 = c3 or changed
    if not (c1 or c2 or c3):
        return outcome
    return dataclasses.replace(
        outcome, observed=observed, expected=expected, evidence=tuple(evidence),
        notes=(*outcome.notes, "non-finite values (NaN/inf) in the rule's result are shown "
               "as null"))


def _scope_matches(rw: ResolvedWaiver, card: LoadedCard) -> bool:
    scope = rw.waiver.scope
    model = card.card.model
    if scope.model is not None and scope.model != model.name:
        return False
    return not (scope.version is not None and scope.version != model.version)


@dataclass
class _WaiverState:
    used: set[int] = field(default_factory=set)
    notices: list[WaiverNotice] = field(default_factory=list)


def _waiver_label(w: Waiver) -> str:
    extra = [f"expires {w.expires.isoformat()}"]
    if w.ticket:
        extra.append(f"ticket {w.ticket}")
    extra += [f"{k} {v}" for k, v in (("model", w.scope.model), ("version", w.scope.version),
                                       ("group", w.scope.group)) if v is not None]
    return f"{w.approved_by} ({', '.join(extra)})"


def _apply_waivers(finding: Finding, outcome: Outcome, waivers: Sequence[ResolvedWaiver],
                   card: LoadedCard, now: datetime, state: _WaiverState) -> Finding:
    if finding.status not in (Status.FAIL, Status.ERROR):
        return finding
    today = now.date()
    candidates = [(i, rw) for i, rw in enumerate(waivers)
                  if rw.waiver.rule_id == finding.rule_id and _scope_matches(rw, card)]
    if not candidates:
        return finding
    active = [(i, rw) for i, rw in candidates if rw.waiver.expires >= today]
    expired = [(i, rw) for i, rw in candidates if rw.waiver.expires < today]
    notes = list(finding.notes)
    for i, rw in expired:
        state.used.add(i)
        notes.append(f"waiver approved by {rw.waiver.approved_by} expired on "
                     f"{rw.waiver.expires.isoformat()}")
    if finding.status is Status.ERROR:
        # A waiver accepts a failure, never missing or insufficient evidence (issue 12).
        for i, rw in active:
            state.used.add(i)
            notes.append(f"waiver approved by {_waiver_label(rw.waiver)} does not apply: a "
                         "waiver accepts a failure, not missing or insufficient evidence "
                         "(error)")
        return finding.model_copy(update={"notes": notes})
    whole = [(i, rw) for i, rw in active if rw.waiver.scope.group is None]
    if whole:
        i, rw = whole[0]
        state.used.add(i)
        return finding.model_copy(update={"status": Status.WAIVED, "waiver": rw.waiver,
                                          "notes": notes})
    grouped = [(i, rw) for i, rw in active if rw.waiver.scope.group is not None]
    covered = {rw.waiver.scope.group for _, rw in grouped}
    if grouped and outcome.subjects and set(outcome.subjects) <= covered:
        for i, rw in grouped:
            if rw.waiver.scope.group in outcome.subjects:
                state.used.add(i)
        i, rw = next((i, rw) for i, rw in grouped if rw.waiver.scope.group in outcome.subjects)
        return finding.model_copy(update={"status": Status.WAIVED, "waiver": rw.waiver,
                                          "notes": notes})
    if grouped:
        uncovered = sorted(set(outcome.subjects) - covered)
        notes.append("group-scoped waivers do not cover: " + (", ".join(uncovered)
                                                               or "the whole finding"))
    return finding.model_copy(update={"notes": notes})


def _waiver_notices(waivers: Sequence[ResolvedWaiver], state: _WaiverState, now: datetime,
                    warn_days: int) -> list[WaiverNotice]:
    today = now.date()
    notices: list[WaiverNotice] = []
    for i, rw in enumerate(waivers):
        w = rw.waiver
        if w.expires < today:
            notices.append(WaiverNotice(waiver=w, state="expired", message=(
                f"waiver for {w.rule_id} expired on {w.expires.isoformat()}; renew or remove "
                f"it ({rw.location.path}:{rw.location.line})")))
        elif i not in state.used:
            notices.append(WaiverNotice(waiver=w, state="stale", message=(
                f"waiver for {w.rule_id} matched no failing finding; remove it "
                f"({rw.location.path}:{rw.location.line})")))
        elif w.expires <= today + timedelta(days=warn_days):
            days = (w.expires - today).days
            notices.append(WaiverNotice(waiver=w, state="expiring", message=(
                f"waiver for {w.rule_id} expires in {days} day(s) on "
                f"{w.expires.isoformat()}")))
    return notices


def _finding(rr: ResolvedRule, outcome: Outcome, policy: ResolvedPolicy, card: LoadedCard,
             now: datetime, state: _WaiverState) -> Finding:
    rule = rr.rule
    finding = Finding(
        rule_id=rule.id, title=rule.title, kind=rule.kind, family=rr.kind.family,
        severity=rule.severity, status=outcome.status, message=outcome.message,
        observed=outcome.observed, expected=outcome.expected,
        evidence=list(outcome.evidence), references=list(rule.references),
        remediation=rule.remediation,
        locations=[rr.location, *outcome.locations], notes=list(outcome.notes),
    )
    return _apply_waivers(finding, outcome, policy.waivers, card, now, state)


def evaluate(
    policy: ResolvedPolicy,
    card: LoadedCard,
    store: ArtifactStore,
    *,
    now: datetime,
    report_id: str,
    baseline: Baseline | None = None,
    options: EngineOptions | None = None,
    extras: dict[str, Any] | None = None,
) -> Report:
    opts = options or EngineOptions()
    findings: list[Finding] = []
    state = _WaiverState()
    total = len(policy.rules)
    worker = Worker(opts.worker) if opts.worker is not None else None

    def make_ctx(rr: ResolvedRule) -> RuleContext:
        return RuleContext(rule=rr.rule, card=card, store=store, now=now, baseline=baseline,
                           seed=opts.seed, extras=dict(extras or {}), engine=opts.engine,
                           dask_scheduler=opts.dask_scheduler)

    def in_worker(rr: ResolvedRule) -> bool:
        return worker is not None and (rr.kind.isolated or opts.isolate_all)

    contexts = [make_ctx(rr) for rr in policy.rules]
    # The worker starts now (its imports run on the other core while the first rules do) and
    # is sent the first rule it runs at once: it works on it while this process evaluates
    # the rules before it.
    ahead = _Ahead(worker, [(rr, c) for rr, c in zip(policy.rules, contexts, strict=True)
                            if in_worker(rr)])
    try:
        needs = _collect_needs(policy, make_ctx, in_worker)
        if needs:
            _prefetch(needs, make_ctx(policy.rules[0]), opts.rule_timeout)
        for done, (rr, ctx) in enumerate(zip(policy.rules, contexts, strict=True), start=1):
            if opts.on_rule_start is not None:
                opts.on_rule_start(done, total, rr.rule.id)
            if worker is not None and in_worker(rr):
                raw = ahead.run(rr, ctx, opts.rule_timeout)
            else:
                raw = _run_rule(rr, ctx, opts.rule_timeout)
            findings.append(_finding(rr, _finite_outcome(raw), policy, card, now, state))
            if opts.on_rule_done is not None:
                opts.on_rule_done(done, total, rr.rule.id)
    finally:
        if worker is not None:
            worker.close()
    notices = [*opts.waiver_notices,
               *_waiver_notices(policy.waivers, state, now, opts.waiver_warn_days)]
    findings = sort_findings(findings)
    inputs = [InputFile(role="policy", path=f.path, sha256=f.sha256) for f in policy.files]
    inputs.append(InputFile(role="card", path=card.path, sha256=card.sha256))
    if baseline is not None:
        inputs.append(InputFile(role="baseline", path=baseline.path, sha256=baseline.sha256))
    inputs.extend(InputFile(role=r, path=p, sha256=s) for r, p, s in store.inputs())
    seen: set[tuple[str, str]] = set()
    unique: list[InputFile] = []
    for i in inputs:
        if (i.role, i.path) not in seen:
            seen.add((i.role, i.path))
            unique.append(i)
    model = card.card.model
    return Report(
        report_id=report_id,
        generated_at=now,
        tool=Tool(name=TOOL_NAME, version=__version__),
        model=ModelRef(name=model.name, version=model.version),
        target=opts.target,
        inputs=unique,
        policy=PolicyRef(name=policy.name, version=policy.version, sha256=policy.sha256,
                         files=[f.path for f in policy.files]),
        summary=summarize(findings, notices, opts.fail_on),
        findings=findings,
        waivers=notices,
        environment=_environment(opts, store),
        run=opts.run,
        card=card_summary(card.card),
    )


def _environment(opts: EngineOptions, store: ArtifactStore) -> dict[str, str]:
    """The caller's environment description plus the engine setting and, per predictions
    artifact, the engine that computed its statistics."""
    env = dict(opts.environment)
    env["engine"] = opts.engine
    for path, used in store.engines().items():
        env[f"engine:{path}"] = used
    return dict(sorted(env.items()))
