"""The engines and the unit of work.

SQLite (the embedded default) runs in WAL mode with every writing transaction begun
IMMEDIATE, so two writers never read the same seat count; one writing connection per
process queues the writes in asyncio instead of in SQLite's sleeping busy handler.
PostgreSQL locks the session row with SELECT ... FOR UPDATE where seats are counted.

A unit of work that only reads (`read_only=True`) runs, on SQLite, on a query-only
connection of its own, synchronously, on the event loop's thread. WAL lets such a
reader see the last commit without waiting for any writer, so a read is as quick as
the query (tens of microseconds), where the way through the async driver and its
thread costs five times that. On PostgreSQL both kinds share one async pool.

TODO(a read that can take long, such as a report or an export): give that read a
writing-kind unit of work, or it holds up every turn while it runs.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    CursorResult,
    Engine,
    Executable,
    ScalarResult,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from store.repositories import (
    ConversationRepository,
    Parameters,
    SignUpRepository,
    StaffRepository,
    Statements,
    TrainingRepository,
    Values,
)
from store.sqlite import sqlite_engine

logger = logging.getLogger(__name__)

READING_CONNECTIONS = 3


def make_engine(url: str, **options: Any) -> AsyncEngine:
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
        return sqlite_engine(url, "BEGIN IMMEDIATE", pragmas, **options)
    options.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **options)


def make_reading_engine(url: str) -> Engine | None:
    """SQLite's query-only engine; None where the writing engine serves reads too."""
    if not url.startswith("sqlite") or ":memory:" in url or "mode=memory" in url:
        return None
    address = make_url(url).set(drivername="sqlite")
    # Never more than READING_CONNECTIONS kept; never a wait for one either, since
    # a wait on the loop's thread could only end by the loop going on.
    engine = create_engine(
        address, pool_size=READING_CONNECTIONS, max_overflow=-1, pool_timeout=0
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy, not the driver, decides when transactions begin.
        dbapi_connection.isolation_level = None
        # A reader waits only while SQLite rebuilds the WAL index after a crash,
        # and it waits on the event loop's thread: not for long.
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA query_only=ON",
            "PRAGMA busy_timeout=2000",
        ):
            dbapi_connection.execute(pragma)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred BEGIN takes its snapshot at the first read, which never waits.
        # Straight to the driver: it is no statement for SQLAlchemy to keep.
        driver = connection.connection.dbapi_connection
        assert driver is not None
        driver.execute("BEGIN")

    return engine


class OnTheLoop:
    """A synchronous connection behind the awaitable calls the repositories make.

    Each call runs at once, on the calling thread; see the module docstring.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    @property
    def dialect(self) -> Dialect:
        return self._connection.dialect

    async def execute(
        self, statement: Executable, parameters: Parameters = None
    ) -> CursorResult[Any]:
        return self._connection.execute(statement, parameters)

    async def scalar(self, statement: Executable, parameters: Values = None) -> Any:
        return self._connection.scalar(statement, parameters)

    async def scalars(
        self, statement: Executable, parameters: Values = None
    ) -> ScalarResult[Any]:
        return self._connection.scalars(statement, parameters)

    async def commit(self) -> None:
        self._connection.commit()

    def close(self) -> None:
        self._connection.close()


class Database:
    def __init__(self, engine: AsyncEngine, reading: Engine | None = None) -> None:
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
        return UnitOfWork(self.engine, self.reading if read_only else None)

    async def close(self) -> None:
        if self.reading:
            self.reading.dispose()
        await self.engine.dispose()


class UnitOfWork:
    """One transaction on one connection. Leaving without `commit()` rolls back."""

    connection: Statements
    staff: StaffRepository
    trainings: TrainingRepository
    sign_ups: SignUpRepository
    conversations: ConversationRepository

    def __init__(self, engine: AsyncEngine, reading: Engine | None) -> None:
        self._engine = engine
        self._reading = reading
        self._opened: AsyncConnection | OnTheLoop | None = None

    async def __aenter__(self) -> Self:
        if self._reading is not None:
            opened: AsyncConnection | OnTheLoop = OnTheLoop(self._reading.connect())
        else:
            opened = await self._engine.connect().start()
        self._opened = self.connection = opened
        self.staff = StaffRepository(opened)
        self.trainings = TrainingRepository(opened)
        self.sign_ups = SignUpRepository(opened)
        self.conversations = ConversationRepository(opened)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Closing a connection rolls back what it did not commit.
        opened, self._opened = self._opened, None
        if isinstance(opened, OnTheLoop):
            opened.close()
        elif opened is not None:
            await opened.close()

    async def commit(self) -> None:
        await self.connection.commit()
