"""`--format github` (workflow commands) and `--format gitlab` (Code Quality JSON).

The annotation lines are parsed the way the Actions runner parses them (ActionCommand.TryParseV2
in actions/runner: a line is a command when it starts with ``::``; the command and its
``key=value`` properties run to the next ``::``; values and data are unescaped ``%0D``, ``%0A``,
(properties: ``%3A``, ``%2C``) and ``%25`` last), so hostile text is checked against the real
grammar: it must never end a command early or start another one.
"""

from __future__ import annotations

import json

import pytest

from governance.report import SourceLocation, Status
from governance.reporters import filename, render
from governance.reporters.github import escape_data, escape_property


def runner_parse(line: str) -> tuple[str, dict[str, str], str] | None:
    """The runner's V2 workflow-command parser (None: a plain log line)."""
    line = line.strip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, props = info.partition(" ")
    properties: dict[str, str] = {}
    for pair in props.split(","):
        if not pair:
            continue
        key, sep, value = pair.partition("=")
        assert sep, f"property without '=' in {line!r}"
        properties[key] = (value.replace("%0D", "\r").replace("%0A", "\n")
                           .replace("%3A", ":").replace("%2C", ",").replace("%25", "%"))
    data = line[end + 2:].replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    return name, properties, data


def _commands(data: bytes) -> list[tuple[str, dict[str, str], str]]:
    # The runner splits the log on CR, LF and CRLF (.NET ReadLine).
    text = data.decode("utf-8")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert lines[-1] == ""
    parsed = [runner_parse(ln) for ln in lines[:-1]]
    assert all(p is not None for p in parsed), "a line that is not a command"
    return parsed  # type: ignore[return-value]


def test_escaping_matches_the_actions_toolkit():
    assert escape_data("50% done\r\nnext") == "50%25 done%0Anext"  # CRLF -> one LF
    assert escape_data("a\rb\nc%") == "a\\rb%0Ac%25"  # a lone CR is shown, not sent
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert escape_data("::stop-commands::x") == "::stop-commands::x"  # inert inside data
    assert escape_data("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert escape_data("\u202eevil") == "<U+202E>evil"


def test_github_annotations(report):
    cmds = _commands(render(report, "github"))
    by_title = {p["title"].split(" ")[0]: (name, p, data) for name, p, data in cmds}
    assert [c[0] for c in cmds] == ["error", "notice", "warning", "warning", "warning",
                                    "notice", "error"]
    name, props, data = by_title["FAIR-001"]
    assert props == {"file": "policy.yaml", "line": "60", "col": "5",
                     "title": "FAIR-001 (critical): Selection-rate ratio across sex is at least "
                              "0.80 (four-fifths rule)"}
    assert data.startswith("selection-rate ratio female/male is 0.7143 < 0.80.\nRemediation: ")
    assert by_title["DQ-001"][1]["title"].endswith("at most 5%")  # %25 round-trips
    assert by_title["DRIFT-001"][2].startswith("Insufficient evidence: ")
    assert by_title["VER-002"][1]["file"] == "model-card.yaml"  # no policy location
    assert by_title["FAIR-002"][2].startswith("waived by Dana Okafor (MRM) until 2025-03-31")
    assert cmds[-1][1] == {"title": "Governance gate failed"}
    assert cmds[-1][2].startswith("3 failed, 2 without enough evidence, 1 waived, 4 passed")
    assert filename("github") == "report.github.txt"


def test_github_paths_are_repository_relative(report):
    env = {**report.environment, "project_root_in_repository": "ml/credit,v2"}
    cmds = _commands(render(report.model_copy(update={"environment": env}), "github"))
    assert cmds[0][1]["file"] == "ml/credit,v2/policy.yaml"  # "," escaped and restored


@pytest.mark.parametrize("attack", [
    "done\n::error file=x.py,line=1::forged",
    "done\r::warning::forged",
    "done\r\n::add-mask::secret",
    "done%0A::error::forged",
    "done::\n::stop-commands::abc\n",
    "done\x1b[2J\x1b]0;pwned\x07",
    "done\u2028::error::forged",
    "a,b:c=d::e%",
])
def test_hostile_text_cannot_forge_commands(make_report, attack):
    base = make_report()
    f = base.findings[0]  # FAIR-001 (fail)
    assert f.rule_id == "FAIR-001" and f.status is Status.FAIL
    f = f.model_copy(update={"message": attack, "title": attack, "locations": [
        SourceLocation(role="policy", path=f"p{attack}.yaml", line=2, col=1)]})
    report = base.model_copy(update={"findings": [f, *base.findings[1:]]})
    cmds = _commands(render(report, "github"))
    assert len(cmds) == 7  # exactly one command per annotation, none forged
    name, props, data = cmds[0]
    assert name == "error" and set(props) == {"file", "line", "col", "title"}
    assert props["line"] == "2"
    # What arrives is the input with controls made visible, never a second command.
    assert "\r" not in data and "\x1b" not in data and "\u2028" not in data
    from governance.reporters._ci import inert as _inert

    assert props["title"] == "FAIR-001 (critical): " + _inert(attack)
    assert props["file"] == f"p{_inert(attack)}.yaml"
    assert data == _inert(attack) + "\nRemediation: " + f.remediation


def test_hostile_report_stays_inert(hostile):
    canary, report = hostile
    cmds = _commands(render(report, "github"))
    assert all(name in ("error", "warning", "notice") for name, _, _ in cmds)
    issues = json.loads(render(report, "gitlab"))
    assert all("<" not in i.get("content", {}).get("body", "") for i in issues)
    assert canary.requests == []


SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_gitlab_code_quality(report):
    issues = json.loads(render(report, "gitlab"))
    assert isinstance(issues, list)
    by_check = {i["check_name"]: i for i in issues}
    # fail and error only; waived, passing and skipped rules are not issues
    assert list(by_check) == ["FAIR-001", "DQ-001", "DRIFT-001", "VER-002", "DOC-002"]
    for i in issues:  # the fields GitLab requires, with their types
        assert isinstance(i["description"], str) and i["description"]
        assert isinstance(i["fingerprint"], str) and len(i["fingerprint"]) == 64
        assert i["severity"] in SEVERITIES
        assert isinstance(i["location"]["path"], str)
        assert isinstance(i["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    fair = by_check["FAIR-001"]
    assert fair["severity"] == "blocker"
    assert fair["location"] == {"path": "policy.yaml", "lines": {"begin": 60}}
    assert fair["description"].startswith("FAIR-001: Selection-rate ratio across sex")
    assert fair["content"]["body"].startswith("**Remediation:** Re-weight the training data")
    assert [by_check[c]["severity"] for c in ("DQ-001", "VER-002", "DOC-002")] == [
        "major", "minor", "info"]
    assert by_check["DRIFT-001"]["description"].startswith(
        "DRIFT-001: Population stability index per feature is below 0.2: Insufficient evidence")
    # the SARIF fingerprint and the Code Quality fingerprint are the same identity
    sarif = json.loads(render(report, "sarif"))
    fps = {r["ruleId"]: r["partialFingerprints"]["governanceFinding/v1"]
           for r in sarif["runs"][0]["results"]}
    assert all(fps[c] == i["fingerprint"] for c, i in by_check.items())
    assert filename("gitlab") == "report.codequality.json"


def test_gitlab_location_without_a_line_or_outside_the_repository(make_report):
    base = make_report()
    f = base.findings[0].model_copy(update={"locations": [
        SourceLocation(role="card", path="/elsewhere/card.yaml", line=4)]})
    report = base.model_copy(update={"findings": [f, *base.findings[1:]]})
    [fair] = [i for i in json.loads(render(report, "gitlab")) if i["check_name"] == "FAIR-001"]
    assert fair["location"] == {"path": "policy.yaml", "lines": {"begin": 1}}


def test_render_and_check_accept_both_formats(tmp_path, report):
    from governance.cli import main
    from governance.report import canonical_json

    saved = tmp_path / "report.json"
    saved.write_bytes(canonical_json(report))
    out = tmp_path / "out"
    assert main(["render", str(saved), "--format", "github,gitlab", "--output-dir",
                 str(out)]) == 0
    assert (out / "report.github.txt").read_bytes() == render(report, "github")
    assert (out / "report.codequality.json").read_bytes() == render(report, "gitlab")
    assert main(["render", str(saved), "--format", "gitlabb", "--output-dir", str(out)]) == 2


def test_gitlab_description_is_inert(make_report):
    base = make_report()
    f = base.findings[0].model_copy(update={
        "message": "ok\u202etxt.exe\x1b[31m\nnext", "remediation": "[x](javascript:alert(1))"})
    report = base.model_copy(update={"findings": [f, *base.findings[1:]]})
    [fair] = [i for i in json.loads(render(report, "gitlab")) if i["check_name"] == "FAIR-001"]
    assert fair["description"].endswith(": ok<U+202E>txt.exe\\x1b[31m next")
    assert fair["content"]["body"] == "**Remediation:** \\[x\\]\\(javascript\\:alert\\(1\\)\\)"
