"""``governance policy explain RULE_ID_OR_KIND`` and ``governance policy test [PATHS]``.

``explain`` shows a rule (title, kind, family, severity, parameters with their defaults,
references, remediation) or documents a rule kind (summary and parameter schema).

``test`` runs policy unit tests, like ``conftest verify`` or ``kyverno test``: each test file
(``*.test.yaml`` or ``policy-tests.yaml``) names a policy and fixture cards with the status
expected per rule id and/or the expected verdict. Exit 0 when every case matches, 1 on any
mismatch, 2 on an invalid test file.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from governance.errors import ExitCode, InputError

TEST_PATTERNS = ("*.test.yaml", "*.test.yml", "policy-tests.yaml", "policy-tests.yml")


def register(psub: Any) -> None:
    ex = psub.add_parser(
        "explain", help="explain a rule (by id) or a rule kind",
        description="Show a rule of a policy: title, kind, family, severity, parameters "
        "(with defaults), references and remediation; or document a rule kind. Without "
        "--policy, rules are looked up in the policies of the nearest governance.yaml, else "
        "in the shipped packs.")
    ex.add_argument("name", metavar="RULE_ID_OR_KIND")
    ex.add_argument("--policy", type=Path, action="append", default=None,
                    help="policy file to look the rule up in (repeatable)")
    ex.set_defaults(handler=run_explain)

    t = psub.add_parser(
        "test", help="run policy unit tests against fixture cards",
        description="Run policy unit tests: each test file (*.test.yaml or policy-tests.yaml) "
        "names a policy and fixture cards with the expected status per rule id and/or the "
        "expected verdict. Exit 0 if every case matches, 1 on a mismatch, 2 on bad input.")
    t.add_argument("paths", nargs="*", type=Path, default=None,
                   help="test files or folders to search (default: the current folder)")
    t.set_defaults(handler=run_test)


# ---------------------------------------------------------------------------------------------
# explain
# ---------------------------------------------------------------------------------------------


def _type_of(prop: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in prop:
        ref = defs.get(prop["$ref"].rsplit("/", 1)[-1], {})
        if "enum" in ref:
            return "one of [" + ", ".join(json.dumps(v) for v in ref["enum"]) + "]"
        return str(ref.get("title") or prop["$ref"].rsplit("/", 1)[-1])
    if "enum" in prop:
        return "one of [" + ", ".join(json.dumps(v) for v in prop["enum"]) + "]"
    if "const" in prop:
        return json.dumps(prop["const"])
    if "anyOf" in prop:
        return " or ".join(_type_of(p, defs) for p in prop["anyOf"])
    kind = prop.get("type", "any")
    if kind == "array":
        return f"list of {_type_of(prop.get('items', {}), defs)}"
    if kind == "object" and "additionalProperties" in prop and isinstance(
            prop["additionalProperties"], dict):
        return f"mapping to {_type_of(prop['additionalProperties'], defs)}"
    return str(kind)


def _bounds(prop: dict[str, Any]) -> str:
    parts = []
    for key, sym in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="),
                     ("exclusiveMaximum", "<"), ("minItems", "items >="),
                     ("minLength", "length >=")):
        if key in prop:
            parts.append(f"{sym} {prop[key]}")
    return f" ({', '.join(parts)})" if parts else ""


def params_doc(params_model: Any) -> list[str]:
    """One line per parameter: name, type, required/default, description."""
    schema = params_model.model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    lines = []
    for pname, prop in schema.get("properties", {}).items():
        state = "required" if pname in required else (
            f"default {json.dumps(prop['default'])}" if "default" in prop else "optional")
        desc = prop.get("description")
        lines.append(f"    {pname}: {_type_of(prop, defs)}{_bounds(prop)}, {state}"
                     + (f" - {desc}" if desc else ""))
    return lines or ["    (no parameters)"]


def _explain_kind(name: str) -> list[str]:
    from governance.rules.registry import all_kinds

    kind = all_kinds()[name]
    out = [f"rule kind {kind.name} (family {kind.family})", f"  {kind.summary}"]
    doc = (kind.evaluate.__doc__ or "").strip()
    if doc:
        out.extend(f"  {ln.strip()}" for ln in doc.splitlines())
    out.append("  params:")
    out.extend(params_doc(kind.params))
    return out


def _explain_rule(rr: Any) -> list[str]:
    rule = rr.rule
    loc = rr.location
    where = loc.path + (f":{loc.line}" if loc.line else "")
    out = [f"{rule.id}: {rule.title}",
           f"  kind:        {rule.kind} (family {rr.kind.family}) - {rr.kind.summary}",
           f"  severity:    {rule.severity.value}",
           f"  defined at:  {where}"]
    if rule.description:
        out.append(f"  description: {rule.description}")
    out.append("  params:")
    values = rr.params.model_dump(mode="json")
    set_keys = set(rule.params)
    for pname in type(rr.params).model_fields:
        state = "set" if pname in set_keys else "default"
        out.append(f"    {pname} = {json.dumps(values.get(pname), sort_keys=True)} ({state})")
    if not values:
        out.append("    (no parameters)")
    out.append("  references:")
    if rule.references:
        for ref in rule.references:
            out.append(f"    - {ref.framework} {ref.clause}"
                       + (f" - {ref.title}" if ref.title else ""))
    else:
        out.append("    (none)")
    out.append(f"  remediation: {rule.remediation or '(none)'}")
    return out


def _candidate_policies(args: argparse.Namespace) -> list[list[Path]]:
    if args.policy:
        return [list(args.policy)]
    from governance.config import find_config, load_config
    from governance.policy.loader import packs_dir, shipped_packs

    found = find_config()
    if found is not None:
        config = load_config(found)
        return [[config.resolve(p, "policies", i) for i, p in enumerate(config.model.policies)]]
    return [[packs_dir() / f"{name}.yaml"] for name in shipped_packs()]


def run_explain(args: argparse.Namespace) -> int:
    from governance.policy.loader import load_policies
    from governance.rules.registry import all_kinds

    name: str = args.name
    blocks: list[list[str]] = []
    rule_ids: set[str] = set()
    for paths in _candidate_policies(args):
        policy = load_policies(paths, display_base=Path.cwd())
        for rr in policy.rules:
            rule_ids.add(rr.rule.id)
            if rr.rule.id == name:
                blocks.append(_explain_rule(rr))
    if not blocks and name in all_kinds():
        blocks.append(_explain_kind(name))
    if not blocks:
        import difflib

        close = difflib.get_close_matches(name, sorted(rule_ids | set(all_kinds())), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        where = "the given policies" if args.policy else (
            "the configured policies" if Path("governance.yaml").is_file()
            else "the shipped packs")
        raise InputError(f"no rule id or rule kind {name!r} in {where}{hint}",
                         field="RULE_ID_OR_KIND")
    from governance.textsafe import one_line

    print("\n\n".join("\n".join(one_line(line) for line in b) for b in blocks))
    return int(ExitCode.OK)


# ---------------------------------------------------------------------------------------------
# test
# ---------------------------------------------------------------------------------------------


def _models() -> Any:
    from datetime import date

    from pydantic import BaseModel, ConfigDict, Field

    from governance.report import Severity, Status, Verdict

    class Base(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid")

    class Expect(Base):
        verdict: Verdict | None = None
        rules: dict[str, Status] = Field(default_factory=dict)

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

    from governance.api import CheckRequest, run_check
    from governance.errors import GovernanceError, PolicyError
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
        try:
            report = run_check(req).report
        except GovernanceError as exc:
            results.append(CaseResult(case.name, [f"could not run: {exc}"]))
            continue
        by_id = {f.rule_id: f for f in report.findings}
        problems: list[str] = []
        for rule_id, want in case.expect.rules.items():
            got = by_id.get(rule_id)
            if got is None:
                problems.append(f"{rule_id}: expected {want.value}, but the policy has no "
                                "such (enabled) rule")
            elif got.status != want:
                problems.append(f"{rule_id}: expected {want.value}, got {got.status.value} "
                                f"({got.message})")
        verdict = case.expect.verdict
        if verdict is not None and report.summary.status != verdict:
            problems.append(f"verdict: expected {verdict.value}, got "
                            f"{report.summary.status.value}")
        results.append(CaseResult(case.name, problems))
    return results


def _discover(paths: list[Path]) -> list[Path]:
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


def run_test(args: argparse.Namespace) -> int:
    from governance.textsafe import one_line

    files = _discover(list(args.paths) if args.paths else [Path(".")])
    if not files:
        raise InputError("no policy test files found (*.test.yaml or policy-tests.yaml)",
                         field="PATHS")
    suites = [load_test_file(f) for f in files]  # every file validates before any runs
    total = failed = 0
    for suite in suites:
        print(one_line(f"{suite.path}: policy {', '.join(suite.policy_names)}"))
        for result in run_test_file(suite):
            total += 1
            mark = "PASS" if result.ok else "FAIL"
            print(f"  {mark}  {one_line(result.name)}")
            for problem in result.problems:
                print(f"        {one_line(problem)}")
            failed += 0 if result.ok else 1
    print(f"{total} cases: {total - failed} passed, {failed} failed")
    sys.stdout.flush()
    return int(ExitCode.GATE_FAILED if failed else ExitCode.OK)
