"""Bring a database to the newest schema with Alembic."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from store.database import Database

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(database: Database, revision: str = "head") -> None:
    await _migrate(database, command.upgrade, revision)


async def downgrade(database: Database, revision: str) -> None:
    await _migrate(database, command.downgrade, revision)


async def _migrate(
    database: Database, step: Callable[[Config, str], None], revision: str
) -> None:
    """Run an Alembic command on the product's own engine, in one transaction."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        step(config, revision)

    async with database.engine.begin() as connection:
        await connection.run_sync(run)
    logger.info("database schema at %s", revision)
