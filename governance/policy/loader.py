"""Load, validate and resolve policies: ``extends``, overrides by id, per-kind params."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from governance.errors import GovernanceError, MultiError, PolicyError
from governance.paths import Boundary, project_root, safe_relative
from governance.policy.model import Policy, Rule
from governance.rules.params import Params
from governance.terms import SourceLocation, Waiver, WaiverSettings
from governance.validation import errors_from_validation, strict_validate, validate_doc
from governance.yamlio import YamlDoc, decode, dotted, parse_yaml, read_capped

if TYPE_CHECKING:
    from governance.rules.base import RuleKind

MAX_EXTENDS_DEPTH = 16
# Distinct policy files one run may read (each is read and merged once, however often it is
# extended): a 40-wide, 12-deep extends tree stops here instead of re-reading 40^12 branches.
MAX_POLICY_FILES = 200
MAX_EXTENDS_PER_FILE = 64


@cache
def _sha256() -> Any:
    """``hashlib.sha256``, or CPython's own SHA-256 module where there is one (the same
    digests; ``import hashlib`` loads OpenSSL, ~2 ms of a policy lint)."""
    import importlib

    for name in ("_sha256", "_sha2"):  # Python 3.11, 3.12+
        try:
            return importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


def packs_dir() -> Path:
    """The shipped policy packs (``policies/`` at the project root)."""
    from governance.resources import resource_dir

    return resource_dir("policies")


def shipped_packs() -> list[str]:
    return sorted(p.stem for p in packs_dir().glob("*.yaml"))


class PolicyFile(NamedTuple):
    """A policy file the resolved policy was read from (as displayed) and its sha256."""

    path: str
    sha256: str


class ResolvedRule(NamedTuple):
    """An enabled rule with its validated parameters and where it was written."""

    rule: Rule
    # The kind when the loader already holds it (a plugin's; tests); None for a built-in kind,
    # whose rule code is imported only when :attr:`kind` is first used (never by a lint).
    known_kind: RuleKind[Any] | None
    params: Params
    location: SourceLocation

    @property
    def kind(self) -> RuleKind[Any]:
        if self.known_kind is not None:
            return self.known_kind
        from governance.rules.registry import get_kind

        kind = get_kind(self.rule.kind)
        if kind is None:  # the loader validated the name against the registry
            raise GovernanceError(f"unknown rule kind {self.rule.kind!r}")
        return kind


class ResolvedWaiver(NamedTuple):
    """An inline waiver and where it was written."""

    waiver: Waiver
    location: SourceLocation


class SignedWaiverRef(NamedTuple):
    """A signed waiver file named by a policy (or governance.yaml); checked before evaluation."""

    path: str  # relative to the project root
    policy_name: str | None  # metadata.name of the declaring policy (None: the configuration)
    location: SourceLocation


class ResolvedPolicy(NamedTuple):
    """Policies merged through ``extends`` and overrides: rules (by id), waivers, settings.

    (Records here are NamedTuples, changed with ``_replace``: creating a dataclass costs
    ~0.4 ms of a lint, a NamedTuple ~0.1 ms.)"""

    name: str
    version: str
    sha256: str
    files: tuple[PolicyFile, ...]
    rules: tuple[ResolvedRule, ...]
    waivers: tuple[ResolvedWaiver, ...]
    source: Policy
    waiver_settings: tuple[tuple[WaiverSettings, SourceLocation], ...] = ()
    signed_waivers: tuple[SignedWaiverRef, ...] = ()


class _Loaded(NamedTuple):
    """One policy file as read and validated."""

    policy: Policy
    doc: YamlDoc
    sha256: str
    path: Path


def _display(path: Path, base: Path | None) -> str:
    packs = packs_dir().resolve()
    real = path.resolve()
    if real.parent == packs:
        return f"pack:{real.stem}"
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def policy_display(path: Path, root: Path) -> str:
    """How a report names a policy file: ``pack:NAME`` or a path relative to ``root``."""
    return _display(path, root)


def _read(path: Path, display: str) -> _Loaded:
    raw = read_capped(path, display)
    doc = parse_yaml(decode(raw, display), display)
    if not isinstance(doc.data, dict):
        raise PolicyError("a policy must be a mapping", path=display, line=1, col=1)
    policy = validate_doc(Policy, doc.data, doc, error_type=PolicyError)
    return _Loaded(policy, doc, _sha256()(raw).hexdigest(), path)


def _loc(doc: YamlDoc, key: tuple[str | int, ...]) -> SourceLocation:
    pos = doc.locate(key)
    # Values of the declared types, made here: constructed without validation (a lint then
    # never builds the SourceLocation validator, ~0.7 ms).
    return SourceLocation.model_construct(role="policy", path=doc.path,
                                          line=pos.line if pos else None,
                                          col=pos.col if pos else None,
                                          field=dotted(key) or None)


class _Acc:
    """What merging the files gathered so far (a plain class: a dataclass costs ~0.4 ms of
    every lint to create)."""

    def __init__(self) -> None:
        self.rules: dict[str, tuple[Rule, SourceLocation, YamlDoc, tuple[str | int, ...]]] = {}
        self.waivers: list[ResolvedWaiver] = []
        self.files: list[PolicyFile] = []
        self.waiver_docs: dict[int, tuple[YamlDoc, tuple[str | int, ...]]] = {}
        # Every policy file is read once per run (keyed by its real path) and merged once.
        self.cache: dict[Path, _Loaded] = {}
        self.merged: set[Path] = set()
        self.settings: list[tuple[WaiverSettings, SourceLocation]] = []
        self.signed: list[SignedWaiverRef] = []


def _merge_rules(loaded: _Loaded, acc: _Acc) -> None:
    """The file's rules (replacing inherited ones of the same id), then its overrides."""
    doc = loaded.doc
    seen: set[str] = set()
    for i, rule in enumerate(loaded.policy.rules):
        key: tuple[str | int, ...] = ("rules", i)
        if rule.id in seen:
            pos = doc.locate((*key, "id"))
            raise PolicyError(f"duplicate rule id {rule.id!r}", path=doc.path,
                              line=pos.line if pos else None, col=pos.col if pos else None,
                              field=f"rules[{i}].id")
        seen.add(rule.id)
        # A rule with the id of an inherited one replaces it.
        acc.rules[rule.id] = (rule, _loc(doc, key), doc, key)
    for rule_id, override in loaded.policy.overrides.items():
        key = ("overrides", rule_id)
        if rule_id not in acc.rules:
            pos = doc.locate(key, prefer_key=True)
            raise PolicyError(f"override for unknown rule id {rule_id!r}", path=doc.path,
                              line=pos.line if pos else None, col=pos.col if pos else None,
                              field=f"overrides.{rule_id}")
        base, _base_loc, _base_doc, _base_key = acc.rules[rule_id]
        changes: dict[str, Any] = {k: v for k, v in override.model_dump(
            exclude_unset=True).items() if k != "params"}
        if override.params is not None:
            changes["params"] = {**base.params, **override.params}
        merged = base.model_copy(update=changes)
        acc.rules[rule_id] = (merged, _loc(doc, key), doc, (*key,))


def _merge_waivers(loaded: _Loaded, acc: _Acc) -> None:
    """The file's waivers section: settings, signed waiver files, entries."""
    doc = loaded.doc
    section = loaded.policy.waivers
    prefix: tuple[str | int, ...] = ("waivers",)
    if isinstance(section, list):
        entries = section
    else:
        entries = section.entries
        prefix = ("waivers", "entries")
        # The section is a validated WaiverSettings (its subclass): its settings are taken as
        # they are (no second validation, no serializer built for a lint).
        settings = WaiverSettings.model_construct(
            **{name: getattr(section, name) for name in WaiverSettings.model_fields})
        acc.settings.append((settings, _loc(doc, ("waivers",))))
        for j, rel in enumerate(section.signed):
            loc = _loc(doc, ("waivers", "signed", j))
            try:
                clean = safe_relative(rel)
            except GovernanceError as exc:
                raise PolicyError(exc.message, path=doc.path, line=loc.line, col=loc.col,
                                  field=loc.field) from None
            acc.signed.append(SignedWaiverRef(clean, loaded.policy.metadata.name, loc))
    for i, waiver in enumerate(entries):
        key: tuple[str | int, ...] = (*prefix, i)
        if waiver.signed_by is not None:
            loc = _loc(doc, (*key, "signed_by"))
            raise PolicyError("signed_by cannot be written in a policy: it is set when a "
                              "signed waiver (`governance waiver sign`) verifies",
                              path=doc.path, line=loc.line, col=loc.col, field=loc.field)
        rw = ResolvedWaiver(waiver, _loc(doc, key))
        acc.waivers.append(rw)
        acc.waiver_docs[id(rw)] = (doc, key)


def _merge_file(path: Path, acc: _Acc, stack: tuple[Path, ...],
                display_base: Path | None, boundary: Boundary) -> _Loaded:
    real = path.resolve()
    display = _display(path, display_base)
    if real in stack:
        chain = " -> ".join(_display(p, display_base) for p in (*stack, real))
        raise PolicyError(f"extends cycle: {chain}", path=display, field="extends")
    if len(stack) > MAX_EXTENDS_DEPTH:
        raise PolicyError(f"extends nested deeper than {MAX_EXTENDS_DEPTH} levels",
                          path=display, field="extends")
    if real in acc.merged:  # already merged through another branch: its rules are in
        return acc.cache[real]
    loaded = acc.cache.get(real)
    if loaded is None:
        if len(acc.cache) >= MAX_POLICY_FILES:
            raise PolicyError(f"more than {MAX_POLICY_FILES} policy files through extends",
                              path=display, field="extends")
        loaded = _read(path, display)
        acc.cache[real] = loaded
    if len(loaded.policy.extends) > MAX_EXTENDS_PER_FILE:
        pos = loaded.doc.locate(("extends",))
        raise PolicyError(f"more than {MAX_EXTENDS_PER_FILE} entries", path=display,
                          line=pos.line if pos else None, col=pos.col if pos else None,
                          field="extends")
    for i, ref in enumerate(loaded.policy.extends):
        from governance.policy.extends import resolve_extends  # only a policy that extends

        _merge_file(resolve_extends(ref, loaded.doc, loaded.path, boundary, i, packs_dir()),
                    acc, (*stack, real), display_base, boundary)
    acc.merged.add(real)
    acc.files.append(PolicyFile(display, loaded.sha256))
    _merge_rules(loaded, acc)
    _merge_waivers(loaded, acc)
    return loaded


def _find_nan(value: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    if isinstance(value, float) and math.isnan(value):
        return loc
    items = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list) else ())
    for k, v in items:
        found = _find_nan(v, (*loc, k))
        if found is not None:
            return found
    return None


#: Rule parameters that became operator settings: a policy in a pull request must not choose
#: where its evidence is computed (a Dask scheduler runs code and returns pickles).
MOVED_PARAMS: dict[str, str] = {
    "engine": "the rule parameter 'engine' was removed: the engine is an operator setting, "
              "`governance check --engine auto|memory|streaming|dask` or the environment "
              "variable GOVERNANCE_ENGINE; delete it from the policy",
    "scheduler": "the rule parameter 'scheduler' was removed: a Dask scheduler address is an "
                 "operator setting, `governance check --engine dask --dask-scheduler ADDR` or "
                 "the environment variable GOVERNANCE_DASK_SCHEDULER; delete it from the policy",
}


def _validate_params(rule: Rule, doc: YamlDoc, key: tuple[str | int, ...],
                     from_override: bool) -> tuple[RuleKind[Any] | None, Params]:
    """The rule's kind (None for a built-in kind: the engine imports its code when it runs)
    and its validated parameters."""
    from governance.rules.kindmap import BUILTIN_KINDS, _kind_params

    if rule.kind in BUILTIN_KINDS:  # the registry's params_model, without compiling it
        model: type[Params] | None = _kind_params(rule.kind)
    else:
        from governance.rules.registry import params_model

        model = params_model(rule.kind)
    if model is None:
        from governance.rules.registry import (
            all_kinds,
            plugin_failures,
            plugin_names,
            plugins_on,
        )

        kinds = all_kinds()
        pos = doc.locate((*key, "kind"))
        import difflib

        close = difflib.get_close_matches(rule.kind, list(kinds), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        if not plugins_on() and rule.kind in plugin_names():
            hint = (f"; {rule.kind!r} is an installed plugin, loaded only when the operator "
                    "enables plugins (governance check --plugins, or GOVERNANCE_PLUGINS=1)")
        failures = plugin_failures()
        if failures:  # the kind may be one of theirs: name them
            hint += "; plugin(s) that failed to load: " + "; ".join(
                f"{name} ({why})" for name, why in failures.items())
        raise PolicyError(f"unknown rule kind {rule.kind!r}{hint}", path=doc.path,
                          line=pos.line if pos else None, col=pos.col if pos else None,
                          field=dotted((*key, "kind")))
    moved = [k for k in MOVED_PARAMS if k in rule.params and k not in model.model_fields]
    if moved:  # operator settings that older policies set per rule
        pos = doc.locate((*key, "params", moved[0]), prefer_key=True)
        raise PolicyError(MOVED_PARAMS[moved[0]], path=doc.path,
                          line=pos.line if pos else None, col=pos.col if pos else None,
                          field=dotted((*key, "params", moved[0])))
    nan = _find_nan(rule.params, (*key, "params"))
    if nan is not None:  # NaN compares false with everything: a NaN threshold passes all
        pos = doc.locate(nan)
        raise PolicyError("NaN is not allowed here; give a number", path=doc.path,
                          line=pos.line if pos else None, col=pos.col if pos else None,
                          field=dotted(nan))
    try:
        params = strict_validate(model, rule.params)
    except ValidationError as exc:
        errors = errors_from_validation(exc, doc, prefix=(*key, "params"),
                                        error_type=PolicyError)
        if len(errors) == 1:
            raise errors[0] from None
        raise MultiError(errors) from None
    if rule.kind in BUILTIN_KINDS:
        return None, params
    from governance.rules.registry import get_kind

    return get_kind(rule.kind), params


def _resolve_rules(acc: _Acc) -> list[ResolvedRule]:
    """Every enabled rule with its kind and validated parameters; all errors at once."""
    errors: list[GovernanceError] = []
    resolved: list[ResolvedRule] = []
    for rule, location, doc, key in acc.rules.values():
        if not rule.enabled:
            continue
        try:
            kind, params = _validate_params(rule, doc, key, key[0] == "overrides")
        except MultiError as exc:
            errors.extend(exc.errors)
            continue
        except GovernanceError as exc:
            errors.append(exc)
            continue
        resolved.append(ResolvedRule(rule, kind, params, location))
    if errors:
        if len(errors) == 1:
            raise errors[0]
        raise MultiError(errors)
    return resolved


def _check_waiver_targets(acc: _Acc) -> None:
    """A waiver must name a rule id that some policy defines."""
    known = {r.id for r, *_ in acc.rules.values()}
    rw_docs = {k: v[0] for k, v in acc.waiver_docs.items()}
    rw_keys = {k: v[1] for k, v in acc.waiver_docs.items()}
    for rw in acc.waivers:
        if rw.waiver.rule_id not in known:
            loc = rw.location
            pos = rw_docs[id(rw)].locate((*rw_keys[id(rw)], "rule_id"))
            raise PolicyError(f"waiver for unknown rule id {rw.waiver.rule_id!r}",
                              path=loc.path, line=pos.line if pos else loc.line,
                              col=pos.col if pos else loc.col,
                              field=(loc.field or "waivers") + ".rule_id")


def load_policies(paths: list[Path], *, display_base: Path | None = None,
                  boundary: Boundary | None = None) -> ResolvedPolicy:
    """Load one or more policy files (with everything they extend) into one resolved policy.

    ``extends`` of a policy file is contributor input: it must stay inside ``boundary`` (by
    default the project of the current folder: see :func:`governance.paths.project_root`)
    or the folder of a top-level file the caller passed (an operator's choice).
    """
    if not paths:
        raise PolicyError("no policy given")
    if boundary is None:
        boundary = Boundary.of(project_root(Path.cwd()))
    acc = _Acc()
    tops: list[_Loaded] = []
    for path in paths:
        before = set(acc.rules)
        loaded = _merge_file(path, acc, (), display_base, boundary.with_folder(path.parent))
        tops.append(loaded)
        if len(paths) > 1:
            clash = before & {r.id for r in loaded.policy.rules}
            if clash:
                raise PolicyError(f"rule id {sorted(clash)[0]!r} is defined by two policies",
                                  path=loaded.doc.path)
    resolved = _resolve_rules(acc)
    _check_waiver_targets(acc)
    first = tops[0].policy.metadata
    name = first.name if len(tops) == 1 else "+".join(t.policy.metadata.name for t in tops)
    version = first.version if len(tops) == 1 else "+".join(
        t.policy.metadata.version for t in tops)
    if len(tops) == 1:
        digest = tops[0].sha256
    else:
        h = _sha256()()
        for t in tops:
            h.update(f"{t.doc.path}\0{t.sha256}\n".encode())
        digest = h.hexdigest()
    resolved.sort(key=lambda r: r.rule.id)
    return ResolvedPolicy(name=name, version=version, sha256=digest, files=tuple(acc.files),
                          rules=tuple(resolved), waivers=tuple(acc.waivers),
                          source=tops[0].policy, waiver_settings=tuple(acc.settings),
                          signed_waivers=tuple(acc.signed))
