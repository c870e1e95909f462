"""What the report says, before layout: readable expected/observed values, no placeholders,
default guidance, charts that wrap (never cut) their labels, no table printed twice."""

from __future__ import annotations

from governance.report import (
    Finding,
    GroupMetricEvidence,
    GroupValue,
    Severity,
    Status,
    TableEvidence,
)
from governance.reporters._charts import bar_chart_alt, group_chart, wrap_label
from governance.reporters._facts import Cell, FactView, fact_view
from governance.reporters._remediation import DEFAULTS, ERROR_GUIDANCE
from governance.reporters._view import build_view
from governance.rules.registry import BUILTIN_KINDS


def _finding(**kw: object) -> Finding:
    base: dict[str, object] = dict(rule_id="R-1", title="t", kind="claim_consistency",
                                   family="performance", severity=Severity.HIGH,
                                   status=Status.FAIL, message="m")
    base.update(kw)
    return Finding.model_validate(base)


def test_list_of_records_is_a_rounded_table() -> None:
    fv = fact_view([{"metric": "accuracy", "declared": 0.7367,
                     "recomputed": 0.7366666666666667, "difference": 3.333333333332966e-05},
                    {"metric": "f1", "declared": 0.82, "recomputed": 0.8200455580865603,
                     "difference": -4.555808656037108e-05}])
    # columns sorted as in the canonical JSON, words before numbers
    assert fv == FactView("table", columns=("metric", "declared", "difference", "recomputed"),
                          cells=((Cell("accuracy"), Cell("0.7367", True),
                                  Cell("3.333e-05", True), Cell("0.7367", True)),
                                 (Cell("f1"), Cell("0.82", True), Cell("-4.556e-05", True),
                                  Cell("0.82", True))))


def test_missing_values_are_left_out_not_shown_as_placeholders() -> None:
    assert fact_view(None) is None
    assert fact_view({"relative_tolerance": None}) is None
    assert fact_view({"tolerance": 0.001, "relative_tolerance": None}) == FactView(
        "text", text="tolerance: 0.001")
    assert fact_view({"max": 0.3, "measure": "difference", "method": None}) == FactView(
        "kv", rows=(("max", "0.3"), ("measure", "difference")))
    per_feature = fact_view({"sex": {"value": 0.0656, "ci_upper": 0.1721},
                             "age_group": {"value": 0.0978, "ci_upper": 0.245}})
    assert per_feature is not None and per_feature.kind == "table"
    assert per_feature.columns == ("item", "ci upper", "value")
    assert [c.text for c in per_feature.cells[0]] == ["age_group", "0.245", "0.0978"]


def test_observed_already_in_an_evidence_table_is_referenced_not_repeated(report) -> None:
    rows = [{"metric": m, "declared": 0.5} for m in ("a", "b")]
    f = _finding(observed=rows, evidence=[TableEvidence(
        title="Declared vs recomputed metrics", columns=["metric", "declared"],
        rows=[["a", 0.5], ["b", 0.5]])])
    view = build_view(report.model_copy(update={"findings": [f]}))
    observed = view.families[0].findings[0].observed
    assert observed == FactView("text", text="2 rows, listed in the table “Declared vs "
                                "recomputed metrics” below")


def test_per_group_table_repeating_the_chart_is_dropped(report) -> None:
    groups = [GroupValue(group="sex=female", value=0.71, n=96),
              GroupValue(group="sex=male", value=0.78, n=204)]
    f = _finding(kind="fairness_gap", evidence=[
        GroupMetricEvidence(title="selection_rate by sex", feature="sex",
                            metric="selection_rate", groups=groups),
        TableEvidence(title="Per-group metrics by sex", columns=["group", "n", "rate"],
                      rows=[["sex=female", 96, 0.71], ["sex=male", 204, 0.78],
                            ["overall", 300, 0.76]]),
        TableEvidence(title="Other", columns=["group", "x"], rows=[["other", 1]])])
    view = build_view(report.model_copy(update={"findings": [f]}))
    kept = [e.block.title for e in view.families[0].findings[0].evidence]
    assert kept == ["selection_rate by sex", "Other"]


def test_default_remediation_per_kind_and_policy_text_wins(report) -> None:
    assert set(DEFAULTS) == set(BUILTIN_KINDS)
    fails = [_finding(rule_id="A", kind="fairness_gap"),
             _finding(rule_id="B", kind="fairness_gap", remediation="Ask MRM."),
             _finding(rule_id="C", status=Status.ERROR),
             _finding(rule_id="D", status=Status.PASS)]
    view = build_view(report.model_copy(update={"findings": fails}))
    got = {fv.f.rule_id: (fv.remediation, fv.remediation_default)
           for fv in view.families[0].findings}
    assert got == {"A": (DEFAULTS["fairness_gap"], True), "B": ("Ask MRM.", False),
                   "C": (ERROR_GUIDANCE, True), "D": (None, False)}


def test_chart_labels_wrap_whole_and_alt_text_has_the_numbers() -> None:
    label = "race=Amer-Indian-Eskimo-and-Pacific-Islander"
    assert "".join(wrap_label(label, 20)).replace(" ", "") == label
    assert all(len(line) <= 20 for line in wrap_label(label, 20))
    ev = GroupMetricEvidence(title="t", feature="race", metric="selection_rate", groups=[
        GroupValue(group=label, value=0.5, ci_lower=0.4, ci_upper=0.6, flagged=True),
        GroupValue(group="race=White", value=0.7)], overall=0.65, threshold=0.8,
        threshold_label="four-fifths")
    chart = group_chart(ev)
    assert "".join(chart.bars[0].lines) == label
    assert chart.bars[1].y - chart.bars[0].y >= 22
    assert bar_chart_alt(ev) == (
        "Bar chart of selection_rate by race: race=Amer-Indian-Eskimo-and-Pacific-Islander 0.5 "
        "(confidence interval 0.4 to 0.6), flagged; race=White 0.7. Overall 0.65. "
        "four-fifths 0.8.")
