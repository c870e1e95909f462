"""The Python API: load inputs, evaluate, render. No printing, no exiting.

>>> from governance.api import CheckRequest, run_check
>>> result = run_check(CheckRequest(policies=[...], card=..., root=...))  # doctest: +SKIP
>>> result.report.summary.status
"""

from __future__ import annotations

import platform
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from governance.baseline import Baseline, load_baseline
from governance.card.loader import load_card
from governance.engine import DEFAULT_RULE_TIMEOUT, EngineOptions, evaluate
from governance.evidence.context import ENGINES
from governance.evidence.store import ArtifactStore
from governance.paths import Boundary
from governance.policy.loader import load_policies, policy_display
from governance.report import (
    Report,
    RunSettings,
    Severity,
    SignatureInfo,
    Target,
    WaiverSettings,
)
from governance.reporters import check_format, render
from governance.worker import WorkerSpec


@dataclass(frozen=True)
class CheckRequest:
    policies: Sequence[Path]
    card: Path
    root: Path
    baseline: Path | None = None
    fail_on: Severity = Severity.INFO
    now: datetime | None = None
    report_id: str | None = None
    target: Target = field(default_factory=Target)
    # Where the policies' ``extends`` may reach (default: ``root``); see governance.paths.
    boundary: Boundary | None = None
    rule_timeout: float = DEFAULT_RULE_TIMEOUT
    seed: int = 0
    waiver_warn_days: int = 14
    on_rule_done: Callable[[int, int, str], None] | None = None
    on_rule_start: Callable[[int, int, str], None] | None = None
    # Passed to every rule as RuleContext.extras (e.g. "progress_rows": a callback
    # (rows read, total rows or None) called by the streaming engine).
    extras: dict[str, Any] = field(default_factory=dict)
    # Waiver requirements and signed waiver files of governance.yaml (`waivers:`), and the
    # trust file that signed waivers are checked against (an operator setting).
    waiver_settings: WaiverSettings | None = None
    config_path: str = "governance.yaml"
    trusted_keys: Path | None = None
    # Operator settings (command line / environment only; see governance.commands.check):
    engine: str = "auto"  # auto | memory | streaming | dask
    dask_scheduler: str | None = None  # e.g. tcp://10.0.0.5:8786 for engine dask
    plugins: bool = False  # load rule kinds from entry points (group governance.rules)
    isolate_rules: bool = False  # every rule in a killable worker process (not only the
    # kinds that run policy-supplied patterns)


@dataclass(frozen=True)
class CheckResult:
    report: Report


def _display(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def environment() -> dict[str, str]:
    """Versions of the interpreter and of the libraries that computed the evidence."""
    from importlib.metadata import PackageNotFoundError, version

    env = {"python": platform.python_version(), "platform": platform.system().lower()}
    for pkg in ("numpy", "pandas", "scikit-learn", "fairlearn", "pydantic"):
        try:
            env[pkg] = version(pkg)
        except PackageNotFoundError:
            continue
    return env


def repository_subdir(root: Path) -> str:
    """Where the project root sits in its repository: the POSIX path from the nearest folder at
    or above ``root`` that holds ``.git`` (a folder, or a file for worktrees and submodules),
    ``"."`` when it is that folder or when there is none. SARIF, GitHub and GitLab reports make
    their paths relative to the repository root with it."""
    start = root.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            rel = start.relative_to(folder).as_posix()
            return rel or "."
    return "."


def run_check(req: CheckRequest) -> CheckResult:
    from governance.errors import InputError
    from governance.reporters._ci import REPO_KEY
    from governance.rules import registry

    if req.engine not in ENGINES:
        raise InputError(f"unknown engine {req.engine!r}; valid: {', '.join(ENGINES)}",
                         field="--engine")
    if req.dask_scheduler is not None and req.engine != "dask":
        raise InputError("a Dask scheduler address needs --engine dask",
                         field="--dask-scheduler")
    root = req.root.resolve()
    with registry.plugins_enabled(req.plugins):
        policy = load_policies(list(req.policies), display_base=root,
                               boundary=req.boundary or Boundary.of(root))
    card = load_card(req.card, _display(req.card, root))
    baseline: Baseline | None = None
    if req.baseline is not None:
        baseline = load_baseline(req.baseline, _display(req.baseline, root))
    store = ArtifactStore(root)
    now = req.now or datetime.now(UTC).replace(microsecond=0)
    from governance.signed_waivers import vet_waivers

    trust = None
    if req.trusted_keys is not None:
        from governance.signing.trust import load_trust_file

        trust = load_trust_file(req.trusted_keys)
    vetted = vet_waivers(policy, store, now=now, trust=trust, config=req.waiver_settings,
                         config_path=req.config_path)
    options = EngineOptions(fail_on=req.fail_on, rule_timeout=req.rule_timeout, seed=req.seed,
                            target=req.target,
                            environment={**environment(), REPO_KEY: repository_subdir(root)},
                            waiver_warn_days=req.waiver_warn_days,
                            on_rule_done=req.on_rule_done,
                            on_rule_start=req.on_rule_start, waiver_notices=vetted.notices,
                            run=RunSettings(seed=req.seed, policies=[
                                policy_display(p, root) for p in req.policies],
                                rule_timeout=req.rule_timeout,
                                waiver_warn_days=req.waiver_warn_days,
                                waivers=req.waiver_settings, config_path=req.config_path),
                            engine=req.engine, dask_scheduler=req.dask_scheduler,
                            isolate_all=req.isolate_rules,
                            worker=WorkerSpec(
                                root=root, card_file=req.card.resolve(),
                                card_display=card.path, card_sha256=card.sha256,
                                baseline_file=None if req.baseline is None
                                else req.baseline.resolve(),
                                baseline_display=None if baseline is None else baseline.path,
                                baseline_sha256=None if baseline is None else baseline.sha256,
                                plugins=req.plugins))
    try:
        report = evaluate(vetted.policy, card, store, now=now,
                          report_id=req.report_id or str(uuid.uuid4()), baseline=baseline,
                          options=options, extras=dict(req.extras))
    finally:
        store.close()
    return CheckResult(report=report)


def render_all(report: Report, formats: Sequence[str],
               signatures: Sequence[SignatureInfo] = (),
               history: Sequence[Report] = ()) -> dict[str, bytes]:
    """Render every format in memory first, so a failure writes nothing half-way.

    ``history``: the model's previous releases' reports, oldest first (release ledger)."""
    for fmt in formats:
        check_format(fmt)
    return {fmt: render(report, fmt, signatures, history) for fmt in dict.fromkeys(formats)}
