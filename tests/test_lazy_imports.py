"""The fast paths (lint, card validate, --version, --help) import no heavy library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "credit-scoring"
HEAVY = ["pandas", "numpy", "sklearn", "fairlearn", "weasyprint", "scipy", "pyarrow"]

PROBE = """
import json, sys
from governance.cli import main
try:
    code = main({argv!r})
except SystemExit as exc:
    code = exc.code
heavy = [m for m in {heavy!r} if m in sys.modules]
print(json.dumps({{"code": code, "heavy": heavy}}))
"""


def probe(argv: list[str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("argv", [
    ["policy", "lint", str(EXAMPLE / "policy.yaml")],
    ["card", "validate", str(EXAMPLE / "model-card.yaml"),
     str(EXAMPLE / "baseline" / "model-card.yaml")],
    ["policy", "schema"],
    ["--version"],
    ["--help"],
    ["check", "--help"],
    ["rules"],
    ["card", "schema"],
    ["card", "explain", "artifacts[].columns"],
    ["verify", "--help"],
])
def test_fast_paths_import_nothing_heavy(argv: list[str]) -> None:
    result = probe(argv)
    assert result["code"] == 0
    assert result["heavy"] == []
