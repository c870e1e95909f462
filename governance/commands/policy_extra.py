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


def run_test(args: argparse.Namespace) -> int:
    from governance.policytest import discover, load_test_file, run_test_file
    from governance.textsafe import one_line

    files = discover(list(args.paths) if args.paths else [Path(".")])
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
