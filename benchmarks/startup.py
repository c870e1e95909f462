"""Whole-process wall time of ``governance policy lint`` on the example policy versus its floor,
``python -c "from pydantic import BaseModel; import yaml"`` (the policy language's own imports),
and a bare ``python -c pass``: same interpreter, runs interleaved, medians.

Measured three ways: with the bytecode cache (as installed: pip compiles at install time; here
in a temporary PYTHONPYCACHEPREFIX, even when PYTHONDONTWRITEBYTECODE is set); with the
libraries' bytecode but none of the package's (an editable install under
PYTHONDONTWRITEBYTECODE=1); and without any (PYTHONDONTWRITEBYTECODE=1 and an empty cache
prefix: every module compiled in every run, the floor's as well). Each run's child CPU time
(user + sys) is kept too: on a shared machine it moves with the load far less than wall time."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "credit-scoring" / "policy.yaml"
FLOOR = [sys.executable, "-c", "from pydantic import BaseModel; import yaml"]
BARE = [sys.executable, "-c", "pass"]


def lint_argv() -> list[str]:
    return [sys.executable, "-m", "governance", "policy", "lint", str(POLICY)]


def _once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and child CPU time (user + sys) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{argv} exited {done.returncode}: {done.stderr[-2000:]!r}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def interleaved(commands: dict[str, list[str]], runs: int, env: dict[str, str]
                ) -> dict[str, Any]:
    """Median wall time of each command, the commands taking turns (load hits all alike),
    and under ``cpu`` the median child CPU time of each."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            wall, cpu = _once(argv, env)
            times[name].append(wall)
            cpus[name].append(cpu)
    out: dict[str, Any] = {name: statistics.median(t) for name, t in times.items()}
    out["cpu"] = {name: statistics.median(c) for name, c in cpus.items()}
    return out


def run(runs: int = 15) -> dict[str, Any]:
    commands = {"bare": BARE, "floor": FLOOR, "lint": lint_argv()}
    out: dict[str, Any] = {"runs": runs}
    base = {k: v for k, v in os.environ.items()
            if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")}
    with tempfile.TemporaryDirectory(prefix="governance-pyc-") as pyc:
        env = {**base, "PYTHONPYCACHEPREFIX": pyc}
        interleaved(commands, 2, env)  # writes the bytecode cache, warms the file cache
        cached = interleaved(commands, runs, env)
        # an editable install with PYTHONDONTWRITEBYTECODE set: the libraries are compiled (as
        # pip installed them), the package's own modules never are
        import shutil

        package = Path(pyc + str(ROOT.resolve())) / "governance"
        shutil.rmtree(package)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        editable = interleaved(commands, runs, env)
        if package.exists():
            raise RuntimeError("bytecode of the package was written")
    with tempfile.TemporaryDirectory(prefix="governance-nopyc-") as pyc:
        env = {**base, "PYTHONPYCACHEPREFIX": pyc, "PYTHONDONTWRITEBYTECODE": "1"}
        fresh = interleaved(commands, runs, env)
    for key, r in (("cached", cached), ("package_uncompiled", editable), ("no_cache", fresh)):
        out[key] = {**r, "ratio": r["lint"] / r["floor"],
                    "cpu_ratio": r["cpu"]["lint"] / r["cpu"]["floor"]}
    out["load"] = os.getloadavg()[0]
    # kept for the JSON of earlier runs
    out.update(bare_s=cached["bare"], lint_s=cached["lint"], ratio=out["cached"]["ratio"])
    return out
