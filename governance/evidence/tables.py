"""Read tabular artifacts (CSV, Parquet, JSON Lines) referenced by the card.

Imported only inside rule ``evaluate`` functions: it imports pandas. Each table is read once per
run (cached in the :class:`ArtifactStore`) and its digest is recorded as a report input.
Problems are :class:`EvidenceError` (an ``error`` finding naming the card field), never a pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from governance.card.model import Artifact, ArtifactRole
from governance.errors import ArtifactError, EvidenceError
from governance.evidence.store import safe_relative
from governance.textsafe import excerpt, names

if TYPE_CHECKING:
    from governance.evidence.context import EvidenceContext

from governance.evidence.limits import MAX_CELL_CHARS, csv_delimiter

#: The cells ``pandas.read_csv`` reads as missing by default (the in-memory reader). The
#: batched readers (``metrics.streaming``, ``analysis.colstats``) hand the same list to
#: pyarrow, so an empty or "NA" cell is a missing value on every engine, never a group or a
#: label (a test checks the list equals pandas' own).
PANDAS_NA_TEXT = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan",
                  "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan",
                  "null"]

_SUFFIX_FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def table_format(artifact: Artifact) -> str:
    if artifact.format in ("csv", "parquet", "jsonl"):
        return artifact.format
    suffix = "." + artifact.path.rsplit(".", 1)[-1].lower() if "." in artifact.path else ""
    fmt = _SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        raise EvidenceError(
            f"artifact {artifact.name!r}: cannot tell the table format of {artifact.path!r}; "
            "set format to csv, parquet or jsonl")
    return fmt


def find_artifact(ctx: EvidenceContext, name: str | None = None,
                  role: ArtifactRole | None = None) -> tuple[int, Artifact]:
    """The artifact called ``name``, or the only artifact with ``role``."""
    arts = list(enumerate(ctx.card.card.artifacts))
    if name is not None:
        for i, a in arts:
            if a.name == name:
                return i, a
        raise EvidenceError(f"the card has no artifact named {name!r}",
                            path=ctx.card.path, field="artifacts")
    if role is None:
        raise EvidenceError("no artifact name or role given")
    matches = [(i, a) for i, a in arts if a.role == role]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise EvidenceError(f"the card has no {role.value} artifact: insufficient evidence",
                            path=ctx.card.path, field="artifacts")
    names = ", ".join(a.name for _, a in matches)
    raise EvidenceError(f"the card has several {role.value} artifacts ({names}); "
                        "name one in the rule's params", path=ctx.card.path, field="artifacts")


#: ``--engine auto`` streams a table (predictions or dataset) from this size on.
AUTO_STREAM_BYTES = 256 * 1024**2


def large_table(ctx: EvidenceContext, artifact: Artifact) -> bool:
    """Whether ``artifact`` is at least :data:`AUTO_STREAM_BYTES` (the run's extras may set
    ``stream_threshold_bytes``). An unreadable path is not large: the in-memory reader
    reports the problem."""
    try:
        real = ctx.store.resolve(artifact.path, where=ctx.card.path)
    except ArtifactError:
        return False
    threshold = int(ctx.extras.get("stream_threshold_bytes", AUTO_STREAM_BYTES))
    return real.stat().st_size >= threshold


def unreadable(display: str | None, fmt: str, exc: BaseException) -> EvidenceError:
    """The error for a table its reader could not parse: the first line of the reader's
    message as a short, inert excerpt (pandas and pyarrow quote the offending row)."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    where = f"{display}: " if display else ""
    return EvidenceError(f"{where}cannot read {fmt} table: {excerpt(first, 200)}")


def _read(path: str, fmt: str, display: str) -> pd.DataFrame:
    """Check the caps, then parse the table at ``path`` (in a run: the private snapshot
    written while the artifact was hashed, so the bytes parsed are the bytes hashed)."""
    from pathlib import Path

    from governance.evidence.limits import precheck

    precheck(Path(path), fmt, display)  # column/cell/decoded-size caps before materialising
    try:
        if fmt == "csv":
            df = pd.read_csv(path, sep=csv_delimiter(path), low_memory=False)
        elif fmt == "parquet":
            df = pd.read_parquet(path)
        else:
            df = pd.read_json(path, lines=True)
    except pd.errors.EmptyDataError:
        raise EvidenceError(f"{display}: the file is empty") from None
    except Exception as exc:  # pandas' and pyarrow's errors have no common public base class
        raise unreadable(display, fmt, exc) from None
    if df.shape[1] == 0:
        raise EvidenceError(f"{display}: the table has no columns")
    if len(df) == 0:
        raise EvidenceError(f"{display}: the table has a header but no rows")
    dupes = duplicate_columns([str(c) for c in df.columns])
    if dupes and fmt == "csv":
        raise EvidenceError(f"{display}: duplicate column names ({names(dupes)})")
    for col in df.columns:
        if not pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(
                df[col]):  # pandas 3 reads text as dtype "str", older versions as object
            longest = df[col].astype(str).str.len().max()  # NaN: every cell is null
            if pd.notna(longest) and int(longest) > MAX_CELL_CHARS:
                raise EvidenceError(f"{display}: column '{excerpt(col, 40)}' has a cell longer "
                                    f"than {MAX_CELL_CHARS} characters")
    return df


def duplicate_columns(columns: list[str]) -> list[str]:
    """The names pandas gave a CSV's repeated column names (``a.1`` beside ``a``)."""
    return [c for c in columns if c.endswith(tuple(f".{i}" for i in range(1, 10)))
            and c.rsplit(".", 1)[0] in columns]


def read_table(ctx: EvidenceContext, artifact: Artifact, index: int | None = None
               ) -> pd.DataFrame:
    """The artifact's table (read once per run); its digest is recorded as an input."""
    field = f"artifacts[{index}].path" if index is not None else "artifacts"
    fmt = table_format(artifact)
    display = f"artifact {artifact.name!r} ({artifact.path})"

    def load() -> tuple[str, str, pd.DataFrame]:
        # one read of the artifact, hashed while copied to a private snapshot that the caps
        # check and the parser read: the bytes hashed are the bytes parsed (issue 12 item 10)
        try:
            digest, copy = ctx.store.snapshot(artifact.path, field=field,
                                              where=ctx.card.path)
        except ArtifactError as exc:
            raise EvidenceError(exc.message, path=exc.path, field=exc.field) from None
        try:
            df = _read(str(copy), fmt, display)
        finally:
            copy.unlink(missing_ok=True)  # parsed: the DataFrame is cached, not the file
        return digest.path, digest.sha256, df

    try:
        clean = safe_relative(artifact.path, field=field, where=ctx.card.path)
    except ArtifactError as exc:
        raise EvidenceError(exc.message, path=exc.path, field=exc.field) from None
    path, sha256, df = ctx.store.cached(("table", clean), load)
    ctx.store.record_input(f"artifact:{artifact.role.value}", path, sha256)
    return df


def require_columns(df: pd.DataFrame, columns: list[str], artifact: Artifact) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = names(df.columns)
        raise EvidenceError(
            f"artifact {artifact.name!r} ({artifact.path}) has no column(s) "
            f"{', '.join(repr(m) for m in missing)} (columns: {have})")
