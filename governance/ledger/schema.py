"""The ledger table (SQLAlchemy Core). Migrations under ``migrations/versions`` create it."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

entries = Table(
    "ledger_entries", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("ts", String(40), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("model_name", Text), Column("model_version", Text),
    Column("release", Text), Column("environment", Text),
    Column("policy_name", Text), Column("policy_version", Text),
    Column("policy_digest", String(64)), Column("report_digest", String(64)),
    Column("verdict", String(16)),
    Column("actor", Text), Column("keyid", String(128)), Column("role", Text),
    Column("decision", String(16)),
    Column("payload", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False),
    # Two writers that read the same head both try seq n+1 after the same prev_hash: one
    # commits, the other hits these constraints and retries on the new head (no fork).
    UniqueConstraint("seq", name="uq_ledger_seq"),
    UniqueConstraint("prev_hash", name="uq_ledger_prev_hash"),
    UniqueConstraint("entry_hash", name="uq_ledger_entry_hash"),
)
