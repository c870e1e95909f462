"""Seeded, reproducible bootstrap resampling.

Two equivalent ways to draw an ordinary (row) bootstrap resample:

- from counts: resampling ``n`` rows with replacement and counting them per (group, cell) is
  exactly a multinomial draw over the cells with probabilities ``count / n``; count metrics of
  unweighted data are resampled this way, never touching the rows;
- from rows: a resample is a vector of row multiplicities (a multinomial over the rows), used as
  extra weights, so AUC or log loss are recomputed without re-sorting.

Every rule derives its generator from the run seed and its own key (the rule id), so the same
inputs and seed give the same intervals, independently of rule order.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import numpy as np

from governance.metrics.counts import FloatArray

DEFAULT_RESAMPLES = 1000
#: Largest ``resamples x rows`` block materialised at once.
MAX_BLOCK = 4_000_000


def make_rng(seed: int, key: str = "") -> np.random.Generator:
    """A generator seeded by the run seed and a stable key (e.g. the rule id)."""
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(key.encode())]))


def count_resamples(counts: FloatArray, n_resamples: int,
                    rng: np.random.Generator) -> FloatArray:
    """Multinomial resamples of integer cell counts: shape ``(n_resamples, *counts.shape)``."""
    c = np.asarray(counts, dtype=np.float64)
    flat = c.ravel()
    total = round(float(flat.sum()))
    if total == 0:
        return np.zeros((n_resamples, *c.shape))
    draws = rng.multinomial(total, flat / flat.sum(), size=n_resamples)
    return draws.astype(np.float64).reshape(n_resamples, *c.shape)


def row_multiplicities(n: int, n_resamples: int, rng: np.random.Generator,
                       max_block: int = MAX_BLOCK) -> Iterator[FloatArray]:
    """Blocks of row multiplicities ``(b, n)`` (each row of a block sums to ``n``)."""
    per_block = max(1, max_block // max(n, 1))
    done = 0
    while done < n_resamples:
        b = min(per_block, n_resamples - done)
        idx = rng.integers(0, n, size=(b, n))
        idx += (np.arange(b) * n)[:, None]
        yield np.bincount(idx.ravel(), minlength=b * n).reshape(b, n).astype(np.float64)
        done += b


def percentile_interval(samples: FloatArray, confidence: float
                        ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Percentile interval over axis 0, ignoring undefined (NaN) resamples.

    Returns ``(lower, upper, undefined_fraction)``; bounds are NaN where every resample is
    undefined.
    """
    s = np.asarray(samples, dtype=np.float64)
    alpha = 1.0 - confidence
    bad = np.isnan(s)
    frac = bad.mean(axis=0) if len(s) else np.ones(s.shape[1:])
    all_bad = bad.all(axis=0) if len(s) else np.ones(s.shape[1:], dtype=bool)
    if len(s) == 0:
        nan = np.full(s.shape[1:], np.nan)
        return nan, nan.copy(), np.asarray(frac)
    # nanquantile warns on all-NaN slices: give those a dummy value, then blank them.
    safe = np.where(all_bad, 0.0, s)
    lo, hi = np.nanquantile(safe, [alpha / 2, 1 - alpha / 2], axis=0)
    lo = np.where(all_bad, np.nan, lo)
    hi = np.where(all_bad, np.nan, hi)
    return np.asarray(lo), np.asarray(hi), np.asarray(frac)
