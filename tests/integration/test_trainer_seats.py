"""A trainer sets the seats of a session; sign-ups follow, and never exceed them."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from card_reading import error_below

from cards import actions
from cards.common import as_payload
from dialogs.router import answer_action, answer_text
from dialogs.turn import Turn
from domain.people import Role, Staff
from domain.texts import Language
from domain.trainings import TrainingSession
from store.database import Database

pytestmark = pytest.mark.integration

NOW = datetime(2023, 1, 16, 9, tzinfo=UTC)


async def act(
    database: Database, staff: Staff, action: str, **data: Any
) -> dict[str, Any]:
    reply = await answer_action(Turn(staff, Language.NL, NOW, database), action, data)
    assert reply.card is not None, reply.text
    return as_payload(reply.card)


async def seats_of(database: Database, session: TrainingSession) -> tuple[int, int]:
    async with database.unit_of_work() as uow:
        stored = await uow.trainings.get(session.id)
    assert stored is not None
    return stored.seats, stored.taken


async def sign_up(
    database: Database, teacher: Staff, session: TrainingSession, token: str, name: str
) -> bool:
    card = await act(
        database,
        teacher,
        actions.SIGN_UP,
        session_id=session.id,
        token=token,
        name_1=name,
    )
    return str(card["body"][0]["text"]).startswith("✅")


async def test_a_trainer_gives_a_session_more_seats_and_teachers_can_fill_them(
    database, add_staff, add_session
) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])
    sanne = await add_staff("Sanne de Vries")
    session = await add_session(seats=6)
    field = f"seats_{session.id}"

    card = await act(
        database, tom, actions.SET_SEATS, session_id=session.id, page=1, **{field: "7"}
    )

    saved = "Kwaliteit (maandag 27 maart 2023 en maandag 3 april 2023) heeft nu 7 "
    assert saved + "plaatsen." in [item.get("text") for item in card["body"]]
    assert await seats_of(database, session) == (7, 0)
    signed = [
        await sign_up(database, sanne, session, f"card-{n}", f"Collega {n}")
        for n in range(8)
    ]
    assert signed == [True] * 7 + [False]


async def test_fewer_seats_than_sign_ups_is_refused_and_nothing_changes(
    database, add_staff, add_session
) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])
    sanne = await add_staff("Sanne de Vries")
    session = await add_session(seats=12)
    for n in range(8):
        assert await sign_up(database, sanne, session, f"card-{n}", f"Collega {n}")
    field = f"seats_{session.id}"

    card = await act(
        database, tom, actions.SET_SEATS, session_id=session.id, page=1, **{field: "7"}
    )

    assert error_below(card, field) == (
        "Er zijn al 8 aanmeldingen; kies 8 plaatsen of meer."
    )
    [typed] = [
        e for c in card["body"] for e in c.get("items", []) if e.get("id") == field
    ]
    assert typed["value"] == 7
    assert await seats_of(database, session) == (12, 8)


async def test_only_a_trainer_sets_seats(database, add_staff, add_session) -> None:
    sanne = await add_staff("Sanne de Vries")
    session = await add_session(seats=12)

    card = await act(
        database,
        sanne,
        actions.SET_SEATS,
        session_id=session.id,
        **{f"seats_{session.id}": "30"},
    )

    assert card["body"][0]["text"] == "Dit overzicht is er alleen voor trainers."
    assert await seats_of(database, session) == (12, 0)


@pytest.fixture
async def second_process(database_url: str) -> AsyncIterator[Database]:
    other = Database.connect(database_url)
    yield other
    await other.close()


async def test_seats_lowered_while_teachers_sign_up_are_never_exceeded(
    database, second_process, add_staff, add_session
) -> None:
    """The trainer lowers 12 seats to 6 while ten teachers sign up at once."""
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])
    teachers = [await add_staff(f"Docent {n}") for n in range(10)]
    session = await add_session(seats=12)
    field = f"seats_{session.id}"

    async def lower() -> dict[str, Any]:
        return await act(
            second_process,
            tom,
            actions.SET_SEATS,
            session_id=session.id,
            **{field: "6"},
        )

    signing = [
        sign_up(database, teacher, session, f"card-{n}", teacher.name)
        for n, teacher in enumerate(teachers)
    ]
    *signed, lowered = await asyncio.gather(*signing, lower())

    seats, taken = await seats_of(database, session)
    assert taken == sum(signed)
    if error_below(lowered, field) is None:
        # Lowered while six or fewer were in: the rest found the session full.
        assert (seats, taken) == (6, 6)
    else:
        # More than six were in before the change: refused, and all ten fit.
        assert (seats, taken) == (12, 10)


async def test_a_roster_page_past_the_last_shows_the_last(
    database, add_staff, add_session
) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])
    for day in range(1, 7):
        await add_session(f"Training {day}", [date(2023, 2, day)])

    card = await act(database, tom, actions.SHOW_ROSTER, page=99)

    shown = [item.get("text") for item in card["body"]]
    assert "Pagina 2 van 2" in shown
    assert [a["title"] for a in card["actions"]] == ["Vorige"]


async def test_a_trainer_is_helped_to_the_roster_not_to_own_sign_ups(
    database, add_staff
) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])

    reply = await answer_text(Turn(tom, Language.NL, NOW, database), "help")

    assert reply.text is not None and "**deelnemers**" in reply.text
    assert "mijn aanmeldingen" not in reply.text
    assert reply.card is not None
    menu = as_payload(reply.card)
    assert [a["data"]["action"] for a in menu["actions"]][:2] == [
        actions.SHOW_TRAININGS,
        actions.SHOW_ROSTER,
    ]


async def test_seats_saved_from_an_old_page_show_the_page_of_that_session(
    database, add_staff, add_session
) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])
    sessions = [
        await add_session(f"Training {day}", [date(2023, 2, day)])
        for day in range(1, 7)
    ]
    last = sessions[-1]

    card = await act(
        database,
        tom,
        actions.SET_SEATS,
        session_id=last.id,
        page=1,
        **{f"seats_{last.id}": "14"},
    )

    shown = [item.get("text") for item in card["body"]]
    assert "Pagina 2 van 2" in shown
    assert any(str(text).startswith("Training 6 (") for text in shown)


async def test_a_trainer_sees_the_calendar_without_sign_up_buttons(
    database, add_staff, add_session
) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])
    sanne = await add_staff("Sanne de Vries")
    await add_session("Leerroutemodel", [date(2023, 2, 2)])

    for_tom = await act(database, tom, actions.SHOW_TRAININGS)
    for_sanne = await act(database, sanne, actions.SHOW_TRAININGS)

    def sign_up_buttons(card: dict[str, Any]) -> list[str]:
        return [
            action["title"]
            for item in card["body"]
            for part in item.get("items", [])
            for action in part.get("actions", [])
            if action["title"] == "Aanmelden"
        ]

    assert sign_up_buttons(for_tom) == []
    assert sign_up_buttons(for_sanne) == ["Aanmelden"]
