"""The release ledger: an append-only, hash-chained record of checks, signatures, approvals,
waivers and verifications (issue 18).

Modules: :mod:`.entry` (the entry and its hash: no database imports, the documented encoding),
:mod:`.settings` (where the ledger lives: operator flag/environment, else the project),
:mod:`.schema` and :mod:`.store` (SQLAlchemy 2 Core: SQLite or PostgreSQL, Alembic migrations
under ``migrations/``), :mod:`.record` (entries built from reports and bundles),
:mod:`.chain` (verification and export), :mod:`.queries` (history, status, trends) and
:mod:`.diff` (two reports compared). SQLAlchemy is imported only when a ledger is opened.
"""
