"""Record batches of a Parquet or CSV table as pandas frames: the one batched reader under the
streaming engine for predictions (``metrics.streaming``) and the column statistics of datasets
(``analysis.colstats``). Memory stays at about one batch; CSV cells read as missing are the
in-memory reader's (``tables.PANDAS_NA_TEXT``). Callers check the format, the columns and wrap
pyarrow's errors in their own terms.

Imported only inside a rule's ``evaluate`` (pyarrow, pandas).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pandas as pd

from governance.evidence.limits import csv_delimiter
from governance.evidence.tables import PANDAS_NA_TEXT


def parquet_file(path: str) -> Any:
    """The Parquet file, without pre-buffering whole row groups."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)


def record_frames(path: str, fmt: str, columns: Sequence[str], batch_rows: int, *,
                  csv_block_bytes: int | None = None, parquet: Any = None
                  ) -> Iterator[pd.DataFrame]:
    """``columns`` of the table as frames of at most ``batch_rows`` rows. ``fmt`` is
    ``parquet`` or ``csv``; ``csv_block_bytes`` sets pyarrow's CSV block (None: its default),
    ``parquet`` an already opened :func:`parquet_file`."""
    import pyarrow as pa

    if fmt == "parquet":
        pf = parquet if parquet is not None else parquet_file(path)
        batches: Iterator[Any] = pf.iter_batches(batch_size=batch_rows, columns=list(columns))
    else:
        import pyarrow.csv as pacsv

        read = (pacsv.ReadOptions() if csv_block_bytes is None
                else pacsv.ReadOptions(block_size=csv_block_bytes))
        batches = iter(pacsv.open_csv(
            path, read_options=read,
            parse_options=pacsv.ParseOptions(delimiter=csv_delimiter(path)),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(columns), null_values=PANDAS_NA_TEXT,
                strings_can_be_null=True)))
    for batch in batches:
        table = pa.Table.from_batches([batch])
        for start in range(0, table.num_rows, batch_rows):
            yield table.slice(start, batch_rows).to_pandas()
