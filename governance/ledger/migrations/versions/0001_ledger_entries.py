"""ledger_entries: the hash-chained entries

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("ts", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("model_name", sa.Text), sa.Column("model_version", sa.Text),
        sa.Column("release", sa.Text), sa.Column("environment", sa.Text),
        sa.Column("policy_name", sa.Text), sa.Column("policy_version", sa.Text),
        sa.Column("policy_digest", sa.String(64)), sa.Column("report_digest", sa.String(64)),
        sa.Column("verdict", sa.String(16)),
        sa.Column("actor", sa.Text), sa.Column("keyid", sa.String(128)),
        sa.Column("role", sa.Text), sa.Column("decision", sa.String(16)),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("seq", name="uq_ledger_seq"),
        sa.UniqueConstraint("prev_hash", name="uq_ledger_prev_hash"),
        sa.UniqueConstraint("entry_hash", name="uq_ledger_entry_hash"),
    )
    op.create_index("ix_ledger_model", "ledger_entries", ["model_name", "model_version"])


def downgrade() -> None:
    op.drop_index("ix_ledger_model", "ledger_entries")
    op.drop_table("ledger_entries")
