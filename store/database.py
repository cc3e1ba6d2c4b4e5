"""The engine and the unit of work.

SQLite (the embedded default) runs in WAL mode with every transaction begun
IMMEDIATE, so two writers never read the same seat count; one connection per process
queues the work in asyncio instead of in SQLite's sleeping busy handler. PostgreSQL
locks the session row with SELECT ... FOR UPDATE where seats are counted.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, Self

from sqlalchemy import event
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

logger = logging.getLogger(__name__)


def make_engine(url: str, **options: Any) -> AsyncEngine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **options)
    options.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **options)


def _sqlite_engine(url: str, **options: Any) -> AsyncEngine:
    options.setdefault("pool_size", 1)
    options.setdefault("max_overflow", 0)
    options.setdefault("pool_timeout", 60)
    engine = create_async_engine(url, connect_args={"timeout": 30}, **options)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions = async_sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def connect(cls, url: str, **options: Any) -> Database:
        return cls(make_engine(url, **options))

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def unit_of_work(self) -> UnitOfWork:
        return UnitOfWork(self.sessions)

    async def close(self) -> None:
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
