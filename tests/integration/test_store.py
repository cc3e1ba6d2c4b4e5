"""The repositories and the bot's state storage, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Table, func, select
from sqlalchemy.exc import IntegrityError

from bot.demo import PLAYGROUND_USER, TRAINER_USER, load_demo
from bot.storage import DatabaseStorage
from domain.people import Role
from domain.trainings import Participant, TrainingSession
from store.database import Database
from store.tables import sign_up_requests, sign_ups

pytestmark = pytest.mark.integration

HORIZON = "Praktijkschool De Horizon"
ANKER = "Praktijkcollege Het Anker"
NOW = datetime(2023, 1, 16, 9, tzinfo=UTC)


async def add_sign_up(
    database: Database,
    session: TrainingSession,
    staff_id: int,
    school_id: int,
    names: list[str],
    token: str,
    diet: str | None = None,
) -> None:
    async with database.unit_of_work() as uow:
        await uow.sign_ups.add(
            token,
            session.id,
            school_id,
            staff_id,
            [Participant(name, diet) for name in names],
            NOW,
        )
        await uow.commit()


async def session_now(database: Database, session_id: int) -> TrainingSession:
    async with database.unit_of_work() as uow:
        found = await uow.trainings.get(session_id)
    assert found is not None
    return found


async def count(database: Database, table: Table) -> int:
    async with database.unit_of_work() as uow:
        return int(await uow.connection.scalar(select(func.count()).select_from(table)))


# Staff


async def test_staff_is_found_by_entra_object_id(database, add_staff) -> None:
    sanne = await add_staff("Sanne de Vries", aad_object_id="aad-sanne")
    await add_staff("Eva Jansen", school=ANKER, aad_object_id="aad-eva")

    async with database.unit_of_work() as uow:
        found = await uow.staff.by_aad_object_id("aad-sanne")
        nobody = await uow.staff.by_aad_object_id("aad-unknown")

    assert found == sanne
    assert found is not None and found.school is not None
    assert found.school.name == HORIZON
    assert found.roles == frozenset({Role.DOCENT})
    assert nobody is None


async def test_staff_is_found_by_email_whatever_its_case(database, add_staff) -> None:
    sanne = await add_staff("Sanne de Vries", "sanne.devries@horizon.example")

    async with database.unit_of_work() as uow:
        shouted = await uow.staff.by_email("  Sanne.DeVries@HORIZON.example ")
        other = await uow.staff.by_email("sanne.devries@anker.example")

    assert shouted == sanne
    assert other is None


async def test_an_email_with_a_capital_beyond_ascii_is_found_and_saved_again(
    database, add_staff
) -> None:
    # SQLite's lower() folds ASCII letters only; Python's folds "Ö" as well.
    address = "Özlem.Yildiz@Horizon.example"
    ozlem = await add_staff("Özlem Yıldız", address)

    again = await add_staff("Özlem Yıldız-Bakker", address)
    async with database.unit_of_work() as uow:
        exact = await uow.staff.by_email(address)
        ascii_case = await uow.staff.by_email("Özlem.YILDIZ@horizon.EXAMPLE")

    assert again.id == ozlem.id
    assert exact is not None and exact.id == ozlem.id
    assert exact.name == "Özlem Yıldız-Bakker"
    assert ascii_case is not None and ascii_case.id == ozlem.id


async def test_a_trainer_has_no_school(database, add_staff) -> None:
    tom = await add_staff("Tom Bakker", school=None, roles=[Role.TRAINER])

    assert tom.school is None
    assert tom.is_trainer and tom.is_vendor


async def test_linking_an_entra_id_moves_it_from_whoever_had_it(
    database, add_staff
) -> None:
    old = await add_staff("Sanne de Vries", aad_object_id="aad-shared")
    new = await add_staff("Sanne de Vries-Bakker", "sanne.bakker@horizon.example")

    async with database.unit_of_work() as uow:
        await uow.staff.link_aad_object_id(new.id, "aad-shared")
        await uow.commit()
    async with database.unit_of_work() as uow:
        linked = await uow.staff.by_aad_object_id("aad-shared")
        before = await uow.staff.by_email(old.email)

    assert linked is not None and linked.id == new.id
    assert before is not None and before.aad_object_id is None


# Sessions


async def test_upcoming_sessions_come_soonest_first_in_pages(
    database, add_session
) -> None:
    await add_session("Leerroutemodel", [date(2023, 1, 12)])
    days = [date(2023, 1, 16) + timedelta(days=7 * week) for week in range(7)]
    for number, day in enumerate(reversed(days)):
        await add_session(f"Training {number}", [day])

    async with database.unit_of_work() as uow:
        first, total = await uow.trainings.upcoming(date(2023, 1, 16), 0, 5)
        second, total_again = await uow.trainings.upcoming(date(2023, 1, 16), 5, 5)

    assert total == total_again == 7
    assert [s.first_day for s in first] == days[:5]
    assert [s.first_day for s in second] == days[5:]


async def test_seat_counts_leave_out_cancelled_sign_ups(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    assert sanne.school is not None
    session = await add_session(seats=12)
    await add_sign_up(
        database, session, sanne.id, sanne.school.id, ["Jan", "Eva", "Noah"], "t1"
    )
    async with database.unit_of_work() as uow:
        [first, *_] = await uow.sign_ups.of_session(session.id)
        await uow.sign_ups.cancel(first.id, NOW)
        await uow.commit()

    async with database.unit_of_work() as uow:
        upcoming, _ = await uow.trainings.upcoming(date(2023, 1, 16))
    again = await session_now(database, session.id)

    assert [(s.id, s.taken, s.seats_left) for s in upcoming] == [(session.id, 2, 10)]
    assert (again.taken, again.seats_left) == (2, 10)
    assert again.days == (date(2023, 3, 27), date(2023, 4, 3))


# Sign-ups


async def test_a_sign_up_is_stored_once_per_card_token(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    assert sanne.school is not None
    session = await add_session()
    await add_sign_up(
        database, session, sanne.id, sanne.school.id, ["Sanne de Vries"], "card-1"
    )

    with pytest.raises(IntegrityError):
        await add_sign_up(
            database, session, sanne.id, sanne.school.id, ["Eva Jansen"], "card-1"
        )
    async with database.unit_of_work() as uow:
        author = await uow.sign_ups.request_author("card-1")
        nobody = await uow.sign_ups.request_author("card-2")
        stored = await uow.sign_ups.of_request("card-1", sanne.id)
        shown_to_another = await uow.sign_ups.of_request("card-1", sanne.id + 1)

    assert author == sanne.id and nobody is None
    assert shown_to_another == []
    assert [s.participant.name for s in stored] == ["Sanne de Vries"]
    assert await count(database, sign_ups) == 1
    assert await count(database, sign_up_requests) == 1


async def test_the_same_participant_cannot_be_signed_up_twice_in_a_session(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    assert sanne.school is not None
    session = await add_session()
    await add_sign_up(
        database, session, sanne.id, sanne.school.id, ["Eva Jansen"], "card-1"
    )

    with pytest.raises(IntegrityError) as refused:
        await add_sign_up(
            database,
            session,
            sanne.id,
            sanne.school.id,
            [" eva  JANSEN"],
            "card-2",
            diet="zonder varkensvlees",
        )

    assert (await session_now(database, session.id)).taken == 1
    # What a log would carry of the error: the statement, not its values.
    logged = str(refused.value)
    assert "INSERT INTO sign_ups" in logged
    assert "JANSEN" not in logged
    assert "varkensvlees" not in logged


async def test_the_same_name_may_come_from_another_school_or_to_another_session(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    eva = await add_staff("Eva Jansen", school=ANKER)
    assert sanne.school is not None and eva.school is not None
    session = await add_session()
    other = await add_session("Rooster", [date(2023, 3, 15), date(2023, 3, 16)])

    await add_sign_up(database, session, sanne.id, sanne.school.id, ["Jan"], "c1")
    await add_sign_up(database, session, eva.id, eva.school.id, ["Jan"], "c2")
    await add_sign_up(database, other, sanne.id, sanne.school.id, ["Jan"], "c3")

    assert (await session_now(database, session.id)).taken == 2
    assert (await session_now(database, other.id)).taken == 1


async def test_a_cancelled_participant_may_sign_up_again(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    assert sanne.school is not None
    session = await add_session()
    await add_sign_up(database, session, sanne.id, sanne.school.id, ["Jan"], "c1")
    async with database.unit_of_work() as uow:
        [first] = await uow.sign_ups.of_request("c1", sanne.id)
        await uow.sign_ups.cancel(first.id, NOW)
        await uow.commit()

    await add_sign_up(database, session, sanne.id, sanne.school.id, ["Jan"], "c2")

    async with database.unit_of_work() as uow:
        active = await uow.sign_ups.of_session(session.id)
        keys = await uow.sign_ups.active_participant_keys(session.id, sanne.school.id)
        cancelled = await uow.sign_ups.get(first.id)
    assert [s.id for s in active] != [first.id]
    assert [s.participant.name for s in active] == ["Jan"]
    assert keys == {"jan"}
    assert cancelled is not None and cancelled.cancelled_at is not None
    assert await count(database, sign_ups) == 2


async def test_cancelling_takes_the_sign_up_out_of_every_list(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    assert sanne.school is not None
    session = await add_session()
    await add_sign_up(
        database, session, sanne.id, sanne.school.id, ["Jan", "Eva"], "c1"
    )
    async with database.unit_of_work() as uow:
        jan, eva = await uow.sign_ups.of_request("c1", sanne.id)

    async with database.unit_of_work() as uow:
        await uow.sign_ups.cancel(jan.id, NOW)
        await uow.commit()

    async with database.unit_of_work() as uow:
        of_session = await uow.sign_ups.of_session(session.id)
        of_school = await uow.sign_ups.of_school(sanne.school.id, date(2023, 1, 16))
        keys = await uow.sign_ups.active_participant_keys(session.id, sanne.school.id)
        cancelled = await uow.sign_ups.get(jan.id)
    assert [s.id for s in of_session] == [eva.id]
    assert [item.sign_up.participant.name for item in of_school] == ["Eva"]
    assert [item.session.taken for item in of_school] == [1]
    assert keys == {"eva"}
    assert cancelled is not None and cancelled.cancelled_at is not None


async def test_a_schools_sign_ups_leave_out_past_sessions_and_other_schools(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    eva = await add_staff("Eva Jansen", school=ANKER)
    assert sanne.school is not None and eva.school is not None
    past = await add_session("Leerroutemodel", [date(2023, 1, 12)])
    coming = await add_session()
    await add_sign_up(database, past, sanne.id, sanne.school.id, ["Jan"], "c1")
    await add_sign_up(database, coming, sanne.id, sanne.school.id, ["Jan"], "c2")
    await add_sign_up(database, coming, eva.id, eva.school.id, ["Eva"], "c3")

    async with database.unit_of_work() as uow:
        found = await uow.sign_ups.of_school(sanne.school.id, date(2023, 1, 16))

    assert [(i.session.id, i.sign_up.school_name) for i in found] == [
        (coming.id, HORIZON)
    ]


async def test_dietary_wishes_are_removed_only_after_sessions_ended_long_enough(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    assert sanne.school is not None
    cutoff = date(2023, 5, 1)
    ended_before = await add_session("Leerroutemodel", [date(2023, 4, 30)])
    ends_on_cutoff = await add_session("Rooster", [date(2023, 4, 30), cutoff])
    second_day_later = await add_session(
        "Handelingsgericht", [date(2023, 2, 16), date(2023, 6, 8)]
    )
    coming = await add_session("Start nieuwe schooljaar", [date(2023, 6, 15)])
    for number, session in enumerate(
        (ended_before, ends_on_cutoff, second_day_later, coming)
    ):
        await add_sign_up(
            database,
            session,
            sanne.id,
            sanne.school.id,
            ["Jan"],
            f"c{number}",
            diet="glutenvrij",
        )
    removed_at = datetime(2023, 5, 2, 3, tzinfo=UTC)

    async with database.unit_of_work() as uow:
        removed = await uow.sign_ups.remove_dietary_wishes(cutoff, removed_at)
        await uow.commit()

    async with database.unit_of_work() as uow:
        rows = await uow.connection.execute(
            select(
                sign_ups.c.session_id,
                sign_ups.c.dietary_wishes,
                sign_ups.c.dietary_wishes_removed_at.is_not(None),
            )
        )
        wishes = {session_id: (wish, marked) for session_id, wish, marked in rows}
        kept_fact = await uow.sign_ups.of_session(ended_before.id)
    assert removed == 1
    assert wishes == {
        ended_before.id: (None, True),
        ends_on_cutoff.id: ("glutenvrij", False),
        second_day_later.id: ("glutenvrij", False),
        coming.id: ("glutenvrij", False),
    }
    assert [s.participant for s in kept_fact] == [Participant("Jan", None)]


async def test_removing_dietary_wishes_twice_changes_nothing_more(
    database, add_staff, add_session
) -> None:
    sanne = await add_staff("Sanne de Vries")
    assert sanne.school is not None
    ended = await add_session("Leerroutemodel", [date(2023, 2, 2)])
    await add_sign_up(
        database, ended, sanne.id, sanne.school.id, ["Jan"], "c1", diet="halal"
    )

    async with database.unit_of_work() as uow:
        first = await uow.sign_ups.remove_dietary_wishes(date(2023, 5, 1), NOW)
        await uow.commit()
    async with database.unit_of_work() as uow:
        second = await uow.sign_ups.remove_dietary_wishes(date(2023, 5, 1), NOW)
        await uow.commit()

    assert (first, second) == (1, 0)
    assert await count(database, sign_ups) == 1


# Conversation references


async def test_a_conversation_reference_is_stored_and_then_replaced(
    database,
) -> None:
    first = {"conversation": {"id": "a:1"}, "serviceUrl": "https://one.example/"}
    moved = {"conversation": {"id": "a:2"}, "serviceUrl": "https://two.example/"}

    async with database.unit_of_work() as uow:
        await uow.conversations.remember("29:user", "aad-sanne", first, NOW)
        await uow.commit()
    async with database.unit_of_work() as uow:
        stored_first = await uow.conversations.reference_of("29:user")
        await uow.conversations.remember(
            "29:user", "aad-sanne", moved, NOW + timedelta(hours=1)
        )
        await uow.commit()
    async with database.unit_of_work() as uow:
        stored_moved = await uow.conversations.reference_of("29:user")
        unknown = await uow.conversations.reference_of("29:nobody")

    assert stored_first == first
    assert stored_moved == moved
    assert unknown is None


# The Bot Framework's state storage


async def test_bot_state_survives_a_round_trip(database) -> None:
    storage = DatabaseStorage(database)

    await storage.write(
        {
            "msteams/users/29:a": {"language": "en", "e_tag": "*"},
            "msteams/users/29:b": {"language": "nl", "notes": ["één", "twee"]},
        }
    )
    read = await storage.read(["msteams/users/29:a", "msteams/users/29:b", "gone"])

    assert read == {
        "msteams/users/29:a": {"language": "en"},
        "msteams/users/29:b": {"language": "nl", "notes": ["één", "twee"]},
    }


async def test_bot_state_is_overwritten_and_deleted(database) -> None:
    storage = DatabaseStorage(database)
    await storage.write({"msteams/users/29:a": {"language": "nl"}})

    await storage.write({"msteams/users/29:a": {"language": "en"}})
    overwritten = await storage.read(["msteams/users/29:a"])
    await storage.delete(["msteams/users/29:a", "never-written"])
    deleted = await storage.read(["msteams/users/29:a"])

    assert overwritten == {"msteams/users/29:a": {"language": "en"}}
    assert deleted == {}
    assert await storage.read([]) == {}


async def test_the_demo_makes_the_playground_user_the_teacher_or_the_trainer(
    database,
) -> None:
    async def playground_person() -> tuple[str, frozenset[Role]]:
        async with database.unit_of_work() as uow:
            staff = await uow.staff.by_aad_object_id(PLAYGROUND_USER)
        assert staff is not None
        return staff.name, staff.roles

    await load_demo(database)
    assert await playground_person() == (
        "Sanne de Vries",
        frozenset({Role.DOCENT, Role.MENTOR}),
    )

    await load_demo(database, as_trainer=True)
    assert await playground_person() == ("Tom Bakker", frozenset({Role.TRAINER}))
    async with database.unit_of_work() as uow:
        second = await uow.staff.by_aad_object_id(TRAINER_USER)
    assert second is not None and second.name == "Sanne de Vries"

    await load_demo(database)
    assert (await playground_person())[0] == "Sanne de Vries"
