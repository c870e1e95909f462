"""Turn a predictions table and the card's column map into validated numpy arrays.

Every problem is an :class:`EvidenceError` naming the artifact and the column: missing mapping,
missing column, missing values, non-numeric or non-finite scores, labels that are not binary,
probabilities outside [0, 1]. Rows are counted from 1 (the first data row).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from governance.card.model import Artifact, ArtifactRole, ColumnMap, Task
from governance.errors import EvidenceError
from governance.metrics.counts import FloatArray, IntArray

if TYPE_CHECKING:
    from governance.evidence.context import EvidenceContext

T = TypeVar("T")


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
    sensitive: dict[str, Any] = field(default_factory=dict)  # name -> raw values (Series)
    positive_label: str | None = None
    # Per-run memo of validated columns and encoded features (shared by every rule reading
    # the same table); None for subsets and streamed batches.
    memo: dict[Any, Any] | None = field(default=None, compare=False, repr=False)

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
    """0/1 codes of a binary label column; validated on its distinct values (fast: the rows
    are compared with the few raw values whose text is the positive label)."""
    uniq_raw = pd.unique(s)
    uniq_series = pd.Series(uniq_raw, name=s.name)
    if pd.api.types.is_float_dtype(s.dtype):
        uniq_series = uniq_series.astype(s.dtype)
    texts = _labels_text(uniq_series).tolist()
    uniq = sorted(set(texts))
    col = str(s.name)
    if positive is None:
        extra = [u for u in uniq if u not in ("0", "1")]
        if extra:
            shown = ", ".join(extra[:5])
            raise EvidenceError(f"{display}: column {col!r} ({role}) must hold binary labels 0 "
                                f"and 1 (or set columns.positive_label in the card); found "
                                f"{shown}")
    elif len(uniq) > 2:
        shown = ", ".join(uniq[:5])
        raise EvidenceError(f"{display}: column {col!r} ({role}) has {len(uniq)} distinct "
                            f"labels ({shown}); a binary task allows two")
    target = "1" if positive is None else positive
    hits = [u for u, t in zip(uniq_series.tolist(), texts, strict=True) if t == target]
    if not hits:
        return np.zeros(len(s), dtype=np.int64)
    if len(hits) == 1:  # the usual case: one comparison, not a hashed membership test
        return np.asarray((s == hits[0]).to_numpy(dtype=bool), dtype=np.int64)
    return np.asarray(s.isin(hits).to_numpy(), dtype=np.int64)


def memoized(memo: dict[Any, Any] | None, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, computed once per run and column when a memo is given."""
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    value: T = memo[key]
    return value


def distinct_labels(s: pd.Series) -> set[str]:
    """The distinct labels of a column, written as :func:`_binary` compares them."""
    uniq = pd.Series(pd.unique(s.dropna()), name=s.name)
    return set(_labels_text(uniq).tolist())


def _shown(labels: set[str]) -> str:
    listed = sorted(labels)
    more = f" and {len(listed) - 5} more" if len(listed) > 5 else ""
    return ", ".join(repr(x) for x in listed[:5]) + more


def check_label_sets(display: str, positive: str, y_true_col: str, true_labels: set[str],
                     y_pred_col: str | None, pred_labels: set[str] | None) -> None:
    """A binary task's labels must contain the positive label, and y_true and y_pred must be
    written alike: otherwise every metric is computed as if no positives existed."""
    found = f"y_true {y_true_col!r} has {_shown(true_labels)}"
    if pred_labels is not None:
        found += f"; y_pred {y_pred_col!r} has {_shown(pred_labels)}"
    if positive not in true_labels and (pred_labels is None or positive not in pred_labels):
        raise EvidenceError(f"{display}: positive_label {positive!r} occurs in neither y_true "
                            f"nor y_pred ({found}): insufficient evidence; set "
                            "columns.positive_label to the label of the positive class")
    if pred_labels is not None and not true_labels & pred_labels:
        raise EvidenceError(f"{display}: the labels of y_true and y_pred do not overlap "
                            f"({found}): insufficient evidence; write both the same way")


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


class _Columns:
    """Validated, converted columns of one table, each computed once per run with a memo."""

    def __init__(self, df: pd.DataFrame, display: str, memo: dict[Any, Any] | None,
                 positive: str | None) -> None:
        self.df, self.display, self.memo, self.pos = df, display, memo, positive

    def col(self, name: str, role: str) -> pd.Series:
        return memoized(self.memo, ("column", name, role),
                        lambda: _column(self.df, name, self.display, role))

    def num(self, name: str, role: str) -> FloatArray:
        return memoized(self.memo, ("numeric", name, role),
                        lambda: _numeric(self.col(name, role), self.display, role))

    def binary(self, name: str, role: str) -> IntArray:
        return memoized(self.memo, ("binary", name, role, self.pos),
                        lambda: _binary(self.col(name, role), self.display, role, self.pos))

    def labels(self, name: str) -> set[str]:
        return memoized(self.memo, ("labels", name), lambda: distinct_labels(self.df[name]))


def _weights(c: _Columns, column: str | None, whole_table: bool) -> FloatArray | None:
    if column is None:
        return None
    weight = c.num(column, "sample_weight")
    if (weight < 0).any():
        raise EvidenceError(f"{c.display}: column {column!r} (sample_weight) has negative "
                            f"weights, first at row {_first_row(weight < 0)}")
    if whole_table and weight.sum() <= 0:
        raise EvidenceError(f"{c.display}: column {column!r} (sample_weight) sums to zero")
    return weight


def _binary_set(c: _Columns, columns: ColumnMap, base: PredictionSet, need_pred: bool,
                need_score: bool, need_probability: bool, whole_table: bool) -> PredictionSet:
    assert columns.y_true is not None
    if c.pos is not None and whole_table:
        yp_col = columns.y_pred if columns.y_pred in c.df.columns else None
        check_label_sets(c.display, c.pos, columns.y_true, c.labels(columns.y_true), yp_col,
                         None if yp_col is None else c.labels(yp_col))
    yp = None
    if columns.y_pred is not None and need_pred:
        yp = c.binary(columns.y_pred, "y_pred")
    score = None
    if need_score:
        if columns.y_score is None:
            raise EvidenceError(f"{c.display}: the card maps no y_score column (needed for "
                                "this metric)")
        score = c.num(columns.y_score, "y_score")
        if need_probability and ((score < 0).any() or (score > 1).any()):
            raise EvidenceError(
                f"{c.display}: column {columns.y_score!r} (y_score) must hold probabilities "
                f"in [0, 1] for this metric; found values from {score.min():g} to "
                f"{score.max():g}")
    return replace(base, y_true=c.binary(columns.y_true, "y_true"), y_pred=yp, y_score=score,
                   positive_label=c.pos if c.pos is not None else "1")


def _multiclass_set(c: _Columns, columns: ColumnMap, base: PredictionSet, need_pred: bool,
                    need_score: bool) -> PredictionSet:
    assert columns.y_true is not None
    y_text = _multiclass(c.col(columns.y_true, "y_true"))
    p_text = None
    if columns.y_pred is not None and need_pred:
        p_text = _multiclass(_column(c.df, columns.y_pred, c.display, "y_pred"))
    proba_cols = columns.y_proba or {}
    if need_score and not proba_cols:
        raise EvidenceError(f"{c.display}: the card maps no y_proba columns (one per class, "
                            "needed for this metric)")
    labels = list(y_text) + (list(p_text) if p_text is not None else [])
    classes = _class_order(labels + list(proba_cols))
    index = {k: i for i, k in enumerate(classes)}
    proba = None
    if need_score:
        unknown = [k for k in classes if k not in proba_cols]
        if unknown:
            raise EvidenceError(f"{c.display}: y_proba maps no column for class(es) "
                                f"{', '.join(unknown)}")
        proba = np.column_stack([
            _numeric(_column(c.df, proba_cols[k], c.display, f"y_proba[{k}]"), c.display,
                     f"y_proba[{k}]") for k in classes])
        if (proba < 0).any() or (proba > 1).any():
            raise EvidenceError(f"{c.display}: y_proba columns must hold probabilities in "
                                "[0, 1]")
    return replace(base, y_true=np.array([index[v] for v in y_text], dtype=np.int64),
                   y_pred=(None if p_text is None
                           else np.array([index[v] for v in p_text], dtype=np.int64)),
                   proba=proba, classes=classes)


def from_frame(df: pd.DataFrame, columns: ColumnMap | None, task: str, display: str, *,
               need_pred: bool = False, need_score: bool = False,
               need_probability: bool = False,
               features: Sequence[str] = (), whole_table: bool = True,
               memo: dict[Any, Any] | None = None) -> PredictionSet:
    """Validate the mapped columns of ``df``; ``features`` are sensitive-feature columns.

    ``whole_table`` (false for a streamed batch: the streaming engine checks the merged
    label sets and the weight total once): an explicit positive label must occur, y_true and
    y_pred labels must overlap, and the weights must not sum to zero.
    ``memo`` (one per table and run): each column is validated and converted once, however
    many rules ask for it."""
    if columns is None:
        raise EvidenceError(f"{display}: the card declares no column mapping (columns:) for "
                            "this predictions artifact; map at least y_true")
    if columns.y_true is None:
        raise EvidenceError(f"{display}: the card maps no y_true column")
    pos = None if columns.positive_label is None else str(columns.positive_label)
    c = _Columns(df, display, memo, pos)
    y_raw = c.col(columns.y_true, "y_true")
    weight = _weights(c, columns.sample_weight, whole_table)
    # the validated column itself (factorizing pandas' own string arrays is far faster than
    # converting them to Python objects first)
    sensitive = {f: c.col(f, "sensitive feature") for f in features}
    if need_pred and columns.y_pred is None:
        raise EvidenceError(f"{display}: the card maps no y_pred column (needed for this "
                            "metric)")
    base = PredictionSet(display, task, y_raw, weight=weight, sensitive=sensitive)
    if task == "regression":
        return replace(base, y_true=c.num(columns.y_true, "y_true"),
                       y_pred=None if columns.y_pred is None else c.num(columns.y_pred,
                                                                         "y_pred"))
    if task == "binary":
        return _binary_set(c, columns, base, need_pred, need_score, need_probability,
                           whole_table)
    return _multiclass_set(c, columns, base, need_pred, need_score)


def find_predictions(ctx: EvidenceContext, name: str | None, split: str | None = None
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
    def cut(a: Any) -> Any:
        return None if a is None else a[mask]

    return replace(ps, y_true=ps.y_true[mask], y_pred=cut(ps.y_pred), y_score=cut(ps.y_score),
                   proba=cut(ps.proba), weight=cut(ps.weight),
                   sensitive={k: v[mask] for k, v in ps.sensitive.items()}, memo=None)


def load_predictions(ctx: EvidenceContext, name: str | None, *, split: str | None = None,
                     need_pred: bool = False, need_score: bool = False,
                     need_probability: bool = False, features: Sequence[str] = ()
                     ) -> tuple[Artifact, PredictionSet]:
    """Read and validate a predictions artifact of the rule's card."""
    from governance.evidence.tables import read_table

    index, artifact = find_predictions(ctx, name, split)
    df = read_table(ctx, artifact, index)
    memo: dict[Any, Any] = ctx.store.cached(("columns", artifact.path), dict)
    ps = from_frame(df, artifact.columns, task_kind(ctx.card.card.model.task),
                    _display(artifact), need_pred=need_pred, need_score=need_score,
                    need_probability=need_probability, features=features, memo=memo)
    ps = replace(ps, memo=memo)
    return artifact, ps
