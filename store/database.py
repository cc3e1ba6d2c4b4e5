"""The engine and the unit of work.

SQLite (the embedded default) runs in WAL mode with every writing transaction begun
IMMEDIATE, so two writers never read the same seat count; one writing connection per
process queues the writes in asyncio instead of in SQLite's sleeping busy handler.
A unit of work that only reads (`read_only=True`) runs on a small pool of query-only
connections that WAL lets read the last commit while the writer works, so a turn
that only looks things up does not queue behind the writes; those reads run on the
event loop's thread (see `store.sqlite`). PostgreSQL locks the
session row with SELECT ... FOR UPDATE where seats are counted; both kinds of unit of
work share its one pool.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, Self

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from store.repositories import (
    ConversationRepository,
    SignUpRepository,
    StaffRepository,
    TrainingRepository,
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


def make_reading_engine(url: str) -> AsyncEngine | None:
    """SQLite's query-only pool; None where the writing engine serves reads too."""
    if not url.startswith("sqlite") or ":memory:" in url or "mode=memory" in url:
        return None
    # A reader waits only while SQLite rebuilds the WAL index after a crash; it
    # waits on the event loop's thread here, so not for long.
    pragmas = (
        "PRAGMA journal_mode=WAL",
        "PRAGMA query_only=ON",
        "PRAGMA busy_timeout=2000",
    )
    # A deferred BEGIN takes its snapshot at the first read, which never waits.
    return sqlite_engine(
        url,
        "BEGIN",
        pragmas,
        on_the_loop=True,
        pool_size=READING_CONNECTIONS,
        max_overflow=0,
        pool_timeout=60,
    )


class Database:
    def __init__(self, engine: AsyncEngine, reading: AsyncEngine | None = None) -> None:
        self.engine = engine
        self.reading = reading
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)
        self.reading_sessions = (
            async_sessionmaker(reading, expire_on_commit=False)
            if reading
            else self.sessions
        )

    @classmethod
    def connect(cls, url: str, **options: Any) -> Database:
        return cls(make_engine(url, **options), make_reading_engine(url))

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        """A transaction; `read_only` ones may not write (SQLite refuses it)."""
        return UnitOfWork(self.reading_sessions if read_only else self.sessions)

    async def close(self) -> None:
        if self.reading:
            await self.reading.dispose()
        await self.engine.dispose()


class UnitOfWork:
    """One transaction. Leaving without `commit()` rolls everything back."""

    session: AsyncSession
    staff: StaffRepository
    trainings: TrainingRepository
    sign_ups: SignUpRepository
    conversations: ConversationRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> Self:
        self.session = self._sessions()
        self.staff = StaffRepository(self.session)
        self.trainings = TrainingRepository(self.session)
        self.sign_ups = SignUpRepository(self.session)
        self.conversations = ConversationRepository(self.session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
