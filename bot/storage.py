"""The Bot Framework's `Storage` on our database, so user state outlives a restart."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import Storage
from sqlalchemy import bindparam, delete, select

from store.database import Database
from store.repositories import upsert
from store.tables import bot_state

logger = logging.getLogger(__name__)

# Every turn reads state: the statement is built once and given its keys.
_READ = select(bot_state.c.key, bot_state.c.document).where(
    bot_state.c.key.in_(bindparam("keys", expanding=True))
)


class DatabaseStorage(Storage):  # type: ignore[misc]
    """Keeps each state document as JSON in `bot_state`, last writer wins.

    State here is plain data (a language, later dialog stacks saved as dicts);
    e-tags are not checked until a flow needs optimistic concurrency.
    """

    def __init__(self, database: Database) -> None:
        self.database = database

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        async with self.database.unit_of_work(read_only=True) as uow:
            rows = await uow.connection.execute(_READ, {"keys": list(keys)})
            return {str(row.key): row.document for row in rows}

    async def write(self, changes: dict[str, Any]) -> None:
        if not changes:
            return
        async with self.database.unit_of_work() as uow:
            for key, document in changes.items():
                plain = {k: v for k, v in dict(document).items() if k != "e_tag"}
                statement = upsert(uow.connection, bot_state).values(
                    key=key, document=plain
                )
                await uow.connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=["key"], set_={"document": plain}
                    )
                )
            await uow.commit()

    async def delete(self, keys: list[str]) -> None:
        async with self.database.unit_of_work() as uow:
            await uow.connection.execute(
                delete(bot_state).where(bot_state.c.key.in_(keys))
            )
            await uow.commit()
