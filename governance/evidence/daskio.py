"""Reading a table artifact with Dask, shared by the predictions statistics
(:mod:`governance.metrics.distributed`) and the dataset column statistics
(:mod:`governance.analysis.coldask`), which are siblings that never import each other.

:func:`connect` gives a client (to the operator's ``--dask-scheduler``, else a new
``LocalCluster``); :func:`read` a Dask DataFrame of a Parquet file/folder or of a CSV file read
as text; :func:`typed_like_read_csv` / :func:`csv_column` type a text partition as
``pandas.read_csv`` types the whole file. Nothing is pickled but what Dask itself sends
(frames and the statistics computed from them).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from governance.errors import EvidenceError
from governance.evidence.limits import csv_delimiter

if TYPE_CHECKING:
    import pandas as pd

#: Bytes of a CSV file per Dask partition.
CSV_BLOCK_BYTES = 64 * 1024**2

TRUE_WORDS = frozenset({"True", "TRUE", "true"})
FALSE_WORDS = frozenset({"False", "FALSE", "false"})
#: The number kinds of :func:`csv_column` (one column may mix them).
NUMBER_KINDS = frozenset({"int", "int-", "uint", "uint-", "float"})


def csv_text_column(kinds: set[str]) -> bool:
    """Whether ``read_csv`` reads a column as text when its partitions have ``kinds``
    (from :func:`csv_column`, "null" left out)."""
    if kinds <= NUMBER_KINDS:
        ints = kinds | ({"uint", "int-"} if "uint-" in kinds else set())
        return {"uint", "int-"} <= ints and "float" not in kinds
    return len(kinds) > 1


def typed_like_read_csv(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns (a CSV read with ``dtype=str``) typed as ``pandas.read_csv`` infers them:
    only true/false words -> bool, all numbers -> int64 or float64, else text. The in-memory
    reader parses the CSV that way, and label and group names depend on the type (``1.0``
    is the label ``1``, ``True`` the label ``1``)."""
    import pandas as pd

    out = {}
    for col in df.columns:
        s = df[col]
        present = s.dropna()
        if len(present) == 0 or pd.api.types.is_numeric_dtype(s.dtype) or \
                pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s
            continue
        words = set(present.unique().tolist())
        if words <= TRUE_WORDS | FALSE_WORDS and len(present) == len(s):
            out[col] = s.isin(list(TRUE_WORDS)).astype(bool)
            continue
        try:
            out[col] = pd.to_numeric(s)
        except (ValueError, TypeError):
            out[col] = s
    return pd.DataFrame(out, index=df.index)


def csv_column(s: pd.Series) -> tuple[str, pd.Series]:
    """One text column of a CSV partition typed as ``read_csv`` types it when the whole file
    agrees: ``("null", s)`` (no value: the file decides), ``("bool", ...)`` (only true/false
    words: booleans, an object column with the missing cells when there are any, as
    ``read_csv``), numbers (``"int"``, ``"int-"`` with a negative value, ``"uint"`` above
    int64, ``"uint-"`` both, ``"float"``; see :data:`NUMBER_KINDS`) or ``("text", s)``.
    Partitions whose kinds are not all numbers, all booleans or all text are text to
    ``read_csv`` (the cells as written), and so are integers above int64 beside negative
    integers without decimals (:func:`csv_text_column`)."""
    import pandas as pd

    present = s.dropna()
    if len(present) == 0:
        return "null", s
    words = set(present.unique().tolist())
    if words <= TRUE_WORDS | FALSE_WORDS:
        flags = s.isin(list(TRUE_WORDS))
        if len(present) == len(s):
            return "bool", flags.astype(bool)
        return "bool", flags.astype(object).where(s.notna(), None)
    try:
        num = pd.to_numeric(s)
    except (ValueError, TypeError):
        return "text", s
    if not pd.api.types.is_numeric_dtype(num.dtype):  # integers above int64 and negatives:
        return "uint-", num.astype("float64")  # text, or float64 beside a decimal
    if num.dtype.kind == "f":
        return "float", num
    if num.dtype.kind == "u" and len(num) and int(num.max()) > 2**63 - 1:
        return "uint", num  # read_csv: uint64, or text beside a negative integer
    return ("int-" if len(num) and int(num.min()) < 0 else "int"), num


@contextmanager
def connect(scheduler: str | None = None, *, n_workers: int = 2, processes: bool = True
            ) -> Iterator[Any]:
    """A Dask client: to ``scheduler`` when given, else to a new ``LocalCluster``."""
    try:
        import distributed
    except ImportError:
        raise EvidenceError("engine dask needs the dask extra: pip install "
                            "'governance-checker[dask]'") from None
    Client: Any = distributed.Client
    LocalCluster: Any = distributed.LocalCluster
    if scheduler:
        try:
            client = Client(scheduler, timeout=30)
        except OSError as exc:
            raise EvidenceError(f"cannot connect to the Dask scheduler {scheduler}: "
                                f"{exc}") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=processes,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def read(path: str, fmt: str, columns: Sequence[str] | None,
         blocksize: int = CSV_BLOCK_BYTES, parquet_blocksize: int | None = None,
         display: str | None = None) -> Any:
    """A Dask DataFrame of ``columns`` (None: all) of a Parquet file/folder (partitions of
    about ``parquet_blocksize`` bytes of row groups; None: Dask's default) or a CSV file (read
    as text: Dask's sampled inference cannot fail on a later partition; type each partition
    like ``read_csv``). Errors name ``display`` (else ``path``) and the parser's problem."""
    import dask.dataframe as dd
    import pandas as pd

    cols = None if columns is None else list(columns)
    try:
        if fmt == "parquet":
            if parquet_blocksize is not None:
                return dd.read_parquet(path, columns=cols, blocksize=parquet_blocksize)
            return dd.read_parquet(path, columns=cols)
        if fmt == "csv":
            return dd.read_csv(path, usecols=cols, dtype=str, sep=csv_delimiter(path),
                               blocksize=blocksize)
    except (ValueError, OSError) as exc:
        cause = exc.__cause__ if isinstance(exc.__cause__, Exception) else exc  # Dask wraps
        if display is None:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise EvidenceError(f"cannot read {fmt} table {path}: {first}") from None
        if isinstance(cause, pd.errors.EmptyDataError):
            raise EvidenceError(f"{display}: the file is empty") from None
        from governance.evidence.tables import unreadable

        raise unreadable(display, fmt, cause) from None
    raise EvidenceError(f"engine dask reads Parquet and CSV tables, not {fmt}")
