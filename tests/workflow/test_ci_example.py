"""The GitHub Actions example: its command is valid for our CLI and really produces the files
it uploads, the Markdown summary lands in GITHUB_STEP_SUMMARY, exit codes are documented."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from governance.cli import build_parser
from governance.errors import ExitCode
from governance.reporters import filename
from governance.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "examples" / "ci"


def _workflow() -> dict[str, Any]:
    data = load_yaml_file(CI / "github-actions.yml").data
    assert isinstance(data, dict)
    return data


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _workflow()["jobs"]["gate"]["steps"]
    return steps


def _gate_argv() -> list[str]:
    step = next(s for s in _steps() if s.get("id") == "gate")
    script = step["run"].replace("\\\n", " ")
    line = next(ln for ln in script.splitlines() if ln.strip().startswith("governance check"))
    return shlex.split(line)[1:]


def test_gate_command_parses_and_uploads_match_its_outputs() -> None:
    argv = _gate_argv()
    args = build_parser().parse_args(argv)
    assert args.command == "check"
    formats = [f for item in args.format for f in item.split(",")]
    assert formats == ["sarif", "junit", "markdown", "html", "pdf", "json"]
    out = Path(args.output_dir)
    uses = {s.get("uses", "").split("@")[0]: s for s in _steps() if "uses" in s}
    sarif = uses["github/codeql-action/upload-sarif"]["with"]["sarif_file"]
    assert Path(sarif) == out / filename("sarif")
    kept = uses["actions/upload-artifact"]["with"]["path"].split()
    assert str(out / filename("pdf")) in kept
    assert str(out / filename("json")) in kept
    assert _workflow()["permissions"]["security-events"] == "write"


def test_readme_documents_every_exit_code() -> None:
    readme = (CI / "README.md").read_text(encoding="utf-8")
    for code, meaning in ((ExitCode.OK, "gate passed"), (ExitCode.GATE_FAILED, "gate failed"),
                          (ExitCode.USAGE, "usage or input error"),
                          (ExitCode.INTERNAL, "internal error")):
        assert f"| {int(code)} | {meaning}" in readme
    assert "GITHUB_STEP_SUMMARY" in readme


def test_gate_command_runs_on_the_example(example_copy: Path, tmp_path: Path) -> None:
    """Run the workflow's command line on a copy of the bundled example, as CI would."""
    summary = tmp_path / "step-summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVERNANCE_")}
    env["GITHUB_STEP_SUMMARY"] = str(summary)
    env["CI"] = "true"
    # The example's governance.yaml signs with keys/author.key (not committed: make it, as
    # the README's set-up command does; on GitHub it would come from a secret).
    keygen = subprocess.run([sys.executable, "-m", "governance", "keygen", "--out-dir", "keys",
                             "--name", "author", "--if-missing"], cwd=example_copy, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert keygen.returncode == 0, keygen.stderr
    done = subprocess.run([sys.executable, "-m", "governance", *_gate_argv()],
                          cwd=example_copy, env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    out = example_copy / "reports"
    for fmt in ("sarif", "junit", "markdown", "html", "pdf", "json"):
        assert (out / filename(fmt)).is_file(), fmt
    assert (out / filename("pdf")).read_bytes().startswith(b"%PDF-")
    markdown = (out / filename("markdown")).read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8") == "# earlier step\n" + markdown
