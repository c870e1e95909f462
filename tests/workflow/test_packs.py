"""The shipped policy packs lint clean, carry framework references and run on the example."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.api import CheckRequest, run_check
from governance.policy.loader import load_policies, packs_dir, shipped_packs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "credit-scoring"
PACKS = ["baseline", "data-quality", "eu-ai-act-high-risk", "fairness", "nist-ai-rmf",
         "nyc-ll144", "privacy"]


def test_every_promised_pack_is_shipped() -> None:
    assert shipped_packs() == PACKS


def test_packs_lint_clean_without_heavy_imports() -> None:
    probe = (
        "import json, sys\n"
        "from governance.cli import main\n"
        f"code = main(['policy', 'lint', *{[str(packs_dir() / f'{p}.yaml') for p in PACKS]!r}])\n"
        "heavy = [m for m in ('pandas', 'numpy', 'sklearn', 'fairlearn', 'weasyprint', 'scipy')"
        " if m in sys.modules]\n"
        "print(json.dumps({'code': code, 'heavy': heavy}))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"code": 0, "heavy": []}
    for pack in PACKS:
        assert f"{packs_dir() / pack}.yaml: ok (" in done.stdout


@pytest.mark.parametrize("pack", PACKS)
def test_every_rule_carries_references_and_unique_ids(pack: str) -> None:
    policy = load_policies([packs_dir() / f"{pack}.yaml"])
    assert policy.name == pack
    assert policy.rules
    for rr in policy.rules:
        assert rr.rule.references, f"{pack}: {rr.rule.id} has no references"
    other_ids = {rr.rule.id for p in PACKS if p != pack
                 for rr in load_policies([packs_dir() / f"{p}.yaml"]).rules}
    assert not other_ids & {rr.rule.id for rr in policy.rules}


def _clauses(pack: str, framework: str) -> set[str]:
    policy = load_policies([packs_dir() / f"{pack}.yaml"])
    return {ref.clause for rr in policy.rules for ref in rr.rule.references
            if ref.framework == framework}


def test_eu_ai_act_pack_maps_articles_9_to_15() -> None:
    clauses = _clauses("eu-ai-act-high-risk", "EU AI Act")
    articles = {int(m.group(1)) for c in clauses if (m := re.match(r"Art\. (\d+)", c))}
    assert articles == set(range(9, 16))
    assert {"Art. 10(2)(f)", "Art. 13(3)(b)(ii)", "Art. 15(5)", "Art. 9(8)"} <= clauses


def test_nist_pack_maps_measure_and_manage_subcategories() -> None:
    clauses = _clauses("nist-ai-rmf", "NIST AI RMF")
    assert {"MEASURE 2.1", "MEASURE 2.3", "MEASURE 2.5", "MEASURE 2.7", "MEASURE 2.9",
            "MEASURE 2.10", "MEASURE 2.11", "MANAGE 1.1", "MANAGE 4.1"} <= clauses
    assert all(re.fullmatch(r"(MEASURE|MANAGE) \d\.\d+", c) for c in clauses)


def test_nyc_ll144_pack_uses_impact_ratio_with_small_group_exclusion() -> None:
    policy = load_policies([packs_dir() / "nyc-ll144.yaml"])
    ratio = [rr for rr in policy.rules if rr.rule.kind == "disparate_impact"]
    assert len(ratio) == 2
    for rr in ratio:
        p = rr.params.model_dump()
        assert (p["min_ratio"], p["small_groups"], p["min_group_fraction"]) == (0.8, "exclude",
                                                                                 0.02)
    assert sorted(rr.params.model_dump()["intersections"] for rr in ratio) == [False, True]


@pytest.mark.parametrize("pack", PACKS)
def test_pack_runs_on_the_bundled_example(pack: str, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("apiVersion: governance/v1\nkind: Policy\n"
                      f"metadata: {{name: uses-{pack}, version: '1'}}\nextends: [{pack}]\n",
                      encoding="utf-8")
    report = run_check(CheckRequest(
        policies=[policy], card=EXAMPLE / "model-card.yaml", root=EXAMPLE,
        baseline=EXAMPLE / "baseline" / "model-card.yaml",
        now=datetime(2026, 12, 1, tzinfo=UTC), report_id="pack-test")).report
    expected_ids = {rr.rule.id for rr in load_policies([packs_dir() / f"{pack}.yaml"]).rules}
    assert {f.rule_id for f in report.findings} == expected_ids
    for f in report.findings:
        assert not f.message.startswith(("rule crashed", "rule did not finish")), (
            f.rule_id, f.message)
        assert f.references
    assert report.policy.files[0] == f"pack:{pack}"
