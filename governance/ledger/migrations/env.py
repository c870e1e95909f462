"""Alembic environment: run on the connection :func:`governance.ledger.store.migrate` passes."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from governance.ledger.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    if connection.dialect.name == "postgresql":  # one migrating process at a time
        connection.execute(text("SELECT pg_advisory_xact_lock(7263510418)"))
    context.run_migrations()
