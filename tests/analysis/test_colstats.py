"""Mergeable column statistics (analysis/colstats, colmeasures): merging batches equals the
whole column; quantile edges equal numpy's bit for bit; KS equals scipy's ks_2samp (exact and
asymptotic); counts equal the pandas/numpy definitions they replace."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from governance.analysis import colmeasures as cm
from governance.analysis import colstats as cs
from governance.analysis import drift as d


def _series_cases() -> dict[str, pd.Series]:
    rng = np.random.default_rng(3)
    floats = rng.normal(0, 1, 700).round(2)
    floats[rng.integers(0, 700, 40)] = np.nan
    floats[5] = np.inf
    text = rng.choice(["a", "b", " ", "", "NA", "zz", "é"], 700).astype(object)
    text[rng.integers(0, 700, 30)] = None
    return {
        "floats": pd.Series(floats),
        "ints": pd.Series(rng.integers(-5, 50, 700)),
        "text": pd.Series(text),
        "bools": pd.Series(rng.random(700) < 0.3),
    }


@pytest.mark.parametrize("name", ["floats", "ints", "text", "bools"])
@pytest.mark.parametrize("cuts", [[350], [1, 2, 699], [100, 200, 300, 650]])
def test_merged_batches_equal_the_whole_column(name: str, cuts: list[int]) -> None:
    s = _series_cases()[name]
    whole = cs.of_series("c", s)
    bounds = [0, *cuts, len(s)]
    parts = [cs.of_series("c", s.iloc[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    merged = parts[0]
    for part in parts[1:]:
        merged = cs.merge(merged, part)
    assert merged.same(whole)
    backwards = parts[-1]
    for part in reversed(parts[:-1]):
        backwards = cs.merge(part, backwards)
    assert backwards.same(whole)
    assert (whole.rows, whole.na) == (len(s), int(s.isna().sum()))
    assert int(whole.counts.sum()) == whole.non_missing


def test_whole_column_counts_equal_pandas_value_counts() -> None:
    for s in _series_cases().values():
        st = cs.of_series("c", s)
        vc = s.dropna().astype("string").value_counts() if not st.numeric else \
            s.dropna().value_counts()
        # numbers compare as numbers: pandas labels the -0.0/0.0 group by its first member
        key = float if st.numeric else str
        got = dict(zip([key(v) for v in st.values.tolist()], st.counts.tolist(), strict=True))
        assert got == {key(k): int(v) for k, v in vc.items()}


def test_batched_reader_equals_the_in_memory_frame(tmp_path: Path) -> None:
    cases = _series_cases()
    df = pd.DataFrame({k: v for k, v in cases.items() if k != "floats"})
    df["floats"] = cases["floats"].replace(np.inf, 7.5)
    df.to_parquet(tmp_path / "t.parquet")
    df.to_csv(tmp_path / "t.csv", index=False)
    for fmt, frame in (("parquet", pd.read_parquet(tmp_path / "t.parquet")),
                       ("csv", pd.read_csv(tmp_path / "t.csv"))):
        cols = ["floats", "ints", "bools", "text"]
        got = cs.read_batched(str(tmp_path / f"t.{fmt}"), fmt, cols, batch_rows=64)
        for c in cols:
            assert got[c].same(cs.of_series(c, frame[c])), (fmt, c)


def test_batched_reader_errors_are_evidence_errors(tmp_path: Path) -> None:
    (tmp_path / "bad.csv").write_bytes(b"a,b\n1,2\n3,4,5,\x1b[31m\n")
    with pytest.raises(cs.EvidenceError, match="cannot read csv table") as exc:
        cs.read_batched(str(tmp_path / "bad.csv"), "csv", ["a"])
    assert "\x1b" not in str(exc.value)
    with pytest.raises(cs.EvidenceError, match="not jsonl"):
        cs.read_batched(str(tmp_path / "bad.csv"), "jsonl", ["a"])


def test_distinct_values_are_capped() -> None:
    a = cs.of_series("x", pd.Series(np.arange(60.0)))
    b = cs.of_series("x", pd.Series(np.arange(50.0, 120.0)))
    assert cs.merge(a, b, max_distinct=120).distinct == 120
    with pytest.raises(cs.TooManyValues, match="more than 100 distinct values"):
        cs.merge(a, b, max_distinct=100)
    t = cs.of_series("t", pd.Series(["a"]))
    with pytest.raises(Exception, match="numeric in one part"):
        cs.merge(a, t)


@pytest.mark.parametrize("seed", range(6))
def test_quantiles_equal_numpy_bit_for_bit(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 3000))
    values = rng.normal(0, 1, n).round(int(rng.integers(0, 4))) * 10.0 ** rng.integers(-3, 5)
    v, c = np.unique(values, return_counts=True)
    for bins in (2, 3, 7, 10, 64, 100):
        q = np.arange(1, bins) / bins
        assert cm.quantiles(v, c.astype(np.int64), q).tolist() == np.quantile(values, q).tolist()
        assert d.quantile_edges(values, bins).tolist() == np.unique(
            np.quantile(values, q)).tolist()
    assert cm.quantiles(v, c.astype(np.int64), np.array([25.0, 75.0]) / 100).tolist() == \
        np.percentile(values, [25.0, 75.0]).tolist()


@pytest.mark.parametrize(("n1", "n2", "seed"), [
    (30, 45, 0), (500, 500, 1), (2000, 9000, 2), (10_000, 10_000, 3),  # exact
    (12_000, 30_000, 4), (40_000, 40_000, 5), (10_001, 300, 6),  # asymptotic
])
def test_ks_equals_scipy(n1: int, n2: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, n1).round(2)
    b = rng.normal(0.05, 1.1, n2).round(2)
    ref = np.unique(a, return_counts=True)
    cur = np.unique(b, return_counts=True)
    stat, p = cm.ks_2samp((ref[0], ref[1].astype(np.int64)), (cur[0], cur[1].astype(np.int64)))
    want = stats.ks_2samp(a, b)
    assert stat == pytest.approx(float(want.statistic), abs=1e-9)
    assert p == pytest.approx(float(want.pvalue), abs=1e-9, rel=1e-9)


def test_measures_equal_their_frame_definitions() -> None:
    s = _series_cases()
    text = cs.of_series("t", s["text"])
    stripped = s["text"].astype("string").str.strip()
    blank = int(((stripped == "") | stripped.isin(["NA"])).fillna(False).sum())
    assert cm.missing(text, ["NA"]) == int(s["text"].isna().sum()) + blank
    ints = cs.of_series("i", s["ints"])
    assert cm.out_of_range(ints, 0, 40) == int(((s["ints"] < 0) | (s["ints"] > 40)).sum())
    bad, labels = cm.not_allowed(ints, [1, 2, 3])
    assert bad == int((~s["ints"].isin([1, 2, 3])).sum())
    assert labels == sorted({str(v) for v in s["ints"] if v not in (1, 2, 3)})
    top = s["ints"].value_counts()
    assert cm.dominant_share(ints) == top.iloc[0] / len(s["ints"])
    floats = cs.of_series("f", s["floats"])
    fv, fc = cm.finite_counts(floats)
    finite = s["floats"][np.isfinite(s["floats"])].to_numpy()
    mean, std = cm.mean_std(fv, fc)
    assert mean == pytest.approx(float(np.mean(finite)), rel=1e-12)
    assert std == pytest.approx(float(np.std(finite)), rel=1e-12)
    # numbers as categories: integral floats print like integers, on both sides
    assert cm.category_counts(cs.of_series("x", pd.Series([1.0, 0.0, None, 1.0]))) == {
        "0": 1, "1": 2}
    assert cm.category_counts(cs.of_series("x", pd.Series([0.5, 2.0]))) == {
        "0.5": 1, "2.0": 1}


def test_the_merger_merges_in_rounds_and_equals_the_whole(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.setattr(cs.Merger, "PENDING", 40)
    for s in _series_cases().values():
        m = cs.Merger()
        rounds = 0
        for start in range(0, len(s), 37):
            before = m.done
            m.add(cs.of_series("c", s.iloc[start:start + 37]))
            rounds += m.done is not before
        assert rounds >= 2 or s.dtype == bool  # several rounds of merging, not one at the end
        result = m.result()
        assert result is not None and result.same(cs.of_series("c", s))
    capped = cs.Merger(max_distinct=50)
    with pytest.raises(cs.TooManyValues):
        for start in range(0, 700, 10):
            capped.add(cs.of_series("x", pd.Series(np.arange(start, start + 10.0))))
