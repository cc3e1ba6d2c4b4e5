"""Many people signing up at the same moment, through the bot's own sign-up flow.

Each caller has an engine of its own on the same database, as separate bot processes
would: SQLite has to serialise them with its file lock (BEGIN IMMEDIATE), PostgreSQL
with the row lock on the session (SELECT ... FOR UPDATE).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from card_reading import error_below
from sqlalchemy import Table, func, select

from cards.common import as_payload
from dialogs.trainings import sign_up
from dialogs.turn import Reply, Turn
from domain.people import Staff
from domain.texts import Language, say
from domain.trainings import name_field
from store.database import Database
from store.tables import sign_up_requests, sign_ups

pytestmark = pytest.mark.integration

PROCESSES = 4
SCHOOLS = (
    "Praktijkschool De Horizon",
    "Praktijkcollege Het Anker",
    "Praktijkschool De Brug",
    "Het Praktijkcollege Oost",
)
NOW = datetime(2023, 1, 16, 9, tzinfo=UTC)


@pytest.fixture
async def processes(database_url: str) -> AsyncIterator[list[Database]]:
    """Separate engines on one database, like several bot processes."""
    engines = [Database.connect(database_url) for _ in range(PROCESSES)]
    yield engines
    await asyncio.gather(*(engine.close() for engine in engines))


@dataclass(frozen=True)
class Outcome:
    """What one submit of a sign-up card showed its sender."""

    staff: Staff
    token: str
    names: tuple[str, ...]
    reply: Reply

    @property
    def card(self) -> dict[str, Any]:
        assert self.reply.card is not None
        return as_payload(self.reply.card)

    @property
    def accepted(self) -> bool:
        return self.card["body"][0]["text"] == f"✅ {say(Language.NL, 'signup.done')}"

    def error_below(self, field: str) -> str | None:
        return error_below(self.card, field)


async def submit_all(
    staff: Sequence[Staff],
    session_id: int,
    engines: Sequence[Database],
    names_of: Callable[[int, Staff], tuple[str, ...]],
    token_of: Callable[[int], str] = lambda number: f"card-{number}",
) -> list[Outcome]:
    """Every staff member submits a sign-up card at the same time."""

    async def submit(number: int, person: Staff) -> Outcome:
        names = names_of(number, person)
        turn = Turn(person, Language.NL, NOW, engines[number % len(engines)])
        form = {name_field(row): name for row, name in enumerate(names, start=1)}
        data = {"session_id": session_id, "token": token_of(number), **form}
        reply = await sign_up(turn, data)
        return Outcome(person, token_of(number), names, reply)

    return list(
        await asyncio.gather(*(submit(n, person) for n, person in enumerate(staff)))
    )


def not_enough(left: int, asked: int) -> str:
    if left == 0:
        return say(Language.NL, "signup.full")
    return say(Language.NL, "signup.not_enough_seats", left=left, asked=asked)


async def stored_names(database: Database, session_id: int) -> Counter[str]:
    async with database.unit_of_work() as uow:
        active = await uow.sign_ups.of_session(session_id)
    return Counter(f"{s.school_name}/{s.participant.name}" for s in active)


async def count(database: Database, table: Table) -> int:
    async with database.unit_of_work() as uow:
        return int(await uow.connection.scalar(select(func.count()).select_from(table)))


async def teachers(add_staff, how_many: int) -> list[Staff]:
    return [
        await add_staff(f"Docent {number:02d}", school=SCHOOLS[number % len(SCHOOLS)])
        for number in range(how_many)
    ]


async def test_twenty_teachers_at_once_fill_twelve_seats_and_no_more(
    database, processes, add_staff, add_session
) -> None:
    session = await add_session(seats=12)
    staff = await teachers(add_staff, 20)

    outcomes = await submit_all(
        staff, session.id, processes, lambda _, person: (person.name,)
    )

    accepted = [o for o in outcomes if o.accepted]
    refused = [o for o in outcomes if not o.accepted]
    assert len(accepted) == 12
    assert len(refused) == 8
    for outcome in refused:
        assert outcome.error_below("name_1") == not_enough(left=0, asked=1)
    assert await stored_names(database, session.id) == Counter(
        f"{o.staff.school.name}/{o.staff.name}" for o in accepted if o.staff.school
    )
    assert await count(database, sign_up_requests) == 12
    async with database.unit_of_work() as uow:
        for outcome in accepted:
            stored = await uow.sign_ups.of_request(outcome.token, outcome.staff.id)
            assert [s.participant.name for s in stored] == list(outcome.names)
        after = await uow.trainings.get(session.id)
    assert after is not None and after.taken == 12 and after.seats_left == 0


async def test_groups_of_different_sizes_never_overfill_a_session(
    database, processes, add_staff, add_session
) -> None:
    session = await add_session(seats=12)
    staff = await teachers(add_staff, 20)

    def group(number: int, person: Staff) -> tuple[str, ...]:
        size = 1 + number % 3
        return tuple(f"{person.name} collega {seat}" for seat in range(size))

    outcomes = await submit_all(staff, session.id, processes, group)

    accepted = [o for o in outcomes if o.accepted]
    refused = [o for o in outcomes if not o.accepted]
    stored = await stored_names(database, session.id)
    after_taken = sum(stored.values())
    assert after_taken <= 12
    assert after_taken == sum(len(o.names) for o in accepted)
    assert max(stored.values()) == 1
    assert set(stored) == {
        f"{o.staff.school.name}/{name}"
        for o in accepted
        for name in o.names
        if o.staff.school
    }
    # Seats only run out: nobody was refused while their group would have fit, and
    # the refusal sits below the first name that did not fit.
    for outcome in refused:
        asked = len(outcome.names)
        errors = [
            (row, outcome.error_below(name_field(row))) for row in range(1, asked + 1)
        ]
        [(row, message)] = [(row, text) for row, text in errors if text]
        left = 12 - after_taken
        seen_left = next(n for n in range(12) if message == not_enough(n, asked))
        assert left <= seen_left < asked
        assert row == seen_left + 1
    assert await count(database, sign_up_requests) == len(accepted)


async def test_a_card_submitted_several_times_at_once_signs_up_once(
    database, processes, add_staff, add_session
) -> None:
    session = await add_session(seats=12)
    sanne = await add_staff("Sanne de Vries")
    names = ("Sanne de Vries", "Noah Visser")

    outcomes = await submit_all(
        [sanne] * 5,
        session.id,
        processes,
        lambda *_: names,
        token_of=lambda _: "one-card",
    )

    assert all(o.accepted for o in outcomes)
    for outcome in outcomes:
        listed = [
            fact["value"]
            for item in outcome.card["body"]
            for fact in item.get("facts", [])
            if fact["title"] == say(Language.NL, "signup.participants")
        ]
        assert listed == [", ".join(names)]
    assert await stored_names(database, session.id) == Counter(
        f"Praktijkschool De Horizon/{name}" for name in names
    )
    assert await count(database, sign_up_requests) == 1
    assert await count(database, sign_ups) == 2


async def test_two_colleagues_signing_up_the_same_person_at_once_store_one(
    database, processes, add_staff, add_session
) -> None:
    session = await add_session(seats=12)
    sanne = await add_staff("Sanne de Vries")
    noah = await add_staff("Noah Visser")

    outcomes = await submit_all(
        [sanne, noah], session.id, processes, lambda *_: ("Eva Jansen",)
    )

    accepted = [o for o in outcomes if o.accepted]
    refused = [o for o in outcomes if not o.accepted]
    assert len(accepted) == 1
    assert [o.error_below("name_1") for o in refused] == [
        say(Language.NL, "signup.already_signed_up", name="Eva Jansen")
    ]
    assert await stored_names(database, session.id) == Counter(
        ["Praktijkschool De Horizon/Eva Jansen"]
    )
