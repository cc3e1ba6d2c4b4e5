"""The Bot Framework's `Storage` on our database, so user state outlives a restart."""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import Storage
from sqlalchemy import bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from store.database import Database
from store.tables import BotStateRow

logger = logging.getLogger(__name__)

# Every turn reads state: the statement is built once and given its keys.
_READ = select(BotStateRow.key, BotStateRow.document).where(
    BotStateRow.key.in_(bindparam("keys", expanding=True))
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
            rows = await uow.session.execute(_READ, {"keys": list(keys)})
            return {str(key): document for key, document in rows}

    async def write(self, changes: dict[str, Any]) -> None:
        if not changes:
            return
        dialect = postgresql if self.database.is_postgresql else sqlite
        async with self.database.unit_of_work() as uow:
            for key, document in changes.items():
                plain = {k: v for k, v in dict(document).items() if k != "e_tag"}
                statement = dialect.insert(BotStateRow).values(key=key, document=plain)
                await uow.session.execute(
                    statement.on_conflict_do_update(
                        index_elements=["key"], set_={"document": plain}
                    )
                )
            await uow.commit()

    async def delete(self, keys: list[str]) -> None:
        async with self.database.unit_of_work() as uow:
            await uow.session.execute(
                delete(BotStateRow).where(BotStateRow.key.in_(keys))
            )
            await uow.commit()
