"""ROC AUC (with DeLong's variance) and average precision from score-key cells, for every
engine.

A cell is ``(score key, finest group * 2 + label, weight)``: the mergeable partial of the score
metrics. :func:`score_key` maps float64 scores to order-preserving unsigned 64-bit keys;
:func:`compact` sums the weights of equal ``(key, code)`` cells. The streaming engine spills
cells to a file (``streaming.Spill``), the Dask engine compacts them per partition, and the
in-memory engine compacts a whole table at once when its scores take few distinct values
(:func:`memory_cells`; with many distinct values the in-memory engine ranks rows instead,
:mod:`governance.metrics.ranking`).

:func:`rank_metrics` sweeps the cells in descending score order, one *score range* at a time.
Ranges come from a 16-bit radix histogram of the key, refined where a bin holds more than
:data:`RANGE_ROWS` rows, so at most ``RANGE_ROWS`` cells are in memory at once whatever the
number of rows or distinct scores. Per-group cumulative true/false positive weights are carried
from range to range, giving the same trapezoids and precision steps as
:mod:`governance.metrics.ranking` (``roc_auc``, ``average_precision``: scikit-learn's
definitions), and the sums of DeLong's structural components
(:mod:`governance.metrics.delong`; cells of one score value share them), so unweighted ROC AUC
intervals need no rows either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from governance.metrics.classification import divide
from governance.metrics.counts import FloatArray, IntArray
from governance.metrics.stats import RankValues

#: Largest number of cells held in memory by one range of the sweep.
RANGE_ROWS = 2_000_000

_TOP = np.uint64(1) << np.uint64(63)
MASK16 = 0xFFFF

npt_u64 = Any  # numpy uint64 arrays (loose alias, like counts.IntArray)


def score_key(score: FloatArray) -> npt_u64:
    """Order-preserving unsigned 64-bit key of float64 scores (-0.0 and 0.0 alike)."""
    bits = (np.asarray(score, dtype=np.float64) + 0.0).view(np.uint64)
    neg = (bits & _TOP) != 0
    out: npt_u64 = np.where(neg, ~bits, bits | _TOP)
    return out


def in_range(key: npt_u64, lo: int, hi: int) -> npt_u64:
    if lo == 0 and hi == (1 << 64) - 1:
        return key
    out: npt_u64 = key[(key >= np.uint64(lo)) & (key <= np.uint64(hi))]
    return out


def compact(key: npt_u64, code: IntArray, w: FloatArray | None
            ) -> tuple[npt_u64, IntArray, FloatArray]:
    """Sum weights of equal ``(code, key)`` cells; sorted by code, then key."""
    order = np.lexsort((key, code))
    k, c = key[order], code[order]
    ww = np.ones(len(k)) if w is None else w[order]
    if len(k) == 0:
        return k, c, ww
    start = np.ones(len(k), dtype=bool)
    start[1:] = (k[1:] != k[:-1]) | (c[1:] != c[:-1])
    idx = np.flatnonzero(start)
    return k[idx], c[idx], np.add.reduceat(ww, idx)


def concat_cells(parts: Sequence[tuple[npt_u64, IntArray, FloatArray]]
                 ) -> tuple[npt_u64, IntArray, FloatArray]:
    if not parts:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64), np.zeros(0)
    if len(parts) == 1:
        return parts[0]
    return compact(np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts]),
                   np.concatenate([p[2] for p in parts]))


class CellSource(Protocol):
    """Where the range sweep gets its cells: a spill file or Dask partitions."""

    def histogram(self, lo: int, hi: int, shift: int) -> IntArray: ...

    def cells(self, lo: int, hi: int) -> tuple[npt_u64, IntArray, FloatArray]: ...


@dataclass(frozen=True)
class MemoryCells:
    """Compacted cells held in memory (a table whose scores take few distinct values)."""

    key: npt_u64
    code: IntArray
    w: FloatArray

    def histogram(self, lo: int, hi: int, shift: int) -> IntArray:
        k = in_range(self.key, lo, hi)
        return np.bincount(((k >> np.uint64(shift)) & np.uint64(MASK16)).astype(np.int64),
                           minlength=1 << 16)

    def cells(self, lo: int, hi: int) -> tuple[npt_u64, IntArray, FloatArray]:
        m = (self.key >= np.uint64(lo)) & (self.key <= np.uint64(hi))
        return self.key[m], self.code[m], self.w[m]


def memory_cells(score: FloatArray, code: IntArray, n_codes: int, w: FloatArray | None,
                 max_cells: int) -> MemoryCells | None:
    """The compacted cells of a whole table by hashing (no sort of the rows), or None when
    there would be more than ``max_cells`` of them (then rank the rows instead)."""
    import pandas as pd

    score = np.asarray(score, dtype=np.float64) + 0.0
    if len(pd.unique(score[:1 << 16])) * n_codes > max_cells:  # a lower bound: quick refusal
        return None
    sk, uniq = pd.factorize(score)
    if len(uniq) * n_codes > max_cells:
        return None
    u = len(uniq)
    cell = np.asarray(code, dtype=np.int64) * u + sk
    rows = np.bincount(cell, minlength=u * n_codes)
    present = np.flatnonzero(rows)
    sums = rows if w is None else np.bincount(cell, weights=w, minlength=u * n_codes)
    keys = score_key(np.asarray(uniq, dtype=np.float64))
    return MemoryCells(keys[present % u], present // u,
                       np.asarray(sums[present], dtype=np.float64))


def plan_ranges(source: CellSource, budget: int | None = None) -> list[tuple[int, int]]:
    """Key ranges, highest scores first, each holding at most ``budget`` rows (unless a
    range is a single score value, whose rows collapse into one cell per group and label)."""
    budget = budget or RANGE_ROWS
    top = source.histogram(0, (1 << 64) - 1, 48)
    return _split(source, top, 0, 48, budget)


def _split(source: CellSource, hist: IntArray, base: int, shift: int, budget: int
           ) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    cur_lo: int | None = None
    cur_hi = 0
    acc = 0
    for b in np.flatnonzero(hist)[::-1]:
        c = int(hist[b])
        lo = base + (int(b) << shift)
        hi = lo + (1 << shift) - 1
        if c > budget and shift > 0:
            if cur_lo is not None:
                ranges.append((cur_lo, cur_hi))
                cur_lo, acc = None, 0
            sub = source.histogram(lo, hi, shift - 16)
            ranges.extend(_split(source, sub, lo, shift - 16, budget))
            continue
        if cur_lo is not None and acc + c > budget:
            ranges.append((cur_lo, cur_hi))
            cur_lo, acc = None, 0
        if cur_lo is None:
            cur_hi = hi
        cur_lo = lo
        acc += c
    if cur_lo is not None:
        ranges.append((cur_lo, cur_hi))
    return ranges


class _Sweep:
    """Running state of one request: finest -> output groups."""

    def __init__(self, parent: IntArray, n_out: int) -> None:
        self.parent = parent
        self.n_out = n_out
        self.tp = np.zeros(n_out)
        self.fp = np.zeros(n_out)
        self.area = np.zeros(n_out)
        self.ap = np.zeros(n_out)
        # DeLong's structural components (unweighted cells): per positive cell
        # a = negatives above + half the tied ones, per negative cell b = the same of positives
        self.delong = np.zeros((4, n_out))  # sum p*a, sum p*a^2, sum q*b, sum q*b^2

    def add(self, key: npt_u64, fg: IntArray, y: np.ndarray, w: FloatArray) -> None:
        """Cells sorted by descending score key."""
        og = self.parent[fg]
        if (og < 0).any():
            keep = og >= 0
            og, key, y, w = og[keep], key[keep], y[keep], w[keep]
        if len(og) == 0:
            return
        if self.n_out > 1:  # stable: each group stays in descending score order
            order = np.argsort(og, kind="stable")
            og, key, y, w = og[order], key[order], y[order], w[order]
            del order
        start = np.ones(len(key), dtype=bool)
        start[1:] = (key[1:] != key[:-1]) | (og[1:] != og[:-1])
        idx = np.flatnonzero(start)
        del start
        pos = np.add.reduceat(np.where(y, w, 0.0), idx)
        neg = np.add.reduceat(np.where(y, 0.0, w), idx)
        g = og[idx]
        del idx, og
        first = np.ones(len(g), dtype=bool)
        first[1:] = g[1:] != g[:-1]
        gstart = np.flatnonzero(first)
        cpos, cneg = np.cumsum(pos), np.cumsum(neg)
        seg = np.cumsum(first) - 1
        tp = cpos - np.concatenate([[0.0], cpos])[gstart][seg] + self.tp[g]
        fp = cneg - np.concatenate([[0.0], cneg])[gstart][seg] + self.fp[g]
        prev_tp, prev_fp = tp - pos, fp - neg
        self.area += np.bincount(g, weights=(fp - prev_fp) * (tp + prev_tp) / 2.0,
                                 minlength=self.n_out)
        precision = divide(tp, tp + fp, 0.0)
        self.ap += np.bincount(g, weights=(tp - prev_tp) * precision, minlength=self.n_out)
        a, b = fp - 0.5 * neg, tp - 0.5 * pos
        for j, v in enumerate((pos * a, pos * a * a, neg * b, neg * b * b)):
            self.delong[j] += np.bincount(g, weights=v, minlength=self.n_out)
        self.tp += np.bincount(g, weights=pos, minlength=self.n_out)
        self.fp += np.bincount(g, weights=neg, minlength=self.n_out)

    def result(self) -> RankValues:
        p, neg = self.tp, self.fp
        auc = np.where((p > 0) & (neg > 0), divide(self.area, p * neg), np.nan)
        ap = np.where(p > 0, divide(self.ap, p), np.nan)
        spa, spa2, sqb, sqb2 = self.delong
        ok = (p > 1) & (neg > 1)
        p1, n1 = np.where(ok, p, 2.0), np.where(ok, neg, 2.0)
        var10 = (spa2 - spa * spa / p1) / (p1 - 1) / (n1 * n1)
        var01 = (sqb2 - sqb * sqb / n1) / (n1 - 1) / (p1 * p1)
        var = np.where(ok, np.maximum(var10, 0.0) / p1 + np.maximum(var01, 0.0) / n1, np.nan)
        return RankValues(auc, ap, var)


def rank_metrics(source: CellSource, requests: Sequence[tuple[IntArray, int]],
                 budget: int | None = None) -> list[RankValues]:
    """ROC AUC and AP for each request ``(parent: finest -> output group or -1, n_out)``,
    from one sweep over the score ranges."""
    sweeps = [_Sweep(p, n) for p, n in requests]
    for lo, hi in plan_ranges(source, budget):
        key, code, w = source.cells(lo, hi)
        order = np.argsort(~key, kind="stable")  # descending score
        key, code, w = key[order], code[order], w[order]
        del order
        fg, y = code >> 1, (code & 1).astype(bool)
        del code
        for s in sweeps:
            s.add(key, fg, y, w)
    return [s.result() for s in sweeps]

