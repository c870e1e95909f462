"""Ledger fixtures: a fresh ledger URL per test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ledger import pg


@pytest.fixture(autouse=True)
def _ledger_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session switches recording off for other tests; here it is on."""
    monkeypatch.delenv("GOVERNANCE_LEDGER", raising=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server URL: GOVERNANCE_TEST_PG_URL (.ci/run), else a throwaway cluster.
    In CI (CI=true) a missing server fails the tests instead of skipping them."""
    url = os.environ.get("GOVERNANCE_TEST_PG_URL")
    if url:
        yield url
        return
    cluster = pg.start()
    if cluster is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI=true and no PostgreSQL: set GOVERNANCE_TEST_PG_URL or install "
                        "the postgresql package")
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql)")
    try:
        yield cluster.url
    finally:
        cluster.stop()


def fresh_pg_database(server_url: str) -> str:
    """A new empty database on the server; its URL."""
    import sqlalchemy as sa

    name = "ledger_" + uuid.uuid4().hex[:12]
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    url = sa.engine.make_url(server_url).set(database=name)
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "ledger" / "ledger.sqlite")
    server: str = request.getfixturevalue("pg_server")
    return fresh_pg_database(server)
