"""The explicit registry of rule kinds (DESIGN house rule 4).

Built-in kinds come from one literal list of family modules, each exporting ``KINDS``;
plugins come from the ``governance.rules`` entry-point group. A duplicate name raises.
Nothing registers itself at import time. Family modules are import-light: heavy libraries
are imported inside ``evaluate``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from governance.errors import GovernanceError
from governance.rules.base import RuleKind

ENTRY_POINT_GROUP = "governance.rules"


def _builtin_modules() -> tuple[Any, ...]:
    from governance.rules import (
        card,
        data_quality,
        documentation,
        drift,
        fairness,
        integrity,
        performance,
        privacy,
        versioning,
    )

    return (card, integrity, performance, fairness, data_quality, drift, privacy, versioning,
            documentation)


def _add(registry: dict[str, RuleKind[Any]], kind: RuleKind[Any], origin: str) -> None:
    if not isinstance(kind, RuleKind):
        raise GovernanceError(f"{origin}: not a RuleKind: {kind!r}")
    if kind.name in registry:
        raise GovernanceError(f"{origin}: rule kind {kind.name!r} is registered twice")
    registry[kind.name] = kind


@cache
def builtin_kinds() -> dict[str, RuleKind[Any]]:
    registry: dict[str, RuleKind[Any]] = {}
    for module in _builtin_modules():
        for kind in module.KINDS:
            _add(registry, kind, module.__name__)
    return registry


@cache
def all_kinds() -> dict[str, RuleKind[Any]]:
    """Built-in kinds plus plugin kinds from the ``governance.rules`` entry points."""
    from importlib.metadata import entry_points

    registry = dict(builtin_kinds())
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        loaded = ep.load()
        kinds = loaded if isinstance(loaded, list | tuple) else (loaded,)
        for kind in kinds:
            _add(registry, kind, f"entry point {ep.name} ({ep.value})")
    return registry


def get_kind(name: str) -> RuleKind[Any] | None:
    """The kind called ``name``. Built-in kinds are found without scanning entry points
    (the scan costs ~20 ms of every lint); plugins are loaded, and checked for duplicates,
    the first time a name is not built in."""
    kind = builtin_kinds().get(name)
    if kind is not None:
        return kind
    return all_kinds().get(name)
