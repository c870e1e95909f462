"""The engine: crashing and hanging rules become error findings; verdict and fail-on."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

from governance.card.loader import load_card
from governance.engine import EngineOptions, evaluate
from governance.errors import EvidenceError
from governance.evidence.store import ArtifactStore
from governance.policy.loader import ResolvedPolicy, ResolvedRule, ResolvedWaiver
from governance.policy.model import Metadata, Policy, Rule
from governance.report import Scope, Severity, SourceLocation, Status, Waiver, canonical_json
from governance.rules.base import Outcome, Params, RuleContext, RuleKind

NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


class NoParams(Params):
    pass


def kind(name: str, fn: object) -> RuleKind[NoParams]:
    return RuleKind(name=name, family="test", summary=name, params=NoParams,
                    evaluate=fn)  # type: ignore[arg-type]


def crash(ctx: RuleContext, p: NoParams) -> Outcome:
    return {}["missing"]  # type: ignore[no-any-return]


def hang(ctx: RuleContext, p: NoParams) -> Outcome:
    time.sleep(5)
    return Outcome.passed("late")


def no_evidence(ctx: RuleContext, p: NoParams) -> Outcome:
    raise EvidenceError("predictions artifact has no column 'y_score'")


def fails(ctx: RuleContext, p: NoParams) -> Outcome:
    return Outcome.failed("bad", subjects=("female", "<25"))


def ok(ctx: RuleContext, p: NoParams) -> Outcome:
    return Outcome.passed("fine")


def policy(specs: list[tuple[str, Severity, RuleKind[NoParams]]],
           waivers: list[Waiver] = ()) -> ResolvedPolicy:  # type: ignore[assignment]
    loc = SourceLocation(role="policy", path="p.yaml", line=1)
    rules = tuple(
        ResolvedRule(Rule(id=rid, title=rid, kind=k.name, severity=sev), k, NoParams(), loc)
        for rid, sev, k in specs)
    src = Policy(apiVersion="governance/v1", kind="Policy",
                 metadata=Metadata(name="p", version="1"))
    return ResolvedPolicy(name="p", version="1", sha256="0" * 64, files=(), rules=rules,
                          waivers=tuple(ResolvedWaiver(w, loc) for w in waivers), source=src)


def run(mini_project: Path, pol: ResolvedPolicy, **opts: object):  # type: ignore[no-untyped-def]
    card = load_card(mini_project / "card.yaml", "card.yaml")
    return evaluate(pol, card, ArtifactStore(mini_project), now=NOW, report_id="r",
                    options=EngineOptions(**opts))  # type: ignore[arg-type]


def test_crash_and_timeout_become_errors_and_other_rules_still_run(mini_project: Path) -> None:
    pol = policy([("A", Severity.HIGH, kind("crash", crash)),
                  ("B", Severity.HIGH, kind("hang", hang)),
                  ("C", Severity.LOW, kind("ok", ok)),
                  ("D", Severity.MEDIUM, kind("noev", no_evidence))])
    start = time.monotonic()
    report = run(mini_project, pol, rule_timeout=0.5)
    assert time.monotonic() - start < 4
    by_id = {f.rule_id: f for f in report.findings}
    assert by_id["A"].status is Status.ERROR
    assert by_id["A"].message.startswith("rule crashed: KeyError: 'missing' at crash:")
    assert by_id["B"].status is Status.ERROR
    assert by_id["B"].message == ("rule did not finish within 0.5 s (timeout); insufficient "
                                  "evidence")
    assert by_id["C"].status is Status.PASS
    assert by_id["D"].message == "predictions artifact has no column 'y_score'"
    assert report.summary.status.value == "fail"
    assert [f.rule_id for f in report.findings] == ["A", "B", "D", "C"]  # severity, then id


def test_fail_on_threshold(mini_project: Path) -> None:
    pol = policy([("A", Severity.LOW, kind("fails", fails)), ("B", Severity.HIGH, kind("ok", ok))])
    assert run(mini_project, pol).summary.status.value == "fail"
    assert run(mini_project, pol, fail_on=Severity.LOW).summary.status.value == "fail"
    report = run(mini_project, pol, fail_on=Severity.MEDIUM)
    assert report.summary.status.value == "pass"
    assert report.summary.counts.by_status == {"pass": 1, "fail": 1, "error": 0, "skipped": 0,
                                               "waived": 0}


def test_waivers_expired_expiring_stale_and_group_scope(mini_project: Path) -> None:
    k = kind("fails", fails)
    w_expired = Waiver(rule_id="A", reason="r", approved_by="x", expires=date(2026, 11, 1))
    pol = policy([("A", Severity.HIGH, k)], [w_expired])
    report = run(mini_project, pol)
    assert report.findings[0].status is Status.FAIL
    assert report.findings[0].notes == ["waiver approved by x expired on 2026-11-01"]
    assert report.summary.status.value == "fail"
    assert [n.state for n in report.waivers] == ["expired"]

    soon = Waiver(rule_id="A", reason="r", approved_by="x", expires=date(2026, 12, 1))
    report = run(mini_project, policy([("A", Severity.HIGH, k)], [soon]))
    assert report.findings[0].status is Status.WAIVED
    assert report.summary.status.value == "pass"
    assert [(n.state, n.message) for n in report.waivers] == [
        ("expiring", "waiver for A expires in 5 day(s) on 2026-12-01")]

    stale = Waiver(rule_id="B", reason="r", approved_by="x", expires=date(2027, 6, 1))
    report = run(mini_project, policy([("A", Severity.HIGH, k), ("B", Severity.LOW,
                                                                 kind("ok", ok))], [stale]))
    assert [n.state for n in report.waivers] == ["stale"]

    one_group = Waiver(rule_id="A", reason="r", approved_by="x", expires=date(2027, 6, 1),
                       scope=Scope(group="female"))
    report = run(mini_project, policy([("A", Severity.HIGH, k)], [one_group]))
    assert report.findings[0].status is Status.FAIL
    assert report.findings[0].notes == ["group-scoped waivers do not cover: <25"]
    both = [one_group, one_group.model_copy(update={"scope": Scope(group="<25")})]
    report = run(mini_project, policy([("A", Severity.HIGH, k)], both))
    assert report.findings[0].status is Status.WAIVED

    other_model = Waiver(rule_id="A", reason="r", approved_by="x", expires=date(2027, 6, 1),
                         scope=Scope(model="another"))
    report = run(mini_project, policy([("A", Severity.HIGH, k)], [other_model]))
    assert report.findings[0].status is Status.FAIL


def test_same_inputs_same_report(mini_project: Path) -> None:
    pol = policy([("A", Severity.LOW, kind("fails", fails)), ("B", Severity.HIGH, kind("ok", ok))])
    assert canonical_json(run(mini_project, pol)) == canonical_json(run(mini_project, pol))


def errors_with_subjects(ctx: RuleContext, p: NoParams) -> Outcome:
    return Outcome.error("group female has 3 rows, fewer than 30: insufficient evidence",
                         subjects=("female",))


def test_a_waiver_never_turns_an_error_into_waived(mini_project: Path) -> None:
    """Issue 12 item 1: a waiver accepts a failure only; missing evidence stays an error."""
    w = Waiver(rule_id="D", reason="known gap", approved_by="cro@example.com",
               expires=date(2027, 6, 1), ticket="RISK-7")
    report = run(mini_project, policy([("D", Severity.MEDIUM, kind("noev", no_evidence))], [w]))
    (f,) = report.findings
    assert f.status is Status.ERROR and f.waiver is None
    assert f.notes == [
        "waiver approved by cro@example.com (expires 2027-06-01, ticket RISK-7) does not "
        "apply: a waiver accepts a failure, not missing or insufficient evidence (error)"]
    assert report.summary.status.value == "fail"
    assert report.summary.counts.by_status["waived"] == 0
    assert report.summary.counts.by_status["error"] == 1
    # The waiver matched the rule: it is not reported as stale ("matched nothing").
    assert [n.state for n in report.waivers] == []

    grouped = Waiver(rule_id="E", reason="small group", approved_by="x",
                     expires=date(2027, 6, 1), scope=Scope(group="female"))
    report = run(mini_project, policy([("E", Severity.HIGH,
                                        kind("small", errors_with_subjects))], [grouped]))
    (f,) = report.findings
    assert f.status is Status.ERROR and f.waiver is None
    assert f.notes == [
        "waiver approved by x (expires 2027-06-01, group female) does not apply: a waiver "
        "accepts a failure, not missing or insufficient evidence (error)"]
    assert report.summary.status.value == "fail"
