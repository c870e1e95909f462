"""SARIF 2.1.0: schema-valid, levels from severity, suppressions for waivers, locations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from governance.reporters import render

URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
SCHEMA = Path(__file__).resolve().parent / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def sarif(report) -> dict:
    return json.loads(render(report, "sarif"))


def _errors(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


def test_validates_against_the_sarif_schema(validator, sarif):
    assert _errors(validator, sarif) == []
    assert sarif["version"] == "2.1.0"


def test_schema_catches_a_broken_log(validator, sarif):
    # The validator is not a rubber stamp: a wrong level and a missing message are rejected.
    broken = json.loads(json.dumps(sarif))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["results"][1]["message"]
    messages = [e.message for e in _errors(validator, broken)]
    assert any("'fatal'" in m for m in messages)
    assert any("'message' is a required property" in m for m in messages)


def test_rules_and_results(report, sarif):
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [f.rule_id for f in report.findings]
    by_id = {r["id"]: r for r in rules}
    fair = by_id["FAIR-001"]
    assert fair["name"] == "demographic_parity_ratio"
    assert fair["shortDescription"]["text"].startswith("Selection-rate ratio across sex")
    assert fair["help"]["text"].startswith("Re-weight the training data")
    assert fair["properties"]["severity"] == "critical"
    assert fair["properties"]["family"] == "fairness"
    assert {"framework": "EU AI Act", "clause": "Art. 10(2)(f)",
            "title": "Examination of possible biases"} in fair["properties"]["references"]
    assert "help" not in by_id["INT-001"]  # no remediation given

    results = {r["ruleId"]: r for r in run["results"]}
    assert len(run["results"]) == len(report.findings)
    for rid, r in results.items():
        assert rules[r["ruleIndex"]]["id"] == rid
    # level from severity for fail/error; pass and skipped are kept, with level none
    assert (results["FAIR-001"]["kind"], results["FAIR-001"]["level"]) == ("fail", "error")
    assert (results["DQ-001"]["kind"], results["DQ-001"]["level"]) == ("fail", "warning")
    assert (results["DRIFT-001"]["kind"], results["DRIFT-001"]["level"]) == ("fail", "warning")
    assert (results["VER-002"]["kind"], results["VER-002"]["level"]) == ("fail", "warning")
    assert (results["DOC-002"]["kind"], results["DOC-002"]["level"]) == ("fail", "note")
    assert (results["DOC-001"]["kind"], results["DOC-001"]["level"]) == ("pass", "none")
    assert (results["VER-001"]["kind"], results["VER-001"]["level"]) == ("notApplicable",
                                                                        "none")
    assert results["DRIFT-001"]["message"]["text"].startswith("Insufficient evidence: ")
    assert "observed 0.7143" in results["FAIR-001"]["message"]["text"]
    assert results["FAIR-001"]["properties"]["status"] == "fail"


def test_waived_finding_is_an_accepted_suppression(sarif):
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    waived = results["FAIR-002"]
    assert waived["kind"] == "fail" and waived["level"] == "error"
    [sup] = waived["suppressions"]
    assert sup["kind"] == "external" and sup["status"] == "accepted"
    assert sup["justification"].startswith("Known under-representation of applicants over 60")
    assert "Dana Okafor (MRM)" in sup["justification"]
    assert "2025-03-31" in sup["justification"] and "MRM-142" in sup["justification"]
    assert all("suppressions" not in r for rid, r in results.items() if rid != "FAIR-002")


def test_locations_point_at_policy_and_card_lines(sarif):
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    locs = results["FAIR-001"]["locations"]
    phys = [(loc["physicalLocation"]["artifactLocation"], loc["physicalLocation"]["region"])
            for loc in locs]
    assert phys == [
        ({"uri": "policy.yaml", "uriBaseId": "%SRCROOT%"}, {"startLine": 60, "startColumn": 5}),
        ({"uri": "model-card.yaml", "uriBaseId": "%SRCROOT%"},
         {"startLine": 12, "startColumn": 3}),
    ]
    assert locs[1]["logicalLocations"] == [{"name": "data.sensitive", "kind": "member"}]
    artifacts = sarif["runs"][0]["artifacts"]
    assert artifacts[0]["location"]["uri"] == "policy.yaml"
    assert len(artifacts[0]["hashes"]["sha-256"]) == 64


def test_paths_become_valid_uris(make_report, validator):
    from governance.report import SourceLocation

    base = make_report()
    f = base.findings[0].model_copy(update={"locations": [
        SourceLocation(role="policy", path="my policies/p 1.yaml", line=3),
        SourceLocation(role="card", path="/abs/dir/card #1.yaml", line=9, col=2)]})
    report = base.model_copy(update={"findings": [f, *base.findings[1:]]})
    doc = json.loads(render(report, "sarif"))
    assert _errors(validator, doc) == []
    locs = doc["runs"][0]["results"][0]["locations"]
    assert locs[0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20policies/p%201.yaml"
    assert locs[1]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///abs/dir/card%20%231.yaml"}
    # jsonschema checks "uri" formats only with optional extras; check RFC 3986 characters here.
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in doc["runs"][0]["results"] for loc in r.get("locations", [])]
    uris += [a["location"]["uri"] for a in doc["runs"][0]["artifacts"]]
    assert uris and all(URI_CHARS.fullmatch(u) for u in uris)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                        doc["runs"][0]["invocations"][0]["endTimeUtc"])


def test_hostile_text_stays_valid_sarif(hostile, validator):
    canary, report = hostile
    doc = json.loads(render(report, "sarif"))
    assert _errors(validator, doc) == []
    assert doc["runs"][0]["properties"]["model"]["name"] == "<script>alert(1)</script>"
    assert canary.requests == []
