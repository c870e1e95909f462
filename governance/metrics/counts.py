"""Groupings of rows by sensitive features, and per-group confusion counts.

One pass over the rows: a single ``np.bincount`` over a combined (finest group, cell) code gives
the counts of the finest intersection of every feature involved; every coarser grouping (each
single feature, each intersection) is then aggregated from that small table, not from the rows.

Binary cells are ordered ``[tn, fp, fn, tp]`` (cell code ``2 * y_true + y_pred``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

# Loose aliases: numpy's dtype typing is too strict for mixed int/float arithmetic.
FloatArray = npt.NDArray[Any]
IntArray = npt.NDArray[Any]

MISSING_LABEL = "(missing)"
TN, FP, FN, TP = 0, 1, 2, 3


@dataclass(frozen=True)
class Feature:
    """A sensitive feature encoded as integer codes into sorted level names."""

    name: str
    codes: IntArray
    levels: tuple[str, ...]


def encode_feature(name: str, values: Sequence[object] | npt.NDArray[np.generic]) -> Feature:
    """Encode raw values as strings; missing values (None/NaN) become ``(missing)``."""
    import pandas as pd

    data = values if isinstance(values, pd.Series) else np.asarray(values)
    raw, uniques = pd.factorize(data, use_na_sentinel=True)
    raw = np.asarray(raw)
    names = [str(u) for u in uniques]
    if (raw < 0).any():
        names.append(MISSING_LABEL)
        raw = np.where(raw < 0, len(names) - 1, raw)
    # Distinct raw values may print alike (1 and "1"): merge them under one label.
    levels = sorted(set(names))
    position = {x: i for i, x in enumerate(levels)}
    remap = np.array([position[x] for x in names], dtype=np.int64)
    codes = remap[raw] if len(remap) else np.zeros(0, dtype=np.int64)
    return Feature(name, codes.astype(np.int64), tuple(levels))


@dataclass(frozen=True)
class Grouping:
    """Rows partitioned by one feature or an intersection; only non-empty groups are kept."""

    features: tuple[str, ...]
    values: tuple[tuple[str, ...], ...]  # one tuple of levels per group
    codes: IntArray  # per row: group index in 0..n_groups-1
    _index: dict[tuple[str, ...], int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def name(self) -> str:
        return " & ".join(self.features)

    @property
    def n_groups(self) -> int:
        return len(self.values)

    @cached_property
    def labels(self) -> tuple[str, ...]:
        return tuple(group_label(self.features, v) for v in self.values)

    def index(self, values: tuple[str, ...]) -> int | None:
        if not self._index:
            self._index.update({v: i for i, v in enumerate(self.values)})
        return self._index.get(values)


def group_label(features: Sequence[str], values: Sequence[str]) -> str:
    """``sex=female`` or ``sex=female & age_group=<25``."""
    return " & ".join(f"{f}={v}" for f, v in zip(features, values, strict=True))


def make_grouping(features: Sequence[Feature]) -> Grouping:
    """Group rows by the intersection of ``features`` (one feature: its levels)."""
    if not features:
        raise ValueError("a grouping needs at least one feature")
    dims = tuple(len(f.levels) for f in features)
    if len(features) == 1:
        full = features[0].codes
    else:
        full = np.ravel_multi_index(tuple(f.codes for f in features), dims).astype(np.int64)
    size = int(np.prod(dims, dtype=np.int64))
    n = len(full)
    if size <= 10 * n + 1_000_000:
        present = np.flatnonzero(np.bincount(full, minlength=size))
        dense = np.full(size, -1, dtype=np.int64)
        dense[present] = np.arange(len(present), dtype=np.int64)
        codes = dense[full]
    else:
        present, inverse = np.unique(full, return_inverse=True)
        codes = inverse.astype(np.int64)
    multi = np.unravel_index(present, dims)
    values = tuple(
        tuple(features[j].levels[int(multi[j][i])] for j in range(len(features)))
        for i in range(len(present)))
    return Grouping(tuple(f.name for f in features), values, codes)


def coarsen(finest: Grouping, features: Sequence[str]) -> tuple[Grouping, IntArray]:
    """A coarser grouping over a subset of ``finest.features`` and the map finest -> coarse."""
    pos = [finest.features.index(f) for f in features]
    sub_values = [tuple(v[p] for p in pos) for v in finest.values]
    uniq = sorted(set(sub_values))
    index = {v: i for i, v in enumerate(uniq)}
    parent = np.array([index[v] for v in sub_values], dtype=np.int64)
    return Grouping(tuple(features), tuple(uniq), parent[finest.codes]), parent


def sizes(codes: IntArray, n_groups: int) -> IntArray:
    """Unweighted number of rows per group."""
    return np.bincount(codes, minlength=n_groups).astype(np.int64)


def binary_counts(y_true: IntArray, y_pred: IntArray, codes: IntArray, n_groups: int,
                  weight: FloatArray | None = None) -> FloatArray:
    """Per-group ``[tn, fp, fn, tp]`` (weighted sums), shape ``(n_groups, 4)``."""
    cell = codes * 4 + 2 * y_true + y_pred
    out = np.bincount(cell, weights=weight, minlength=n_groups * 4)
    return out.astype(np.float64).reshape(n_groups, 4)


def multiclass_counts(y_true: IntArray, y_pred: IntArray, n_classes: int, codes: IntArray,
                      n_groups: int, weight: FloatArray | None = None) -> FloatArray:
    """Per-group confusion matrices (rows: true class, columns: predicted), ``(G, K, K)``."""
    k2 = n_classes * n_classes
    cell = codes * k2 + y_true * n_classes + y_pred
    out = np.bincount(cell, weights=weight, minlength=n_groups * k2)
    return out.astype(np.float64).reshape(n_groups, n_classes, n_classes)


@dataclass(frozen=True)
class GroupedCounts:
    """Confusion counts of one grouping: weighted cells and unweighted group sizes."""

    grouping: Grouping
    counts: FloatArray  # (G, 4) binary or (G, K, K) multiclass
    n: IntArray  # (G,)

    @property
    def overall(self) -> FloatArray:
        result: FloatArray = self.counts.sum(axis=0)
        return result


def grouped_counts(y_true: IntArray, y_pred: IntArray, features: Sequence[Feature],
                   combos: Sequence[Sequence[str]], weight: FloatArray | None = None,
                   n_classes: int = 2) -> list[GroupedCounts]:
    """Counts for every grouping in ``combos`` (feature-name tuples) from one pass over rows.

    The finest intersection of all features named in ``combos`` is counted with one bincount;
    each requested grouping is aggregated from that table.
    """
    by_name = {f.name: f for f in features}
    names = list(dict.fromkeys(n for combo in combos for n in combo))
    finest = make_grouping([by_name[n] for n in names])
    g = finest.n_groups
    if n_classes == 2:
        fine = binary_counts(y_true, y_pred, finest.codes, g, weight).reshape(g, -1)
    else:
        fine = multiclass_counts(y_true, y_pred, n_classes, finest.codes, g,
                                 weight).reshape(g, -1)
    fine_n = sizes(finest.codes, g)
    out: list[GroupedCounts] = []
    for combo in combos:
        grouping, parent = coarsen(finest, list(combo))
        gc = grouping.n_groups
        agg = np.zeros((gc, fine.shape[1]), dtype=np.float64)
        np.add.at(agg, parent, fine)
        n = np.bincount(parent, weights=fine_n, minlength=gc).astype(np.int64)
        shape = (gc, 4) if n_classes == 2 else (gc, n_classes, n_classes)
        out.append(GroupedCounts(grouping, agg.reshape(shape), n))
    return out
