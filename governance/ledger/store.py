"""Open a ledger database, migrate it, append entries and read them (SQLAlchemy 2 Core).

SQLite: the file and its folder are created on first use, in WAL mode with a busy timeout;
every write transaction is ``BEGIN IMMEDIATE`` so writers queue instead of failing. PostgreSQL:
``postgresql+psycopg://…``; concurrent appends that read the same head collide on the UNIQUE
``seq``/``prev_hash`` constraints and the loser retries on the new head.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from governance.errors import GovernanceError, InputError
from governance.ledger.entry import GENESIS, Entry
from governance.ledger.schema import entries

HEAD_REVISION = "0001"
MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
MAX_ATTEMPTS = 50
T = TypeVar("T")


class LedgerError(GovernanceError):
    """The ledger cannot be opened, migrated or written (exit 2)."""


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparsable ledger URL>"


class Ledger:
    def __init__(self, url: str) -> None:
        self.url = url
        self.shown = _safe_url(url)
        try:
            parsed = make_url(url)
        except Exception:
            raise InputError("not a database URL (e.g. sqlite:///path or "
                             "postgresql+psycopg://user@host/db)", field="ledger URL") from None
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            raise InputError(f"unsupported ledger database {parsed.get_backend_name()!r} "
                             "(sqlite or postgresql)", field="ledger URL")
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(url, future=True, pool_pre_ping=False)
        except (SQLAlchemyError, ImportError) as exc:
            raise LedgerError(f"cannot open ledger {self.shown}: {exc}") from None
        if self.sqlite:
            _sqlite_setup(self.engine)
        self._migrated = False

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema -----------------------------------------------------------------------------

    def revision(self) -> str | None:
        def read() -> str | None:
            try:
                with self.engine.connect() as conn:
                    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
                    return str(row[0]) if row else None
            except SQLAlchemyError as exc:
                if ("does not exist" in str(exc)
                        or (isinstance(exc, OperationalError) and "no such table" in str(exc))):
                    return None  # no schema yet
                raise

        return self._busy_retried("open", read)

    def migrate(self) -> str:
        """Bring the schema to the newest revision (Alembic); returns the revision. Several
        processes may race to create a new ledger: a busy database is retried."""
        if not self._migrated and self.revision() != HEAD_REVISION:
            from alembic import command
            from alembic.config import Config

            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))

            def upgrade() -> None:
                with self._write() as conn:
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")

            self._busy_retried("migrate", upgrade)
        self._migrated = True
        return HEAD_REVISION

    def _busy_retried(self, verb: str, op: Callable[[], T]) -> T:
        """``op()``, run again after a short pause while the database is busy (e.g. SQLite
        refusing to switch a new database to WAL while another process creates its schema),
        as :meth:`append` does; any other database error is "cannot VERB ledger"."""
        for attempt in range(MAX_ATTEMPTS):
            try:
                return op()
            except OperationalError as exc:
                if not _transient(exc) or attempt == MAX_ATTEMPTS - 1:
                    raise LedgerError(f"cannot {verb} ledger {self.shown}: {_reason(exc)}"
                                      ) from None
                _backoff(attempt)
            except SQLAlchemyError as exc:
                raise LedgerError(f"cannot {verb} ledger {self.shown}: {_reason(exc)}"
                                  ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # -- writing ----------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (SQLite: BEGIN IMMEDIATE, so writers queue on the lock instead
        of failing on a stale snapshot; reads stay plain deferred transactions)."""
        with self.engine.connect() as conn:
            conn.execution_options(governance_write=True)
            with conn.begin():
                yield conn

    def append(self, entry: Entry) -> Entry:
        """Append ``entry`` after the current head; retried when another writer won."""
        self.migrate()
        for attempt in range(MAX_ATTEMPTS):
            try:
                with self._write() as conn:
                    head = conn.execute(select(entries.c.seq, entries.c.entry_hash)
                                        .order_by(entries.c.seq.desc()).limit(1)).first()
                    seq, prev = (int(head[0]) + 1, str(head[1])) if head else (1, GENESIS)
                    linked = entry.chained(seq, prev)
                    conn.execute(entries.insert().values(**linked.as_dict()))
                return linked
            except (IntegrityError, OperationalError) as exc:
                if isinstance(exc, OperationalError) and not _transient(exc):
                    raise LedgerError(f"cannot write ledger {self.shown}: {_reason(exc)}"
                                      ) from None
                _backoff(attempt)
            except SQLAlchemyError as exc:
                raise LedgerError(f"cannot write ledger {self.shown}: {_reason(exc)}"
                                  ) from None
        raise LedgerError(f"cannot write ledger {self.shown}: still conflicting after "
                          f"{MAX_ATTEMPTS} attempts")

    # -- reading ----------------------------------------------------------------------------

    def entries(self, **where: Any) -> Iterator[Entry]:
        """Entries in ``seq`` order, optionally filtered by column equality."""
        self.migrate()
        query = select(entries).order_by(entries.c.seq)
        for column, value in where.items():
            query = query.where(entries.c[column] == value)
        names = {f.name for f in fields(Entry)}
        try:
            with self.engine.connect() as conn:
                for row in conn.execute(query).mappings():
                    data: dict[str, Any] = {k: v for k, v in row.items() if k in names}
                    data["seq"] = int(data["seq"])
                    yield Entry(**data)
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot read ledger {self.shown}: {_reason(exc)}") from None

    def check_releases(self, model: str) -> list[tuple[int, str | None, str | None]]:
        """(seq, release, model_version) of every check of ``model``, in ``seq`` order,
        without the payloads (a check's report is tens of kilobytes)."""
        self.migrate()
        query = (select(entries.c.seq, entries.c.release, entries.c.model_version)
                 .where(entries.c.kind == "check", entries.c.model_name == model)
                 .order_by(entries.c.seq))
        try:
            with self.engine.connect() as conn:
                return [(int(r[0]), r[1], r[2]) for r in conn.execute(query)]
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot read ledger {self.shown}: {_reason(exc)}") from None

    def payloads(self, seqs: list[int]) -> dict[int, str]:
        """The payload of each entry in ``seqs``."""
        self.migrate()
        if not seqs:
            return {}
        query = select(entries.c.seq, entries.c.payload).where(entries.c.seq.in_(seqs))
        try:
            with self.engine.connect() as conn:
                return {int(r[0]): str(r[1]) for r in conn.execute(query)}
        except SQLAlchemyError as exc:
            raise LedgerError(f"cannot read ledger {self.shown}: {_reason(exc)}") from None

    def count(self) -> int:
        self.migrate()
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(entries)).scalar_one())


def _backoff(attempt: int) -> None:
    time.sleep(min(0.2, 0.005 * (attempt + 1)) * random.random())  # noqa: S311


def _transient(exc: OperationalError) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg or "serializ" in msg or "deadlock" in msg


def _reason(exc: BaseException) -> str:
    from governance.textsafe import excerpt

    orig = getattr(exc, "orig", None)
    return excerpt(orig if orig is not None else exc, 300)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun below, explicitly
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("governance_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_ledger(url: str) -> Ledger:
    return Ledger(url)


@dataclass(frozen=True)
class Reader:
    """A ledger opened by a process that must neither create nor migrate it (the PDF
    process of ``governance check``); ``ledger`` is None when there is none yet."""

    ledger: Ledger | None


def open_reader(url: str) -> Reader:
    """Open ``url`` for reading only: no folder or file is created and nothing migrated.
    LedgerError when it cannot be read by this process as it is (an in-memory database, a
    schema that is not the newest): the process that migrates it must read it."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
            raise LedgerError("an in-memory ledger is not shared with other processes")
        if not Path(parsed.database).is_file():
            return Reader(None)
    ledger = Ledger(url)
    try:
        revision = ledger.revision()
        if revision is None:
            ledger.close()
            return Reader(None)
        if revision != HEAD_REVISION:
            raise LedgerError(f"ledger {ledger.shown} has schema {revision}, not {HEAD_REVISION}")
    except BaseException:
        ledger.close()
        raise
    ledger._migrated = True  # the newest schema: nothing to do
    return Reader(ledger)
