"""Whole-process wall time of ``governance policy lint`` on the example policy versus a bare
``python -c pass`` (same interpreter, median of several runs)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "credit-scoring" / "policy.yaml"


def wall(argv: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False, cwd=ROOT, env=env)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise RuntimeError(f"{argv} exited {done.returncode}: {done.stderr[-2000:]!r}")
    return statistics.median(times)


def run(runs: int = 15) -> dict[str, Any]:
    """Measured as installed: bytecode is cached (pip compiles it at install time), here in
    a temporary PYTHONPYCACHEPREFIX even when PYTHONDONTWRITEBYTECODE is set."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory(prefix="governance-pyc-") as pyc:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = pyc
        lint_argv = [sys.executable, "-m", "governance", "policy", "lint", str(POLICY)]
        wall(lint_argv, 2, env)  # writes the bytecode cache, warms the file cache
        bare = wall([sys.executable, "-c", "pass"], runs, env)
        lint = wall(lint_argv, runs, env)
    return {"runs": runs, "bare_s": bare, "lint_s": lint, "ratio": lint / bare}
