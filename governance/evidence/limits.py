"""Bounds checked on a table file *before* it is materialised in memory.

A hostile artifact can be small on disk and enormous in memory: a CSV header with 10^6
columns, a 2 MB Parquet file whose dictionary-encoded strings decode to 20 GB, a JSON Lines
file whose every line adds new keys. :func:`precheck` looks at the file cheaply (the CSV
header and line lengths, Parquet metadata and dictionary-encoded string lengths, JSON Lines
keys) and raises :class:`EvidenceError` when a cap would be exceeded; only then does the
reader build a DataFrame.
"""

from __future__ import annotations

import json
from pathlib import Path

from governance.errors import EvidenceError
from governance.textsafe import excerpt

MAX_COLUMNS = 10_000
MAX_CELLS = 200_000_000  # rows x columns
MAX_CELL_CHARS = 100_000
MAX_HEADER_BYTES = 4 << 20
MAX_LINE_BYTES = 16 << 20  # one CSV / JSON Lines record
# Decoded size of the table's content (CSV/JSONL: the file; Parquet: uncompressed pages and
# every dictionary-encoded string at its full length).
MAX_DECODED_BYTES = 4 << 30
MAX_JSON_DEPTH = 64
_CHUNK = 1 << 20


def _fail(display: str, what: str) -> EvidenceError:
    return EvidenceError(f"{display}: {what}")


def _scan_lines(path: Path, display: str) -> int:
    """Number of lines; refuses a line longer than MAX_LINE_BYTES (numpy, chunked)."""
    import numpy as np

    lines = 0
    current = 0  # length of the line still open at the end of the previous chunk
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            arr = np.frombuffer(chunk, dtype=np.uint8)
            ends = np.flatnonzero(arr == 10)
            if ends.size == 0:
                current += len(chunk)
            else:
                first = current + int(ends[0])
                longest = max(first, int(np.diff(ends).max()) - 1 if ends.size > 1 else 0)
                if longest > MAX_LINE_BYTES:
                    raise _fail(display, f"a line is longer than {MAX_LINE_BYTES} bytes")
                lines += int(ends.size)
                current = len(chunk) - int(ends[-1]) - 1
            if current > MAX_LINE_BYTES:
                raise _fail(display, f"a line is longer than {MAX_LINE_BYTES} bytes")
    return lines + (1 if current else 0)


def _check_size(path: Path, display: str) -> None:
    size = path.stat().st_size
    if size > MAX_DECODED_BYTES:
        raise _fail(display, f"the file is {size} bytes; tables read into memory are capped at "
                    f"{MAX_DECODED_BYTES} bytes")


def check_csv_header(path: Path, display: str, sep: str) -> int:
    """The number of columns of a CSV file, read from a header of at most MAX_HEADER_BYTES;
    EvidenceError over the header or column cap."""
    import csv
    import io

    with path.open("rb") as fh:
        head = fh.readline(MAX_HEADER_BYTES + 1)
    if len(head) > MAX_HEADER_BYTES:
        raise _fail(display, f"the header line is longer than {MAX_HEADER_BYTES} bytes")
    text = head.decode("utf-8", "replace")
    try:
        columns = len(next(csv.reader(io.StringIO(text), delimiter=sep), []))
    except csv.Error:
        columns = text.count(sep) + 1
    if columns > MAX_COLUMNS:
        raise _fail(display, f"the table has {columns} columns; at most {MAX_COLUMNS} allowed")
    return columns


def _precheck_csv(path: Path, display: str, sep: str) -> None:
    _check_size(path, display)
    columns = check_csv_header(path, display, sep)
    rows = _scan_lines(path, display)
    if rows * max(columns, 1) > MAX_CELLS:
        raise _fail(display, f"the table has about {rows} rows x {columns} columns; at most "
                    f"{MAX_CELLS} cells are read into memory")


def _json_depth_ok(line: str) -> bool:
    depth = deepest = 0
    in_str = esc = False
    for ch in line:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _precheck_jsonl(path: Path, display: str) -> None:
    _check_size(path, display)
    _scan_lines(path, display)
    keys: set[str] = set()
    rows = 0
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            rows += 1
            if ("[" in line or "{" in line) and line.count("[") + line.count("{") > \
                    MAX_JSON_DEPTH and not _json_depth_ok(line):
                raise _fail(display, f"line {number} nests deeper than {MAX_JSON_DEPTH} levels")
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):
                continue  # the reader reports malformed JSON with its own message
            if isinstance(obj, dict):
                keys.update(obj)
                if len(keys) > MAX_COLUMNS:
                    raise _fail(display, f"the records have more than {MAX_COLUMNS} distinct "
                                "keys (columns)")
                for key, value in obj.items():
                    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                        raise _fail(display, f"column '{excerpt(key, 40)}' has a cell longer "
                                    f"than {MAX_CELL_CHARS} characters")
    if rows * max(len(keys), 1) > MAX_CELLS:
        raise _fail(display, f"the table has {rows} rows x {len(keys)} columns; at most "
                    f"{MAX_CELLS} cells are read into memory")


def _precheck_parquet(path: Path, display: str) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow errors have no common public base class
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise _fail(display, f"cannot read parquet table: {excerpt(first, 200)}") from None
    meta = pf.metadata
    if meta.num_columns > MAX_COLUMNS:
        raise _fail(display, f"the table has {meta.num_columns} columns; at most "
                    f"{MAX_COLUMNS} allowed")
    if meta.num_rows * max(meta.num_columns, 1) > MAX_CELLS:
        raise _fail(display, f"the table has {meta.num_rows} rows x {meta.num_columns} "
                    f"columns; at most {MAX_CELLS} cells are read into memory")
    uncompressed = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if uncompressed > MAX_DECODED_BYTES:
        raise _fail(display, f"the table is {uncompressed} bytes uncompressed; at most "
                    f"{MAX_DECODED_BYTES} bytes are read into memory")
    def is_text(t: pa.DataType) -> bool:
        if pa.types.is_dictionary(t):
            t = t.value_type
        return bool(pa.types.is_string(t) or pa.types.is_large_string(t)
                    or pa.types.is_binary(t) or pa.types.is_large_binary(t))

    text_cols = [f.name for f in pf.schema_arrow if is_text(f.type)]
    decoded = uncompressed
    for name in text_cols:
        # Read the column keeping its dictionary (memory ~ the encoded size), then add up
        # the length of every value it decodes to, and find the longest.
        col = pq.read_table(path, columns=[name], read_dictionary=[name]).column(name)
        longest = 0
        for chunk in col.chunks:
            if isinstance(chunk, pa.DictionaryArray):
                lengths = pc.binary_length(chunk.dictionary)
                values = pc.take(lengths, chunk.indices)
            else:
                values = pc.binary_length(chunk)
            total = pc.sum(values).as_py() or 0
            top = pc.max(values).as_py() or 0
            decoded += int(total)
            longest = max(longest, int(top))
            if decoded > MAX_DECODED_BYTES:
                raise _fail(display, f"the table decodes to more than {MAX_DECODED_BYTES} "
                            f"bytes (column '{excerpt(name, 40)}' repeats long values)")
        if longest > MAX_CELL_CHARS * 4:  # bytes; UTF-8 needs at most 4 per character
            raise _fail(display, f"column '{excerpt(name, 40)}' has a cell longer than "
                        f"{MAX_CELL_CHARS} characters")


def csv_delimiter(path: str | Path) -> str:
    """The delimiter every CSV reader uses: a tab for ``.tsv`` files, else a comma."""
    return "\t" if str(path).lower().endswith(".tsv") else ","


def precheck(path: Path, fmt: str, display: str) -> None:
    """Refuse a table that would exceed a cap once read; call before reading it."""
    if fmt == "csv":
        _precheck_csv(path, display, csv_delimiter(path))
    elif fmt == "parquet":
        _precheck_parquet(path, display)
    else:
        _precheck_jsonl(path, display)
