"""Several processes appending at once (two CI jobs recording together): every entry lands,
seq runs 1..N without gaps, each entry has exactly one successor, the chain verifies."""

from __future__ import annotations

import subprocess
import sys

from governance.ledger.chain import verify_entries
from governance.ledger.store import Ledger

WRITER = """
import sys
from governance.ledger.entry import Entry
from governance.ledger.store import Ledger
url, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Ledger(url) as ledger:
    for i in range(n):
        ledger.append(Entry(ts="2026-12-01T12:00:00+00:00", kind="verify", payload="{}",
                            model_name=name, model_version=str(i)))
"""

PROCESSES, EACH = 4, 15


def test_concurrent_writers_never_fork(ledger_url: str) -> None:
    # Every process also races to create the schema: the first append migrates.
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, ledger_url, f"w{p}", str(EACH)],
                              stderr=subprocess.PIPE, text=True) for p in range(PROCESSES)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with Ledger(ledger_url) as ledger:
        entries = list(ledger.entries())
        result = verify_entries(entries)
    assert result.ok, result.reason
    assert [e.seq for e in entries] == list(range(1, PROCESSES * EACH + 1))
    assert len({e.prev_hash for e in entries}) == len(entries)  # no entry has two successors
    per_writer = {f"w{p}": [e.model_version for e in entries if e.model_name == f"w{p}"]
                  for p in range(PROCESSES)}
    assert per_writer == {w: [str(i) for i in range(EACH)] for w in per_writer}
