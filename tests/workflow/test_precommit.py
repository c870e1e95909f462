"""The real pre-commit tool runs our hooks in a consumer repository and blocks bad commits.

pre-commit clones this repository at HEAD (so `.pre-commit-hooks.yaml` and the package must be
committed), builds its own virtualenv and pip-installs the package with its dependencies
(about 30 s here; PyPI is needed once per PRE_COMMIT_HOME). The environment is built once for
the module and reused by every commit below.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 900

POLICY = """
apiVersion: governance/v1
kind: Policy
metadata: {name: consumer, version: "1"}
rules:
  - id: C-001
    title: Card names its owners
    kind: card_fields
    severity: high
    params: {fields: [model.owners]}
  - id: C-002
    title: Declared accuracy is at least 0.8
    kind: metric_threshold
    severity: high
    params: {metric: accuracy, min: 0.8}
"""

CARD = """
apiVersion: governance/v1
kind: ModelCard
model:
  name: consumer-model
  version: "1.0.0"
  task: binary_classification
  owners: [{name: Team A}]
metrics:
  - {name: accuracy, value: 0.91}
"""

# A signing key is configured but absent (a developer without the key): the hook neither fails
# on it nor signs nor writes any file.
CONFIG = """
apiVersion: governance/v1
kind: Config
policies: [policies/release.yaml]
card: model-card.yaml
formats: [text, json, sarif]
signing:
  key: keys/author.key
"""
HEAVY = ("numpy", "pandas", "pyarrow", "scipy", "sklearn", "fairlearn", "weasyprint", "pytest")
CORE_ENV_LIMIT = 120 * 1024 * 1024


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture(scope="module")
def consumer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    base = tmp_path_factory.mktemp("precommit")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(base / "cache")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()
    shown = subprocess.run(["git", "show", f"{head}:.pre-commit-hooks.yaml"], cwd=ROOT,
                           capture_output=True, text=True, check=False)
    assert shown.returncode == 0, ".pre-commit-hooks.yaml must be committed for this test"
    repo = base / "consumer"
    repo.mkdir()
    for args in (("init", "-q"), ("config", "user.email", "dev@example.com"),
                 ("config", "user.name", "Dev"), ("config", "commit.gpgsign", "false")):
        assert _git(repo, *args, env=env).returncode == 0
    _write(repo / ".pre-commit-config.yaml", f"""
        repos:
          - repo: {ROOT}
            rev: {head}
            hooks:
              - id: governance-policy-lint
              - id: governance-card-validate
              - id: governance-check
    """)
    done = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    yield repo, env


def commit(repo: Path, env: dict[str, str], message: str) -> tuple[int, str]:
    assert _git(repo, "add", "-A", env=env).returncode == 0
    done = _git(repo, "commit", "-m", message, env=env)
    return done.returncode, done.stdout + done.stderr


def commits(repo: Path, env: dict[str, str]) -> int:
    out = _git(repo, "rev-list", "--count", "HEAD", env=env)
    return int(out.stdout.strip()) if out.returncode == 0 else 0


def status_of(output: str, hook: str) -> str:
    m = re.search(rf"^{re.escape(hook)}\.+(Passed|Failed|\(no files to check\)Skipped)$",
                  output, re.M)
    assert m, output
    return m.group(1)


@pytest.mark.slow
def test_hooks_block_bad_commits_and_pass_good_ones(
        consumer: tuple[Path, dict[str, str]]) -> None:
    repo, env = consumer
    # 1. An invalid policy: the lint hook blocks the commit and names file:line.
    _write(repo / "policies" / "release.yaml", POLICY.replace("kind: card_fields",
                                                              "kind: card_field"))
    _write(repo / "model-card.yaml", CARD)
    _write(repo / "governance.yaml", CONFIG)
    code, out = commit(repo, env, "bad policy")
    assert code != 0, out
    assert status_of(out, "governance policy lint") == "Failed"
    assert ("policies/release.yaml:7:11: rules[0].kind: unknown rule kind 'card_field'; did "
            "you mean 'card_fields'?") in out
    assert status_of(out, "governance card validate") == "Passed"
    assert commits(repo, env) == 0

    # 2. Everything valid and the gate passes: the commit goes through.
    _write(repo / "policies" / "release.yaml", POLICY)
    code, out = commit(repo, env, "good")
    assert code == 0, out
    assert status_of(out, "governance policy lint") == "Passed"
    assert status_of(out, "governance card validate") == "Passed"
    assert status_of(out, "governance check") == "Passed"
    assert commits(repo, env) == 1
    assert "warning" not in out and "key file not found" not in out
    assert not (repo / "reports").exists()  # hooks write nothing into the work tree

    # 3. An invalid card: the validate hook blocks it, naming file:line and field.
    _write(repo / "model-card.yaml", CARD.replace('  version: "1.0.0"\n', ""))
    code, out = commit(repo, env, "bad card")
    assert code != 0, out
    assert status_of(out, "governance card validate") == "Failed"
    assert "model-card.yaml:4:3: model.version: required field is missing" in out
    assert commits(repo, env) == 1

    # 4. A valid card whose claims fail the gate: the full check blocks it (exit 1).
    _write(repo / "model-card.yaml", CARD.replace("value: 0.91", "value: 0.62"))
    code, out = commit(repo, env, "worse model")
    assert code != 0, out
    assert status_of(out, "governance card validate") == "Passed"
    assert status_of(out, "governance check") == "Failed"
    assert "- exit code: 1" in out
    assert "declared accuracy = 0.62 is below the minimum 0.8" in out
    assert "verdict: FAIL" in out
    assert commits(repo, env) == 1


def _tree_size(path: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(path):
        for name in files:
            total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def _site_packages(env_dir: Path) -> Path:
    (site,) = env_dir.glob("lib/python*/site-packages")
    return site


@pytest.mark.slow
def test_hook_environments_core_is_light_check_has_evidence(
        consumer: tuple[Path, dict[str, str]]) -> None:
    """Measured: the lint/validate hooks share a core-only environment under 120 MB; the check
    hook's environment adds the evidence extra (and still no WeasyPrint, no pytest)."""
    repo, env = consumer
    done = subprocess.run([sys.executable, "-m", "pre_commit", "install-hooks"], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    envs = sorted(Path(env["PRE_COMMIT_HOME"]).glob("repo*/py_env-*"))
    assert len(envs) == 2, envs
    installed = {e: {p.name.split("-")[0].lower() for p in _site_packages(e).iterdir()}
                 for e in envs}
    core, check = sorted(envs, key=lambda e: "pandas" in installed[e])
    assert [m for m in HEAVY if m in installed[core]] == []
    assert {"pydantic", "yaml", "jinja2", "cryptography", "re2", "governance"} <= installed[core]
    assert [m for m in HEAVY if m in installed[check]] == [
        "numpy", "pandas", "pyarrow", "scipy", "sklearn", "fairlearn"]
    core_size, check_size = _tree_size(core), _tree_size(check)
    print(f"pre-commit environments: core {core_size / 2**20:.1f} MiB, "
          f"check {check_size / 2**20:.1f} MiB")
    assert core_size < CORE_ENV_LIMIT
    assert check_size > core_size
