"""`governance policy explain` and `governance policy test`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from governance.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "credit-scoring"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def test_explain_rule_shows_params_with_defaults_and_references(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "explain", "INT-001", "--policy",
                 str(EXAMPLE / "policy.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "INT-001: Every artifact is present and matches its pinned " \
        "sha256"
    assert "  kind:        artifact_integrity (family integrity) - Every artifact the card " \
        "references exists" in out
    assert "  severity:    critical\n" in out
    assert "    require_sha256 = true (set)\n" in out
    assert "    roles = null (default)\n" in out
    assert "    min_artifacts = 1 (default)\n" in out
    assert "    - EU AI Act Art. 12(1) - Record-keeping\n" in out
    assert "  remediation: Regenerate the artifacts or update the digests" in out


def test_explain_rule_from_shipped_packs_and_kind_docs(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no governance.yaml: look in the shipped packs
    assert main(["policy", "explain", "BL-DOC-001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("BL-DOC-001: Model card names owners, licence and intended use\n")
    assert "  defined at:  pack:baseline:" in out
    assert "    allow_empty = false (default)\n" in out
    assert main(["policy", "explain", "card_fields"]) == 0
    assert capsys.readouterr().out == (
        "rule kind card_fields (family documentation)\n"
        "  Required model-card fields are present and non-empty (dotted paths).\n"
        "  params:\n"
        "    fields: list of string (items >= 1), required - Dotted paths, e.g. model.owners\n"
        "    allow_empty: boolean, default false\n")


def test_explain_unknown_suggests(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["policy", "explain", "card_field"]) == 2
    assert capsys.readouterr().err == (
        "error: RULE_ID_OR_KIND: no rule id or rule kind 'card_field' in the shipped packs; "
        "did you mean 'card_fields'?\n")


POLICY = """
    apiVersion: governance/v1
    kind: Policy
    metadata: {name: team, version: "1"}
    extends: [baseline]
    rules:
      - id: TEAM-001
        title: Declared accuracy at least 0.72
        kind: metric_threshold
        severity: high
        params: {metric: accuracy, split: test, min: 0.72}
    overrides:
      BL-DOC-002: {enabled: false}
"""


def _suite(tmp_path: Path, good_expect: str, bad_expect: str) -> Path:
    write(tmp_path / "policy.yaml", POLICY)
    card = (EXAMPLE / "model-card.yaml").read_text(encoding="utf-8")
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "good.yaml").write_text(card, encoding="utf-8")
    (fixtures / "bad.yaml").write_text(
        card.replace("    value: 0.7367\n", "    value: 0.70\n").replace(
            "  license: Apache-2.0\n", ""), encoding="utf-8")
    return write(tmp_path / "team.test.yaml", f"""
        apiVersion: governance/v1
        kind: PolicyTest
        policy: policy.yaml
        root: {EXAMPLE}
        cases:
          - name: the released card passes
            card: fixtures/good.yaml
            expect:
              verdict: pass
              rules: {good_expect}
          - name: low accuracy and no licence fail
            card: fixtures/bad.yaml
            expect:
              verdict: fail
              rules: {bad_expect}
    """)


def test_policy_test_all_cases_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _suite(tmp_path, "{TEAM-001: pass, BL-DOC-001: pass, BL-INT-001: pass}",
                  "{TEAM-001: fail, BL-DOC-001: fail}")
    assert main(["policy", "test", str(tmp_path)]) == 0
    assert capsys.readouterr().out == (
        f"{path}: policy policy.yaml\n"
        "  PASS  the released card passes\n"
        "  PASS  low accuracy and no licence fail\n"
        "2 cases: 2 passed, 0 failed\n")


def test_policy_test_reports_mismatches_and_exits_1(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _suite(tmp_path, "{TEAM-001: fail, BL-DOC-002: pass}", "{TEAM-001: fail}")
    bad = tmp_path / "team.test.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("verdict: fail", "verdict: pass"),
                   encoding="utf-8")
    assert main(["policy", "test", str(path)]) == 1
    assert capsys.readouterr().out == (
        f"{path}: policy policy.yaml\n"
        "  FAIL  the released card passes\n"
        "        TEAM-001: expected fail, got pass (declared accuracy (split test) = 0.7367 is "
        "within bounds)\n"
        "        BL-DOC-002: expected pass, but the policy has no such (enabled) rule\n"
        "  FAIL  low accuracy and no licence fail\n"
        "        verdict: expected pass, got fail\n"
        "2 cases: 0 passed, 2 failed\n")


def test_policy_test_against_a_shipped_pack(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "card.yaml").write_text(
        (EXAMPLE / "model-card.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    write(tmp_path / "policy-tests.yaml", f"""
        apiVersion: governance/v1
        kind: PolicyTest
        policy: baseline
        root: {EXAMPLE}
        as_of: 2027-01-01
        cases:
          - name: example passes the baseline pack
            card: card.yaml
            expect: {{verdict: pass, rules: {{BL-INT-001: pass, BL-DOC-001: pass}}}}
    """)
    assert main(["policy", "test", str(tmp_path / "policy-tests.yaml")]) == 0
    assert capsys.readouterr().out.endswith("1 cases: 1 passed, 0 failed\n")


@pytest.mark.parametrize(("body", "message"), [
    ("apiVersion: governance/v1\nkind: PolicyTest\npolicy: nope\ncases:\n"
     "  - {name: a, card: c.yaml, expect: {verdict: pass}}\n",
     "x.test.yaml:3:9: policy: unknown policy pack 'nope' (shipped packs: "),
    ("apiVersion: governance/v1\nkind: PolicyTest\npolicy: baseline\ncases:\n"
     "  - {name: a, card: missing.yaml, expect: {verdict: pass}}\n",
     "x.test.yaml:5:21: cases[0].card: fixture 'missing.yaml' not found"),
    ("apiVersion: governance/v1\nkind: PolicyTest\npolicy: baseline\ncases:\n"
     "  - {name: a, card: c.yaml, expect: {rules: {X: passed}}}\n",
     "x.test.yaml:5:49: cases[0].expect.rules.X: Input should be 'pass', 'fail', 'error', "
     "'skipped' or 'waived'"),
    ("apiVersion: governance/v1\nkind: PolicyTest\npolicy: baseline\ncases: []\n",
     "x.test.yaml:4:8: cases: List should have at least 1 item after validation, not 0"),
])
def test_policy_test_invalid_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, body: str,
                                         message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "x.test.yaml").write_text(body, encoding="utf-8")
    assert main(["policy", "test", "x.test.yaml"]) == 2
    assert capsys.readouterr().err.startswith(f"error: {message}")


def test_policy_test_finds_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "test", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        "error: PATHS: no policy test files found (*.test.yaml or policy-tests.yaml)\n")
