"""What is shown is what was compared (issue 12 item 5): human formats never round a value so
that it contradicts the status next to it; JSON keeps exact values."""

from __future__ import annotations

import html as html_module
import json
import re
import subprocess
from pathlib import Path

import pytest

from governance.engine import summarize
from governance.report import (
    Finding,
    GroupMetricEvidence,
    GroupValue,
    IntervalEvidence,
    KeyValueEvidence,
    Report,
    Severity,
    Status,
    TableEvidence,
)
from governance.reporters import render

from .conftest import build_report

SHARE, MAX_SHARE = 0.09320975, 0.0932098  # passed: share <= max, but both read 0.0932


@pytest.fixture(scope="module")
def close_calls() -> Report:
    findings = [
        Finding(rule_id="PRIV-K", title="k-anonymity", kind="k_anonymity", family="privacy",
                severity=Severity.HIGH, status=Status.PASS, message="holds",
                observed={"smallest_class": 2, "share_below_k": SHARE},
                expected={"k": 5, "max_share_below_k": MAX_SHARE},
                evidence=[KeyValueEvidence(title="k-anonymity", items={
                    "share of records below k": SHARE, "allowed share below k": MAX_SHARE,
                    "records": 1620})]),
        Finding(rule_id="FAIR-X", title="ratio", kind="disparate_impact", family="fairness",
                severity=Severity.HIGH, status=Status.FAIL, message="below",
                observed=0.79999996, expected={"min": 0.8},
                evidence=[GroupMetricEvidence(
                    title="ratio by group", feature="sex", metric="ratio",
                    groups=[GroupValue(group="a", value=0.79999996, n=50, flagged=True),
                            GroupValue(group="b", value=1.0, n=50)],
                    threshold=0.8, threshold_label="minimum"),
                    IntervalEvidence(title="accuracy", metric="accuracy", value=0.70000003,
                                     ci_lower=0.6, ci_upper=0.8, threshold=0.7),
                    TableEvidence(title="pairs", columns=["a", "b", "value", "max |value|"],
                                  rows=[["x", "y", 0.95000004, 0.95]]),
                    TableEvidence(title="drift", columns=["column", "statistic", "p-value",
                                                          "drift if", "drifted"],
                                  rows=[["num", 0.20000004, None, "PSI > 0.2", "yes"],
                                        ["cat", 0.3, 0.04999996, "p < 0.05", "yes"]])]),
    ]
    return build_report().model_copy(update={
        "findings": findings, "waivers": [],
        "summary": summarize(findings, [], Severity.INFO)})


def test_html_shows_enough_digits(close_calls: Report) -> None:
    html = render(close_calls, "html").decode()
    plain = html_module.unescape(re.sub(r"<[^>]+>", " ", html))
    plain = re.sub(r"\s+", " ", plain)
    # expected/observed read as key-value rows (issue 17), with the digits they need
    assert "Expected k 5 max share below k 0.0932098" in plain
    assert "Observed share below k 0.0932097 smallest class 2" in plain
    assert "share of records below k 0.0932097" in plain
    assert "allowed share below k 0.0932098" in plain
    assert "a 50 0.79999996" in plain and "Threshold (minimum): 0.8." in plain
    assert "accuracy 0.70000003 0.6 0.8" in plain
    assert "x y 0.95000004 0.95" in plain
    # A threshold written inside a text cell ("drift if") counts too.
    assert "num 0.20000004 — PSI > 0.2 yes" in plain
    assert "cat 0.3 0.04999996 p < 0.05 yes" in plain
    # The chart labels too.
    assert "0.79999996 (flagged)" in plain and "minimum 0.8" in plain
    assert "accuracy 0.70000003" in plain and "threshold 0.7" in plain
    # Values that need no extra digits keep four decimals.
    assert "b 50 1 " in plain


def test_json_keeps_exact_values(close_calls: Report) -> None:
    data = json.loads(render(close_calls, "json"))
    f = {x["rule_id"]: x for x in data["findings"]}["PRIV-K"]
    assert f["observed"]["share_below_k"] == SHARE
    assert f["expected"]["max_share_below_k"] == MAX_SHARE


def test_text_and_markdown_show_exact_observed_values(close_calls: Report) -> None:
    text = render(close_calls, "text").decode()
    assert "0.79999996" in text  # fail/error findings list exact observed and expected
    md = render(close_calls, "markdown").decode()
    assert "0.79999996" in md


def test_pdf_shows_enough_digits(close_calls: Report, tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(render(close_calls, "pdf"))
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "max share below k 0.0932098" in flat
    assert "share below k 0.0932097" in flat
    assert "0.0932" + " " not in flat.replace("0.0932097 ", "").replace("0.0932098 ", "")
