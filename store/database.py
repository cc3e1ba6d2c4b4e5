"""The engines and the unit of work.

SQLite (the embedded default) runs in WAL mode with every writing transaction begun
IMMEDIATE, so two writers never read the same seat count; one writing connection per
process queues the writes in asyncio instead of in SQLite's sleeping busy handler.
A unit of work that only reads (`read_only=True`) runs on a small pool of query-only
connections, which WAL lets read the last commit while the writer works, so a turn
that only looks things up does not queue behind the writes. PostgreSQL locks the
session row with SELECT ... FOR UPDATE where seats are counted; both kinds of unit of
work share its one pool.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, Self

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from store.repositories import (
    ConversationRepository,
    SignUpRepository,
    StaffRepository,
    TrainingRepository,
)

logger = logging.getLogger(__name__)

READING_CONNECTIONS = 3


def _sqlite_engine(
    url: str, begin: str, pragmas: tuple[str, ...], **options: Any
) -> AsyncEngine:
    """An aiosqlite engine whose transactions begin with `begin`.

    SQLAlchemy's own recipe: the driver emits no BEGIN of its own, the engine emits
    ours, so an IMMEDIATE transaction takes the write lock before its first read.
    """
    engine = create_async_engine(url, **options)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql(begin)

    return engine


def make_engine(url: str, **options: Any) -> AsyncEngine:
    # Values are personal data (names, dietary wishes): an error that reaches the
    # log shows the statement, never what was in it.
    options.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        options.setdefault("pool_size", 1)
        options.setdefault("max_overflow", 0)
        options.setdefault("pool_timeout", 60)
        pragmas = (
            "PRAGMA journal_mode=WAL",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA busy_timeout=30000",
        )
        return _sqlite_engine(url, "BEGIN IMMEDIATE", pragmas, **options)
    options.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **options)


def make_reading_engine(url: str) -> AsyncEngine | None:
    """SQLite's query-only pool; None where the writing engine serves reads too."""
    if not url.startswith("sqlite") or ":memory:" in url or "mode=memory" in url:
        return None
    pragmas = (
        "PRAGMA journal_mode=WAL",
        "PRAGMA query_only=ON",
        "PRAGMA busy_timeout=30000",
    )
    # A deferred BEGIN takes its snapshot at the first read, which never waits.
    return _sqlite_engine(
        url,
        "BEGIN",
        pragmas,
        hide_parameters=True,
        pool_size=READING_CONNECTIONS,
        max_overflow=0,
        pool_timeout=60,
    )


class Database:
    def __init__(self, engine: AsyncEngine, reading: AsyncEngine | None = None) -> None:
        self.engine = engine
        self.reading = reading

    @classmethod
    def connect(cls, url: str, **options: Any) -> Database:
        return cls(make_engine(url, **options), make_reading_engine(url))

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A transaction; `read_only` ones may not write (SQLite refuses it)."""
        return UnitOfWork(self.reading if read_only and self.reading else self.engine)

    async def close(self) -> None:
        if self.reading:
            await self.reading.dispose()
        await self.engine.dispose()


class UnitOfWork:
    """One transaction on one connection. Leaving without `commit()` rolls back."""

    connection: AsyncConnection
    staff: StaffRepository
    trainings: TrainingRepository
    sign_ups: SignUpRepository
    conversations: ConversationRepository

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def __aenter__(self) -> Self:
        self.connection = await self._engine.connect().start()
        self.staff = StaffRepository(self.connection)
        self.trainings = TrainingRepository(self.connection)
        self.sign_ups = SignUpRepository(self.connection)
        self.conversations = ConversationRepository(self.connection)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Closing a connection rolls back what it did not commit.
        await self.connection.close()

    async def commit(self) -> None:
        await self.connection.commit()
