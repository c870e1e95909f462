"""Peak memory of a large Parquet predictions file: streaming engine vs in-memory engine.

The file is written in batches with pyarrow (never whole in memory). Each engine runs in its own
subprocess, which reports its peak RSS (``resource.getrusage``, ``ru_maxrss``) and its values:
per-group and overall accuracy, recall, FPR, selection rate, ROC AUC, average precision and
log loss for ``sex``, ``age_group`` and their intersection, plus the file's sha256 (computed in
the same pass by the streaming engine). The parent asserts the two engines agree to 1e-9.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

METRICS = ["accuracy", "recall", "fpr", "selection_rate", "roc_auc", "pr_auc", "log_loss"]
COMBOS = [("sex",), ("age_group",), ("sex", "age_group")]
BATCH = 2_000_000


def write_parquet(path: Path, rows: int, seed: int = 0) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    sexes = pa.array(["female", "male"])
    ages = pa.array(["<25", "25-45", "45-65", ">65"])
    writer = None
    done = 0
    try:
        while done < rows:
            k = min(BATCH, rows - done)
            y = rng.integers(0, 2, k, dtype=np.int8)
            score = np.clip(0.45 * y + rng.normal(0.28, 0.22, k), 1e-6, 1 - 1e-6)
            table = pa.table({
                "y_true": y, "y_pred": (score >= 0.5).astype(np.int8), "y_score": score,
                "sex": pa.DictionaryArray.from_arrays(
                    pa.array(rng.choice(2, k, p=[0.4, 0.6]).astype(np.int8)), sexes),
                "age_group": pa.DictionaryArray.from_arrays(
                    pa.array(rng.choice(4, k, p=[0.15, 0.5, 0.25, 0.1]).astype(np.int8)),
                    ages),
            })
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table, row_group_size=1_000_000)
            done += k
    finally:
        if writer is not None:
            writer.close()


CHILD = r"""
import json, resource, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
path, engine = sys.argv[1], sys.argv[2]
METRICS = {metrics!r}
COMBOS = {combos!r}
from governance.card.model import ColumnMap
cols = ColumnMap(y_true="y_true", y_pred="y_pred", y_score="y_score",
                 sensitive_features=["sex", "age_group"])
t = time.perf_counter()
out = {{}}
if engine == "streaming":
    from governance.evidence.store import ArtifactStore
    from governance.metrics import stats as sl, streaming as st, sweep
    spec = st.StreamSpec("bench", "binary", cols, ("sex", "age_group"), need_pred=True,
                         need_score=True, need_probability=True, need_ranks=True)
    store = ArtifactStore(Path(path).parent)
    with ThreadPoolExecutor(1) as pool:
        digest = pool.submit(store.digest, Path(path).name)
        s = st.stream_table(path, "parquet", spec)
        sha = digest.result().sha256
    groupings = [sl.coarse(s.stats, c) for c in COMBOS]
    reqs = []
    for g in groupings:
        reqs += [(g.parent, len(g.values)), (sl.whole(s.stats).parent, 1)]
    ranks = sweep.rank_metrics(s.cells, reqs)
    for i, (c, g) in enumerate(zip(COMBOS, groupings)):
        v = sl.group_metric_values(s.stats, g, METRICS, ranks=ranks[2 * i],
                                   overall_ranks=ranks[2 * i + 1])
        out[" & ".join(c)] = {{m: [list(map(float, v[m][0])), v[m][1]] for m in METRICS}}
    s.cells.remove()
    rows = s.rows
else:
    import hashlib
    import pandas as pd
    from governance.metrics import compute
    from governance.metrics.counts import encode_feature, make_grouping
    from governance.metrics.predictions import from_frame
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    sha = h.hexdigest()
    df = pd.read_parquet(path)
    ps = from_frame(df, cols, "binary", "bench", need_pred=True, need_score=True,
                    need_probability=True, features=["sex", "age_group"])
    del df
    feats = {{f: encode_feature(f, ps.sensitive[f]) for f in ("sex", "age_group")}}
    for c in COMBOS:
        gv = compute.group_values(ps, make_grouping([feats[f] for f in c]), METRICS)
        out[" & ".join(c)] = {{m: [list(map(float, gv[m].values)), gv[m].overall]
                              for m in METRICS}}
    rows = ps.n
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({{"engine": engine, "rows": rows, "seconds": elapsed, "peak_rss": peak,
                  "sha256": sha, "values": out}}))
"""


def measure(path: Path, engine: str) -> dict[str, Any]:
    code = CHILD.format(metrics=METRICS, combos=COMBOS)
    done = subprocess.run([sys.executable, "-c", code, str(path), engine], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} run failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def compare(a: dict[str, Any], b: dict[str, Any]) -> int:
    assert a["sha256"] == b["sha256"], "digests differ"
    assert a["rows"] == b["rows"]
    compared = 0
    for key, metrics in a["values"].items():
        for m, (per, overall) in metrics.items():
            other_per, other_overall = b["values"][key][m]
            np.testing.assert_allclose(per, other_per, rtol=1e-9, atol=1e-12,
                                       err_msg=f"{key} {m}")
            assert abs(overall - other_overall) <= 1e-9 * max(1.0, abs(overall)), (key, m)
            compared += len(per) + 1
    return compared


def run(rows: int, workdir: Path, in_memory: bool = True) -> dict[str, Any]:
    path = workdir / "predictions.parquet"
    t = time.perf_counter()
    write_parquet(path, rows)
    gen = time.perf_counter() - t
    stream = measure(path, "streaming")
    result: dict[str, Any] = {"rows": rows, "file_bytes": path.stat().st_size,
                              "generate_s": gen, "streaming": {
                                  k: stream[k] for k in ("seconds", "peak_rss")}}
    if in_memory:
        mem = measure(path, "memory")
        result["memory"] = {k: mem[k] for k in ("seconds", "peak_rss")}
        result["values_compared"] = compare(stream, mem)
    path.unlink()
    return result
