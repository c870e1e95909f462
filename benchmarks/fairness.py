"""Fairness + metrics on N rows, 2 sensitive features and their intersection, versus fairlearn.

Ours: what the fairness rules run after reading the table -- encode the two features, group the
rows by each feature and by the intersection, compute every metric per group and overall
(:func:`governance.metrics.compute.group_values`), then the demographic parity and equalized
odds differences. Peer: one fairlearn ``MetricFrame`` per grouping with the same metrics
(scikit-learn functions; ROC AUC in a second MetricFrame over the scores) and its
``difference()``. Every per-group value, overall value and gap is asserted equal to 1e-9.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

COUNT = ("accuracy", "balanced_accuracy", "precision", "recall", "f1", "fpr",
         "selection_rate")
COMBOS = (("sex",), ("age_group",), ("sex", "age_group"))


def make_data(n: int, seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    sex = np.array(["female", "male"], dtype=object)[rng.choice(2, n, p=[0.4, 0.6])]
    age = np.array(["<25", "25-45", "45-65", ">65"], dtype=object)[
        rng.choice(4, n, p=[0.15, 0.5, 0.25, 0.1])]
    y = rng.integers(0, 2, n)
    score = np.clip(0.45 * y + rng.normal(0.28, 0.22, n), 0, 1)
    return {"y_true": y, "y_pred": (score >= 0.5).astype(np.int64), "y_score": score,
            "sex": sex, "age_group": age}


def ours(d: dict[str, Any], auc: bool) -> dict[str, Any]:
    from governance.metrics import compute
    from governance.metrics.counts import encode_feature, make_grouping
    from governance.metrics.fairness import criterion
    from governance.metrics.predictions import PredictionSet

    ps = PredictionSet("bench", "binary", d["y_true"], d["y_pred"],
                       d["y_score"] if auc else None,
                       sensitive={"sex": d["sex"], "age_group": d["age_group"]})
    metrics = list(COUNT) + (["roc_auc"] if auc else [])
    feats = {f: encode_feature(f, ps.sensitive[f]) for f in ("sex", "age_group")}
    out: dict[str, Any] = {}
    for combo in COMBOS:
        grouping = make_grouping([feats[f] for f in combo])
        gv = compute.group_values(ps, grouping, metrics)
        per = {m: (gv[m].values, gv[m].overall) for m in metrics}
        out[" & ".join(combo)] = {
            "by_group": {m: gv[m].values for m in metrics},
            "overall": {m: gv[m].overall for m in metrics},
            "dp": float(criterion("demographic_parity", per, "difference", "between_groups")),
            "eo": float(criterion("equalized_odds", per, "difference", "between_groups")),
        }
    return out


def peer(d: dict[str, Any], auc: bool) -> tuple[dict[str, Any], float, float]:
    """fairlearn's values, the seconds of the count-metric MetricFrames and of the ROC AUC
    MetricFrames (0 without AUC)."""
    import pandas as pd
    from fairlearn.metrics import MetricFrame, false_positive_rate, selection_rate
    from sklearn import metrics as skm

    fns = {"accuracy": skm.accuracy_score, "balanced_accuracy": skm.balanced_accuracy_score,
           "precision": skm.precision_score, "recall": skm.recall_score, "f1": skm.f1_score,
           "fpr": false_positive_rate, "selection_rate": selection_rate}
    out: dict[str, Any] = {}
    t_count = t_auc = 0.0
    for combo in COMBOS:
        sf = pd.DataFrame({f: d[f] for f in combo}) if len(combo) > 1 else d[combo[0]]
        t = time.perf_counter()
        mf = MetricFrame(metrics=fns, y_true=d["y_true"], y_pred=d["y_pred"],
                         sensitive_features=sf)
        diff = mf.difference()
        t_count += time.perf_counter() - t
        by_group = {m: mf.by_group[m].to_numpy(dtype=float) for m in fns}
        overall = {m: float(mf.overall[m]) for m in fns}
        if auc:
            t = time.perf_counter()
            mfa = MetricFrame(metrics={"roc_auc": skm.roc_auc_score}, y_true=d["y_true"],
                              y_pred=d["y_score"], sensitive_features=sf)
            t_auc += time.perf_counter() - t
            by_group["roc_auc"] = mfa.by_group["roc_auc"].to_numpy(dtype=float)
            overall["roc_auc"] = float(mfa.overall["roc_auc"])
        out[" & ".join(combo)] = {
            "by_group": by_group, "overall": overall,
            "dp": float(diff["selection_rate"]),
            "eo": float(max(diff["recall"], diff["fpr"])),
        }
    return out, t_count, t_auc


def assert_identical(a: dict[str, Any], b: dict[str, Any]) -> int:
    """Every value equal to 1e-9; returns how many values were compared."""
    compared = 0
    for key, x in a.items():
        y = b[key]
        for m, v in x["by_group"].items():
            np.testing.assert_allclose(v, y["by_group"][m], rtol=0, atol=1e-9,
                                       err_msg=f"{key} {m}")
            compared += len(v)
        for m, v in x["overall"].items():
            assert abs(v - y["overall"][m]) <= 1e-9, (key, m, v, y["overall"][m])
            compared += 1
        for g in ("dp", "eo"):
            assert abs(x[g] - y[g]) <= 1e-9, (key, g, x[g], y[g])
            compared += 1
    return compared


def timed(fn: Any, *args: Any, repeat: int = 1) -> tuple[float, Any]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, result


def run(n: int) -> list[dict[str, Any]]:
    """Without and with ROC AUC. fairlearn runs once with AUC: its count-metric MetricFrames
    are the peer without AUC, count + AUC MetricFrames the peer with AUC."""
    d = make_data(n)
    theirs, t_count, t_auc = peer(d, True)
    results = []
    for auc in (False, True):
        t_ours, mine = timed(ours, d, auc, repeat=3)
        compared = assert_identical(mine, theirs if auc else _without_auc(theirs))
        t_peer = t_count + (t_auc if auc else 0.0)
        results.append({"rows": n, "auc": auc, "ours_s": t_ours, "peer_s": t_peer,
                        "speedup": t_peer / t_ours, "values_compared": compared})
    return results


def _without_auc(values: dict[str, Any]) -> dict[str, Any]:
    return {k: {**v, "by_group": {m: x for m, x in v["by_group"].items() if m != "roc_auc"},
                "overall": {m: x for m, x in v["overall"].items() if m != "roc_auc"}}
            for k, v in values.items()}
