"""End to end: the whole ``governance check`` process versus peer scripts (issue 14 item 3).

One Parquet predictions file of N rows (2 sensitive features), one policy of eight
``group_metric_floor`` rules (7 count metrics + ROC AUC) over ``sex``, ``age_group`` and
``sex & age_group``. Every process is timed from start to exit, as a user runs it:

- ours: ``governance check --format json`` (reads, validates, hashes the file; writes the report);
- pandas: a plain pandas script: ``read_parquet``, confusion counts by ``groupby``, the metrics
  from the counts, ROC AUC per group with scikit-learn;
- fairlearn: a script with one ``MetricFrame`` per grouping with the same metrics.

Every per-group and overall value is asserted equal (1e-9) across the three. Then the same
check with 95% confidence intervals on every value (``n_resamples: 1000``) versus without.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

COUNT = ("accuracy", "balanced_accuracy", "precision", "recall", "f1", "fpr",
         "selection_rate")
METRICS = (*COUNT, "roc_auc")
COMBOS = (("sex",), ("age_group",), ("sex", "age_group"))


def make_project(root: Path, n: int, seed: int = 0) -> Path:
    import numpy as np
    import pandas as pd
    import yaml

    rng = np.random.default_rng(seed)
    sex = np.array(["female", "male"])[rng.choice(2, n, p=[0.4, 0.6])]
    age = np.array(["<25", "25-45", "45-65", ">65"])[rng.choice(4, n, p=[0.15, 0.5, 0.25, 0.1])]
    y = rng.integers(0, 2, n)
    score = np.round(np.clip(0.45 * y + rng.normal(0.28, 0.22, n), 0, 1), 4)
    root.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"y_true": y, "y_pred": (score >= 0.5).astype(np.int64), "y_score": score,
                  "sex": sex, "age_group": age}).to_parquet(root / "preds.parquet")
    card = {"apiVersion": "governance/v1", "kind": "ModelCard",
            "model": {"name": "bench", "version": "1.0.0", "task": "binary_classification"},
            "artifacts": [{"name": "preds", "role": "predictions", "path": "preds.parquet",
                           "split": "test",
                           "columns": {"y_true": "y_true", "y_pred": "y_pred",
                                       "y_score": "y_score",
                                       "sensitive_features": ["sex", "age_group"]}}]}
    (root / "card.yaml").write_text(yaml.safe_dump(card, sort_keys=False), encoding="utf-8")
    for ci in (False, True):
        rules = [{"id": f"M-{m}", "title": m, "kind": "group_metric_floor", "severity": "low",
                  "params": {"metric": m, "min": 0.0, "intersections": True,
                             "min_group_size": 1, "n_resamples": 1000 if ci else 0}}
                 for m in METRICS]
        policy = {"apiVersion": "governance/v1", "kind": "Policy",
                  "metadata": {"name": "bench", "version": "1"}, "rules": rules}
        (root / f"policy{'-ci' if ci else ''}.yaml").write_text(
            yaml.safe_dump(policy, sort_keys=False), encoding="utf-8")
    return root


PANDAS_SCRIPT = r'''
import json, sys
import numpy as np, pandas as pd
from sklearn.metrics import roc_auc_score
df = pd.read_parquet(sys.argv[1])
def metrics(c):
    tn, fp, fn, tp = c["tn"], c["fp"], c["fn"], c["tp"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rec = tp / (tp + fn); spec = tn / (tn + fp); prec = tp / (tp + fp)
        return {"accuracy": (tp + tn) / (tn + fp + fn + tp),
                "balanced_accuracy": (rec + spec) / 2, "precision": prec, "recall": rec,
                "f1": 2 * tp / (2 * tp + fp + fn), "fpr": fp / (fp + tn),
                "selection_rate": (tp + fp) / (tn + fp + fn + tp)}
y, p = df["y_true"], df["y_pred"]
df["tp"] = (y & p).astype(int); df["fp"] = ((1 - y) & p).astype(int)
df["fn"] = (y & (1 - p)).astype(int); df["tn"] = ((1 - y) & (1 - p)).astype(int)
out = {}
for combo in (["sex"], ["age_group"], ["sex", "age_group"]):
    g = df.groupby(combo, sort=True)
    c = g[["tn", "fp", "fn", "tp"]].sum()
    m = pd.DataFrame(metrics(c))
    m["roc_auc"] = g[["y_true", "y_score"]].apply(
        lambda d: roc_auc_score(d["y_true"], d["y_score"]))
    name = " & ".join(combo)
    out[name] = {" & ".join(f"{f}={v}" for f, v in zip(combo, k if isinstance(k, tuple) else (k,))):
                 {col: float(m.loc[k, col]) for col in m.columns} for k in m.index}
tot = df[["tn", "fp", "fn", "tp"]].sum()
out["overall"] = {**{k: float(v) for k, v in metrics(tot).items()},
                  "roc_auc": float(roc_auc_score(df["y_true"], df["y_score"]))}
json.dump(out, sys.stdout)
'''

FAIRLEARN_SCRIPT = r'''
import json, sys, warnings
import pandas as pd
from fairlearn.metrics import MetricFrame, selection_rate, false_positive_rate
from sklearn import metrics as skm
warnings.simplefilter("ignore")
df = pd.read_parquet(sys.argv[1])
fns = {"accuracy": skm.accuracy_score, "balanced_accuracy": skm.balanced_accuracy_score,
       "precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score,
       "fpr": false_positive_rate, "selection_rate": selection_rate}
out = {}
for combo in (["sex"], ["age_group"], ["sex", "age_group"]):
    mf = MetricFrame(metrics=fns, y_true=df["y_true"], y_pred=df["y_pred"],
                     sensitive_features=df[combo])
    auc = MetricFrame(metrics={"roc_auc": skm.roc_auc_score}, y_true=df["y_true"],
                      y_pred=df["y_score"], sensitive_features=df[combo])
    by = mf.by_group.join(auc.by_group)
    out[" & ".join(combo)] = {
        " & ".join(f"{f}={v}" for f, v in zip(combo, k if isinstance(k, tuple) else (k,))):
        {c: float(by.loc[k, c]) for c in by.columns} for k in by.index}
    out["overall"] = {**{k: float(v) for k, v in mf.overall.items()},
                      "roc_auc": float(auc.overall["roc_auc"])}
json.dump(out, sys.stdout)
'''


def _timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    t = time.perf_counter()
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if r.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[:3]} exited {r.returncode}: {r.stderr[-2000:]}")
    return elapsed, r.stdout


def ours(root: Path, ci: bool) -> tuple[float, dict[str, Any]]:
    out = root / ("out-ci" if ci else "out")
    cmd = [sys.executable, "-m", "governance", "check", "--policy",
           f"policy{'-ci' if ci else ''}.yaml", "--card", "card.yaml", "--root", ".",
           "--format", "json", "--output-dir", str(out), "--quiet"]
    elapsed, _ = _timed(cmd, root)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    values: dict[str, Any] = {}
    for f in report["findings"]:
        metric = f["rule_id"].removeprefix("M-")
        for block in f["evidence"]:
            if block["type"] != "table":
                continue
            feature = block["title"].removeprefix("Per-group metrics by ")
            for row in block["rows"]:
                if row[0] == "overall":
                    values.setdefault("overall", {})[metric] = row[2]
                else:
                    values.setdefault(feature, {}).setdefault(row[0], {})[metric] = row[2]
            if ci:
                assert all(g["ci_lower"] is not None for b in f["evidence"]
                           if b["type"] == "group_metric" for g in b["groups"]), f["rule_id"]
    return elapsed, values


def peer(root: Path, script: str) -> tuple[float, dict[str, Any]]:
    elapsed, stdout = _timed([sys.executable, "-c", script, "preds.parquet"], root)
    return elapsed, json.loads(stdout)


def assert_equal(a: dict[str, Any], b: dict[str, Any], what: str) -> int:
    """Every value of ``a`` equals ``b``'s (1e-9 relative); returns how many were compared."""
    count = 0
    assert a.keys() == b.keys(), (what, a.keys(), b.keys())
    for k in a:
        if isinstance(a[k], dict):
            count += assert_equal(a[k], b[k], f"{what}.{k}")
            continue
        x, y = a[k], b[k]
        if x is None or y is None or (isinstance(y, float) and math.isnan(y)):
            assert (x is None or math.isnan(x)) and (y is None or math.isnan(y)), (what, k)
        else:
            assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12), (what, k, x, y)
        count += 1
    return count


def run(root: Path, n: int, *, fairlearn: bool = True, repeat: int = 1) -> dict[str, Any]:
    import os

    make_project(root, n)
    load_before = os.getloadavg()[0]  # the machine may be shared: ratios are same-run
    best = {}
    vals: dict[str, Any] = {}
    for _ in range(repeat):
        for name, fn in (("ours", lambda: ours(root, False)), ("ours_ci", lambda: ours(root, True)),
                         ("pandas", lambda: peer(root, PANDAS_SCRIPT))):
            t, v = fn()
            best[name] = min(best.get(name, math.inf), t)
            vals[name] = v
    compared = assert_equal(vals["ours"], vals["pandas"], "pandas")
    assert_equal(vals["ours_ci"], vals["ours"], "ci")
    result: dict[str, Any] = {"rows": n, "ours_s": best["ours"], "ours_ci_s": best["ours_ci"],
                              "pandas_s": best["pandas"], "values_compared": compared,
                              "load": (load_before, os.getloadavg()[0])}
    if fairlearn:
        t, v = peer(root, FAIRLEARN_SCRIPT)
        result["fairlearn_s"] = t
        result["values_compared_fairlearn"] = assert_equal(vals["ours"], v, "fairlearn")
    return result
