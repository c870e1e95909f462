"""SARIF 2.1.0 for code scanning: valid against the OASIS schema (and the SARIF SDK's copy),
results only for fail/error (waived ones suppressed), a stable category per model and policy,
URIs relative to the repository root, rules with full help, stable fingerprints."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from governance.report import SourceLocation, Status
from governance.reporters import render

URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")
TESTS = Path(__file__).resolve().parents[1]
OASIS_SCHEMA = TESTS / "data" / "schemas" / "sarif-schema-2.1.0.json"
SDK_SCHEMA = TESTS / "reporters" / "data" / "sarif-schema-2.1.0.json"


def _validator(path: Path, cls):  # type: ignore[no-untyped-def]
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def validators() -> list:
    # The OASIS TC's published schema (draft-04) and the SARIF SDK's (draft 2020-12).
    return [_validator(OASIS_SCHEMA, jsonschema.Draft4Validator),
            _validator(SDK_SCHEMA, jsonschema.Draft202012Validator)]


@pytest.fixture(scope="module")
def sarif(report) -> dict:
    return json.loads(render(report, "sarif"))


def _errors(validators, doc):
    return [sorted(e.message for e in v.iter_errors(doc)) for v in validators]


def test_validates_against_both_sarif_schemas(validators, sarif):
    assert _errors(validators, sarif) == [[], []]
    assert sarif["version"] == "2.1.0"


def test_schema_catches_a_broken_log(validators, sarif):
    # The validators are not rubber stamps: a wrong level, a missing message and a
    # fingerprint that is not a string are rejected by both.
    broken = json.loads(json.dumps(sarif))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["results"][1]["message"]
    broken["runs"][0]["results"][2]["partialFingerprints"]["x"] = 3
    for messages in _errors(validators, broken):
        assert any("'fatal'" in m for m in messages)
        assert any("'message' is a required property" in m for m in messages)
        assert any("3 is not of type 'string'" in m for m in messages)


def test_results_only_for_fail_error_and_waived(report, sarif):
    run = sarif["runs"][0]
    results = {r["ruleId"]: r for r in run["results"]}
    attention = {f.rule_id: f for f in report.findings
                 if f.status in (Status.FAIL, Status.ERROR, Status.WAIVED)}
    assert set(results) == set(attention) == {"FAIR-001", "FAIR-002", "DQ-001", "DRIFT-001",
                                              "VER-002", "DOC-002"}
    assert all(r["kind"] == "fail" for r in run["results"])  # no pass / notApplicable
    assert [(rid, r["level"]) for rid, r in results.items()] == [
        ("FAIR-001", "error"), ("FAIR-002", "error"), ("DQ-001", "warning"),
        ("DRIFT-001", "warning"), ("VER-002", "warning"), ("DOC-002", "note")]
    assert results["DRIFT-001"]["message"]["text"].startswith("Insufficient evidence: ")
    assert "observed 0.7143" in results["FAIR-001"]["message"]["text"]
    counts = run["properties"]["counts"]
    assert counts == {"pass": 4, "fail": 3, "error": 2, "skipped": 1, "waived": 1}


def test_waived_finding_is_an_accepted_suppression(sarif):
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    waived = results["FAIR-002"]
    [sup] = waived["suppressions"]
    assert sup["kind"] == "external" and sup["status"] == "accepted"
    assert sup["justification"].startswith("Known under-representation of applicants over 60")
    assert "Dana Okafor (MRM)" in sup["justification"]
    assert "2025-03-31" in sup["justification"] and "MRM-142" in sup["justification"]
    assert all("suppressions" not in r for rid, r in results.items() if rid != "FAIR-002")


def test_rules_carry_descriptions_and_help(report, sarif):
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [f.rule_id for f in report.findings]
    for r in sarif["runs"][0]["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    by_id = {r["id"]: r for r in rules}
    fair = by_id["FAIR-001"]
    assert fair["name"] == "demographic_parity_ratio"
    assert fair["shortDescription"]["text"].startswith("Selection-rate ratio across sex")
    assert fair["properties"]["severity"] == "critical"
    assert {"framework": "EU AI Act", "clause": "Art. 10(2)(f)",
            "title": "Examination of possible biases"} in fair["properties"]["references"]
    assert "**Remediation:** Re-weight the training data" in fair["help"]["markdown"]
    assert "Remediation: Re-weight the training data" in fair["help"]["text"]
    assert "**Evidence for:** EU AI Act Art. 10\\(2\\)\\(f\\)" in fair["help"]["markdown"]
    # A built-in kind is explained by its registry summary (what `governance rules` prints).
    from governance.rules.registry import get_kind

    doc = by_id["DOC-001"]
    summary = get_kind("card_fields").summary
    assert doc["fullDescription"]["text"] == summary
    assert doc["help"]["markdown"].startswith(
        "**Rule kind** `card_fields` (documentation): Required model-card fields are present "
        "and non-empty \\(dotted paths\\)")
    assert "Explain locally: `governance policy explain DOC-001`" in doc["help"]["markdown"]
    # No helpUri: no documentation site the tool owns (explained in the module docstring).
    assert all("helpUri" not in r for r in rules)


def test_category_is_stable_per_model_and_policy(make_report, report, sarif):
    run = sarif["runs"][0]
    assert run["automationDetails"]["id"] == "governance/credit-scoring/credit-scoring-release/"
    # Another release of the same model under the same policy: same category, same
    # fingerprints (so an alert fixed in the new release closes).
    nxt = report.model_copy(update={
        "model": report.model.model_copy(update={"version": "9.9.9"}),
        "report_id": "another", "target": report.target.model_copy(update={"release": "x"})})
    run2 = json.loads(render(nxt, "sarif"))["runs"][0]
    assert run2["automationDetails"]["id"] == run["automationDetails"]["id"]
    fps = [r["partialFingerprints"] for r in run["results"]]
    assert [r["partialFingerprints"] for r in run2["results"]] == fps
    assert len({f["governanceFinding/v1"] for f in fps}) == len(fps)  # one per finding
    # Another model: another category and other fingerprints.
    other = json.loads(render(make_report(name="org/other model"), "sarif"))["runs"][0]
    assert other["automationDetails"]["id"] == (
        "governance/org-other-model/credit-scoring-release/")
    assert {r["partialFingerprints"]["governanceFinding/v1"] for r in other["results"]}.isdisjoint(
        f["governanceFinding/v1"] for f in fps)


def test_fingerprint_is_rule_model_and_subject(report, sarif):
    import hashlib

    fair = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "FAIR-001")
    expected = hashlib.sha256("\x00".join(("governance-finding/v1", "FAIR-001", "credit-scoring",
                                            "model-card.yaml#data.sensitive")).encode())
    assert fair["partialFingerprints"] == {"governanceFinding/v1": expected.hexdigest()}
    # Moving the rule within the policy (another line) does not change it.
    f = next(x for x in report.findings if x.rule_id == "FAIR-001")
    moved = f.model_copy(update={"locations": [
        loc.model_copy(update={"line": (loc.line or 0) + 40}) for loc in f.locations]})
    doc = json.loads(render(report.model_copy(update={"findings": [
        moved if x.rule_id == "FAIR-001" else x for x in report.findings]}), "sarif"))
    again = next(r for r in doc["runs"][0]["results"] if r["ruleId"] == "FAIR-001")
    assert again["partialFingerprints"] == fair["partialFingerprints"]
    assert again["locations"][0]["physicalLocation"]["region"]["startLine"] == 100


def test_locations_are_relative_to_the_repository_root(report, sarif, validators):
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    phys = [(loc["physicalLocation"]["artifactLocation"], loc["physicalLocation"]["region"])
            for loc in results["FAIR-001"]["locations"]]
    assert phys == [
        ({"uri": "policy.yaml", "uriBaseId": "%SRCROOT%"}, {"startLine": 60, "startColumn": 5}),
        ({"uri": "model-card.yaml", "uriBaseId": "%SRCROOT%"},
         {"startLine": 12, "startColumn": 3}),
    ]
    assert "%SRCROOT%" in sarif["runs"][0]["originalUriBaseIds"]
    # The project lives in a folder of the repository: every URI gets that prefix.
    env = {**report.environment, "project_root_in_repository": "ml/credit scoring"}
    doc = json.loads(render(report.model_copy(update={"environment": env}), "sarif"))
    assert _errors(validators, doc) == [[], []]
    run = doc["runs"][0]
    fair = next(r for r in run["results"] if r["ruleId"] == "FAIR-001")
    assert [loc["physicalLocation"]["artifactLocation"]["uri"] for loc in fair["locations"]] \
        == ["ml/credit%20scoring/policy.yaml", "ml/credit%20scoring/model-card.yaml"]
    assert run["artifacts"][0]["location"] == {"uri": "ml/credit%20scoring/policy.yaml",
                                               "uriBaseId": "%SRCROOT%"}
    assert "ml/credit scoring" in run["originalUriBaseIds"]["%SRCROOT%"]["description"]["text"]


def test_policy_location_comes_first_and_paths_become_valid_uris(make_report, validators):
    base = make_report()
    f = base.findings[0].model_copy(update={"locations": [
        SourceLocation(role="card", path="/abs/dir/card #1.yaml", line=9, col=2),
        SourceLocation(role="policy", path="my policies/p 1.yaml", line=3),
        SourceLocation(role="artifact", path="../outside.csv")]})
    report = base.model_copy(update={"findings": [f, *base.findings[1:]]})
    doc = json.loads(render(report, "sarif"))
    assert _errors(validators, doc) == [[], []]
    locs = doc["runs"][0]["results"][0]["locations"]
    assert [loc["physicalLocation"]["artifactLocation"] for loc in locs] == [
        {"uri": "my%20policies/p%201.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "file:///abs/dir/card%20%231.yaml"},
        {"uri": "../outside.csv"},  # outside the repository: no base, never joined to it
    ]
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in doc["runs"][0]["results"] for loc in r.get("locations", [])]
    uris += [a["location"]["uri"] for a in doc["runs"][0]["artifacts"]]
    assert uris and all(URI_CHARS.fullmatch(u) for u in uris)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                        doc["runs"][0]["invocations"][0]["endTimeUtc"])


def test_hostile_text_stays_valid_and_inert_sarif(hostile, validators):
    canary, report = hostile
    doc = json.loads(render(report, "sarif"))
    assert _errors(validators, doc) == [[], []]
    run = doc["runs"][0]
    assert run["properties"]["model"]["name"] == "<script>alert(1)</script>"
    assert run["automationDetails"]["id"] == (
        "governance/script-alert-1-script/credit-scoring-release/")
    for rule in run["tool"]["driver"]["rules"]:
        assert "<" not in rule["help"]["markdown"] and "](" not in rule["help"]["markdown"]
    assert canary.requests == []


def test_repository_subdir_is_found_from_git(tmp_path):
    from governance.api import repository_subdir

    (tmp_path / "repo" / "ml" / "credit").mkdir(parents=True)
    assert repository_subdir(tmp_path / "repo" / "ml" / "credit") == "."  # no repository
    (tmp_path / "repo" / ".git").mkdir()
    assert repository_subdir(tmp_path / "repo" / "ml" / "credit") == "ml/credit"
    assert repository_subdir(tmp_path / "repo") == "."
    (tmp_path / "repo" / "ml" / ".git").write_text("gitdir: elsewhere\n")  # a submodule
    assert repository_subdir(tmp_path / "repo" / "ml" / "credit") == "credit"
