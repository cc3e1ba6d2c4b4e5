"""A teacher's way through the trainings flows, by card action, on a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cards import actions
from cards.common import as_payload
from dialogs.router import answer_action
from dialogs.turn import Reply, Turn
from domain.calendar_text import read_calendar
from domain.people import Role, Staff
from domain.texts import Language
from store.calendar import import_calendar
from store.database import Database

pytestmark = pytest.mark.integration

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DATA = Path(__file__).resolve().parents[2] / "data"


def amsterdam(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2023, month, day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


def card_of(reply: Reply) -> dict[str, Any]:
    assert reply.card is not None, reply.text
    return as_payload(reply.card)


def texts(card: dict[str, Any]) -> list[str]:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "value", "title"):
                if isinstance(node.get(key), str):
                    found.append(node[key].replace("\xa0", " "))
            for key, value in node.items():
                if key != "data":
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return found


async def act(
    database: Database, staff: Staff, now: datetime, action: str, **data: Any
) -> dict[str, Any]:
    turn = Turn(staff, Language.NL, now, database)
    return card_of(await answer_action(turn, action, data))


async def submit_sign_up(
    database: Database,
    staff: Staff,
    now: datetime,
    session_id: int,
    token: str,
    **fields: str,
) -> dict[str, Any]:
    """The sign-up card sent with its token and what was typed in it."""
    return await act(
        database,
        staff,
        now,
        actions.SIGN_UP,
        session_id=session_id,
        token=token,
        **fields,
    )


async def active_names(database: Database, session_id: int) -> list[str]:
    async with database.unit_of_work() as uow:
        return [s.participant.name for s in await uow.sign_ups.of_session(session_id)]


async def test_cancelling_works_until_23_59_on_the_last_day_and_not_after(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    kwaliteit = await add_session("Kwaliteit", [date(2023, 3, 27), date(2023, 4, 3)])
    for token, name in (("card-1", "Eva Jansen"), ("card-2", "Noah Visser")):
        await submit_sign_up(
            database,
            sanne,
            amsterdam(1, 16, 10),
            kwaliteit.id,
            token,
            name_1=name,
        )
    async with database.unit_of_work() as uow:
        [eva] = await uow.sign_ups.of_request("card-1", sanne.id)
        [noah] = await uow.sign_ups.of_request("card-2", sanne.id)

    in_time = await act(
        database,
        sanne,
        amsterdam(3, 13, 23, 59),
        actions.CANCEL_SIGN_UP,
        sign_up_id=eva.id,
    )
    too_late = await act(
        database,
        sanne,
        amsterdam(3, 14, 0, 0),
        actions.CANCEL_SIGN_UP,
        sign_up_id=noah.id,
    )

    assert "Aanmelding van Eva Jansen voor Kwaliteit is geannuleerd." in texts(in_time)
    assert any(
        text.startswith("Annuleren kon tot en met maandag 13 maart 2023.")
        for text in texts(too_late)
    )
    assert await active_names(database, kwaliteit.id) == ["Noah Visser"]


async def test_a_form_with_errors_comes_back_with_the_typed_values(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    session = await add_session("Leerroutemodel", [date(2023, 2, 2)])

    card = await submit_sign_up(
        database,
        sanne,
        amsterdam(1, 16, 10),
        session.id,
        "card-1",
        name_1="Sanne de Vries",
        diet_1="vegetarisch",
        name_2="",
        diet_2="halal",
    )

    inputs = {
        element["id"]: element.get("value")
        for container in card["body"]
        for element in container.get("items", [])
        if element.get("type") == "Input.Text"
    }
    assert inputs["name_1"] == "Sanne de Vries"
    assert inputs["diet_1"] == "vegetarisch"
    assert inputs["diet_2"] == "halal"
    assert "Vul de naam in bij deze dieetwens." in texts(card)
    assert await active_names(database, session.id) == []


async def test_signing_up_for_a_session_that_began_is_refused(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    session = await add_session("Leerroutemodel", [date(2023, 2, 2)])

    card = await submit_sign_up(
        database,
        sanne,
        amsterdam(2, 2, 0, 0),
        session.id,
        "card-1",
        name_1="Sanne de Vries",
    )

    assert any("de training is al begonnen" in text for text in texts(card))
    assert await active_names(database, session.id) == []


async def test_a_trainer_cannot_sign_anyone_up(
    database, add_staff, add_session
) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])
    session = await add_session("Leerroutemodel", [date(2023, 2, 2)])

    card = await submit_sign_up(
        database,
        tom,
        amsterdam(1, 16, 10),
        session.id,
        "card-1",
        name_1="Tom Bakker",
    )

    assert "Aanmelden gaat via een medewerker van een school." in texts(card)
    assert await active_names(database, session.id) == []


async def test_a_trainer_asking_for_own_sign_ups_is_told_there_are_none(
    database, add_staff
) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])

    card = await act(database, tom, amsterdam(1, 16, 10), actions.SHOW_MY_SIGN_UPS)

    assert texts(card) == [
        "Als medewerker van Presentis heb je geen eigen aanmeldingen."
    ]


async def test_an_old_page_button_still_shows_the_trainings_that_are_planned(
    database, add_staff
) -> None:
    sanne = await add_staff("Sanne de Vries")
    await import_calendar(
        database,
        read_calendar(
            (DATA / "trainingskalender-2023.txt").read_text(encoding="utf-8"),
            (DATA / "trainingen-2023-aankondiging.txt").read_text(encoding="utf-8"),
        ),
    )
    # In January the calendar had four pages; by May two are left.
    may = amsterdam(5, 1, 9)

    card = await act(database, sanne, may, actions.SHOW_TRAININGS, page=4)

    assert "Er staan geen trainingen gepland." not in texts(card)
    assert "Start nieuwe schooljaar" in texts(card)


async def test_a_form_is_not_opened_for_a_full_or_started_session(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    session = await add_session("Leerroutemodel", [date(2023, 2, 2)], seats=6)
    for seat in range(6):
        await submit_sign_up(
            database,
            sanne,
            amsterdam(1, 16, 10),
            session.id,
            f"card-{seat}",
            name_1=f"Collega {seat}",
        )

    full = await act(
        database,
        sanne,
        amsterdam(1, 16, 11),
        actions.OPEN_SIGN_UP,
        session_id=session.id,
    )
    started = await act(
        database,
        sanne,
        amsterdam(2, 2, 9),
        actions.OPEN_SIGN_UP,
        session_id=session.id,
    )

    assert texts(full) == ["Deze training is inmiddels vol."]
    assert texts(started) == [
        "Aanmelden voor deze training kan niet meer: de training is al begonnen."
    ]


async def test_a_colleague_cannot_cancel_a_sign_up_that_is_not_theirs(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    noah = await add_staff("Noah Visser")
    session = await add_session("Leerroutemodel", [date(2023, 2, 2)])
    await submit_sign_up(
        database,
        sanne,
        amsterdam(1, 16, 10),
        session.id,
        "card-1",
        name_1="Sanne de Vries",
        name_2="Noah Visser",
    )
    async with database.unit_of_work() as uow:
        stored = await uow.sign_ups.of_session(session.id)
    ids = {s.participant.name: s.id for s in stored}

    refused = await act(
        database,
        noah,
        amsterdam(1, 16, 11),
        actions.CANCEL_SIGN_UP,
        sign_up_id=ids["Sanne de Vries"],
    )
    his_own = await act(
        database,
        noah,
        amsterdam(1, 16, 11),
        actions.CANCEL_SIGN_UP,
        sign_up_id=ids["Noah Visser"],
    )

    assert texts(refused) == [
        "Deze aanmelding kan alleen annuleren wie haar deed of wie aangemeld is."
    ]
    assert "Aanmelding van Noah Visser voor Leerroutemodel is geannuleerd." in texts(
        his_own
    )
    assert await active_names(database, session.id) == ["Sanne de Vries"]


async def test_a_two_day_session_stays_listed_between_its_two_days(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])
    session = await add_session(
        "Handelingsgericht en planmatig werken", [date(2023, 2, 16), date(2023, 6, 8)]
    )
    await submit_sign_up(
        database,
        sanne,
        amsterdam(1, 16, 10),
        session.id,
        "card-1",
        name_1="Sanne de Vries",
        diet_1="glutenvrij",
    )
    between = amsterdam(2, 17, 10)

    mine = await act(database, sanne, between, actions.SHOW_MY_SIGN_UPS)
    roster = await act(database, tom, between, actions.SHOW_ROSTER)
    after = await act(database, sanne, amsterdam(6, 9, 10), actions.SHOW_MY_SIGN_UPS)

    assert "Handelingsgericht en planmatig werken: Sanne de Vries" in texts(mine)
    assert "glutenvrij" in " ".join(
        run["text"]
        for block in roster["body"]
        for item in block.get("items", [])
        for run in item.get("inlines", [])
    )
    assert "Je hebt geen aanmeldingen voor komende trainingen." in texts(after)


async def test_a_replayed_card_shows_only_who_is_still_signed_up(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    session = await add_session("Leerroutemodel", [date(2023, 2, 2)])
    card = {
        "session_id": session.id,
        "token": "card-1",
        "name_1": "Sanne de Vries",
        "name_2": "Noah Visser",
    }
    now = amsterdam(1, 16, 10)
    await act(database, sanne, now, actions.SIGN_UP, **card)
    async with database.unit_of_work() as uow:
        stored = {
            s.participant.name: s.id for s in await uow.sign_ups.of_session(session.id)
        }
    await act(
        database, sanne, now, actions.CANCEL_SIGN_UP, sign_up_id=stored["Noah Visser"]
    )

    one_left = await act(database, sanne, now, actions.SIGN_UP, **card)
    await act(
        database,
        sanne,
        now,
        actions.CANCEL_SIGN_UP,
        sign_up_id=stored["Sanne de Vries"],
    )
    none_left = await act(database, sanne, now, actions.SIGN_UP, **card)

    assert "1 deelnemer aangemeld voor Leerroutemodel. Totaal: € 250,00." in texts(
        one_left
    )
    assert "Noah Visser" not in " ".join(texts(one_left))
    assert texts(none_left) == [
        "Wie je met deze kaart aanmeldde, is inmiddels geannuleerd. Opnieuw "
        "aanmelden gaat via Trainingen bekijken."
    ]
    assert await active_names(database, session.id) == []


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (actions.CANCEL_SIGN_UP, "sign_up_id"),
        (actions.OPEN_SIGN_UP, "session_id"),
        (actions.SIGN_UP, "session_id"),
    ],
)
async def test_an_id_no_database_holds_gets_an_answer_not_a_failure(
    database, add_staff, action: str, field: str
) -> None:
    sanne = await add_staff("Sanne de Vries")

    card = await act(
        database,
        sanne,
        amsterdam(1, 16, 10),
        action,
        token="card-1",
        name_1="Sanne de Vries",
        **{field: 10**20},
    )

    assert texts(card) == ["Deze kaart is verouderd. Vraag een nieuwe op."]
