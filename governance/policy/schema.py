"""JSON Schema for policy files, with each rule kind's params (for editors and CI)."""

from __future__ import annotations

from typing import Any

from governance.policy.model import Policy


def policy_json_schema() -> dict[str, Any]:
    from governance.rules.registry import all_kinds

    schema: dict[str, Any] = Policy.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "governance policy (governance/v1)"
    defs = schema.setdefault("$defs", {})
    branches: list[dict[str, Any]] = []
    kinds = all_kinds()
    for name in sorted(kinds):
        kind = kinds[name]
        params_schema = kind.params.model_json_schema(ref_template="#/$defs/{model}")
        for dname, d in params_schema.pop("$defs", {}).items():
            defs.setdefault(dname, d)
        key = f"params_{name}"
        params_schema["description"] = kind.summary
        defs[key] = params_schema
        branches.append({
            "if": {"properties": {"kind": {"const": name}}, "required": ["kind"]},
            "then": {"properties": {"params": {"$ref": f"#/$defs/{key}"}}},
        })
    rule = defs["Rule"]
    rule["properties"]["kind"]["enum"] = sorted(kinds)
    rule["allOf"] = branches
    return schema
