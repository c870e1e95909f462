"""Run a rule-kind case file (``tests/cases/<kind>.yaml``) with the ``policy test`` library.

A case file holds the cases of one rule kind::

    kind: missing_values
    as_of: 2026-12-01            # the run's clock (waiver expiry, dates in rules)
    cases:
      - name: pass
        params: {artifact: train-data, max_column_rate: 0.0}
        expect: {status: pass, observed: 0.0}
      - name: error
        card: fixtures/card-sparse.yaml   # relative to tests/cases/; default: the example card
        baseline: null                    # default: the example's baseline card
        params: {...}
        expect: {status: error, message: "a piece of the message"}
      - name: waived
        params: {...}                     # failing parameters
        waived: true                      # the policy waives this rule
        expect: {status: waived, observed: 0.25}

Every case becomes one rule of a generated policy (``CASE-<n>``), checked against the bundled
example project (``examples/credit-scoring``: its card, artifacts and baseline unless the case
names others); cases that share a card and baseline share one run. The expectations are
checked by :func:`governance.policytest.compare` (status, observed value to 1e-9, message
piece), the code behind ``governance policy test``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from governance.api import CheckRequest
from governance.paths import Boundary
from governance.policytest import RuleExpect, compare, run_request
from governance.yamlio import load_yaml_file

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXAMPLE = REPO / "examples" / "credit-scoring"
CARD = EXAMPLE / "model-card.yaml"
BASELINE = EXAMPLE / "baseline" / "model-card.yaml"
STATUSES = ("pass", "fail", "error", "waived")
_UNSET = object()


@dataclass(frozen=True)
class Case:
    index: int
    name: str
    params: dict[str, Any]
    card: Path
    baseline: Path | None
    waived: bool
    expect: dict[str, Any]

    @property
    def rule_id(self) -> str:
        return f"CASE-{self.index + 1}"


def load_cases(path: Path) -> tuple[str, date, list[Case]]:
    data = load_yaml_file(path, str(path)).data
    cases = []
    for i, raw in enumerate(data["cases"]):
        card = HERE / raw["card"] if raw.get("card") else CARD
        base = raw.get("baseline", _UNSET)
        baseline = BASELINE if base is _UNSET else (HERE / base if base else None)
        cases.append(Case(i, raw["name"], dict(raw.get("params") or {}), card, baseline,
                          bool(raw.get("waived", False)), dict(raw["expect"])))
    return data["kind"], date.fromisoformat(str(data["as_of"])), cases


def policy_for(kind: str, cases: list[Case], as_of: date) -> dict[str, Any]:
    rules = [{"id": c.rule_id, "title": c.name, "kind": kind, "severity": "high",
              "params": c.params} for c in cases]
    waivers = [{"rule_id": c.rule_id, "reason": "rule-kind case: waived", "approved_by":
                "case harness", "expires": date(as_of.year + 1, 1, 1).isoformat()}
               for c in cases if c.waived]
    doc: dict[str, Any] = {"apiVersion": "governance/v1", "kind": "Policy",
                           "metadata": {"name": f"cases-{kind}", "version": "1.0.0"},
                           "rules": rules}
    if waivers:
        doc["waivers"] = waivers
    return doc


def run_cases(path: Path, tmp: Path) -> tuple[list[Case], dict[str, Any], list[str]]:
    """Run every case of ``path``: (cases, findings by rule id, problems found)."""
    kind, as_of, cases = load_cases(path)
    now = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC)
    groups: dict[tuple[Path, Path | None], list[Case]] = {}
    for case in cases:
        groups.setdefault((case.card, case.baseline), []).append(case)
    findings: dict[str, Any] = {}
    problems: list[str] = []
    for n, ((card, baseline), group) in enumerate(groups.items()):
        policy = tmp / f"policy-{n}.yaml"
        policy.write_text(json.dumps(policy_for(kind, group, as_of), indent=1))
        req = CheckRequest(policies=[policy], card=card, root=EXAMPLE, baseline=baseline,
                           now=now, report_id=f"cases-{kind}-{n}",
                           boundary=Boundary.of(EXAMPLE).with_folder(tmp))
        report, failure = run_request(req)
        if report is None:
            problems.append(f"{[c.name for c in group]}: {failure}")
            continue
        findings.update({f.rule_id: f for f in report.findings})
        expect = {c.rule_id: RuleExpect.model_validate(c.expect) for c in group}
        names = {c.rule_id: c.name for c in group}
        for problem in compare(report, expect, None):
            rule_id = problem.split(":", 1)[0]
            problems.append(f"case {names.get(rule_id, rule_id)!r}: {problem}")
    return cases, findings, problems
