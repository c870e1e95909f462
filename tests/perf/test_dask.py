"""The Dask engine on a Dask DataFrame equals the single-process streaming engine."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_streaming import assert_close, columns, spec, streamed_values, synthetic  # noqa: E402

from governance.card.model import ColumnMap  # noqa: E402
from governance.errors import EvidenceError  # noqa: E402
from governance.metrics import streaming  # noqa: E402


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


def test_dask_dataframe_equals_streaming(tmp_path: Path, client) -> None:  # type: ignore[no-untyped-def]
    import dask.dataframe as dd

    from governance.metrics.distributed import stream_dataframe

    df = synthetic(12_000, seed=9, ties=False)
    path = tmp_path / "p.parquet"
    df.to_parquet(path)
    local = streaming.stream_table(str(path), "parquet", spec(weighted=True))
    ddf = dd.from_pandas(df, npartitions=5)
    dist = stream_dataframe(ddf, spec(weighted=True), client=client)
    assert dist.rows == local.rows == 12_000
    metrics = ["accuracy", "f1", "fpr", "roc_auc", "pr_auc", "log_loss", "brier"]
    for combo in [("sex",), ("sex", "age")]:
        a = streamed_values(local, combo, metrics)
        b = streamed_values(dist, combo, metrics)
        for m in metrics:
            assert_close(a[m][0], b[m][0])
            assert_close(a[m][1], b[m][1])


def test_dask_regression_and_csv(tmp_path: Path, client) -> None:  # type: ignore[no-untyped-def]
    from governance.metrics.distributed import stream_dask

    rng = np.random.default_rng(2)
    n = 9_000
    path = tmp_path / "r.csv"
    y = 50 + rng.normal(0, 2, n)
    import pandas as pd

    pd.DataFrame({"y": y, "yhat": y + rng.normal(0, 1, n),
                  "g": rng.choice(["a", "b"], n)}).to_csv(path, index=False)
    sp = streaming.StreamSpec("r", "regression", ColumnMap(y_true="y", y_pred="yhat"), ("g",),
                              need_pred=True)
    local = streaming.stream_table(str(path), "csv", sp)
    dist = stream_dask(str(path), "csv", sp, client=client)
    a = streamed_values(local, ("g",), ["mse", "mae", "r2"])
    b = streamed_values(dist, ("g",), ["mse", "mae", "r2"])
    for m in ("mse", "mae", "r2"):
        assert_close(a[m][0], b[m][0])


def test_dask_reports_bad_rows_and_missing_columns(tmp_path: Path, client) -> None:  # type: ignore[no-untyped-def]
    import dask.dataframe as dd

    from governance.metrics.distributed import stream_dataframe

    df = synthetic(2_000)
    df.loc[1_500, "y_true"] = 7
    ddf = dd.from_pandas(df, npartitions=2)
    with pytest.raises(EvidenceError, match=r"must hold binary labels 0 and 1.*found 7"):
        stream_dataframe(ddf, spec(), client=client)
    sp = streaming.StreamSpec("p", "binary", columns(), ("race",), need_pred=True)
    with pytest.raises(EvidenceError, match=r"p has no column\(s\) 'race'"):
        stream_dataframe(ddf, sp, client=client)
