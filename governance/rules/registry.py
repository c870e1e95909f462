"""The explicit registry of rule kinds (DESIGN house rule 4).

Built-in kinds are listed in one dict literal, ``BUILTIN_KINDS``: kind name -> the family
module that defines it (and exports it in its ``KINDS`` tuple). Its parameters model lives in
a light module of its own, ``governance.rules.params.<kind>`` (as ``PARAMS``), so that
validating a policy (:func:`params_model`) imports only the models of the kinds it uses; the
family module (the rule code) is imported only when a kind itself is asked for
(:func:`get_kind`: the engine, ``policy explain``, ``rules``).
Plugins come from the ``governance.rules`` entry-point group, and are loaded only when the
operator enables them (``governance check --plugins`` or ``GOVERNANCE_PLUGINS=1``; in the API
:func:`plugins_enabled`): importing an installed package runs its code, which a policy in a pull
request must not be able to trigger by naming a kind. A duplicate name, or a module
whose ``KINDS`` disagree with the literal, raises. Nothing registers itself at import time.
Family modules are import-light: heavy libraries are imported inside ``evaluate``.
The literal, the parameters look-up and the plugin switch are in :mod:`governance.rules.kindmap`
(re-exported here), which is all a policy lint compiles.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

from governance.errors import GovernanceError
from governance.rules.kindmap import BUILTIN_KINDS as BUILTIN_KINDS
from governance.rules.kindmap import _kind_params as _kind_params
from governance.rules.kindmap import params_module as params_module
from governance.rules.kindmap import plugins_enabled as plugins_enabled
from governance.rules.kindmap import plugins_on as plugins_on
from governance.rules.params import Params

if TYPE_CHECKING:
    from governance.rules.base import RuleKind

ENTRY_POINT_GROUP = "governance.rules"


def plugin_names() -> list[str]:
    """Names of the installed plugin entry points, read from metadata without loading them."""
    from importlib.metadata import entry_points

    return sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))


#: The built-in rule families: display order and titles (reports group findings by family;
#: a plugin's family not listed here follows alphabetically, titled from its name).
FAMILIES: dict[str, str] = {
    "documentation": "Documentation",
    "integrity": "Artifact integrity",
    "performance": "Performance",
    "fairness": "Fairness",
    "data_quality": "Data quality",
    "drift": "Drift",
    "privacy": "Privacy",
    "versioning": "Versioning",
}

@cache
def _module_kinds(module_name: str) -> dict[str, RuleKind[Any]]:
    """The kinds one family module exports; they must be exactly the ones mapped to it, each
    with the parameters model its ``params`` module lists."""
    module = importlib.import_module(module_name)
    kinds: dict[str, RuleKind[Any]] = {}
    for kind in module.KINDS:
        _add(kinds, kind, module_name)
    listed = {n for n, m in BUILTIN_KINDS.items() if m == module_name}
    if set(kinds) != listed:
        extra = sorted(set(kinds) - listed)
        missing = sorted(listed - set(kinds))
        raise GovernanceError(f"{module_name}: KINDS disagree with BUILTIN_KINDS "
                              f"(not listed: {extra}; not exported: {missing})")
    for name, kind in kinds.items():
        if kind.params is not _kind_params(name):
            raise GovernanceError(f"{module_name}: the params of {name!r} are not "
                                  f"{params_module(name)}.PARAMS")
    return kinds


def _add(registry: dict[str, RuleKind[Any]], kind: RuleKind[Any], origin: str) -> None:
    from governance.rules.base import RuleKind

    if not isinstance(kind, RuleKind):
        raise GovernanceError(f"{origin}: not a RuleKind: {kind!r}")
    if kind.name in registry:
        raise GovernanceError(f"{origin}: rule kind {kind.name!r} is registered twice")
    registry[kind.name] = kind


@cache
def builtin_kinds() -> dict[str, RuleKind[Any]]:
    """Every built-in kind (imports every family module)."""
    return {name: _module_kinds(module)[name] for name, module in BUILTIN_KINDS.items()}


_Loaded = tuple[tuple[tuple["RuleKind[Any]", str], ...], tuple[tuple[str, str], ...]]


@cache
def _plugin_kinds() -> _Loaded:
    """(kind, origin) of every plugin that loaded, and (entry point, why) of those that did
    not: a plugin that fails to import or exports something else than rule kinds is left
    out by name; it is fatal only when a policy uses a kind nothing else provides."""
    from importlib.metadata import entry_points

    from governance.rules.base import RuleKind
    from governance.textsafe import excerpt

    out: list[tuple[RuleKind[Any], str]] = []
    failed: list[tuple[str, str]] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            loaded = ep.load()
        except Exception as exc:  # plugin code: any failure is reported, never raised here
            failed.append((ep.name, f"{type(exc).__name__}: {excerpt(exc, 200)}"))
            continue
        kinds = loaded if isinstance(loaded, list | tuple) else (loaded,)
        bad = [k for k in kinds if not isinstance(k, RuleKind)]
        if bad:
            failed.append((ep.name, f"exports {excerpt(repr(bad[0]), 80)}, not a RuleKind"))
            continue
        out.extend((kind, f"entry point {ep.name} ({ep.value})") for kind in kinds)
    return tuple(out), tuple(failed)


def plugin_failures() -> dict[str, str]:
    """Entry point name -> why it did not load (empty unless plugins are enabled)."""
    return dict(_plugin_kinds()[1]) if plugins_on() else {}


def all_kinds() -> dict[str, RuleKind[Any]]:
    """Built-in kinds, plus plugin kinds from the ``governance.rules`` entry points when the
    operator enabled plugins (:func:`plugins_enabled`)."""
    registry = dict(builtin_kinds())
    if plugins_on():
        for kind, origin in _plugin_kinds()[0]:
            _add(registry, kind, origin)
    return registry


def params_model(name: str) -> type[Params] | None:
    """The parameters model of the kind called ``name`` (None: no such kind). A built-in kind
    imports only its family's light ``params`` module, not the rule code; a plugin kind is
    looked up as :func:`get_kind` does."""
    if name in BUILTIN_KINDS:
        return _kind_params(name)
    kind = all_kinds().get(name)
    return None if kind is None else kind.params


def get_kind(name: str) -> RuleKind[Any] | None:
    """The kind called ``name``. A built-in kind imports only its own family module, and no
    entry points are scanned (~20 ms); plugins (when enabled) are loaded, and checked for
    duplicates, the first time a name is not built in."""
    module = BUILTIN_KINDS.get(name)
    if module is not None:
        return _module_kinds(module)[name]
    return all_kinds().get(name)
