"""JUnit XML is valid against the Jenkins JUnit schema and parses with junitparser; one case
per rule; statuses map to JUnit results."""

from __future__ import annotations

from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped
from lxml import etree

from governance.reporters import render

XSD = Path(__file__).resolve().parents[1] / "data" / "schemas" / "junit-10.xsd"


@pytest.fixture(scope="module")
def jenkins() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _schema_errors(schema: etree.XMLSchema, data: bytes) -> list[str]:
    ok = schema.validate(etree.fromstring(data))
    errors = [e.message for e in schema.error_log]
    assert ok == (not errors)
    return errors


def test_valid_against_the_jenkins_junit_schema(jenkins, report):
    data = render(report, "junit")
    assert _schema_errors(jenkins, data) == []
    root = etree.fromstring(data)
    assert root.tag == "testsuites" and "skipped" not in root.attrib
    [suite] = root
    assert suite.get("skipped") == "2"
    # GitLab and Azure DevOps read these elements and the message attribute.
    assert {el.tag for el in root.iter()} >= {"testsuite", "testcase", "failure", "error",
                                               "skipped"}
    assert all(el.get("message") for el in root.iter("failure", "error", "skipped"))


def test_the_schema_is_not_a_rubber_stamp(jenkins, report):
    root = etree.fromstring(render(report, "junit"))
    root.set("skipped", "2")  # what the reporter used to write
    next(root.iter("testcase")).attrib.pop("name")
    errors = _schema_errors(jenkins, etree.tostring(root))
    assert any("attribute 'skipped' is not allowed" in e for e in errors)
    assert any("attribute 'name' is required" in e for e in errors)


def _parse(tmp_path, data: bytes) -> JUnitXml:
    path = tmp_path / "report.junit.xml"
    path.write_bytes(data)
    return JUnitXml.fromfile(str(path))


@pytest.fixture
def suite(tmp_path, report):
    xml = _parse(tmp_path, render(report, "junit"))
    suites = list(xml)
    assert len(suites) == 1
    return suites[0]


def test_counts(suite, report):
    assert suite.tests == len(report.findings) == 11
    assert suite.failures == 3  # FAIR-001, DQ-001, DOC-002
    assert suite.errors == 2  # DRIFT-001, VER-002
    assert suite.skipped == 2  # VER-001 skipped, FAIR-002 waived
    props = {p.name: p.value for p in suite.properties()}
    assert props["verdict"] == "fail"
    assert props["report_id"] == report.report_id


def test_one_case_per_rule(suite, report):
    cases = {c.name: c for c in suite}
    assert len(cases) == len(report.findings)
    for f in report.findings:
        case = cases[f"{f.rule_id}: {f.title}"]
        assert case.classname == f.family
        kinds = [type(r) for r in case.result]
        expected = {"pass": [], "fail": [Failure], "error": [Error], "skipped": [Skipped],
                    "waived": [Skipped]}[f.status.value]
        assert kinds == expected, f.rule_id
    fail = cases["FAIR-001: Selection-rate ratio across sex is at least 0.80 (four-fifths rule)"]
    [failure] = fail.result
    assert failure.message == "selection-rate ratio female/male is 0.7143 < 0.80."
    assert failure.type == "critical"
    assert "at policy.yaml:60:5 (rules[3].params.min)" in failure.text
    assert "evidence for EU AI Act Art. 10(2)(f)" in failure.text
    waived = cases["FAIR-002: True-positive-rate difference across age groups <= 0.10"]
    [skip] = waived.result
    assert skip.message.startswith("waived by Dana Okafor (MRM) until 2025-03-31: Known")
    assert skip.message.endswith("[MRM-142]")
    drift = cases["DRIFT-001: Population stability index per feature is below 0.2"]
    [err] = drift.result
    assert err.type == "insufficient-evidence"
    assert "cannot compute PSI" in err.message


def test_hostile_text_and_control_characters_still_parse(tmp_path, hostile, jenkins):
    canary, report = hostile
    f = report.findings[0].model_copy(update={"message": "bell\x07 nul\x00 esc\x1b ]]> &amp;"})
    report = report.model_copy(update={"findings": [f, *report.findings[1:]]})
    data = render(report, "junit")
    assert _schema_errors(jenkins, data) == []
    xml = _parse(tmp_path, data)
    [suite] = list(xml)
    assert report.findings[0].rule_id == "FAIR-001"
    [case] = [c for c in suite if c.name.startswith("FAIR-001")]
    [failure] = case.result
    # control characters XML cannot carry are replaced; markup-like text survives as text
    assert failure.message == "bell\\x07 nul\\x00 esc\\x1b ]]> &amp;"  # shown, not dropped
    assert suite.name.endswith("<script>alert(1)</script> javascript:alert(1)")
    assert canary.requests == []
