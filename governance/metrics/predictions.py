"""Turn a predictions table and the card's column map into validated numpy arrays.

Every problem is an :class:`EvidenceError` naming the artifact and the column: missing mapping,
missing column, missing values, non-numeric or non-finite scores, labels that are not binary,
probabilities outside [0, 1]. Rows are counted from 1 (the first data row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from governance.card.model import Artifact, ArtifactRole, ColumnMap, Task
from governance.errors import EvidenceError
from governance.metrics.counts import FloatArray, IntArray

if TYPE_CHECKING:
    from governance.rules.base import RuleContext


@dataclass(frozen=True)
class PredictionSet:
    """Validated arrays of one predictions artifact."""

    source: str  # "artifact 'name' (path)"
    task: str  # binary | multiclass | regression
    y_true: Any  # binary/multiclass: int codes; regression: float
    y_pred: Any | None = None
    y_score: FloatArray | None = None  # binary: score or probability of the positive class
    proba: FloatArray | None = None  # multiclass: (n, K) probabilities
    classes: tuple[str, ...] = ()
    weight: FloatArray | None = None
    sensitive: dict[str, Any] = field(default_factory=dict)  # name -> raw values
    positive_label: str | None = None

    @property
    def n(self) -> int:
        return len(self.y_true)

    @property
    def binary(self) -> bool:
        return self.task == "binary"


def _first_row(mask: np.ndarray) -> int:
    return int(np.flatnonzero(mask)[0]) + 1


def _display(artifact: Artifact) -> str:
    return f"artifact {artifact.name!r} ({artifact.path})"


def _column(df: pd.DataFrame, col: str, display: str, role: str) -> pd.Series:
    if col not in df.columns:
        from governance.textsafe import names

        have = names(df.columns)  # capped: at most 20 names of 40 characters
        raise EvidenceError(f"{display} has no column {col!r} (mapped as {role}; columns: "
                            f"{have})")
    s = df[col]
    missing = s.isna().to_numpy()
    if missing.any():
        raise EvidenceError(f"{display}: column {col!r} ({role}) has {int(missing.sum())} "
                            f"missing value(s), first at row {_first_row(missing)}")
    return s


def _numeric(s: pd.Series, display: str, role: str) -> FloatArray:
    col = str(s.name)
    if pd.api.types.is_bool_dtype(s.dtype):
        return np.asarray(s.to_numpy(dtype=np.float64), dtype=np.float64)
    if not pd.api.types.is_numeric_dtype(s.dtype):
        conv = pd.to_numeric(s, errors="coerce")
        bad = conv.isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise EvidenceError(f"{display}: column {col!r} ({role}) is not numeric "
                                f"(found {str(s.iloc[i])!r} at row {i + 1})")
        s = conv
    arr: FloatArray = np.asarray(s.to_numpy(dtype=np.float64), dtype=np.float64)
    bad = ~np.isfinite(arr)
    if bad.any():
        raise EvidenceError(f"{display}: column {col!r} ({role}) has {int(bad.sum())} "
                            f"non-finite value(s) (NaN or inf), first at row {_first_row(bad)}")
    return arr


def _labels_text(s: pd.Series) -> np.ndarray:
    """Labels as strings; integral floats (1.0) print as integers (1)."""
    if pd.api.types.is_bool_dtype(s.dtype):
        return np.asarray(s.astype(int).astype(str).to_numpy(), dtype=object)
    if pd.api.types.is_float_dtype(s.dtype):
        arr = s.to_numpy(dtype=np.float64)
        if np.all(arr == np.round(arr)):
            return np.asarray(arr.astype(np.int64).astype(str), dtype=object)
    return np.asarray(s.astype(str).to_numpy(), dtype=object)


def _binary(s: pd.Series, display: str, role: str, positive: str | None) -> IntArray:
    text = _labels_text(s)
    uniq = sorted(set(text.tolist()))
    col = str(s.name)
    if positive is None:
        extra = [u for u in uniq if u not in ("0", "1")]
        if extra:
            shown = ", ".join(extra[:5])
            raise EvidenceError(f"{display}: column {col!r} ({role}) must hold binary labels 0 "
                                f"and 1 (or set columns.positive_label in the card); found "
                                f"{shown}")
        return np.asarray(text == "1", dtype=np.int64)
    if len(uniq) > 2:
        shown = ", ".join(uniq[:5])
        raise EvidenceError(f"{display}: column {col!r} ({role}) has {len(uniq)} distinct "
                            f"labels ({shown}); a binary task allows two")
    return np.asarray(text == positive, dtype=np.int64)


def _multiclass(s: pd.Series) -> np.ndarray:
    return _labels_text(s)


def _class_order(values: Sequence[str]) -> tuple[str, ...]:
    uniq = set(values)
    try:
        return tuple(sorted(uniq, key=float))
    except ValueError:
        return tuple(sorted(uniq))


def task_kind(task: Task) -> str:
    if task == Task.BINARY:
        return "binary"
    if task == Task.MULTICLASS:
        return "multiclass"
    if task == Task.REGRESSION:
        return "regression"
    raise EvidenceError(f"metrics cannot be recomputed for a model of task {task.value!r}")


def from_frame(df: pd.DataFrame, columns: ColumnMap | None, task: str, display: str, *,
               need_pred: bool = False, need_score: bool = False,
               need_probability: bool = False,
               features: Sequence[str] = ()) -> PredictionSet:
    """Validate the mapped columns of ``df``; ``features`` are sensitive-feature columns."""
    if columns is None:
        raise EvidenceError(f"{display}: the card declares no column mapping (columns:) for "
                            "this predictions artifact; map at least y_true")
    if columns.y_true is None:
        raise EvidenceError(f"{display}: the card maps no y_true column")
    pos = None if columns.positive_label is None else str(columns.positive_label)
    y_raw = _column(df, columns.y_true, display, "y_true")
    weight: FloatArray | None = None
    if columns.sample_weight is not None:
        weight = _numeric(_column(df, columns.sample_weight, display, "sample_weight"),
                          display, "sample_weight")
        if (weight < 0).any():
            raise EvidenceError(f"{display}: column {columns.sample_weight!r} (sample_weight) "
                                f"has negative weights, first at row {_first_row(weight < 0)}")
        if weight.sum() <= 0:
            raise EvidenceError(f"{display}: column {columns.sample_weight!r} "
                                "(sample_weight) sums to zero")
    sensitive = {f: _column(df, f, display, "sensitive feature").to_numpy() for f in features}
    if need_pred and columns.y_pred is None:
        raise EvidenceError(f"{display}: the card maps no y_pred column (needed for this "
                            "metric)")
    if task == "regression":
        y = _numeric(y_raw, display, "y_true")
        yp = None if columns.y_pred is None else _numeric(
            _column(df, columns.y_pred, display, "y_pred"), display, "y_pred")
        return PredictionSet(display, task, y, yp, weight=weight, sensitive=sensitive)
    if task == "binary":
        y = _binary(y_raw, display, "y_true", pos)
        yp = None
        if columns.y_pred is not None and need_pred:
            yp = _binary(_column(df, columns.y_pred, display, "y_pred"), display, "y_pred",
                         pos)
        score = None
        if need_score:
            if columns.y_score is None:
                raise EvidenceError(f"{display}: the card maps no y_score column (needed for "
                                    "this metric)")
            score = _numeric(_column(df, columns.y_score, display, "y_score"), display,
                             "y_score")
            if need_probability and ((score < 0).any() or (score > 1).any()):
                raise EvidenceError(
                    f"{display}: column {columns.y_score!r} (y_score) must hold probabilities "
                    f"in [0, 1] for this metric; found values from {score.min():g} to "
                    f"{score.max():g}")
        return PredictionSet(display, task, y, yp, score, weight=weight, sensitive=sensitive,
                             positive_label=pos if pos is not None else "1")
    # multiclass
    y_text = _multiclass(y_raw)
    p_text = None
    if columns.y_pred is not None and need_pred:
        p_text = _multiclass(_column(df, columns.y_pred, display, "y_pred"))
    proba_cols = columns.y_proba or {}
    if need_score and not proba_cols:
        raise EvidenceError(f"{display}: the card maps no y_proba columns (one per class, "
                            "needed for this metric)")
    labels = list(y_text) + (list(p_text) if p_text is not None else [])
    classes = _class_order(labels + list(proba_cols))
    if need_score:
        unknown = [c for c in classes if c not in proba_cols]
        if unknown:
            raise EvidenceError(f"{display}: y_proba maps no column for class(es) "
                                f"{', '.join(unknown)}")
    index = {c: i for i, c in enumerate(classes)}
    y_codes = np.array([index[v] for v in y_text], dtype=np.int64)
    p_codes = None if p_text is None else np.array([index[v] for v in p_text], dtype=np.int64)
    proba = None
    if need_score:
        proba = np.column_stack([
            _numeric(_column(df, proba_cols[c], display, f"y_proba[{c}]"), display,
                     f"y_proba[{c}]") for c in classes])
        if (proba < 0).any() or (proba > 1).any():
            raise EvidenceError(f"{display}: y_proba columns must hold probabilities in "
                                "[0, 1]")
    return PredictionSet(display, task, y_codes, p_codes, None, proba, classes, weight,
                         sensitive)


def find_predictions(ctx: RuleContext, name: str | None, split: str | None = None
                     ) -> tuple[int, Artifact]:
    """The predictions artifact called ``name``, else the one with ``split``, else the only
    predictions artifact."""
    from governance.evidence.tables import find_artifact

    if name is not None:
        return find_artifact(ctx, name=name)
    arts = [(i, a) for i, a in enumerate(ctx.card.card.artifacts)
            if a.role == ArtifactRole.PREDICTIONS]
    if split is not None:
        matches = [(i, a) for i, a in arts if a.split == split]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise EvidenceError(f"the card has no predictions artifact for split {split!r}: "
                                "insufficient evidence", path=ctx.card.path, field="artifacts")
        names = ", ".join(a.name for _, a in matches)
        raise EvidenceError(f"the card has several predictions artifacts for split {split!r} "
                            f"({names}); name one in the rule's params", path=ctx.card.path,
                            field="artifacts")
    if len(arts) > 1:
        tests = [(i, a) for i, a in arts if a.split == "test"]
        if len(tests) == 1:
            return tests[0]
    return find_artifact(ctx, role=ArtifactRole.PREDICTIONS)


def subset(ps: PredictionSet, mask: np.ndarray) -> PredictionSet:
    """The rows of ``ps`` where ``mask`` is true."""
    from dataclasses import replace

    def cut(a: Any) -> Any:
        return None if a is None else a[mask]

    return replace(ps, y_true=ps.y_true[mask], y_pred=cut(ps.y_pred), y_score=cut(ps.y_score),
                   proba=cut(ps.proba), weight=cut(ps.weight),
                   sensitive={k: v[mask] for k, v in ps.sensitive.items()})


def load_predictions(ctx: RuleContext, name: str | None, *, split: str | None = None,
                     need_pred: bool = False, need_score: bool = False,
                     need_probability: bool = False, features: Sequence[str] = ()
                     ) -> tuple[Artifact, PredictionSet]:
    """Read and validate a predictions artifact of the rule's card."""
    from governance.evidence.tables import read_table

    index, artifact = find_predictions(ctx, name, split)
    df = read_table(ctx, artifact, index)
    ps = from_frame(df, artifact.columns, task_kind(ctx.card.card.model.task),
                    _display(artifact), need_pred=need_pred, need_score=need_score,
                    need_probability=need_probability, features=features)
    return artifact, ps
