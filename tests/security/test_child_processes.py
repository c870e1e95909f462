"""The processes a check starts (the rule worker, the PDF process) never import modules from the
project folder they run in: a repository's ``pydantic.py`` or ``weasyprint.py`` is data."""

from __future__ import annotations

import subprocess
import sys

SHADOWS = ("pydantic", "yaml", "weasyprint", "numpy", "pandas")


def test_check_children_ignore_modules_in_the_project_folder(example_copy):
    for name in SHADOWS:
        (example_copy / f"{name}.py").write_text(
            f"open({str(example_copy / (name + '.imported'))!r}, 'w').close()\n"
            "raise SystemExit('shadow module imported')\n", encoding="utf-8")
    # -P: the parent itself (as the console script) does not look in its working folder.
    done = subprocess.run([sys.executable, "-P", "-m", "governance", "check", "--quiet",
                           "--format", "json,pdf", "--output-dir", "out"],
                          cwd=example_copy, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    assert not list(example_copy.glob("*.imported"))
    assert (example_copy / "out" / "report.pdf").read_bytes().startswith(b"%PDF-")
    # the policy's pattern-running rule (pii_scan) ran in the worker and decided
    import json

    report = json.loads((example_copy / "out" / "report.json").read_text(encoding="utf-8"))
    pii = [f for f in report["findings"] if f["kind"] == "pii_scan"]
    assert pii and all(f["status"] != "error" for f in pii)
