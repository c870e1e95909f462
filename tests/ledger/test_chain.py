"""The hash chain on SQLite and PostgreSQL: intact chains verify; each tampering is caught
at the right entry; an export re-verifies with independent code written from the documented
encoding (governance/ledger/entry.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from governance.cli import main
from governance.ledger.chain import verify_entries
from governance.ledger.entry import GENESIS, Entry
from governance.ledger.store import Ledger


def _fill(url: str, n: int = 5) -> list[Entry]:
    with Ledger(url) as ledger:
        out = []
        for i in range(n):
            payload = json.dumps({"i": i, "text": "naïve ☃"}, sort_keys=True)
            out.append(ledger.append(Entry(
                ts=f"2026-12-01T10:00:0{i}+00:00", kind="check", payload=payload,
                report_digest=hashlib.sha256(payload.encode()).hexdigest(),
                model_name="m", model_version=f"1.{i}.0", release=f"r{i}", verdict="pass")))
        return out


def _sql(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for s in statements:
            conn.exec_driver_sql(s)
    engine.dispose()


def _verify(url: str, expect_head: str | None = None) -> tuple[int | None, str | None, int]:
    with Ledger(url) as ledger:
        r = verify_entries(ledger.entries(), expect_head)
    return r.bad_seq, r.reason, r.checked


def test_append_chains_and_verifies(ledger_url: str) -> None:
    entries = _fill(ledger_url)
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.entry_hash for a, b in zip(entries, entries[1:]))
    assert _verify(ledger_url) == (None, None, 5)
    with Ledger(ledger_url) as ledger:
        stored = list(ledger.entries())
    assert stored == entries  # what was stored reads back identically (hashes included)


def test_unique_constraints_refuse_a_fork(ledger_url: str) -> None:
    entries = _fill(ledger_url, 2)
    fork = Entry(ts="2026-12-01T11:00:00+00:00", kind="check", payload="{}").chained(
        3, entries[0].entry_hash)  # a second successor of entry 1
    engine = sa.create_engine(ledger_url)
    from governance.ledger.schema import entries as table

    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(table.insert().values(**fork.as_dict()))
    engine.dispose()


@pytest.mark.parametrize("case", ["payload", "verdict", "hash", "delete", "reorder", "insert",
                                  "truncate"])
def test_tampering_is_caught(ledger_url: str, case: str) -> None:
    entries = _fill(ledger_url)
    t = "ledger_entries"
    if case == "payload":
        _sql(ledger_url, f"UPDATE {t} SET payload = '{{\"i\": 99}}' WHERE seq = 3")
        expected = (3, "entry hash does not match its fields")
    elif case == "verdict":
        _sql(ledger_url, f"UPDATE {t} SET verdict = 'fail' WHERE seq = 2")
        expected = (2, "entry hash does not match its fields")
    elif case == "hash":  # edited and re-hashed: the next entry's link breaks
        e = entries[2]
        forged = Entry(**{**e.as_dict(), "verdict": "fail"}).chained(3, e.prev_hash)
        _sql(ledger_url, f"UPDATE {t} SET verdict = 'fail', entry_hash = "
                         f"'{forged.entry_hash}' WHERE seq = 3")
        expected = (4, "prev_hash does not match the previous entry's hash")
    elif case == "delete":
        _sql(ledger_url, f"DELETE FROM {t} WHERE seq = 2")
        expected = (3, "entries #2..#2 are missing (removed)")
    elif case == "reorder":
        _sql(ledger_url, f"UPDATE {t} SET seq = 100 WHERE seq = 2",
             f"UPDATE {t} SET seq = 2 WHERE seq = 3", f"UPDATE {t} SET seq = 3 WHERE seq = 100")
        expected = (2, "entry hash does not match its fields")
    elif case == "insert":  # a well-formed entry slipped in after #2, later ones renumbered
        _sql(ledger_url, *[f"UPDATE {t} SET seq = {s + 1} WHERE seq = {s}"
                           for s in (5, 4, 3)])
        extra = Entry(ts="2026-12-01T10:30:00+00:00", kind="approve", payload="{}",
                      decision="approve").chained(3, entries[1].entry_hash)
        engine = sa.create_engine(ledger_url)
        from governance.ledger.schema import entries as table

        with engine.begin() as conn:
            conn.execute(table.update().where(table.c.seq == 4).values(prev_hash="x" * 64))
            conn.execute(table.insert().values(**extra.as_dict()))
        engine.dispose()
        expected = (4, "entry hash does not match its fields")
    else:  # the newest entries removed: visible against a head recorded elsewhere
        _sql(ledger_url, f"DELETE FROM {t} WHERE seq >= 4")
        assert _verify(ledger_url) == (None, None, 3)
        bad, reason, _ = _verify(ledger_url, entries[-1].entry_hash)
        assert bad == 3 and reason is not None and "newest entries removed" in reason
        return
    bad, reason, checked = _verify(ledger_url)
    assert (bad, (reason or "")[:len(expected[1])]) == expected
    assert checked == (1 if case == "delete" else expected[0] - 1)  # entries before the break


def _independent_verify(lines: list[str]) -> str:
    """Re-verification from the README/entry.py text only (no governance imports)."""
    fields = ["seq", "ts", "kind", "model_name", "model_version", "release", "environment",
              "policy_name", "policy_version", "policy_digest", "report_digest", "verdict",
              "actor", "keyid", "role", "decision", "payload", "prev_hash"]
    prev = "0" * 64
    for n, line in enumerate(lines, start=1):
        e = json.loads(line)
        assert e["seq"] == n, f"seq {e['seq']} at line {n}"
        assert e["prev_hash"] == prev, f"broken link at {n}"
        body = json.dumps({k: e[k] for k in fields}, sort_keys=True, separators=(",", ":"),
                          ensure_ascii=True)
        digest = hashlib.sha256(b"governance-ledger-v1\n" + body.encode("ascii")).hexdigest()
        assert digest == e["entry_hash"], f"hash mismatch at {n}"
        prev = digest
    return prev


def test_export_reverifies_offline(ledger_url: str, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    entries = _fill(ledger_url, 4)
    monkeypatch.setenv("GOVERNANCE_LEDGER_URL", ledger_url)
    out = tmp_path / "ledger.jsonl"
    assert main(["ledger", "export", "--out", str(out)]) == 0
    lines = out.read_text("ascii").splitlines()
    assert len(lines) == 4
    assert _independent_verify(lines) == entries[-1].entry_hash
    # the same export with one edited byte fails the independent check
    bad = lines[:]
    bad[1] = bad[1].replace('"r1"', '"r9"')
    with pytest.raises(AssertionError, match="hash mismatch at 2"):
        _independent_verify(bad)
    capsys.readouterr()
    assert main(["ledger", "verify", "--expect-head", entries[-1].entry_hash]) == 0
    assert "ledger intact: 4 entries" in capsys.readouterr().out
    _sql(ledger_url, "UPDATE ledger_entries SET payload = 'x' WHERE seq = 2")
    assert main(["ledger", "verify"]) == 1
    assert "ledger BROKEN at entry #2: entry hash does not match" in capsys.readouterr().out


def test_migrate_command_creates_the_schema(ledger_url: str, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GOVERNANCE_LEDGER_URL", ledger_url)
    assert main(["ledger", "migrate"]) == 0
    assert "at schema revision 0001" in capsys.readouterr().out
    engine = sa.create_engine(ledger_url)
    inspector = sa.inspect(engine)
    assert {"ledger_entries", "alembic_version"} <= set(inspector.get_table_names())
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(
        "ledger_entries")}
    assert {("prev_hash",), ("entry_hash",)} <= uniques
    pk = inspector.get_pk_constraint("ledger_entries")["constrained_columns"]
    assert pk == ["seq"]  # unique too (PostgreSQL reports UNIQUE(seq) as the key's)
    engine.dispose()
    assert main(["ledger", "migrate"]) == 0  # idempotent
    assert main(["ledger", "verify"]) == 0
    assert "ledger intact: 0 entries" in capsys.readouterr().out
