"""Factories that put schools, staff and training sessions into the test database.

They go through the product's own repositories, so what a test arranges is what the
bot itself would have stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.people import Role, Staff
from domain.trainings import Training, TrainingSession, training_key
from store.database import Database

HORIZON = "Praktijkschool De Horizon"
ANKER = "Praktijkcollege Het Anker"

# Monday 16 January 2023, 10:00 in Amsterdam: the 2023 calendar lies ahead.
NOW = datetime(2023, 1, 16, 10, tzinfo=ZoneInfo("Europe/Amsterdam")).astimezone(UTC)

AddStaff = Callable[..., Awaitable[Staff]]
AddSession = Callable[..., Awaitable[TrainingSession]]


@pytest.fixture
def add_staff(database: Database) -> AddStaff:
    async def add(
        name: str,
        email: str | None = None,
        *,
        school: str | None = HORIZON,
        roles: Sequence[Role] = (Role.DOCENT,),
        aad_object_id: str | None = None,
    ) -> Staff:
        email = email or f"{name.lower().replace(' ', '.')}@school.example"
        async with database.unit_of_work() as uow:
            found = await uow.staff.school_named(school) if school else None
            staff = await uow.staff.save(name, email, roles, found)
            if aad_object_id:
                await uow.staff.link_aad_object_id(staff.id, aad_object_id)
            await uow.commit()
        async with database.unit_of_work() as uow:
            stored = await uow.staff.by_email(email)
        assert stored is not None
        return stored

    return add


@pytest.fixture
def add_session(database: Database) -> AddSession:
    async def add(
        title: str = "Kwaliteit",
        days: Sequence[date] = (date(2023, 3, 27), date(2023, 4, 3)),
        *,
        seats: int = 12,
    ) -> TrainingSession:
        async with database.unit_of_work() as uow:
            training_id, _ = await uow.trainings.save_training(
                Training(training_key(title), title)
            )
            session_id = await uow.trainings.add_session(training_id, days, seats)
            await uow.commit()
        assert session_id is not None
        async with database.unit_of_work() as uow:
            stored = await uow.trainings.get(session_id)
        assert stored is not None
        return stored

    return add
