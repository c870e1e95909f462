"""``governance verify --reproduce``: re-derive a signed report's findings from its bound inputs.

Every input the report records (policies, card, baseline, artifacts, signed waivers) must still
have its recorded sha256 under the artifacts root; then the policy is evaluated again with the
report's seed, as-of time (``generated_at``), target, ``fail_on`` and recorded run settings,
and the canonical findings, waiver notices, summary and inputs must be identical. Every
difference is listed. ``environment`` (library versions), ``report_id`` and ``generated_at``
are not compared: the first describes the machine, the others are reused.

What it adds to ``verify``: a signature shows who vouched for a report; reproducing shows the
report is what the tool computes from those inputs, without trusting its author.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from governance.errors import ArtifactError
from governance.evidence.store import ArtifactStore, digests_equal, safe_relative
from governance.report import Report
from governance.signing.subjects import PACK_PREFIX, digest_of, pack_file

MAX_SHOWN = 160


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 1] + "…"


def _policy_path(name: str, root: Path) -> Path:
    if name.startswith(PACK_PREFIX):
        folder, file = pack_file(name)
        return folder / file
    return root / safe_relative(name)


def check_inputs(report: Report, root: Path) -> list[str]:
    store = ArtifactStore(root)
    problems: list[str] = []
    for inp in report.inputs:
        try:
            actual = digest_of(inp.path, store)
        except ArtifactError as exc:
            problems.append(f"input {inp.path} ({inp.role}) cannot be checked: {exc.message}")
            continue
        if not digests_equal(actual, inp.sha256):
            problems.append(f"input {inp.path} ({inp.role}) changed: the report records sha256 "
                            f"{inp.sha256}, found {actual}")
    return problems


def compare(old: Report, new: Report) -> list[str]:
    """Every difference between the recorded and the reproduced report (empty: identical)."""
    diffs: list[str] = []
    a = {f.rule_id: f.model_dump(mode="json") for f in old.findings}
    b = {f.rule_id: f.model_dump(mode="json") for f in new.findings}
    for rid in sorted(a.keys() - b.keys()):
        diffs.append(f"{rid}: in the report, not produced when reproduced")
    for rid in sorted(b.keys() - a.keys()):
        diffs.append(f"{rid}: produced when reproduced, not in the report")
    for rid in [f.rule_id for f in old.findings if f.rule_id in b]:
        fa, fb = a[rid], b[rid]
        for key in sorted(fa.keys() | fb.keys()):
            if fa.get(key) != fb.get(key):
                diffs.append(f"{rid}: {key} is {_short(fa.get(key))} in the report, "
                             f"{_short(fb.get(key))} when reproduced")
    if [f.rule_id for f in old.findings] != [f.rule_id for f in new.findings] and not (
            a.keys() ^ b.keys()):
        diffs.append("the findings are in a different order")
    da, db = old.model_dump(mode="json"), new.model_dump(mode="json")
    for name in ("summary", "waivers", "policy", "model", "target"):
        va, vb = da.get(name), db.get(name)
        if va != vb:
            diffs.append(f"{name} is {_short(va)} in the report, {_short(vb)} when reproduced")
    ia = {(i.role, i.path, i.sha256) for i in old.inputs}
    ib = {(i.role, i.path, i.sha256) for i in new.inputs}
    for role, path, sha in sorted(ia - ib):
        diffs.append(f"input {path} ({role}, sha256 {sha[:16]}) is recorded in the report but "
                     "was not read when reproduced")
    for role, path, sha in sorted(ib - ia):
        diffs.append(f"input {path} ({role}, sha256 {sha[:16]}) was read when reproduced but "
                     "is not recorded in the report")
    return diffs


def reproduce(report: Report, root: Path, trusted_keys: Path | None) -> list[str]:
    """Differences between ``report`` and a fresh evaluation of its inputs under ``root``."""
    run = report.run
    if run is None:
        return ["the report records no run settings (`run`): it was made by an older version "
                "and cannot be reproduced"]
    problems = check_inputs(report, root)
    if problems:
        return problems
    roles = {i.role: i.path for i in report.inputs}
    if "card" not in roles:
        return ["the report records no model card input"]
    from governance.api import CheckRequest, run_check

    try:
        policies = [_policy_path(p, root) for p in run.policies]
        card = root / safe_relative(roles["card"])
        baseline = root / safe_relative(roles["baseline"]) if "baseline" in roles else None
    except ArtifactError as exc:
        return [f"cannot reproduce: {exc.message}"]
    fresh = run_check(CheckRequest(
        policies=policies, card=card, root=root, baseline=baseline,
        fail_on=report.summary.fail_on, now=report.generated_at, report_id=report.report_id,
        target=report.target, rule_timeout=run.rule_timeout, seed=run.seed,
        waiver_warn_days=run.waiver_warn_days, waiver_settings=run.waivers,
        config_path=run.config_path, trusted_keys=trusted_keys)).report
    return compare(report, fresh)
