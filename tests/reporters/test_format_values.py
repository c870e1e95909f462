"""Observed/expected values render as readable text, not raw JSON with 17 digits."""

from __future__ import annotations

from governance.reporters._jinja import fmt_value


def test_nested_per_feature_values() -> None:
    observed = {"sex": {"value": 0.06556372549019607, "ci_lower": 0.0046756, "ci_upper": 0.172},
                "age_group": {"value": 0.0978, "decided_value": None}}
    assert fmt_value(observed) == ("age_group: decided_value —, value 0.0978; "
                                   "sex: ci_lower 0.0047, ci_upper 0.172, value 0.0656")


def test_flat_and_deeper_values() -> None:
    assert fmt_value({"min": 0.7, "max": None}) == "max: —; min: 0.7"
    assert fmt_value([1, "a"]) == "1, a"
    assert fmt_value({"a": {"b": {"c": 1}}}) == '{"a": {"b": {"c": 1}}}'
