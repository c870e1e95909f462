"""Policy loading: envelope + per-kind params validation, extends, overrides, exact messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.errors import InputError, MultiError
from governance.policy.loader import load_policies
from tests.conftest import write

HEADER = """
apiVersion: governance/v1
kind: Policy
metadata:
  name: p
  version: "1"
"""


def policy(tmp_path: Path, body: str, name: str = "policy.yaml") -> Path:
    return write(tmp_path / name, HEADER + body)


def load_err(path: Path) -> str:
    with pytest.raises(InputError) as exc:
        load_policies([path], display_base=path.parent)
    return str(exc.value)


def test_valid_policy_resolves_rules_sorted_with_typed_params(tmp_path: Path) -> None:
    p = policy(tmp_path, """
rules:
  - id: B
    title: accuracy
    kind: metric_threshold
    severity: high
    params: {metric: accuracy, min: 0.7}
  - id: A
    title: fields
    kind: card_fields
    severity: low
    params:
      fields: [model.owners]
""")
    resolved = load_policies([p], display_base=tmp_path)
    assert [r.rule.id for r in resolved.rules] == ["A", "B"]
    assert resolved.rules[1].params.min == 0.7  # type: ignore[attr-defined]
    assert resolved.rules[1].location.line == 8
    assert resolved.files[0].path == "policy.yaml"


def test_unknown_rule_kind(tmp_path: Path) -> None:
    p = policy(tmp_path, """
rules:
  - id: A
    title: t
    kind: metric_treshold
    severity: high
""")
    assert load_err(p) == ("policy.yaml:10:11: rules[0].kind: unknown rule kind "
                           "'metric_treshold'; did you mean 'metric_threshold'?")


def test_misspelt_envelope_field(tmp_path: Path) -> None:
    p = policy(tmp_path, """
rules:
  - id: A
    title: t
    kind: card_fields
    severity: high
    parms: {fields: [a]}
""")
    msg = load_err(p)
    assert "policy.yaml:12:5: rules[0].parms: unknown field" in msg


def test_misspelt_param(tmp_path: Path) -> None:
    p = policy(tmp_path, """
rules:
  - id: A
    title: t
    kind: metric_threshold
    severity: high
    params:
      metric: accuracy
      minimum: 0.7
""")
    msg = load_err(p)
    assert msg == "policy.yaml:14:7: rules[0].params.minimum: unknown field"


def test_bad_severity_and_duplicate_key(tmp_path: Path) -> None:
    p = policy(tmp_path, """
rules:
  - id: A
    title: t
    kind: card_fields
    severity: urgent
    params: {fields: [a]}
""")
    assert load_err(p) == ("policy.yaml:11:15: rules[0].severity: Input should be 'info', "
                           "'low', 'medium', 'high' or 'critical'")
    d = policy(tmp_path, """
rules:
  - id: A
    title: t
    kind: card_fields
    kind: metric_threshold
    severity: high
""", "dup.yaml")
    assert load_err(d) == ("dup.yaml:11:5: rules[0].kind: duplicate key 'kind' "
                           "(first defined at line 10)")


def test_wrong_api_version_and_duplicate_rule_ids(tmp_path: Path) -> None:
    p = write(tmp_path / "v.yaml", "apiVersion: governance/v2\nkind: Policy\n"
              "metadata: {name: p, version: '1'}\n")
    assert load_err(p) == "v.yaml:1:13: apiVersion: Input should be 'governance/v1'"
    d = policy(tmp_path, """
rules:
  - {id: A, title: t, kind: card_fields, severity: low, params: {fields: [a]}}
  - {id: A, title: u, kind: card_fields, severity: low, params: {fields: [b]}}
""", "d.yaml")
    assert load_err(d) == "d.yaml:9:10: rules[1].id: duplicate rule id 'A'"


def test_extends_overrides_and_replacement(tmp_path: Path) -> None:
    policy(tmp_path, """
rules:
  - {id: A, title: t, kind: card_fields, severity: low, params: {fields: [a]}}
  - {id: B, title: t, kind: metric_threshold, severity: low,
     params: {metric: accuracy, min: 0.5}}
  - {id: C, title: t, kind: card_fields, severity: low, params: {fields: [c]}}
""", "base.yaml")
    child = policy(tmp_path, """
extends: [base.yaml]
overrides:
  B:
    severity: critical
    params: {min: 0.9}
  C:
    enabled: false
rules:
  - {id: A, title: replaced, kind: card_fields, severity: high, params: {fields: [z]}}
""", "child.yaml")
    resolved = load_policies([child], display_base=tmp_path)
    by_id = {r.rule.id: r for r in resolved.rules}
    assert sorted(by_id) == ["A", "B"]
    assert by_id["A"].rule.title == "replaced"
    assert by_id["B"].rule.severity.value == "critical"
    assert by_id["B"].params.min == 0.9  # type: ignore[attr-defined]
    assert by_id["B"].params.metric == "accuracy"  # type: ignore[attr-defined]
    assert [f.path for f in resolved.files] == ["base.yaml", "child.yaml"]


def test_extends_errors(tmp_path: Path) -> None:
    a = policy(tmp_path, "extends: [b.yaml]\n", "a.yaml")
    policy(tmp_path, "extends: [a.yaml]\n", "b.yaml")
    assert load_err(a) == "a.yaml: extends: extends cycle: a.yaml -> b.yaml -> a.yaml"
    u = policy(tmp_path, "extends: [no-such-pack]\n", "u.yaml")
    assert load_err(u).startswith("u.yaml:6:11: extends[0]: unknown policy pack "
                                  "'no-such-pack' (shipped packs:")
    o = policy(tmp_path, "overrides:\n  X: {severity: low}\n", "o.yaml")
    assert load_err(o) == "o.yaml:7:3: overrides.X: override for unknown rule id 'X'"
    m = policy(tmp_path, "extends: [missing.yaml]\n", "m.yaml")
    assert load_err(m) == "m.yaml:6:11: extends[0]: policy file 'missing.yaml' not found"


def test_waiver_for_unknown_rule_and_bad_date(tmp_path: Path) -> None:
    p = policy(tmp_path, """
rules:
  - {id: A, title: t, kind: card_fields, severity: low, params: {fields: [a]}}
waivers:
  - {rule_id: Z, reason: r, approved_by: me, expires: 2030-01-01}
""")
    assert load_err(p) == "policy.yaml:10:15: waivers[0].rule_id: waiver for unknown rule id 'Z'"
    q = policy(tmp_path, """
rules:
  - {id: A, title: t, kind: card_fields, severity: low, params: {fields: [a]}}
waivers:
  - {rule_id: A, reason: r, approved_by: me, expires: someday}
""", "q.yaml")
    assert load_err(q).startswith("q.yaml:10:55: waivers[0].expires: Input should be a valid "
                                  "date")


def test_all_param_errors_are_reported_at_once(tmp_path: Path) -> None:
    p = policy(tmp_path, """
rules:
  - {id: A, title: t, kind: card_fields, severity: low, params: {}}
  - {id: B, title: t, kind: nope, severity: low}
""")
    with pytest.raises(MultiError) as exc:
        load_policies([p], display_base=tmp_path)
    lines = str(exc.value).splitlines()
    assert lines == [
        "policy.yaml:8:65: rules[0].params.fields: required field is missing",
        "policy.yaml:9:29: rules[1].kind: unknown rule kind 'nope'",
    ]
