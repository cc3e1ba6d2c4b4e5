"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from store.database import Database
from store.migrate import alembic_config, downgrade, upgrade
from store.tables import metadata

pytestmark = pytest.mark.integration

HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def schema_differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return list(compare_metadata(context, metadata))


def schema_state(connection: Connection) -> tuple[set[str], str | None]:
    tables = set(inspect(connection).get_table_names())
    return tables, MigrationContext.configure(connection).get_current_revision()


async def test_upgrading_an_empty_database_builds_the_models_schema(
    empty_database_url: str,
) -> None:
    database = Database.connect(empty_database_url)
    try:
        async with database.engine.connect() as connection:
            before = await connection.run_sync(schema_state)

        await upgrade(database)

        async with database.engine.connect() as connection:
            after = await connection.run_sync(schema_state)
            differences = await connection.run_sync(schema_differences)
    finally:
        await database.close()

    assert before == (set(), None)
    assert after == ({*metadata.tables, "alembic_version"}, HEAD)
    assert differences == []


async def test_upgrading_twice_changes_nothing(empty_database_url: str) -> None:
    database = Database.connect(empty_database_url)
    try:
        await upgrade(database)

        await upgrade(database)

        async with database.engine.connect() as connection:
            tables, revision = await connection.run_sync(schema_state)
            differences = await connection.run_sync(schema_differences)
    finally:
        await database.close()

    assert revision == HEAD
    assert tables == {*metadata.tables, "alembic_version"}
    assert differences == []


async def test_the_migrations_go_down_to_nothing_and_up_again(
    empty_database_url: str,
) -> None:
    database = Database.connect(empty_database_url)
    try:
        await upgrade(database)

        await downgrade(database, "base")
        async with database.engine.connect() as connection:
            emptied = await connection.run_sync(schema_state)
        await upgrade(database)
        async with database.engine.connect() as connection:
            differences = await connection.run_sync(schema_differences)
    finally:
        await database.close()

    assert emptied == ({"alembic_version"}, None)
    assert differences == []


async def test_sessions_stored_before_their_last_day_was_kept_get_it(
    empty_database_url: str,
) -> None:
    database = Database.connect(empty_database_url)
    try:
        await upgrade(database, "0001")
        async with database.engine.begin() as connection:
            await connection.execute(
                text("INSERT INTO trainings (id, key, title) VALUES (1, 'k', 'K')")
            )
            await connection.execute(
                text(
                    "INSERT INTO training_sessions (id, training_id, first_day, days, "
                    "seats) VALUES (1, 1, :first, :days, 12)"
                ),
                {"first": date(2023, 3, 27), "days": '["2023-03-27", "2023-04-03"]'},
            )

        await upgrade(database)

        async with database.unit_of_work() as uow:
            still_to_come, _ = await uow.trainings.upcoming(date(2023, 4, 1))
        async with database.engine.connect() as connection:
            last_day = await connection.scalar(
                text("SELECT last_day FROM training_sessions WHERE id = 1")
            )
    finally:
        await database.close()

    assert str(last_day) == "2023-04-03"
    assert [session.days for session in still_to_come] == [
        (date(2023, 3, 27), date(2023, 4, 3))
    ]
