"""CLI conventions (issue 15 item 8): no abbreviations, config found upward, --output,
--exit-zero, colour, `governance rules`, `card schema|explain`, `trust add`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from governance.cli import main
from governance.commands.colour import colourize, use_colour

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "credit-scoring"

CONFIG = """apiVersion: governance/v1
kind: Config
policies: [policy.yaml]
card: card.yaml
formats: [json]
"""
POLICY = """apiVersion: governance/v1
kind: Policy
metadata: {name: p, version: "1"}
rules:
  - id: DOC-1
    title: Owners declared
    kind: card_fields
    severity: high
    params: {fields: [model.owners]}
"""
CARD = """apiVersion: governance/v1
kind: ModelCard
model: {name: m, version: "1.0.0", task: binary_classification, owners: [{name: A}]}
"""


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "governance.yaml").write_text(CONFIG, "utf-8")
    (root / "policy.yaml").write_text(POLICY, "utf-8")
    (root / "card.yaml").write_text(CARD, "utf-8")
    for var in ("GOVERNANCE_SIGNING_KEY", "GITHUB_STEP_SUMMARY", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    return root


def test_options_are_never_abbreviated(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    assert main(["check", "--quiet", "--format", "sarif", "--output", "x.sarif"]) == 0
    assert json.loads((repo / "x.sarif").read_text("utf-8"))["version"] == "2.1.0"
    assert not (repo / "reports").exists()  # --output is not --output-dir
    capsys.readouterr()
    assert main(["check", "--quiet", "--output-d", "out"]) == 2
    assert "error: unrecognized arguments: --output-d out" in capsys.readouterr().err
    assert main(["verify", "x", "--trusted", "t.yaml"]) == 2
    assert "error: unrecognized arguments: --trusted" in capsys.readouterr().err
    assert main(["policy", "explain", "x", "--pol", "p.yaml"]) == 2
    assert "error: unrecognized arguments: --pol" in capsys.readouterr().err


def test_config_is_found_upward_and_not_beyond_the_repository(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    deep = repo / "src" / "models"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert main(["check", "--quiet"]) == 0
    assert (repo / "reports" / "report.json").is_file()  # paths relative to the config
    # a governance.yaml above the repository top is not used
    (repo.parent / "governance.yaml").write_text(CONFIG, "utf-8")
    (repo / "governance.yaml").unlink()
    assert main(["check", "--quiet"]) == 2
    assert capsys.readouterr().err == ("error: --policy: no policy: pass --policy or write a "
                                       "governance.yaml (see `governance init`)\n")


def test_output_dash_writes_the_one_format_to_stdout(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    assert main(["check", "--format", "json", "--output", "-"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["findings"][0]["rule_id"] == "DOC-1"  # nothing else on stdout
    assert not (repo / "reports").exists()
    assert main(["check", "--format", "json,sarif", "--output", "-"]) == 2
    assert capsys.readouterr().err == ("error: --output: --output takes exactly one --format "
                                       "(got json, sarif)\n")
    assert main(["check", "--output", "-"]) == 0  # the config's one format (json)
    assert json.loads(capsys.readouterr().out)["summary"]["status"] == "pass"


def test_exit_zero_reports_without_failing(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    (repo / "card.yaml").write_text(CARD.replace("[{name: A}]", "[]"), "utf-8")
    assert main(["check", "--quiet"]) == 1
    assert main(["check", "--quiet", "--exit-zero"]) == 0
    assert json.loads((repo / "reports" / "report.json").read_text("utf-8"))[
        "summary"]["status"] == "fail"
    (repo / "card.yaml").write_text("kind: nonsense\n", "utf-8")
    assert main(["check", "--quiet", "--exit-zero"]) == 2  # input errors still exit 2


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_terminals_and_honours_no_color_and_force_color() -> None:
    tty, pipe = _Tty(), io.StringIO()
    assert use_colour(tty, {}) is True
    assert use_colour(pipe, {}) is False
    assert use_colour(tty, {"NO_COLOR": "1"}) is False
    assert use_colour(tty, {"TERM": "dumb"}) is False
    assert use_colour(pipe, {"FORCE_COLOR": "1"}) is True
    assert use_colour(pipe, {"FORCE_COLOR": "0"}) is False
    assert use_colour(pipe, {"FORCE_COLOR": "1", "NO_COLOR": "1"}) is False
    text = "PASS   [high] A: ok\nFAIL   [low ] B: PASS here stays\nverdict: FAIL (x)\n"
    assert colourize(text) == (
        "\x1b[32mPASS\x1b[0m   [high] A: ok\n\x1b[31mFAIL\x1b[0m   [low ] B: PASS here stays\n"
        "verdict: \x1b[31mFAIL\x1b[0m (x)\n")


def test_text_report_is_plain_when_piped_and_coloured_when_forced(
        repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    assert main(["check", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "PASS   [high    ] DOC-1" in out
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(["check", "--format", "text"]) == 0
    assert "\x1b[32mPASS\x1b[0m   [high    ] DOC-1" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    assert main(["check", "--format", "text"]) == 0
    assert "\x1b" not in capsys.readouterr().out


def test_rules_lists_every_kind(capsys: pytest.CaptureFixture[str]) -> None:
    from governance.rules.registry import BUILTIN_KINDS, builtin_kinds

    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(BUILTIN_KINDS)
    assert lines[0].split()[:2] == ["card_fields", "documentation"]
    kinds = builtin_kinds()
    for line in lines:
        name, family, summary = line.split(None, 2)
        assert (family, summary) == (kinds[name].family, kinds[name].summary)
    assert main(["rules", "--family", "drift", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["feature_drift", "label_drift", "prediction_drift"]
    assert main(["rules", "--family", "nope"]) == 2
    assert capsys.readouterr().err == (
        "error: --family: unknown family 'nope' (choose from data_quality, documentation, "
        "drift, fairness, integrity, performance, privacy, versioning)\n")


def test_card_schema_validates_the_example_card(capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema

    from governance.yamlio import load_yaml_file

    assert main(["card", "schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator.check_schema(schema)
    card = load_yaml_file(EXAMPLE / "model-card.yaml", "model-card.yaml").data
    jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(card, default=str)))
    bad = dict(card, sensitive_features=["sex"])  # the columns: form in the wrong place
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(json.loads(json.dumps(bad, default=str)))
    props = schema["properties"]
    assert props["sensitive_features"]["description"].startswith(
        "The sensitive attributes the model is assessed on")
    assert schema["$defs"]["ColumnMap"]["properties"]["sensitive_features"][
        "description"].startswith("Column names of this table")


def test_card_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["card", "explain"]) == 0
    out = capsys.readouterr().out
    assert "  sensitive_features      The sensitive attributes the model is assessed on" in out
    assert main(["card", "explain", "artifacts[0].columns.sensitive_features"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "artifacts[].columns.sensitive_features"
    assert main(["card", "explain", "sensitive_features"]) == 0
    out = capsys.readouterr().out
    assert "fields:\n  sensitive_features[].name\n" in out
    assert "example:\n  sensitive_features:\n    - name: sex\n" in out
    assert main(["card", "explain", "artifact.colums"]) == 2
    assert capsys.readouterr().err == (
        "error: FIELD: unknown card field 'artifact.colums'; did you mean "
        "'artifacts[].columns'? (run `governance card explain` for the list)\n")


def test_verify_help_documents_the_trust_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--help"]) == 0
    out = capsys.readouterr().out
    assert "trust file format (YAML; `governance trust add` writes entries):" in out
    assert "      public_key: |\n        -----BEGIN PUBLIC KEY-----" in out


def test_render_output_dash_writes_to_stdout(repo: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(repo)
    assert main(["check", "--quiet"]) == 0
    assert main(["render", "reports/report.json", "--format", "sarif", "--output", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["version"] == "2.1.0"
    assert sorted(p.name for p in (repo / "reports").iterdir()
                  if p.name != ".governance-check.lock") == ["report.json"]


def test_closed_pipe_is_not_an_internal_error() -> None:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "governance", "rules"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is written
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 1
    assert err == b""
