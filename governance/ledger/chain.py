"""Verify the hash chain of a ledger and export it as JSON Lines (see :mod:`.entry`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from governance.ledger.entry import GENESIS, KINDS, Entry, canonical, entry_hash


@dataclass(frozen=True)
class ChainResult:
    checked: int
    head: str  # entry_hash of the last good entry (GENESIS when empty)
    bad_seq: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None


def verify_entries(entries: Iterable[Entry], expect_head: str | None = None) -> ChainResult:
    """The first break in ``entries`` (in stored ``seq`` order), or an intact result.

    Edited entries fail their hash; removed ones leave a gap in ``seq`` (or, renumbered, a
    broken link); inserted or reordered ones break the ``prev_hash`` link or their hash.
    """
    prev, expected, checked = GENESIS, 1, 0
    for e in entries:
        if e.entry_hash != entry_hash(e.hashed()):
            return ChainResult(checked, prev, e.seq, "entry hash does not match its fields "
                               "(entry edited, or its hash or seq changed)")
        if e.seq != expected:
            why = (f"entries #{expected}..#{e.seq - 1} are missing (removed)"
                   if e.seq > expected else f"expected #{expected} (entries reordered)")
            return ChainResult(checked, prev, e.seq, why)
        if e.prev_hash != prev:
            return ChainResult(checked, prev, e.seq, "prev_hash does not match the previous "
                               "entry's hash (entry inserted, removed or reordered)")
        if e.kind not in KINDS:
            return ChainResult(checked, prev, e.seq, f"unknown kind {e.kind!r}")
        if e.kind == "check" and e.report_digest != hashlib.sha256(
                e.payload.encode("utf-8")).hexdigest():
            return ChainResult(checked, prev, e.seq, "payload does not match report_digest")
        prev, expected, checked = e.entry_hash, expected + 1, checked + 1
    if expect_head is not None and expect_head != prev:
        return ChainResult(checked, prev, expected - 1 if checked else None,
                           f"head is {prev}, expected {expect_head} (newest entries removed "
                           "or a different ledger)")
    return ChainResult(checked, prev)


def export_lines(entries: Iterable[Entry]) -> Iterator[str]:
    """One canonical JSON object per entry (every field, with both chain hashes)."""
    for e in entries:
        yield canonical(e.as_dict()) + "\n"
