"""Data-quality and drift rules end to end: one statistics pass per column (issue 14 item 1).

Two Parquet tables of N rows (a training set and a reference set; 6 numeric and 3 text
columns plus a binary label) and one policy of 6 rules over them: ``missing_values``,
``constant_columns``, ``class_balance``, ``outliers``, ``feature_drift``, ``label_drift``.
The whole ``governance check --format json`` process is timed

- as shipped: the rules declare their column statistics and the engine's pre-pass computes
  each column's once (``RuleKind.needs``, provider ``columns``);
- without the pre-pass (the provider unregistered): each rule computes what it first asks
  for, later rules reuse it from the run's cache;
- with ``--engine streaming``: the tables are read batch by batch, never materialised (peak
  RSS printed beside the time);
- optionally with another source tree on ``PYTHONPATH`` (``--before DIR``, e.g. an export of
  an older commit), where every rule recomputes its per-column work.

The findings of every variant are asserted identical (the report minus its id, time and
environment).

    .venv/bin/python -m benchmarks.datasets --rows 1000000 [--before /tmp/old-src]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RULES: list[tuple[str, dict[str, Any]]] = [
    ("missing_values", {"artifact": "train", "max_column_rate": 0.05, "missing_markers": ["?"]}),
    ("constant_columns", {"artifact": "train", "near_constant_share": 0.95,
                          "max_near_constant": 3}),
    ("class_balance", {"artifact": "train", "min_minority_share": 0.2}),
    ("outliers", {"artifact": "train", "max_share": 0.1}),
    ("feature_drift", {"reference": "ref", "current": "train", "max_drifted_share": 1.0}),
    ("label_drift", {"reference": "ref", "current": "train"}),
]


def _table(n: int, seed: int) -> Any:
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    income = rng.lognormal(10, 1, n).round(0)
    income[rng.integers(0, n, n // 100)] = np.nan
    return pd.DataFrame({
        "age": rng.integers(18, 95, n),
        "income": income,
        "balance": rng.normal(1000, 400, n).round(2),
        "score": rng.random(n).round(4),
        "tenure": rng.poisson(6, n),
        "rate": rng.normal(0.05, 0.01, n).round(5),
        "job": rng.choice(["clerk", "manager", "engineer", "?", "other"], n),
        "region": rng.choice([f"r{i}" for i in range(40)], n),
        "channel": np.where(rng.random(n) < 0.97, "web", "branch"),
        "label": (rng.random(n) < 0.3).astype(np.int64),
    })


def make_project(root: Path, n: int) -> Path:
    import yaml

    root.mkdir(parents=True, exist_ok=True)
    _table(n, 1).to_parquet(root / "train.parquet")
    _table(n, 2).to_parquet(root / "ref.parquet")
    card = {"apiVersion": "governance/v1", "kind": "ModelCard",
            "model": {"name": "bench", "version": "1.0.0", "task": "binary_classification"},
            "artifacts": [
                {"name": "train", "role": "dataset", "path": "train.parquet",
                 "columns": {"label": "label"}},
                {"name": "ref", "role": "reference_dataset", "path": "ref.parquet",
                 "columns": {"label": "label"}}]}
    (root / "card.yaml").write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "bench", "version": "1"},
              "rules": [{"id": f"D-{i}", "title": kind, "kind": kind, "severity": "low",
                         "params": params} for i, (kind, params) in enumerate(RULES)]}
    (root / "policy.yaml").write_text(yaml.safe_dump(policy, sort_keys=False),
                                      encoding="utf-8")
    return root


NO_PREPASS = ("import sys; from governance.evidence import needs; "
              "needs.PROVIDERS.pop('columns'); from governance.cli import main; "
              "sys.exit(main(sys.argv[1:]))")


def check(root: Path, variant: str, before: Path | None
          ) -> tuple[float, float, dict[str, Any]]:
    out = Path(tempfile.mkdtemp(prefix=f"ds-{variant}-", dir=root))
    args = ["check", "--policy", "policy.yaml", "--card", "card.yaml", "--root", ".",
            "--format", "json", "--output-dir", str(out), "--quiet", "--no-ledger"]
    env = dict(os.environ)
    if variant == "before" and before is not None:
        env["PYTHONPATH"] = str(before)
    if variant == "streaming":
        args += ["--engine", "streaming"]
    cmd = ([sys.executable, "-c", NO_PREPASS, *args] if variant == "no-prepass"
           else [sys.executable, "-m", "governance", *args])
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if code not in (0, 1):
        raise RuntimeError(f"{variant}: exit {code}: {err[-2000:]}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for key in ("report_id", "generated_at", "environment"):
        report.pop(key, None)
    return elapsed, usage.ru_maxrss / 1024**2, report  # ru_maxrss: KiB on Linux


def run(root: Path, *, before: Path | None, repeat: int
        ) -> dict[str, tuple[float, float]]:
    variants = ["prepass", "no-prepass", "streaming"] + (["before"] if before else [])
    best: dict[str, tuple[float, float]] = {}
    reports: dict[str, Any] = {}
    for _ in range(repeat):
        for v in variants:  # interleaved, so load on the machine hits every variant alike
            t, rss, reports[v] = check(root, v, before)
            best[v] = (min(t, best.get(v, (t, rss))[0]), max(rss, best.get(v, (t, rss))[1]))
    reports["streaming"]["run"] = reports["prepass"]["run"]  # the engine setting differs
    for v in variants[1:]:
        if reports[v] != reports["prepass"]:
            raise AssertionError(f"{v}: the report differs from the pre-pass run")
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--before", type=Path, help="another source tree to time (PYTHONPATH)")
    ns = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = make_project(Path(tmp) / "p", ns.rows)
        best = run(root, before=ns.before, repeat=ns.repeat)
    print(f"{ns.rows} rows x 2 tables, {len(RULES)} data-quality/drift rules, best of "
          f"{ns.repeat} (whole process, s); reports identical across variants")
    for v, (t, rss) in best.items():
        print(f"  {v:<11} {t:7.2f} s  ({t / best['prepass'][0]:.2f}x the pre-pass run), "
              f"peak RSS {rss:.2f} GiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
