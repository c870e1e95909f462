"""Oracle edge cases of the statistics layer for predictions, through ``governance.api``.

Every number is compared with scikit-learn / fairlearn computed here on the same data; the
engines (memory, streaming, Dask) must agree to 1e-12; bad evidence must be an ``error``
finding naming the problem. Each test builds a small project in ``tmp_path``.
"""

from __future__ import annotations

import math
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn import metrics as skm

from governance.api import CheckRequest, run_check
from governance.report import Finding

TOL = 1e-9
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def check(root: Path, df: pd.DataFrame, columns: dict[str, Any],
          rules: list[tuple[str, dict[str, Any]]], *, task: str = "binary_classification",
          engine: str = "memory", fmt: str = "csv", scheduler: str | None = None
          ) -> list[Finding]:
    """Write a card, a policy and the predictions under ``root`` and run the check."""
    root.mkdir(parents=True, exist_ok=True)
    path = f"preds.{fmt}"
    if fmt == "csv":
        df.to_csv(root / path, index=False)
    else:
        df.to_parquet(root / path, index=False)
    card = {"apiVersion": "governance/v1", "kind": "ModelCard",
            "model": {"name": "m", "version": "1.0.0", "task": task},
            "artifacts": [{"name": "preds", "role": "predictions", "path": path,
                           "columns": columns}]}
    policy = {"apiVersion": "governance/v1", "kind": "Policy",
              "metadata": {"name": "p", "version": "1"},
              "rules": [{"id": f"R{i}", "title": "t", "kind": kind, "severity": "high",
                         "params": params} for i, (kind, params) in enumerate(rules)]}
    (root / "card.yaml").write_text(yaml.safe_dump(card), encoding="utf-8")
    (root / "policy.yaml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    report = run_check(CheckRequest(policies=[root / "policy.yaml"], card=root / "card.yaml",
                                    root=root, now=NOW, report_id="r", seed=3, engine=engine,
                                    dask_scheduler=scheduler)).report
    return list(report.findings)


def groups(f: Finding) -> dict[str, dict[str, float | None]]:
    """``{metric: {group: value}}`` of a finding's group-metric evidence."""
    out: dict[str, dict[str, float | None]] = {}
    for block in f.evidence:
        if block.type == "group_metric":
            out.setdefault(block.metric, {}).update(  # type: ignore[union-attr]
                {g.group: g.value for g in block.groups})  # type: ignore[union-attr]
    return out


def close(a: Any, b: Any, rel: float = 1e-12, path: str = "") -> None:
    """Recursive equality, floats to ``rel`` (engines agree to rounding)."""
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=rel, abs_tol=1e-15), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), path
        for k in a:
            close(a[k], b[k], rel, f"{path}.{k}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            close(x, y, rel, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def same(a: list[Finding], b: list[Finding]) -> None:
    """Equal statuses, observed values and per-group values (floats to 1e-12)."""
    assert [f.status for f in a] == [f.status for f in b], (
        [f.message for f in a], [f.message for f in b])
    for x, y in zip(a, b, strict=True):
        close(x.observed, y.observed, path=x.rule_id)
        close(groups(x), groups(y), path=x.rule_id)


def binary_frame(n: int = 300, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    score = np.round(np.clip(rng.normal(0.4 + 0.2 * y, 0.2), 0, 1), 2)  # ties
    return pd.DataFrame({"y": y, "p": (score > 0.5).astype(int), "s": score,
                         "g": rng.choice(["a", "b", "c"], n)})


COLS = {"y_true": "y", "y_pred": "p", "y_score": "s", "sensitive_features": ["g"]}


def rule(kind: str, **params: Any) -> tuple[str, dict[str, Any]]:
    return kind, {"n_resamples": 0, "min_group_size": 1, **params} if kind in (
        "fairness_gap", "group_metric_floor", "disparate_impact") else {"n_resamples": 0,
                                                                          **params}


# ---------------------------------------------------------------------------------------------
# labels written in different ways
# ---------------------------------------------------------------------------------------------


def test_typed_like_read_csv_equals_pandas(tmp_path: Path) -> None:
    """The Dask engine reads CSV as text and types each partition like ``read_csv``."""
    from governance.metrics.distributed import typed_like_read_csv

    text = ("b,i,f,t,m,big\n"
            "True,1,1.0,x,1,false\n"
            "False,2,2.5,y,z,FALSE\n"
            "True,3,3.0,1,1.5,TRUE\n")
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    want = pd.read_csv(tmp_path / "t.csv")
    got = typed_like_read_csv(pd.read_csv(tmp_path / "t.csv", dtype=str))
    for col in want.columns:
        assert got[col].dtype.kind == want[col].dtype.kind or (
            want[col].dtype.kind in "OT" and got[col].dtype.kind in "OT"), col
        assert [str(v) for v in got[col]] == [str(v) for v in want[col]], col


@pytest.mark.parametrize("written", ["bool", "float", "string"])
def test_labels_written_alike_give_sklearn_values_on_every_engine(
        tmp_path: Path, written: str, dask_scheduler: str) -> None:
    """``True``/``1.0``/``"yes"`` labels: fairlearn's equalized odds and sklearn's F1 and
    ROC AUC on every engine and format (the Dask engine rejected bool and 1.0 labels read
    from CSV: it typed no column)."""
    from fairlearn.metrics import equalized_odds_difference

    df = binary_frame()
    y, p = df["y"].to_numpy(), df["p"].to_numpy()
    cols = dict(COLS)
    if written == "bool":
        df["y"], df["p"] = df["y"].astype(bool), df["p"].astype(bool)
    elif written == "float":
        df["y"], df["p"] = df["y"].astype(float), df["p"].astype(float)
    else:
        df["y"] = np.where(y == 1, "yes", "no")
        df["p"] = np.where(p == 1, "yes", "no")
        cols["positive_label"] = "yes"
    rules = [rule("fairness_gap", metric="equalized_odds", max=1.0),
             rule("recomputed_metric", metric="f1", min=0.0),
             rule("recomputed_metric", metric="roc_auc", min=0.0)]
    memory = check(tmp_path / "m", df, cols, rules)
    assert [f.status.value for f in memory] == ["pass"] * 3, [f.message for f in memory]
    eod = equalized_odds_difference(y, p, sensitive_features=df["g"])
    assert memory[0].observed["g"]["value"] == pytest.approx(eod, abs=TOL)  # type: ignore[index]
    assert memory[1].observed["value"] == pytest.approx(  # type: ignore[index]
        skm.f1_score(y, p), abs=TOL)
    assert memory[2].observed["value"] == pytest.approx(  # type: ignore[index]
        skm.roc_auc_score(y, df["s"]), abs=TOL)
    for engine, fmt in (("streaming", "csv"), ("streaming", "parquet"), ("dask", "csv")):
        same(memory, check(tmp_path / f"{engine}-{fmt}", df, cols, rules, engine=engine,
                           fmt=fmt, scheduler=dask_scheduler if engine == "dask" else None))


def test_unicode_levels_three_features_and_intersections_equal_fairlearn(
        tmp_path: Path) -> None:
    from fairlearn.metrics import MetricFrame, selection_rate

    df = binary_frame(400, seed=2)
    rng = np.random.default_rng(2)
    df["g"] = df["g"].map({"a": "Ünïcödé", "b": "中文", "c": "😀"})
    df["h"] = rng.choice(["x", "y"], len(df))
    df["k"] = rng.choice([1, 2], len(df))
    cols = {**COLS, "sensitive_features": ["g", "h", "k"]}
    (f,) = check(tmp_path, df, cols, [rule("fairness_gap", metric="demographic_parity",
                                           max=1.0, intersections=True)])
    assert f.status.value == "pass", f.message
    observed: dict[str, Any] = f.observed  # type: ignore[assignment]
    for combo in (["g"], ["h"], ["k"], ["g", "h"], ["g", "k"], ["h", "k"], ["g", "h", "k"]):
        mf = MetricFrame(metrics=selection_rate, y_true=df["y"], y_pred=df["p"],
                         sensitive_features=df[combo])
        assert observed[" & ".join(combo)]["value"] == pytest.approx(mf.difference(), abs=TOL)


# ---------------------------------------------------------------------------------------------
# multiclass averages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("average", ["macro", "micro", "weighted"])
def test_multiclass_averages_with_classes_missing_in_a_group_equal_sklearn(
        tmp_path: Path, average: str) -> None:
    """A class only predicted (recall 0/0) and a class absent from a group: sklearn's default
    counts the class's 0/0 as 0 in the average (the layer left it out: macro recall of a
    group equalled its balanced accuracy)."""
    rng = np.random.default_rng(4)
    n = 300
    y = rng.choice(["cat", "dog", "eel"], n)
    p = np.where(rng.random(n) < 0.6, y, rng.choice(["cat", "dog", "eel", "fox"], n))
    g = rng.choice(["a", "b"], n)
    y[(g == "a") & (y == "eel")] = "cat"
    p[(g == "a") & (p == "eel")] = "dog"
    y[:3] = "gnu"  # a class never predicted: precision 0/0
    df = pd.DataFrame({"y": y, "p": p, "g": g})
    cols = {"y_true": "y", "y_pred": "p", "sensitive_features": ["g"]}
    names = ("f1", "precision", "recall")
    rules = [rule("group_metric_floor", metric=m, average=average, min=0.0) for m in names]
    rules += [rule("recomputed_metric", metric=m, average=average, min=0.0) for m in names]
    found = check(tmp_path, df, cols, rules, task="multiclass_classification")
    assert [f.status.value for f in found] == ["pass"] * 6, [f.message for f in found]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f, m in zip(found[:3], names, strict=True):
            score = getattr(skm, f"{m}_score")
            for k in ("a", "b"):
                want = score(y[g == k], p[g == k], average=average)
                assert f.observed["g"][f"g={k}"] == pytest.approx(want, abs=TOL), (m, k)  # type: ignore[index]
        for f, m in zip(found[3:], names, strict=True):
            want = getattr(skm, f"{m}_score")(y, p, average=average)
            assert f.observed["value"] == pytest.approx(want, abs=TOL), m  # type: ignore[index]


# ---------------------------------------------------------------------------------------------
# weights
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["zeros", "fractional", "huge_and_tiny"])
def test_weights_equal_sklearn_and_fairlearn_on_every_engine(tmp_path: Path, kind: str) -> None:
    from fairlearn.metrics import (
        demographic_parity_difference,
        equalized_odds_difference,
        equalized_odds_ratio,
    )

    df = binary_frame(300, seed=5)
    rng = np.random.default_rng(5)
    w = rng.uniform(0.1, 2.0, len(df))
    if kind == "zeros":
        w[:40] = 0.0
    elif kind == "huge_and_tiny":
        w = w * 1e12
        w[:15] = 1e-12
    df["w"] = w
    y, p, s, g = df["y"], df["p"], df["s"], df["g"]
    cols = {**COLS, "sample_weight": "w"}
    rules = [rule("fairness_gap", metric="demographic_parity", max=1.0),
             rule("fairness_gap", metric="equalized_odds", max=1.0),
             rule("fairness_gap", metric="equalized_odds", measure="ratio", min=0.01),
             rule("recomputed_metric", metric="roc_auc", min=0.0),
             rule("recomputed_metric", metric="pr_auc", min=0.0),
             rule("recomputed_metric", metric="log_loss", max=10.0),
             rule("recomputed_metric", metric="brier", max=1.0),
             rule("group_metric_floor", metric="roc_auc", min=0.0)]
    memory = check(tmp_path / "m", df, cols, rules)
    assert {f.status.value for f in memory} == {"pass"}, [f.message for f in memory]
    want = [demographic_parity_difference(y, p, sensitive_features=g, sample_weight=w),
            equalized_odds_difference(y, p, sensitive_features=g, sample_weight=w),
            equalized_odds_ratio(y, p, sensitive_features=g, sample_weight=w)]
    for f, v in zip(memory[:3], want, strict=True):
        assert f.observed["g"]["value"] == pytest.approx(v, abs=TOL)  # type: ignore[index]
    want = [skm.roc_auc_score(y, s, sample_weight=w),
            skm.average_precision_score(y, s, sample_weight=w),
            skm.log_loss(y, s, sample_weight=w), skm.brier_score_loss(y, s, sample_weight=w)]
    for f, v in zip(memory[3:7], want, strict=True):
        assert f.observed["value"] == pytest.approx(v, abs=TOL)  # type: ignore[index]
    for k in ("a", "b", "c"):
        m = (g == k).to_numpy()
        assert memory[7].observed["g"][f"g={k}"] == pytest.approx(  # type: ignore[index]
            skm.roc_auc_score(y[m], s[m], sample_weight=w[m]), abs=TOL)
    for fmt in ("csv", "parquet"):
        same(memory, check(tmp_path / fmt, df, cols, rules, engine="streaming", fmt=fmt))


def test_all_zero_weight_group_is_an_error_never_a_pass(tmp_path: Path) -> None:
    df = binary_frame(200, seed=6)
    df["w"] = np.where(df["g"] == "a", 0.0, 1.0)
    found = check(tmp_path, df, {**COLS, "sample_weight": "w"},
                  [rule("fairness_gap", metric="demographic_parity", max=1.0)])
    assert found[0].status.value == "error"
    assert "selection_rate of g=a" in found[0].message


# ---------------------------------------------------------------------------------------------
# bad evidence
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("column", "value", "metric", "message"), [
    ("w", np.nan, "selection_rate", "column 'w' (sample_weight) has 1 missing value(s), first "
     "at row 6"),
    ("w", -1.0, "selection_rate", "column 'w' (sample_weight) has negative weights, first at "
     "row 6"),
    ("s", np.nan, "roc_auc", "column 's' (y_score) has 1 missing value(s), first at row 6"),
    ("s", np.inf, "roc_auc", "column 's' (y_score) has 1 non-finite value(s) (NaN or inf), "
     "first at row 6"),
    ("s", 1.5, "log_loss", "column 's' (y_score) must hold probabilities in [0, 1]"),
    ("s", -0.5, "brier", "column 's' (y_score) must hold probabilities in [0, 1]"),
    ("g", None, "selection_rate", "column 'g' (sensitive feature) has 1 missing value(s), "
     "first at row 6"),
])
@pytest.mark.parametrize("engine", ["memory", "streaming"])
def test_bad_evidence_is_an_error_naming_the_problem(
        tmp_path: Path, column: str, value: Any, metric: str, message: str,
        engine: str) -> None:
    df = binary_frame(100, seed=7)
    df["w"] = 1.0
    df["s"] = df["s"].astype(float)
    df[column] = df[column].astype(object) if value is None else df[column]
    df.loc[5, column] = value
    limit = {"max": 10.0} if metric in ("log_loss", "brier") else {"min": 0.0}
    kind = "group_metric_floor" if metric == "selection_rate" else "recomputed_metric"
    (f,) = check(tmp_path, df, {**COLS, "sample_weight": "w"},
                 [rule(kind, metric=metric, **limit)], engine=engine)
    assert f.status.value == "error"
    assert message in f.message


def test_scores_outside_zero_one_are_fine_for_ranking_metrics(tmp_path: Path) -> None:
    df = binary_frame(200, seed=8)
    df["s"] = df["s"] * 7 - 3
    (f,) = check(tmp_path, df, COLS, [rule("recomputed_metric", metric="roc_auc", min=0.0)])
    assert f.observed["value"] == pytest.approx(  # type: ignore[index]
        skm.roc_auc_score(df["y"], df["s"]), abs=TOL)


# ---------------------------------------------------------------------------------------------
# scores: the cell path and the row path of ROC AUC / AP / DeLong
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("weighted", [False, True])
def test_score_cells_and_row_ranking_give_the_same_auc_ap_and_delong_interval(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, weighted: bool) -> None:
    """Either side of the in-memory switch (cells when few distinct scores) gives the same
    ROC AUC, AP and DeLong CI, equal to scikit-learn."""
    from governance.metrics import source

    df = binary_frame(400, seed=9)
    cols = dict(COLS)
    w = None
    if weighted:
        w = np.random.default_rng(9).uniform(0.5, 2.0, len(df))
        df["w"] = w
        cols["sample_weight"] = "w"
    rules = [("recomputed_metric", {"metric": "roc_auc", "min": 0.0, "n_resamples": 200}),
             rule("recomputed_metric", metric="pr_auc", min=0.0),
             ("group_metric_floor", {"metric": "roc_auc", "min": 0.0, "n_resamples": 200,
                                     "min_group_size": 1}),
             ("fairness_gap", {"metric": "roc_auc", "max": 1.0, "n_resamples": 200,
                               "min_group_size": 1}),
             rule("group_metric_floor", metric="pr_auc", min=0.0)]
    monkeypatch.setattr(source, "CELL_FRACTION", 10**9)  # at most one cell: rank the rows
    rows = check(tmp_path / "rows", df, cols, rules)
    monkeypatch.setattr(source, "CELL_FRACTION", 1e-9)  # always cells
    cells = check(tmp_path / "cells", df, cols, rules)
    same(rows, cells)
    for a, b in zip(rows, cells, strict=True):  # intervals too
        ci = [[(g.ci_lower, g.ci_upper) for g in e.groups]  # type: ignore[union-attr]
              for e in a.evidence if e.type == "group_metric"]
        close(ci, [[(g.ci_lower, g.ci_upper) for g in e.groups]  # type: ignore[union-attr]
                   for e in b.evidence if e.type == "group_metric"])
    y, s = df["y"], df["s"]
    assert rows[0].observed["value"] == pytest.approx(  # type: ignore[index]
        skm.roc_auc_score(y, s, sample_weight=w), abs=TOL)
    assert rows[1].observed["value"] == pytest.approx(  # type: ignore[index]
        skm.average_precision_score(y, s, sample_weight=w), abs=TOL)


def test_all_equal_scores(tmp_path: Path) -> None:
    df = binary_frame(200, seed=10)
    df["s"] = 0.5
    found = check(tmp_path, df, COLS, [rule("recomputed_metric", metric="roc_auc", min=0.0),
                                       rule("recomputed_metric", metric="pr_auc", min=0.0)])
    assert found[0].observed["value"] == 0.5  # type: ignore[index]
    assert found[1].observed["value"] == pytest.approx(  # type: ignore[index]
        skm.average_precision_score(df["y"], df["s"]), abs=TOL)


# ---------------------------------------------------------------------------------------------
# groups
# ---------------------------------------------------------------------------------------------


def test_group_of_one_and_empty_after_exclusion(tmp_path: Path) -> None:
    df = binary_frame(200, seed=11)
    df.loc[0, "g"] = "z"
    found = check(tmp_path, df, COLS, [
        rule("fairness_gap", metric="demographic_parity", max=1.0),
        ("fairness_gap", {"metric": "demographic_parity", "max": 1.0, "n_resamples": 0,
                          "min_group_size": 2, "small_groups": "exclude"}),
        ("fairness_gap", {"metric": "demographic_parity", "max": 1.0, "n_resamples": 0,
                          "min_group_size": 10_000, "small_groups": "exclude"})])
    from fairlearn.metrics import demographic_parity_difference as dpd

    assert found[0].observed["g"]["value"] == pytest.approx(  # type: ignore[index]
        dpd(df["y"], df["p"], sensitive_features=df["g"]), abs=TOL)
    kept = df["g"] != "z"
    assert found[1].observed["g"]["value"] == pytest.approx(  # type: ignore[index]
        dpd(df["y"][kept], df["p"][kept], sensitive_features=df["g"][kept]), abs=TOL)
    assert found[2].status.value == "error"
    assert "fewer than two groups of g left to compare" in found[2].message


def test_mixed_type_sensitive_values_share_a_level(tmp_path: Path) -> None:
    from fairlearn.metrics import demographic_parity_difference as dpd

    df = binary_frame(200, seed=12)
    g = df["g"].astype(object)
    g[:50] = 1
    g[50:100] = "1"
    df["g"] = g
    (f,) = check(tmp_path, df, COLS, [rule("fairness_gap", metric="demographic_parity",
                                           max=1.0)])
    assert f.observed["g"]["value"] == pytest.approx(  # type: ignore[index]
        dpd(df["y"], df["p"], sensitive_features=df["g"].astype(str)), abs=TOL)


# ---------------------------------------------------------------------------------------------
# regression
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["constant", "exact", "huge", "huge_weighted", "tiny"])
def test_regression_moments_equal_sklearn(tmp_path: Path, case: str) -> None:
    """Merged moments vs sklearn's two passes: groups of values near 1e9 lost 1e-8 of r2
    (the group means' rounding entered the merge linearly)."""
    rng = np.random.default_rng(13)
    n = 200
    g = rng.choice(["a", "b"], n)
    w = None
    if case == "constant":
        y, p = np.full(n, 3.0), 3.0 + rng.normal(0, 1, n)
    elif case == "exact":
        y = p = np.full(n, 3.0)
    elif case == "tiny":
        y, p = rng.normal(0, 1e-9, n), rng.normal(0, 1e-9, n)
    else:
        y, p = 1e9 + rng.normal(0, 1, n), 1e9 + rng.normal(0, 1, n)
        if case == "huge_weighted":
            w = rng.uniform(0, 1e6, n)
    df = pd.DataFrame({"y": y, "p": p, "g": g})
    cols: dict[str, Any] = {"y_true": "y", "y_pred": "p", "sensitive_features": ["g"]}
    if w is not None:
        df["w"] = w
        cols["sample_weight"] = "w"
    rules = [rule("recomputed_metric", metric="r2", min=-1e9),
             rule("recomputed_metric", metric="mse", max=1e30),
             rule("recomputed_metric", metric="mae", max=1e30),
             rule("group_metric_floor", metric="r2", min=-1e9)]
    memory = check(tmp_path / "m", df, cols, rules, task="regression")
    for f, fn in zip(memory[:3], (skm.r2_score, skm.mean_squared_error,
                                  skm.mean_absolute_error), strict=True):
        assert f.observed["value"] == pytest.approx(  # type: ignore[index]
            fn(y, p, sample_weight=w), rel=TOL, abs=1e-15)
    for k in ("a", "b"):
        m = g == k
        assert memory[3].observed["g"][f"g={k}"] == pytest.approx(skm.r2_score(  # type: ignore[index]
            y[m], p[m], sample_weight=None if w is None else w[m]), abs=TOL)
    streamed = check(tmp_path / "s", df, cols, rules, task="regression", engine="streaming",
                     fmt="parquet")
    for a, b in zip(memory, streamed, strict=True):  # to rounding (different sum orders)
        close(a.observed, b.observed, rel=1e-9)


def test_regression_one_row(tmp_path: Path) -> None:
    df = pd.DataFrame({"y": [1.5], "p": [2.0], "g": ["a"]})
    found = check(tmp_path, df, {"y_true": "y", "y_pred": "p"},
                  [rule("recomputed_metric", metric="r2", min=0.0),
                   rule("recomputed_metric", metric="mse", max=1.0)], task="regression")
    assert found[0].status.value == "error"  # sklearn: nan with a warning
    assert "undefined" in found[0].message
    assert found[1].observed["value"] == 0.25  # type: ignore[index]


# ---------------------------------------------------------------------------------------------
# the pre-pass and the intervals
# ---------------------------------------------------------------------------------------------


def test_pre_pass_changes_nothing_and_seeds_reproduce(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import governance.engine

    df = binary_frame(300, seed=14)
    df["h"] = np.random.default_rng(99).choice(["x", "y"], len(df))
    cols = {**COLS, "sensitive_features": ["g", "h"]}
    rules: list[tuple[str, dict[str, Any]]] = [
        ("fairness_gap", {"metric": "equalized_odds", "max": 1.0, "intersections": True,
                          "min_group_size": 5, "n_resamples": 100}),
        ("disparate_impact", {"min_ratio": 0.1, "min_group_size": 5}),
        ("group_metric_floor", {"metric": "roc_auc", "min": 0.0, "n_resamples": 100}),
        ("recomputed_metric", {"metric": "brier", "max": 1.0, "n_resamples": 100}),
        ("fairness_gap", {"metric": "roc_auc", "max": 1.0, "method": "to_overall",
                          "n_resamples": 100})]
    first = check(tmp_path / "a", df, cols, rules)
    again = check(tmp_path / "b", df, cols, rules)
    monkeypatch.setattr(governance.engine, "PROVIDERS", {})
    alone = check(tmp_path / "c", df, cols, rules)
    assert [f.model_dump() for f in first] == [f.model_dump() for f in again]
    assert [f.model_dump() for f in first] == [f.model_dump() for f in alone]
    assert {f.status.value for f in first} == {"pass"}, [f.message for f in first]
    from fairlearn.metrics import demographic_parity_ratio

    for feature in ("g", "h"):
        assert first[1].observed[feature]["min_impact_ratio"] == pytest.approx(  # type: ignore[index]
            demographic_parity_ratio(df["y"], df["p"], sensitive_features=df[feature]),
            abs=TOL)


def test_dask_partitions_typed_apart_give_the_groups_of_read_csv(
        tmp_path: Path, dask_scheduler: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CSV feature column with integers in one partition and decimals in another is a float
    column to ``read_csv`` (groups ``1.0``, ``2.0``, ``1.5``): every partition names its
    groups that way (the first partition named them ``1`` and ``2``: groups split)."""
    from governance.metrics import distributed

    df = binary_frame(400, seed=15)
    df["k"] = np.where(np.arange(len(df)) % 2 == 0, 1, 2).astype(object)
    df.loc[350:, "k"] = 1.5  # only in the last partition
    cols = {**COLS, "sensitive_features": ["k"]}
    rules = [rule("group_metric_floor", metric="selection_rate", min=0.0),
             rule("fairness_gap", metric="demographic_parity", max=1.0),
             rule("group_metric_floor", metric="roc_auc", min=0.0)]
    memory = check(tmp_path / "m", df, cols, rules)
    assert set(groups(memory[0])["selection_rate"]) == {"k=1.0", "k=2.0", "k=1.5"}
    monkeypatch.setattr(distributed, "CSV_BLOCK_BYTES", 2_000)  # several partitions
    same(memory, check(tmp_path / "d", df, cols, rules, engine="dask",
                       scheduler=dask_scheduler))


@pytest.mark.parametrize("average", ["macro", "micro", "weighted"])
def test_binary_class_averages_per_group_equal_sklearn(tmp_path: Path, average: str) -> None:
    """Binary data with a class average: a group with one class only, a group predicting
    only the positive class (precision of class 0 is 0/0: sklearn counts 0), weighted."""
    df = binary_frame(200, seed=51)
    df.loc[df["g"] == "a", ["y", "p"]] = 0
    df.loc[df["g"] == "b", "p"] = 1
    w = np.random.default_rng(3).uniform(0, 2, len(df))
    df["w"] = w
    names = ("f1", "precision", "recall")
    found = check(tmp_path, df, {**COLS, "sample_weight": "w"},
                  [rule("group_metric_floor", metric=m, average=average, min=0.0)
                   for m in names])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f, m in zip(found, names, strict=True):
            assert f.status.value == "pass", f.message
            for k in ("a", "b", "c"):
                sel = (df["g"] == k).to_numpy()
                want = getattr(skm, f"{m}_score")(df["y"][sel], df["p"][sel], average=average,
                                                  sample_weight=w[sel])
                assert f.observed["g"][f"g={k}"] == pytest.approx(want, abs=TOL), (m, k)  # type: ignore[index]
