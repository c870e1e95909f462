"""The registry: one literal map of built-in kinds; their parameters models come from the light
``rules/params`` modules, the rule code is imported per family only when a kind is asked for."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from governance.errors import GovernanceError
from governance.rules import registry
from governance.rules.base import Params, RuleKind

ROOT = Path(__file__).resolve().parents[1]


def test_literal_map_matches_every_family_module() -> None:
    kinds = registry.builtin_kinds()
    assert sorted(kinds) == sorted(registry.BUILTIN_KINDS)
    for name, kind in kinds.items():
        assert kind.name == name
        assert registry.get_kind(name) is kind
    assert registry.get_kind("no_such_kind") is None
    assert registry.params_model("no_such_kind") is None


def test_every_kind_takes_the_params_model_of_its_params_module() -> None:
    import importlib

    for name in registry.BUILTIN_KINDS:
        params = importlib.import_module(registry.params_module(name))
        assert params.__name__ == f"governance.rules.params.{name}"
        kind = registry.get_kind(name)
        assert kind is not None
        assert registry.params_model(name) is params.PARAMS is kind.params
        assert issubclass(kind.params, Params)


def test_kind_with_another_params_model_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from governance.rules import card
    from governance.rules.params import card_fields

    class Other(Params):
        pass

    registry._module_kinds.cache_clear()
    registry._kind_params.cache_clear()
    monkeypatch.setattr(card_fields, "PARAMS", Other)
    try:
        with pytest.raises(GovernanceError) as exc:
            registry.get_kind("metric_threshold")
        assert str(exc.value) == ("governance.rules.card: the params of 'card_fields' are "
                                  "not governance.rules.params.card_fields.PARAMS")
    finally:
        registry._module_kinds.cache_clear()
        registry._kind_params.cache_clear()
    assert card.CARD_FIELDS.params is card_fields.CardFieldsParams


def test_params_module_without_a_params_model_is_refused(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    from governance.rules.params import artifact_integrity

    registry._kind_params.cache_clear()
    monkeypatch.setattr(artifact_integrity, "PARAMS", dict)
    try:
        with pytest.raises(GovernanceError) as exc:
            registry.params_model("artifact_integrity")
        assert str(exc.value) == ("governance.rules.params.artifact_integrity: PARAMS is not a "
                                  "Params model: <class 'dict'>")
    finally:
        registry._kind_params.cache_clear()


def test_module_exporting_an_unlisted_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from governance.rules import card

    extra = RuleKind("sneaky", "documentation", "x", Params, lambda ctx, p: None)  # type: ignore
    registry._module_kinds.cache_clear()
    monkeypatch.setattr(card, "KINDS", (*card.KINDS, extra))
    try:
        with pytest.raises(GovernanceError) as exc:
            registry.get_kind("card_fields")
        assert str(exc.value) == ("governance.rules.card: KINDS disagree with BUILTIN_KINDS "
                                  "(not listed: ['sneaky']; not exported: [])")
    finally:
        registry._module_kinds.cache_clear()


def test_linting_a_small_policy_imports_only_its_params_module(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("apiVersion: governance/v1\nkind: Policy\nmetadata: {name: p, version: '1'}\n"
                      "rules:\n  - {id: A, title: t, kind: card_fields, severity: low,\n"
                      "     params: {fields: [model.owners]}}\n", encoding="utf-8")
    probe = ("import json, sys; from governance.cli import main; "
             f"code = main(['policy', 'lint', {str(policy)!r}]); "
             "print(json.dumps([code, sorted(m for m in sys.modules "
             "if m.startswith('governance.rules.'))]))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout.splitlines()[-1]
    assert json.loads(out) == [0, ["governance.rules.kindmap", "governance.rules.params",
                                   "governance.rules.params.card_fields"]]
