"""The CI gate end to end on the bundled example: exit codes 0/1/2 and their messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from governance.cli import main

ROOT = Path(__file__).resolve().parents[1]


def check(example: Path, out: Path, *extra: str) -> int:
    return main(["check", "--config", str(example / "governance.yaml"), "--format", "text,json",
                 "--output-dir", str(out), "--quiet", *extra])


def test_example_passes_and_writes_json(example_copy: Path) -> None:
    out = example_copy / "out"
    assert check(example_copy, out) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["summary"]["status"] == "pass"
    assert report["model"] == {"name": "credit-scoring", "version": "1.1.0"}
    roles = {i["role"] for i in report["inputs"]}
    assert {"policy", "card", "baseline", "artifact:model", "artifact:predictions"} <= roles
    assert {"DOC-001", "INT-001", "PERF-000"} <= {f["rule_id"] for f in report["findings"]}
    assert {f["rule_id"]: f["status"] for f in report["findings"]
            if f["status"] != "pass"} == {"FAIR-002": "waived"}
    # the example's one waiver is signed by the DEMO risk officer of its trust file
    fair = next(f for f in report["findings"] if f["rule_id"] == "FAIR-002")
    assert fair["waiver"]["signed_by"]["role"] == "risk-officer"
    assert fair["waiver"]["signed_by"]["owner"].startswith("Example risk officer (DEMO key")
    assert ("waiver", "waivers/FAIR-002.dsse.json") in {(i["role"], i["path"])
                                                       for i in report["inputs"]}
    assert (out / "report.dsse.json").is_file()


def test_tightened_threshold_fails_the_gate(example_copy: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    tmp_path = example_copy / "out"
    policy = example_copy / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("      min: 0.70\n", "      min: 0.80\n", 1), encoding="utf-8")
    assert main(["check", "--config", str(example_copy / "governance.yaml"), "--format", "json",
                 "--output-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL   [medium  ] PERF-000: Declared test accuracy is at least 0.70" in out
    assert "declared accuracy (split test) = 0.7367 is below the minimum 0.8" in out
    assert "verdict: FAIL (fail-on low)" in out
    # --fail-on above the failing rule's severity lets the gate pass, the finding stays.
    assert check(example_copy, tmp_path, "--fail-on", "high") == 0


@pytest.mark.parametrize(("edit", "message"), [
    (("kind: artifact_integrity", "kind: artifact_integrty"),
     "policy.yaml:37:11: rules[1].kind: unknown rule kind 'artifact_integrty'; did you mean "
     "'artifact_integrity'?"),
    (("    remediation: Fill in", "    remediaton: Fill in"),
     "policy.yaml:34:5: rules[0].remediaton: unknown field"),
    (("    severity: critical\n", "    severity: critical\n    severity: low\n"),
     "policy.yaml:39:5: rules[1].severity: duplicate key 'severity' (first defined at line 38)"),
])
def test_invalid_policy_exits_2_naming_file_line_field(
        example_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        edit: tuple[str, str], message: str) -> None:
    del tmp_path
    policy = example_copy / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    assert edit[0] in text
    policy.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    out = example_copy / "out"
    assert check(example_copy, out) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not out.exists()  # nothing written half-way


def test_changed_artifact_fails_integrity(example_copy: Path) -> None:
    tmp_path = example_copy / "out"
    card = example_copy / "model-card.yaml"
    text = card.read_text(encoding="utf-8")
    marker = "    path: model/model.pkl\n    sha256: "
    i = text.index(marker) + len(marker)
    card.write_text(text[:i] + "f" * 64 + text[i + 64:], encoding="utf-8")
    assert check(example_copy, tmp_path) == 1
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    integrity = next(f for f in report["findings"] if f["kind"] == "artifact_integrity")
    assert integrity["status"] == "fail"
    assert integrity["message"] == ("1 of 8 artifacts failed integrity: model "
                                    "(digest mismatch)")


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "error: --policy: no policy: pass --policy or write a governance.yaml" in \
        capsys.readouterr().err
    assert main(["check", "--policy", "x.yaml", "--card", "c.yaml", "--format", "docx"]) == 2
    assert "unknown format 'docx'" in capsys.readouterr().err
    assert main(["nonsense"]) == 2


def test_python_m_and_version() -> None:
    done = subprocess.run([sys.executable, "-m", "governance", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stdout.strip().startswith("governance ")


def test_seed_flag_makes_intervals_reproducible(example_copy: Path) -> None:
    out = example_copy / "out"

    def intervals(seed: str) -> list[object]:
        assert check(example_copy, out, "--seed", seed) == 0
        report = json.loads((out / "report.json").read_text(encoding="utf-8"))
        return [e for f in report["findings"] for e in f["evidence"] if e["type"] == "interval"]

    first, again, other = intervals("7"), intervals("7"), intervals("8")
    assert first and first == again
    assert first != other
