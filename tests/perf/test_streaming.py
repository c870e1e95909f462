"""The streaming engine equals the in-memory engine, scikit-learn and fairlearn.

Small files, small record batches and a tiny range budget, so that every merge path (several
batches, several score ranges, refined radix bins, a single score spanning more rows than the
budget) runs on data a test can afford.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    equalized_odds_difference,
)
from sklearn import metrics as skm

from governance.card.model import ColumnMap
from governance.errors import EvidenceError
from governance.metrics import compute, stats, streaming, sweep
from governance.metrics.counts import encode_feature, make_grouping
from governance.metrics.fairness import criterion
from governance.metrics.predictions import from_frame

COUNT = ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "specificity", "fpr",
         "fnr", "selection_rate"]
SCORE = ["roc_auc", "pr_auc", "log_loss", "brier"]
COMBOS = [("sex",), ("age",), ("sex", "age")]
DATA = Path(__file__).resolve().parents[1] / "data"  # tests/data (see LICENSE.md there)


def synthetic(n: int, seed: int = 0, ties: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n, p=[0.35, 0.65])
    age = rng.choice(["<25", "25-45", ">45"], n, p=[0.15, 0.55, 0.30])
    y = rng.integers(0, 2, n)
    score = np.clip(0.5 * y + rng.normal(0.25, 0.25, n) + 0.05 * (sex == "male"), 0, 1)
    if ties:
        score = np.round(score, 2)
    return pd.DataFrame({"y_true": y, "y_pred": (score >= 0.5).astype(int), "y_score": score,
                         "weight": rng.uniform(0.2, 3.0, n), "sex": sex, "age": age})


def columns(weighted: bool = False) -> ColumnMap:
    return ColumnMap(y_true="y_true", y_pred="y_pred", y_score="y_score",
                     sample_weight="weight" if weighted else None,
                     sensitive_features=["sex", "age"])


def spec(weighted: bool = False, features: tuple[str, ...] = ("sex", "age"),
         ranks: bool = True) -> streaming.StreamSpec:
    return streaming.StreamSpec("artifact 'p' (p.parquet)", "binary", columns(weighted),
                                features, need_pred=True, need_score=True,
                                need_probability=True, need_ranks=ranks)


def streamed_values(s: streaming.Streamed, combo: tuple[str, ...], metrics: list[str],
                    budget: int | None = None
                    ) -> dict[str, tuple[np.ndarray, float, np.ndarray]]:
    c = stats.coarse(s.stats, combo)
    if s.cells is None:
        return stats.group_metric_values(s.stats, c, metrics)
    r = sweep.rank_metrics(s.cells, [(c.parent, len(c.values)),
                                         (stats.whole(s.stats).parent, 1)], budget)
    return stats.group_metric_values(s.stats, c, metrics, ranks=r[0], overall_ranks=r[1])


def assert_close(a: object, b: object) -> None:
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float),
                               rtol=1e-9, atol=1e-12, equal_nan=True)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, Path, Path]:
    df = synthetic(30_000)
    d = tmp_path_factory.mktemp("stream")
    pq_path, csv_path = d / "p.parquet", d / "p.csv"
    df.to_parquet(pq_path, row_group_size=7_000)
    df.to_csv(csv_path, index=False)
    return df, pq_path, csv_path


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("weighted", [False, True])
def test_streaming_equals_in_memory_engine(data: tuple[pd.DataFrame, Path, Path], fmt: str,
                                           weighted: bool) -> None:
    df, pq_path, csv_path = data
    path = pq_path if fmt == "parquet" else csv_path
    s = streaming.stream_table(str(path), fmt, spec(weighted), batch_rows=4_000)
    assert s.rows == len(df)
    ps = from_frame(df, columns(weighted), "binary", "x", need_pred=True, need_score=True,
                    need_probability=True, features=["sex", "age"])
    for combo in COMBOS:
        got = streamed_values(s, combo, COUNT + SCORE, budget=3_000)
        grouping = make_grouping([encode_feature(f, ps.sensitive[f]) for f in combo])
        assert stats.coarse(s.stats, combo).values == grouping.values
        want = compute.group_values(ps, grouping, COUNT + SCORE)
        for m in COUNT + SCORE:
            assert_close(got[m][0], want[m].values)
            assert_close(got[m][1], want[m].overall)
            assert (got[m][2] == want[m].n).all()


def test_streaming_equals_sklearn_and_fairlearn(data: tuple[pd.DataFrame, Path, Path]) -> None:
    df, pq_path, _ = data
    s = streaming.stream_table(str(pq_path), "parquet", spec(), batch_rows=5_000)
    y, p, sc = df["y_true"], df["y_pred"], df["y_score"]
    for combo in COMBOS:
        got = streamed_values(s, combo, ["accuracy", "recall", "fpr", "selection_rate",
                                         "roc_auc", "pr_auc", "log_loss", "brier"],
                              budget=2_500)
        sf = df[list(combo)] if len(combo) > 1 else df[combo[0]]
        mf = MetricFrame(metrics={
            "accuracy": skm.accuracy_score, "recall": skm.recall_score,
            "roc_auc": lambda a, b: skm.roc_auc_score(a, b)}, y_true=y, y_pred=p,
            sensitive_features=sf)
        assert_close(got["accuracy"][0], mf.by_group["accuracy"].to_numpy())
        assert_close(got["recall"][0], mf.by_group["recall"].to_numpy())
        mfs = MetricFrame(metrics={"roc_auc": skm.roc_auc_score,
                                   "pr_auc": skm.average_precision_score,
                                   "brier": skm.brier_score_loss},
                          y_true=y, y_pred=sc, sensitive_features=sf)
        for m in ("roc_auc", "pr_auc", "brier"):
            assert_close(got[m][0], mfs.by_group[m].to_numpy())
            assert_close(got[m][1], mfs.overall[m])
        assert_close(got["log_loss"][1], skm.log_loss(y, sc))
        dp = criterion("demographic_parity", {"selection_rate": got["selection_rate"][:2]},
                       "difference", "between_groups")
        assert_close(dp, demographic_parity_difference(y, p, sensitive_features=sf))
        eo = criterion("equalized_odds", {"recall": got["recall"][:2],
                                          "fpr": got["fpr"][:2]}, "difference",
                       "between_groups")
        assert_close(eo, equalized_odds_difference(y, p, sensitive_features=sf))


def test_weighted_streaming_equals_sklearn(data: tuple[pd.DataFrame, Path, Path]) -> None:
    df, pq_path, _ = data
    s = streaming.stream_table(str(pq_path), "parquet", spec(weighted=True), batch_rows=6_000)
    got = streamed_values(s, (), ["accuracy", "f1", "roc_auc", "pr_auc", "log_loss"],
                          budget=4_000)
    y, p, sc, w = df["y_true"], df["y_pred"], df["y_score"], df["weight"]
    assert_close(got["accuracy"][1], skm.accuracy_score(y, p, sample_weight=w))
    assert_close(got["f1"][1], skm.f1_score(y, p, sample_weight=w))
    assert_close(got["roc_auc"][1], skm.roc_auc_score(y, sc, sample_weight=w))
    assert_close(got["pr_auc"][1], skm.average_precision_score(y, sc, sample_weight=w))
    assert_close(got["log_loss"][1], skm.log_loss(y, sc, sample_weight=w))


def test_auc_ranges_with_distinct_scores_and_one_huge_tie(tmp_path: Path) -> None:
    """Continuous scores (every row distinct) and 40% of rows on one score value: the radix
    plan refines bins down to single keys and still matches scikit-learn."""
    df = synthetic(20_000, seed=3, ties=False)
    df.loc[df.index[:8_000], "y_score"] = 0.5
    df["y_pred"] = (df["y_score"] >= 0.5).astype(int)
    df.loc[df.index[:50], "y_score"] = -0.0  # -0.0 and 0.0 are one score
    df.loc[df.index[50:100], "y_score"] = 0.0
    path = tmp_path / "c.parquet"
    df.to_parquet(path)
    sp = streaming.StreamSpec("c", "binary", columns(), ("sex",), need_score=True,
                              need_ranks=True)
    s = streaming.stream_table(str(path), "parquet", sp, batch_rows=3_000)
    assert s.cells is not None
    ranges = sweep.plan_ranges(s.cells, 1_000)
    assert len(ranges) > 12
    his = [hi for _, hi in ranges]
    assert his == sorted(his, reverse=True)
    got = streamed_values(s, ("sex",), ["roc_auc", "pr_auc"], budget=1_000)
    for i, level in enumerate(["female", "male"]):
        m = (df["sex"] == level).to_numpy()
        assert_close(got["roc_auc"][0][i], skm.roc_auc_score(df["y_true"][m], df["y_score"][m]))
        assert_close(got["pr_auc"][0][i],
                     skm.average_precision_score(df["y_true"][m], df["y_score"][m]))
    assert_close(got["roc_auc"][1], skm.roc_auc_score(df["y_true"], df["y_score"]))


def test_regression_streaming_equals_sklearn(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    n = 12_000
    y = 1e4 + rng.normal(0, 3, n)  # a large mean: naive sums of squares would cancel
    df = pd.DataFrame({"y": y, "yhat": y + rng.normal(0, 1, n),
                       "g": rng.choice(["a", "b", "c"], n), "w": rng.uniform(0.5, 2, n)})
    path = tmp_path / "r.csv"
    df.to_csv(path, index=False)
    for weighted in (False, True):
        cols = ColumnMap(y_true="y", y_pred="yhat", sample_weight="w" if weighted else None)
        sp = streaming.StreamSpec("r", "regression", cols, ("g",), need_pred=True)
        s = streaming.stream_table(str(path), "csv", sp, batch_rows=1_000)
        got = streamed_values(s, ("g",), ["mse", "rmse", "mae", "r2"])
        back = pd.read_csv(path)
        for i, level in enumerate(["a", "b", "c"]):
            m = back["g"] == level
            kw = {"sample_weight": back["w"][m]} if weighted else {}
            a, b = back["y"][m], back["yhat"][m]
            assert_close(got["mse"][0][i], skm.mean_squared_error(a, b, **kw))
            assert_close(got["rmse"][0][i], np.sqrt(skm.mean_squared_error(a, b, **kw)))
            assert_close(got["mae"][0][i], skm.mean_absolute_error(a, b, **kw))
            assert_close(got["r2"][0][i], skm.r2_score(a, b, **kw))
        kw = {"sample_weight": back["w"]} if weighted else {}
        assert_close(got["r2"][1], skm.r2_score(back["y"], back["yhat"], **kw))


def test_errors_name_the_row_in_the_whole_file(tmp_path: Path) -> None:
    df = synthetic(5_000)
    df["y_score"] = df["y_score"].astype(float)
    df.loc[3_456, "y_score"] = np.nan
    path = tmp_path / "bad.parquet"
    df.to_parquet(path)
    with pytest.raises(EvidenceError) as err:
        streaming.stream_table(str(path), "parquet", spec(), batch_rows=1_000)
    assert err.value.message == ("artifact 'p' (p.parquet): column 'y_score' (y_score) has 1 "
                                 "missing value(s), first at row 3457")


def test_three_labels_across_batches_are_refused(tmp_path: Path) -> None:
    df = pd.DataFrame({"y_true": ["good", "bad"] * 500 + ["ugly"] * 10,
                       "y_pred": ["good"] * 1010, "y_score": [0.5] * 1010})
    path = tmp_path / "l.parquet"
    df.to_parquet(path)
    cols = ColumnMap(y_true="y_true", y_pred="y_pred", positive_label="good")
    sp = streaming.StreamSpec("l", "binary", cols, (), need_pred=True)
    with pytest.raises(EvidenceError, match=r"3 distinct labels \(bad, good, ugly\)"):
        streaming.stream_table(str(path), "parquet", sp, batch_rows=1_000)


def test_missing_column_is_named(data: tuple[pd.DataFrame, Path, Path]) -> None:
    _, pq_path, csv_path = data
    sp = streaming.StreamSpec("p", "binary", columns(), ("race",), need_pred=True)
    for path, fmt in ((pq_path, "parquet"), (csv_path, "csv")):
        with pytest.raises(EvidenceError, match=r"p has no column\(s\) 'race'"):
            streaming.stream_table(str(path), fmt, sp)


def test_spill_is_removed(data: tuple[pd.DataFrame, Path, Path]) -> None:
    _, pq_path, _ = data
    s = streaming.stream_table(str(pq_path), "parquet", spec())
    assert isinstance(s.cells, streaming.Spill)
    folder = Path(s.cells.dir)
    assert folder.is_dir()
    s.cells.remove()
    assert not folder.exists()


def test_german_credit_streamed_equals_fairlearn(tmp_path: Path) -> None:
    raw = pd.read_csv(DATA / "german-credit" / "german.data", sep=" ", header=None)
    y = (raw[20] == 1).astype(int)
    score = np.round(1 / (1 + np.exp(-(raw[4] - raw[4].median()) / raw[4].std())), 3)
    df = pd.DataFrame({"y_true": y, "y_pred": (score >= 0.5).astype(int), "y_score": score,
                       "sex": np.where(raw[8].isin(["A92", "A95"]), "female", "male"),
                       "age": np.where(raw[12] < 25, "<25", ">=25")})
    path = tmp_path / "german.csv"
    df.to_csv(path, index=False)
    s = streaming.stream_table(str(path), "csv", spec(), batch_rows=128)
    got = streamed_values(s, ("sex", "age"), ["selection_rate", "roc_auc"], budget=100)
    mf = MetricFrame(metrics={"selection_rate": lambda a, b: float(np.mean(b))},
                     y_true=df["y_true"], y_pred=df["y_pred"],
                     sensitive_features=df[["sex", "age"]])
    assert_close(got["selection_rate"][0], mf.by_group["selection_rate"].to_numpy())
    auc = MetricFrame(metrics=skm.roc_auc_score, y_true=df["y_true"], y_pred=df["y_score"],
                      sensitive_features=df[["sex", "age"]])
    assert_close(got["roc_auc"][0], auc.by_group.to_numpy())


def test_progress_reports_rows(data: tuple[pd.DataFrame, Path, Path]) -> None:
    _, pq_path, _ = data
    seen: list[tuple[int, int | None]] = []
    streaming.stream_table(str(pq_path), "parquet", spec(ranks=False),
                           progress=lambda r, t: seen.append((r, t)), batch_rows=10_000)
    rows = [r for r, _ in seen]
    assert rows == sorted(set(rows)) and len(rows) >= 3
    assert all(b - a <= 10_000 for a, b in zip([0, *rows], rows, strict=False))
    assert seen[-1] == (30_000, 30_000) and {t for _, t in seen} == {30_000}


def test_digest_of_streamed_file_matches_hashlib(data: tuple[pd.DataFrame, Path, Path]
                                                  ) -> None:
    """The store's digest (computed during the streaming pass in rules) is the file's."""
    from governance.evidence.store import ArtifactStore

    _, pq_path, _ = data
    store = ArtifactStore(pq_path.parent)
    assert store.digest(pq_path.name).sha256 == hashlib.sha256(pq_path.read_bytes()).hexdigest()
