"""Databases for the tests: a migrated, empty one on SQLite and on PostgreSQL.

`database` is parametrised, so a test that asks for it runs once per engine:

    database_url ──┬── sqlite:     a copy of a file migrated once per session
                   └── postgresql: `presentis_test_<time>_<random>`, created from the
                                   maintenance database once per session, migrated with
                                   Alembic, truncated before each test, dropped after

The PostgreSQL server comes from `TEST_POSTGRES_URL` (default: trust auth on
127.0.0.1). When it cannot be reached the PostgreSQL cases fail with the reason,
unless `PRESENTIS_SKIP_POSTGRES=1` asks to skip them.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from store.database import Database
from store.migrate import upgrade
from store.tables import metadata

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
TEST_DATABASE_PREFIX = "presentis_test_"
# A test database left behind by a run that was killed is dropped by a later run,
# once it is surely no longer in use.
STALE_AFTER_SECONDS = 6 * 3600
CONNECT_TIMEOUT_SECONDS = 5

_postgres_failures: list[str] = []


def postgres_maintenance_url() -> URL:
    return make_url(os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)


def postgres_skipped() -> bool:
    return os.environ.get("PRESENTIS_SKIP_POSTGRES") == "1"


def _asyncpg_dsn(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _create_postgres_database(maintenance: URL, name: str) -> None:
    connection = await asyncpg.connect(
        _asyncpg_dsn(maintenance), timeout=CONNECT_TIMEOUT_SECONDS
    )
    try:
        await _drop_stale_databases(connection)
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def _drop_stale_databases(connection: asyncpg.Connection) -> None:
    names = await connection.fetch(
        "SELECT datname FROM pg_database WHERE datname LIKE $1",
        TEST_DATABASE_PREFIX + "%",
    )
    for (name,) in names:
        created = name.removeprefix(TEST_DATABASE_PREFIX).split("_")[0]
        if created.isdigit() and time.time() - int(created) > STALE_AFTER_SECONDS:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _drop_postgres_database(maintenance: URL, name: str) -> None:
    connection = await asyncpg.connect(
        _asyncpg_dsn(maintenance), timeout=CONNECT_TIMEOUT_SECONDS
    )
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def _migrate(url: str) -> None:
    database = Database.connect(url)
    try:
        await upgrade(database)
    finally:
        await database.close()


def create_postgres_database() -> tuple[URL, str]:
    """A new, empty PostgreSQL database: (maintenance URL, its name).

    Fails the calling test, with what to do about it, when PostgreSQL is not there.
    """
    if postgres_skipped():
        pytest.skip("PostgreSQL cases skipped: PRESENTIS_SKIP_POSTGRES=1")
    if _postgres_failures:
        pytest.fail(_postgres_failures[0], pytrace=False)
    maintenance = postgres_maintenance_url()
    name = f"{TEST_DATABASE_PREFIX}{int(time.time())}_{secrets.token_hex(4)}"
    try:
        asyncio.run(_create_postgres_database(maintenance, name))
    except (
        OSError,
        TimeoutError,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
    ) as exc:
        # Said once, then repeated without waiting for another connect timeout.
        _postgres_failures.append(
            f"PostgreSQL at {maintenance.render_as_string(hide_password=True)} "
            f"cannot be used: {exc!r}. Start it, point TEST_POSTGRES_URL at a "
            "server that lets you create databases, or set PRESENTIS_SKIP_POSTGRES=1 "
            "to skip the PostgreSQL cases."
        )
        pytest.fail(_postgres_failures[0], pytrace=False)
    return maintenance, name


def drop_postgres_database(maintenance: URL, name: str) -> None:
    asyncio.run(_drop_postgres_database(maintenance, name))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database for the whole session, dropped at its end."""
    maintenance, name = create_postgres_database()
    try:
        url = maintenance.set(database=name).render_as_string(hide_password=False)
        asyncio.run(_migrate(url))
        yield url
    finally:
        drop_postgres_database(maintenance, name)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once; each test gets a copy of its own."""
    path = tmp_path_factory.mktemp("sqlite-template") / "presentis.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    # Closing the last connection checkpoints the write-ahead log into the file.
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a migrated database, once per engine."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "presentis.db"
        shutil.copyfile(template, path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    asyncio.run(_truncate_all(url))
    return url


async def _truncate_all(url: str) -> None:
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    database = Database.connect(url)
    try:
        async with database.engine.begin() as connection:
            await connection.execute(
                text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
            )
    finally:
        await database.close()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    """The product's own `Database` on an empty, migrated schema."""
    database = Database.connect(database_url)
    yield database
    await database.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a database with no tables at all, once per engine."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    maintenance, name = create_postgres_database()
    try:
        yield maintenance.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_postgres_database(maintenance, name)
