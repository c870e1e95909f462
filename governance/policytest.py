"""Policy unit tests (``governance policy test``), as a library.

A test file (``*.test.yaml`` or ``policy-tests.yaml``) names a policy and fixture cards with
the status expected per rule id (optionally with the observed value and a piece of the
message) and/or the expected verdict. :func:`load_test_file` validates a file,
:func:`run_test_file` runs its cases through :func:`governance.api.run_check`;
:func:`run_request` and :func:`compare` are the pieces other harnesses reuse (the rule-kind
cases of ``tests/cases/``). Nothing here prints.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, JsonValue, Tag

from governance.errors import InputError
from governance.report import Report, Severity, Status, Verdict

if TYPE_CHECKING:
    from governance.api import CheckRequest

TEST_PATTERNS = ("*.test.yaml", "*.test.yml", "policy-tests.yaml", "policy-tests.yml")


def run_request(req: CheckRequest) -> tuple[Report | None, str]:
    """The report of one check, or ``(None, "could not run: ...")`` on an input error."""
    from governance.api import run_check
    from governance.errors import GovernanceError

    try:
        return run_check(req).report, ""
    except GovernanceError as exc:
        return None, f"could not run: {exc}"


def _same(want: Any, got: Any) -> bool:
    """JSON values equal; numbers to a relative 1e-9 (NaN equals NaN)."""
    if isinstance(want, bool) or isinstance(got, bool):
        return want is got or (want == got and type(want) is type(got))
    if isinstance(want, int | float) and isinstance(got, int | float):
        if math.isnan(want) or math.isnan(got):
            return math.isnan(want) and math.isnan(got)
        return math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(want, dict) and isinstance(got, dict):
        return want.keys() == got.keys() and all(_same(v, got[k]) for k, v in want.items())
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(_same(a, b) for a, b in zip(want, got, strict=True))
    return bool(want == got)


def compare(report: Report, rules: dict[str, Any], verdict: Verdict | None) -> list[str]:
    """What differs between ``report`` and the expectations: per rule id a :class:`Status`
    or an object with ``status``, optional ``observed`` and ``message`` (a substring)."""
    import json

    by_id = {f.rule_id: f for f in report.findings}
    problems: list[str] = []
    for rule_id, want in rules.items():
        status: Status = getattr(want, "status", want)
        got = by_id.get(rule_id)
        if got is None:
            problems.append(f"{rule_id}: expected {status.value}, but the policy has no "
                            "such (enabled) rule")
            continue
        if got.status != status:
            problems.append(f"{rule_id}: expected {status.value}, got {got.status.value} "
                            f"({got.message})")
        observed = getattr(want, "observed", None)
        if observed is not None and not _same(observed, got.observed):
            problems.append(f"{rule_id}: expected observed {json.dumps(observed)}, got "
                            f"{json.dumps(got.observed)}")
        message = getattr(want, "message", None)
        if message is not None and message not in got.message:
            problems.append(f"{rule_id}: expected a message with {message!r}, got "
                            f"{got.message!r}")
    if verdict is not None and report.summary.status != verdict:
        problems.append(f"verdict: expected {verdict.value}, got {report.summary.status.value}")
    return problems


class Base(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

class RuleExpect(Base):
    status: Status
    observed: JsonValue = None
    message: str | None = None

def _want_tag(value: Any) -> str:
    return "expect" if isinstance(value, dict | RuleExpect) else "status"


_RuleWant = Annotated[Annotated[Status, Tag("status")] | Annotated[RuleExpect, Tag("expect")],
                      Discriminator(_want_tag)]


class Expect(Base):
    verdict: Verdict | None = None
    # A status, or a status with key values: observed (numbers to 1e-9) and a piece of
    # the message.
    rules: dict[str, _RuleWant] = Field(default_factory=dict)

class Case(Base):
    name: str = Field(min_length=1)
    card: str = Field(min_length=1)
    baseline: str | None = None
    as_of: date | None = None
    expect: Expect

class TestFile(Base):
    apiVersion: str = Field(pattern=r"^governance/v1$")
    kind: str = Field(pattern=r"^PolicyTest$")
    policy: str | list[str]
    root: str | None = None
    fail_on: Severity = Severity.INFO
    as_of: date | None = None
    cases: list[Case] = Field(min_length=1)


def _models() -> Any:
    return TestFile


class Suite:
    def __init__(self, path: Path, model: Any, doc: Any, policies: list[Path],
                 names: list[str]) -> None:
        self.path = path
        self.model = model
        self.doc = doc
        self.policies = policies
        self.policy_names = names


class CaseResult:
    def __init__(self, name: str, problems: list[str]) -> None:
        self.name = name
        self.problems = problems
        self.ok = not problems


def load_test_file(path: Path) -> Suite:
    from governance.errors import PolicyError
    from governance.policy.loader import packs_dir, shipped_packs
    from governance.validation import validate_doc
    from governance.yamlio import dotted, load_yaml_file

    doc = load_yaml_file(path, str(path))
    if not isinstance(doc.data, dict):
        raise PolicyError("a policy test file must be a mapping", path=str(path), line=1,
                          col=1)
    model = validate_doc(_models(), doc.data, doc, error_type=PolicyError)
    refs = [model.policy] if isinstance(model.policy, str) else list(model.policy)
    policies: list[Path] = []
    # Paths in a test file are contributor input: inside the project (the current folder)
    # or the folder of the test file the operator named.
    from governance.paths import Boundary, Where, project_root

    base = path.resolve().parent
    boundary = Boundary.of(project_root(Path.cwd())).with_folder(base)

    def where(*key: str | int) -> Where:
        pos = doc.locate(key)
        return Where(str(path), pos.line if pos else None, pos.col if pos else None,
                     dotted(key))

    for i, ref in enumerate(refs):
        is_pack = "/" not in ref and not ref.endswith((".yaml", ".yml"))
        field = "policy" if isinstance(model.policy, str) else f"policy[{i}]"
        key: tuple[str | int, ...] = ("policy",) if isinstance(model.policy, str) else (
            "policy", i)
        target = packs_dir() / f"{ref}.yaml" if is_pack else boundary.confine(
            ref, base, where(*key), error_type=PolicyError)
        if not target.is_file():
            pos = doc.locate(key)
            what = (f"unknown policy pack {ref!r} (shipped packs: "
                    f"{', '.join(shipped_packs()) or 'none'})" if is_pack
                    else f"policy file {ref!r} not found")
            raise PolicyError(what, path=str(path), line=pos.line if pos else None,
                              col=pos.col if pos else None, field=field)
        policies.append(target)
    for i, case in enumerate(model.cases):
        for attr in ("card", "baseline"):
            rel = getattr(case, attr)
            if rel is not None and not boundary.confine(
                    rel, base, where("cases", i, attr), error_type=PolicyError).is_file():
                pos = doc.locate(("cases", i, attr))
                raise PolicyError(f"fixture {rel!r} not found", path=str(path),
                                  line=pos.line if pos else None,
                                  col=pos.col if pos else None, field=f"cases[{i}].{attr}")
    return Suite(path, model, doc, policies, refs)


def run_test_file(suite: Suite) -> list[CaseResult]:
    from datetime import UTC, datetime

    from governance.api import CheckRequest
    from governance.errors import PolicyError
    from governance.paths import Boundary, Where, project_root

    model = suite.model
    base = suite.path.parent
    root = base
    if model.root:
        pos = suite.doc.locate(("root",))
        root = Boundary.of(project_root(Path.cwd())).with_folder(base).confine(
            model.root, base.resolve(), Where(str(suite.path), pos.line if pos else None,
                                              pos.col if pos else None, "root"),
            error_type=PolicyError)
    results: list[CaseResult] = []
    for i, case in enumerate(model.cases):
        as_of = case.as_of or model.as_of
        now = (datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC) if as_of
               else datetime.now(UTC).replace(microsecond=0))
        req = CheckRequest(policies=suite.policies, card=base / case.card, root=root,
                           baseline=base / case.baseline if case.baseline else None,
                           fail_on=model.fail_on, now=now, report_id=f"policy-test-{i}",
                           boundary=Boundary.of(project_root(Path.cwd())).with_folder(base))
        report, failure = run_request(req)
        if report is None:
            results.append(CaseResult(case.name, [failure]))
            continue
        problems = compare(report, case.expect.rules, case.expect.verdict)
        results.append(CaseResult(case.name, problems))
    return results


def discover(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            hits = {f for pat in TEST_PATTERNS for f in p.rglob(pat) if f.is_file()}
            found.extend(sorted(hits))
        elif p.exists():
            found.append(p)
        else:
            raise InputError("file not found", path=str(p))
    return list(dict.fromkeys(found))


