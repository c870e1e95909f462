"""Shared helpers for the data rules: loading a dataset artifact, column types, finite floats."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from governance.analysis.colstats import is_numeric as is_numeric  # re-exported
from governance.card.model import Artifact, ArtifactRole
from governance.errors import EvidenceError
from governance.evidence.tables import find_artifact, read_table
from governance.textsafe import names

if TYPE_CHECKING:
    from governance.analysis.colstream import TableShape
    from governance.evidence.context import EvidenceContext as RuleContext
    from governance.report import SourceLocation


@dataclass(frozen=True)
class Dataset:
    """A table of a card artifact, with where it is declared in the card: in memory
    (``frame``), or streamed (``shape``: columns, types and rows; its statistics are read
    batch by batch, :mod:`governance.analysis.colstream`)."""

    artifact: Artifact
    index: int
    frame: Any  # pandas.DataFrame, or None when streamed
    shape: TableShape | None = None

    @property
    def name(self) -> str:
        return self.artifact.name

    @property
    def columns(self) -> list[str]:
        if self.shape is not None:
            return list(self.shape.columns)
        return [str(c) for c in self.frame.columns]

    @property
    def rows(self) -> int:
        return self.shape.rows if self.shape is not None else len(self.frame)

    def numeric(self, column: str) -> bool:
        """Whether ``column`` holds numbers (not booleans)."""
        if self.shape is not None:
            return column in self.shape.numeric
        return is_numeric(self.frame[column])

    def location(self, ctx: RuleContext) -> SourceLocation:
        return ctx.card.location(f"artifacts[{self.index}]")


def resolve_dataset(ctx: RuleContext, name: str | None,
                    role: ArtifactRole = ArtifactRole.DATASET,
                    prefer: Literal["training", "evaluation"] | None = None
                    ) -> tuple[int, Artifact]:
    """The artifact called ``name``; else the only one with ``role``; else, when the card has
    several, the one its ``data.training`` / ``data.evaluation`` section names (``prefer``).
    Reads nothing."""
    if name is None and prefer is not None:
        data = ctx.card.card.data
        ref = getattr(data, prefer, None) if data is not None else None
        several = sum(1 for a in ctx.card.card.artifacts if a.role == role) > 1
        if several and ref is not None and ref.artifact is not None:
            name = ref.artifact
    return find_artifact(ctx, name, None if name is not None else role)


def load_dataset(ctx: RuleContext, name: str | None,
                 role: ArtifactRole = ArtifactRole.DATASET,
                 prefer: Literal["training", "evaluation"] | None = None, *,
                 stats_only: bool = False) -> Dataset:
    """The table of :func:`resolve_dataset`'s artifact (read once per run). A rule that
    decides from column statistics alone passes ``stats_only``: the table may then be
    streamed (the operator's engine setting, :func:`colstream.streams`)."""
    index, artifact = resolve_dataset(ctx, name, role, prefer)
    if stats_only:
        from governance.analysis import colstream

        if colstream.streams(ctx, artifact):
            shape = colstream.open_table(ctx, artifact, index)
            return Dataset(artifact=artifact, index=index, frame=None, shape=shape)
    frame = read_table(ctx, artifact, index)
    return Dataset(artifact=artifact, index=index, frame=frame)


def require(ds: Dataset, columns: list[str]) -> None:
    have = ds.columns
    missing = [c for c in columns if c not in set(have)]
    if missing:
        raise EvidenceError(
            f"artifact {ds.name!r} ({ds.artifact.path}) has no column(s) "
            f"{', '.join(repr(m) for m in missing)} (columns: {names(have)})")


def label_column(ds: Dataset, explicit: str | None) -> str:
    """The label column: the rule's ``label`` param, else the artifact's ``columns.label``
    (or ``columns.y_true`` for a predictions artifact)."""
    cmap = ds.artifact.columns
    name = explicit
    if name is None and cmap is not None:
        name = cmap.label or cmap.y_true
    if name is None:
        raise EvidenceError(
            f"artifact {ds.name!r} declares no label column (columns.label) and the rule "
            "gives no 'label' param: insufficient evidence")
    require(ds, [name])
    return name


def feature_columns(ds: Dataset, explicit: list[str] | None, exclude: list[str],
                    label: str | None) -> list[str]:
    """Explicit columns, else the artifact's ``columns.features``, else every column except
    the label; minus ``exclude``."""
    if explicit is not None:
        cols = list(explicit)
    elif ds.artifact.columns is not None and ds.artifact.columns.features:
        cols = list(ds.artifact.columns.features)
    else:
        cols = [c for c in ds.columns if c != label]
    require(ds, cols)
    return [c for c in cols if c not in set(exclude)]


def finite(value: Any) -> float | None:
    """A float for a report (NaN and infinities become None)."""
    if value is None:
        return None
    f = float(value)
    return f if math.isfinite(f) else None


def fmt_share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def fmt_num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.4g}"


def label_text(value: Any, limit: int = 40) -> str:
    """A category label as shown in evidence (shortened; never a whole raw record)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def listing(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
