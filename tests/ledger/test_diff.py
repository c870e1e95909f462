"""``diff_reports`` on a real report and edited copies: every category lands where it should,
numbers are the reports' own (read from the JSON here, not from the code under test)."""

from __future__ import annotations

import copy
import json
from typing import Any

from governance.ledger.diff import render_markdown, render_text
from governance.releases import diff_reports
from governance.report import Report
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "reporters" / "golden" / "report.json"


def _report(data: dict[str, Any]) -> Report:
    return Report.model_validate(data)


def test_diff_categories_and_numbers() -> None:
    a = json.loads(GOLDEN.read_text())
    b = copy.deepcopy(a)
    b["target"]["release"] = "credit-scoring-1.2.0"
    by_id = {f["rule_id"]: f for f in b["findings"]}
    by_id["FAIR-001"]["status"] = "pass"  # fixed
    by_id["INT-001"]["status"] = "fail"  # new failure
    by_id["VER-001"]["status"] = "pass"  # skipped -> pass: other change
    perf = next(e for e in by_id["PERF-001"]["evidence"] if e["type"] == "interval")
    before, lo, hi = perf["value"], perf["ci_lower"], perf["ci_upper"]
    perf.update(value=before - 0.05, ci_lower=0.61, ci_upper=0.75)
    by_id["FAIR-002"]["waiver"]["expires"] = "2028-01-31"  # waiver changed
    by_id["PERF-001"]["waiver"] = dict(by_id["FAIR-002"]["waiver"], rule_id="PERF-001")
    b["findings"] = [f for f in b["findings"] if f["rule_id"] != "DOC-002"]  # rule dropped
    d = diff_reports(_report(a), _report(b))
    assert [c.rule_id for c in d.new_failures] == ["INT-001"]
    assert [(c.rule_id, c.before, c.after) for c in d.fixed] == [
        ("DOC-002", "fail", None), ("FAIR-001", "fail", "pass")]
    assert [(c.rule_id, c.before, c.after) for c in d.other_changes] == [
        ("VER-001", "skipped", "pass")]
    (m,) = d.metrics
    assert (m.rule_id, m.before.value, m.after.value) == ("PERF-001", before, before - 0.05)
    assert abs(m.delta - (-0.05)) < 1e-12  # type: ignore[operator]
    assert (m.after.ci_lower, m.after.ci_upper) == (0.61, 0.75)
    assert len(d.waivers_added) == 1 and d.waivers_added[0].startswith("PERF-001 until 2028-01-31")
    assert d.waivers_removed == []
    assert len(d.waivers_changed) == 1 and "-> FAIR-002 until 2028-01-31" in d.waivers_changed[0]
    text = render_text(d)
    assert (f"PERF-001 Accuracy on the test split: {before:.4f} [{lo:.4f}, {hi:.4f}] -> "
            f"{before - 0.05:.4f} [0.6100, 0.7500] (delta -0.0500") in text
    md = render_markdown(d)
    assert "**New failures** (1)\n- `INT-001` pass → fail:" in md
    assert "| -0.0500 |" in md
