"""Groupings of rows by sensitive features, and per-group confusion counts of rows (the
in-memory row path; the statistics layer, :mod:`governance.metrics.stats`, counts per finest
group once and aggregates every grouping from that table).

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


def level_names(values: Sequence[object] | npt.NDArray[np.generic]) -> tuple[IntArray, list[str]]:
    """Codes into the printed names of the distinct raw values (by first appearance; missing
    values, None/NaN, are ``(missing)``). Distinct raw values may print alike."""
    import pandas as pd

    data = values if isinstance(values, pd.Series) else np.asarray(values)
    raw, uniques = pd.factorize(data, use_na_sentinel=True)
    raw = np.asarray(raw)
    names = [str(u) for u in uniques]
    if (raw < 0).any():
        names.append(MISSING_LABEL)
        raw = np.where(raw < 0, len(names) - 1, raw)
    return np.asarray(raw, dtype=np.int64), names


def encode_feature(name: str, values: Sequence[object] | npt.NDArray[np.generic]) -> Feature:
    """Encode raw values as sorted level names; values that print alike (1 and "1") share a
    level; missing values become ``(missing)``."""
    raw, names = level_names(values)
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
