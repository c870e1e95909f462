"""The statistics layer (governance.metrics.stats) against scikit-learn: multiclass confusion
matrices and losses per group, weighted binary counts and regression moments, every grouping
derived from the finest table; and through ``groups.prepare`` with a real card (in memory)."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn import metrics as skm

from governance.metrics import stats
from governance.metrics.predictions import PredictionSet

TOL = 1e-9


def multiclass(n: int = 3000, k: int = 3, seed: int = 5) -> tuple[PredictionSet, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    pred = np.where(rng.random(n) < 0.6, y, rng.integers(0, k, n))
    proba = rng.dirichlet(np.ones(k), n)
    proba[np.arange(n), y] += 0.5
    proba /= proba.sum(axis=1, keepdims=True)
    g = np.array(["a", "b", "c"])[rng.integers(0, 3, n)]
    h = np.array(["x", "y"])[rng.integers(0, 2, n)]
    w = rng.uniform(0.5, 2.0, n)
    ps = PredictionSet("t", "multiclass", y, pred, None, proba, ("0", "1", "2"), w,
                       {"g": g, "h": h})
    return ps, w


@pytest.mark.parametrize("average", ["micro", "macro", "weighted"])
def test_multiclass_groups_equal_sklearn(average: str) -> None:
    ps, w = multiclass()
    table, _ = stats.partial(ps, ["g", "h"], probability=True)
    for combo in (("g",), ("h",), ("g", "h")):
        c = stats.coarse(table, combo)
        vals = stats.group_metric_values(table, c, ["f1", "recall", "accuracy", "log_loss",
                                                    "brier"], average=average)  # type: ignore[arg-type]
        for i, levels in enumerate(c.values):
            m = np.ones(ps.n, dtype=bool)
            for f, v in zip(combo, levels, strict=True):
                m &= ps.sensitive[f] == v
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert vals["f1"][0][i] == pytest.approx(skm.f1_score(
                    ps.y_true[m], ps.y_pred[m], average=average, sample_weight=w[m]), abs=TOL)
                assert vals["recall"][0][i] == pytest.approx(skm.recall_score(
                    ps.y_true[m], ps.y_pred[m], average=average, sample_weight=w[m]), abs=TOL)
            assert vals["accuracy"][0][i] == pytest.approx(skm.accuracy_score(
                ps.y_true[m], ps.y_pred[m], sample_weight=w[m]), abs=TOL)
            assert vals["log_loss"][0][i] == pytest.approx(skm.log_loss(
                ps.y_true[m], ps.proba[m], sample_weight=w[m], labels=[0, 1, 2]), abs=TOL)
            onehot = np.eye(3)[ps.y_true[m]]
            brier = np.average(((onehot - ps.proba[m]) ** 2).sum(axis=1), weights=w[m])
            assert vals["brier"][0][i] == pytest.approx(brier, abs=TOL)
            assert vals["f1"][2][i] == m.sum()
        assert vals["log_loss"][1] == pytest.approx(skm.log_loss(
            ps.y_true, ps.proba, sample_weight=w), abs=TOL)


def test_partials_merge_to_the_whole_table() -> None:
    """Merging the partials of batches (streaming, Dask) equals the partial of the whole
    (in memory): counts exactly, regression moments to rounding."""
    from dataclasses import replace

    rng = np.random.default_rng(9)
    n = 5000
    y = rng.normal(10, 3, n)
    ps = PredictionSet("r", "regression", y, y + rng.normal(0, 1, n),
                       weight=rng.uniform(0.5, 2, n),
                       sensitive={"g": np.array(["a", "b", "c"])[rng.integers(0, 3, n)]})
    whole, _ = stats.partial(ps, ["g"])
    merged = stats.Stats(("g",), "regression")
    for lo in range(0, n, 1300):
        cut = slice(lo, lo + 1300)
        part = replace(ps, y_true=ps.y_true[cut], y_pred=ps.y_pred[cut],
                       weight=ps.weight[cut], sensitive={"g": ps.sensitive["g"][cut]})
        merged.merge(stats.partial(part, ["g"])[0])
    c1, c2 = stats.coarse(whole, ("g",)), stats.coarse(merged, ("g",))
    assert c1.values == c2.values
    for metric in ("mse", "mae", "r2"):
        a = stats.group_metric_values(whole, c1, [metric])[metric]
        b = stats.group_metric_values(merged, c2, [metric])[metric]
        np.testing.assert_allclose(a[0], b[0], rtol=1e-12)
        assert a[1] == pytest.approx(b[1], rel=1e-12)
        assert (a[2] == b[2]).all()
        for i, level in enumerate(c1.values):
            m = ps.sensitive["g"] == level[0]
            ref = {"mse": skm.mean_squared_error, "mae": skm.mean_absolute_error,
                   "r2": skm.r2_score}[metric](ps.y_true[m], ps.y_pred[m],
                                               sample_weight=ps.weight[m])
            assert a[0][i] == pytest.approx(ref, abs=TOL)


def test_multiclass_group_floor_through_the_engine(tmp_path: Path) -> None:
    from governance.api import CheckRequest, run_check

    ps, _ = multiclass(n=1200)
    df = pd.DataFrame({"y": ps.y_true, "p": ps.y_pred, "g": ps.sensitive["g"]})
    df.to_csv(tmp_path / "preds.csv", index=False)
    card = {"apiVersion": "governance/v1", "kind": "ModelCard",
            "model": {"name": "m", "version": "1.0.0", "task": "multiclass_classification"},
            "artifacts": [{"name": "preds", "role": "predictions", "path": "preds.csv",
                           "columns": {"y_true": "y", "y_pred": "p",
                                       "sensitive_features": ["g"]}}]}
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "p", "version": "1"},
              "rules": [{"id": "F", "title": "f", "kind": "group_metric_floor",
                         "severity": "high",
                         "params": {"metric": "f1", "average": "macro", "min": 0.1}}]}
    (tmp_path / "card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    (tmp_path / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    report = run_check(CheckRequest(policies=[tmp_path / "policy.yaml"],
                                    card=tmp_path / "card.yaml", root=tmp_path,
                                    now=datetime(2026, 1, 1, tzinfo=UTC), report_id="r")).report
    (f,) = report.findings
    assert f.status.value == "pass", f.message
    (block,) = [b for b in f.evidence if b.type == "group_metric"]
    for gv in block.groups:  # type: ignore[union-attr]
        m = ps.sensitive["g"] == gv.group.removeprefix("g=")
        assert gv.value == pytest.approx(skm.f1_score(ps.y_true[m], ps.y_pred[m],
                                                      average="macro"), abs=TOL)
