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


def wall(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - t)
        if done.returncode != 0:
            raise RuntimeError(f"{argv} exited {done.returncode}: {done.stderr[-2000:]!r}")
    return statistics.median(times)


def run(runs: int = 15) -> dict[str, Any]:
    wall([sys.executable, "-m", "governance", "policy", "lint", str(POLICY)], 2)  # warm caches
    bare = wall([sys.executable, "-c", "pass"], runs)
    lint = wall([sys.executable, "-m", "governance", "policy", "lint", str(POLICY)], runs)
    return {"runs": runs, "bare_s": bare, "lint_s": lint, "ratio": lint / bare}
