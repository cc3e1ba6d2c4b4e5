"""SQLite through aiosqlite with one trip to the driver's thread per statement.

Stock aiosqlite makes four or more trips to its thread for every statement
SQLAlchemy runs (open a cursor, execute, fetch, close), and a BEGIN, a COMMIT and a
ROLLBACK are trips of their own. Each trip is two thread switches that wait for the
GIL; on a small database they cost more than the statement. Measured with
`make bench` on one machine, the median "trainingen" turn took 20 ms on stock
aiosqlite and 7 to 11 ms with this connection.

TODO(aiosqlite>=0.23): this subclasses aiosqlite.Connection and uses its private
`_execute`, `_conn` and `_thread` (pinned below 0.23, covered by every store test);
drop it for stock aiosqlite once that batches a statement's trips itself, or when
the embedded default moves off SQLite.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from typing import Any, Self, TypeVar

import aiosqlite
from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

_T = TypeVar("_T")


def sqlite_engine(
    url: str, begin: str, pragmas: tuple[str, ...], **options: Any
) -> AsyncEngine:
    """An aiosqlite engine that takes as few trips to the driver's thread as it can.

    The connection arguments come from the URL as SQLAlchemy reads them, with the
    30 s lock timeout the store has always used.
    """
    address = make_url(url)
    arguments, keywords = address.get_dialect()().create_connect_args(address)
    keywords.setdefault("timeout", 30)

    async def connect() -> aiosqlite.Connection:
        connection = _OneTripConnection(
            partial(sqlite3.connect, *arguments, **keywords), 64
        )
        # As SQLAlchemy does for the aiosqlite connections it makes itself: a
        # connection left open must not keep the process from exiting.
        connection._thread.daemon = True
        return await connection

    engine = create_async_engine(url, async_creator=connect, **options)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        driver = connection.connection.driver_connection
        assert isinstance(driver, _OneTripConnection)
        driver.begin_with_next_statement(begin)

    return engine


class _OneTripConnection(aiosqlite.Connection):
    """aiosqlite, with one trip to its thread per statement instead of four or more.

    Each trip is two thread switches that wait for the GIL, and costs more than a
    statement on a small database. For every statement SQLAlchemy opens a cursor,
    executes, fetches all rows and closes the cursor: four trips; the cursor here
    does the four in one. The BEGIN of a transaction travels with its first
    statement, so it still precedes every read and write of the transaction (an
    IMMEDIATE one takes the write lock then); a transaction in which nothing ran
    ends without a trip, as does a rollback or commit with no transaction open.
    The same SQL runs on the same connection in the same order.
    """

    _begin: str | None = None

    def begin_with_next_statement(self, begin: str) -> None:
        self._begin = begin

    async def run(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `work` with the sqlite3 connection, in the connection's thread."""
        begin, self._begin = self._begin, None

        def begin_and_work(connection: sqlite3.Connection) -> _T:
            if begin:
                connection.execute(begin)
            return work(connection)

        return await self._execute(begin_and_work, self._conn)  # type: ignore[no-untyped-call,no-any-return]

    def cursor(self) -> _OneTripCursor:  # type: ignore[override]
        return _OneTripCursor(self)

    async def commit(self) -> None:
        self._begin = None
        if self.in_transaction:
            await self.run(lambda connection: connection.commit())

    async def rollback(self) -> None:
        self._begin = None
        if self.in_transaction:
            await self.run(lambda connection: connection.rollback())


class _OneTripCursor:
    """The part of an aiosqlite cursor SQLAlchemy uses; rows are read at once."""

    arraysize = 1

    def __init__(self, connection: _OneTripConnection) -> None:
        self._connection = connection
        self.description: Any = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Any = ()) -> Self:
        def execute(connection: sqlite3.Connection) -> tuple[Any, ...]:
            cursor = connection.cursor()
            try:
                cursor.execute(sql, parameters)
                rows = cursor.fetchall() if cursor.description else []
                return cursor.description, cursor.rowcount, cursor.lastrowid, rows
            finally:
                cursor.close()

        found = await self._connection.run(execute)
        self.description, self.rowcount, self.lastrowid, self._rows = found
        return self

    async def executemany(self, sql: str, parameters: Any) -> Self:
        def execute(connection: sqlite3.Connection) -> tuple[int, int | None]:
            cursor = connection.cursor()
            try:
                cursor.executemany(sql, parameters)
                return cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        self.description, self._rows = None, []
        self.rowcount, self.lastrowid = await self._connection.run(execute)
        return self

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = size or self.arraysize
        found, self._rows = self._rows[:count], self._rows[count:]
        return found

    async def fetchall(self) -> list[Any]:
        found, self._rows = self._rows, []
        return found

    async def close(self) -> None:
        self._rows = []
