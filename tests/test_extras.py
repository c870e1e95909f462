"""The core install works without the extras; a command that needs one exits 2 naming it.

A subprocess hides the extras' modules (an import hook raises ModuleNotFoundError for them, as
in an environment where only `pip install governance-checker` ran) and runs the real CLI.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from governance.extras import EXTRAS

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import importlib.abc, sys
HIDDEN = {hidden!r}
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Hide())
from governance.cli import main
code = main({argv!r})
loaded = sorted(m for m in HIDDEN if m in sys.modules)
print("LOADED", loaded, file=sys.stderr)
sys.exit(code)
"""
EVIDENCE_AND_PDF = [*EXTRAS["evidence"], *EXTRAS["pdf"], *EXTRAS["dask"], "pytest"]

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


def run_core(argv: list[str], cwd: Path,
             hidden: list[str] = EVIDENCE_AND_PDF) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", PROBE.format(hidden=hidden, argv=argv)],
                          cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def test_extras_match_pyproject() -> None:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    core = {re.split(r"[<>=\[;]", d)[0] for d in meta["dependencies"]}
    assert core == {"pydantic", "pyyaml", "jinja2", "cryptography", "google-re2"}
    opt = meta["optional-dependencies"]
    names = {extra: {re.split(r"[<>=\[;]", d)[0] for d in deps} for extra, deps in opt.items()}
    import_names = {"scikit-learn": "sklearn"}
    assert {import_names.get(n, n) for n in names["evidence"]} == set(EXTRAS["evidence"])
    assert {n.replace("-", "_") for n in names["pdf"]} == set(EXTRAS["pdf"])
    assert "dask" in names["dask"]
    assert opt["all"] == ["governance-checker[evidence,pdf,dask]"]
    assert "governance-checker[all]" in opt["dev"] and "pytest" in names["dev"]
    assert not any(d.startswith("pytest") for d in meta["dependencies"])


def test_core_checks_card_rules_renders_light_formats_signs_and_verifies(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY, "utf-8")
    (tmp_path / "card.yaml").write_text(
        "apiVersion: governance/v1\nkind: ModelCard\nmodel: {name: m, version: '1.0.0', "
        "task: binary_classification, owners: [{name: A}]}\n", "utf-8")
    keygen = run_core(["keygen", "--out-dir", "keys", "--name", "a"], tmp_path)
    assert keygen.returncode == 0, keygen.stderr
    done = run_core(["check", "--policy", "policy.yaml", "--card", "card.yaml", "--format",
                     "text,json,sarif,junit,markdown,html", "--sign-key", "keys/a.key",
                     "--quiet"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "LOADED []"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()
                  if p.name != ".governance-check.lock") == [
        "report.dsse.json", "report.html", "report.json", "report.junit.xml", "report.md",
        "report.sarif"]
    assert main_trust(tmp_path) == 0
    done = run_core(["verify", "reports/report.dsse.json", "--trusted-keys", "trust.yaml"],
                    tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.splitlines()[-1] == "LOADED []"


def main_trust(cwd: Path) -> int:
    done = run_core(["trust", "add", "keys/a.pub", "--owner", "A", "--role", "author",
                     "--trusted-keys", "trust.yaml"], cwd)
    return done.returncode


def test_evidence_rule_without_the_extra_is_exit_2_naming_it(tmp_path: Path) -> None:
    example = ROOT / "examples" / "credit-scoring"
    done = run_core(["check", "--policy", str(example / "policy.yaml"), "--card",
                     str(example / "model-card.yaml"), "--root", str(example), "--format",
                     "json", "--output-dir", str(tmp_path / "out"), "--quiet"], tmp_path)
    assert done.returncode == 2, done.stderr
    first = done.stderr.splitlines()[0]
    assert re.fullmatch(
        r"error: rule [A-Z]+-\d+ \([a-z_]+\) needs the 'evidence' extra \(module '(numpy|pandas)'"
        r" is not installed\): pip install 'governance-checker\[evidence\]'", first), first
    assert not (tmp_path / "out").exists()  # nothing written half-way


def test_pdf_without_the_extra_is_exit_2_before_any_rule_runs(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY, "utf-8")
    (tmp_path / "card.yaml").write_text("not: a card\n", "utf-8")  # never read
    done = run_core(["check", "--policy", "policy.yaml", "--card", "card.yaml", "--format",
                     "json,pdf", "--quiet"], tmp_path, hidden=["weasyprint"])
    assert done.returncode == 2
    assert done.stderr.splitlines()[0] == (
        "error: --format pdf needs the 'pdf' extra (module 'weasyprint' is not installed): "
        "pip install 'governance-checker[pdf]'")


@pytest.mark.parametrize("argv", [["render", "report.json", "--format", "pdf"]])
def test_render_pdf_without_the_extra_is_exit_2(tmp_path: Path, argv: list[str]) -> None:
    from governance.api import CheckRequest, run_check
    from governance.report import canonical_json

    (tmp_path / "policy.yaml").write_text(POLICY, "utf-8")
    (tmp_path / "card.yaml").write_text(
        "apiVersion: governance/v1\nkind: ModelCard\nmodel: {name: m, version: '1.0.0', "
        "task: binary_classification, owners: [{name: A}]}\n", "utf-8")
    report = run_check(CheckRequest(policies=[tmp_path / "policy.yaml"],
                                    card=tmp_path / "card.yaml", root=tmp_path)).report
    (tmp_path / "report.json").write_bytes(canonical_json(report))
    done = run_core(argv, tmp_path, hidden=["weasyprint"])
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines()[0] == (
        "error: governance render needs the 'pdf' extra (module 'weasyprint' is not "
        "installed): pip install 'governance-checker[pdf]'")
    assert json.loads((tmp_path / "report.json").read_text("utf-8"))["report_id"]
