"""Importing the vendor's training calendar: the real 2023 texts, twice, and edited."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from domain.calendar_text import CalendarReading, read_calendar
from domain.trainings import DEFAULT_SEATS, Participant
from store.calendar import SessionLine, import_calendar
from store.database import Database

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CALENDAR = ROOT / "data" / "trainingskalender-2023.txt"
ANNOUNCEMENT = ROOT / "data" / "trainingen-2023-aankondiging.txt"
CLI = Path(sys.executable).with_name("presentis-bot")


def d(month: int, day: int) -> date:
    return date(2023, month, day)


# What the printed 2023 calendar says, read by a person.
EXPECTED_SESSIONS = {
    ("Leerroutemodel", (d(2, 2),)),
    ("Leerroutemodel", (d(3, 10),)),
    ("Leerroutemodel", (d(5, 17),)),
    ("Portfolio beheer en inhoud", (d(2, 14),)),
    ("Portfolio beheer en inhoud", (d(5, 23),)),
    ("Handelingsgericht en planmatig werken", (d(2, 16), d(6, 8))),
    ("Leerlijnen, competenties en basisvaardigheden: basis en beheer", (d(3, 9),)),
    ("Procesbeschrijvingen en verbindingen", (d(3, 14),)),
    ("Procesbeschrijvingen en verbindingen", (d(4, 20),)),
    ("Rooster tweedaagse", (d(3, 15), d(3, 16))),
    ("Rooster tweedaagse", (d(5, 10), d(5, 11))),
    ("Administratief beheer", (d(3, 22),)),
    ("Zorg en ondersteuning", (d(3, 23),)),
    ("Kwaliteit", (d(3, 27), d(4, 3))),
    ("Stage inclusief handelingsgericht werken", (d(3, 28),)),
    (
        "Leerlijnen, competenties en basisvaardigheden: het maken van leerlijnen",
        (d(3, 29),),
    ),
    ("Applicatiebeheer", (d(4, 4),)),
    ("Start nieuwe schooljaar", (d(6, 15),)),
}


def reading(calendar: str | None = None) -> CalendarReading:
    return read_calendar(
        calendar if calendar is not None else CALENDAR.read_text(encoding="utf-8"),
        ANNOUNCEMENT.read_text(encoding="utf-8"),
    )


def edited_calendar(old_line_start: str, new_line_start: str) -> str:
    text = CALENDAR.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    [index] = [i for i, line in enumerate(lines) if line.startswith(old_line_start)]
    lines[index] = new_line_start + lines[index].removeprefix(old_line_start)
    return "".join(lines)


async def stored_sessions(database: Database) -> set[tuple[str, tuple[date, ...]]]:
    async with database.unit_of_work() as uow:
        sessions, total = await uow.trainings.upcoming(date(2000, 1, 1), limit=1000)
    assert total == len(sessions)
    return {(s.training.title, s.days) for s in sessions}


async def test_the_2023_calendar_stores_18_sessions_on_the_right_days(
    database,
) -> None:
    report = await import_calendar(database, reading())

    assert await stored_sessions(database) == EXPECTED_SESSIONS
    assert {(line.title, line.days) for line in report.added} == EXPECTED_SESSIONS
    assert len(report.added) == 18
    async with database.unit_of_work() as uow:
        sessions, _ = await uow.trainings.upcoming(date(2023, 1, 1), limit=100)
    assert {s.seats for s in sessions} == {DEFAULT_SEATS}
    assert all(s.taken == 0 for s in sessions)
    kwaliteit = next(s for s in sessions if s.training.title == "Kwaliteit")
    assert kwaliteit.training.audience and kwaliteit.training.content


async def test_importing_the_same_calendar_again_changes_nothing(database) -> None:
    await import_calendar(database, reading())
    async with database.unit_of_work() as uow:
        before, _ = await uow.trainings.upcoming(date(2023, 1, 1), limit=100)

    again = await import_calendar(database, reading())

    async with database.unit_of_work() as uow:
        after, _ = await uow.trainings.upcoming(date(2023, 1, 1), limit=100)
    assert again.added == []
    assert again.days_changed == []
    assert again.not_in_calendar == []
    assert again.trainings_described == []
    assert again.changes == 0
    assert len(again.unchanged) == 18
    assert after == before


async def test_a_moved_session_is_reported_and_kept_and_the_new_day_added(
    database, add_staff
) -> None:
    await import_calendar(database, reading())
    # Someone signed up for the 23 May run before it moved.
    sanne = await add_staff("Sanne de Vries")
    assert sanne.school is not None
    async with database.unit_of_work() as uow:
        sessions, _ = await uow.trainings.upcoming(date(2023, 5, 23), limit=100)
        may = next(s for s in sessions if s.first_day == d(5, 23))
        await uow.sign_ups.add(
            "card-1",
            may.id,
            sanne.school.id,
            sanne.id,
            [Participant("Sanne de Vries")],
            datetime(2023, 1, 16, tzinfo=UTC),
        )
        await uow.commit()
    moved = edited_calendar("23 mei", "30 mei")

    report = await import_calendar(database, reading(moved))

    portfolio = "Portfolio beheer en inhoud"
    assert report.not_in_calendar == [SessionLine(portfolio, (d(5, 23),))]
    assert report.added == [SessionLine(portfolio, (d(5, 30),))]
    assert report.days_changed == []
    assert await stored_sessions(database) == EXPECTED_SESSIONS | {
        (portfolio, (d(5, 30),))
    }
    async with database.unit_of_work() as uow:
        kept = await uow.trainings.get(may.id)
        signed_up = await uow.sign_ups.of_session(may.id)
    assert kept is not None and kept.taken == 1
    assert [s.participant.name for s in signed_up] == ["Sanne de Vries"]


async def test_sessions_in_the_calendars_span_it_leaves_out_are_reported_others_not(
    database,
) -> None:
    await import_calendar(database, reading())
    # A revised spring text that names only two runs, 10 March and 17 May.
    revised = "2023\n10 maart\tLeerroutemodel\n17 mei\tLeerroutemodel\n"

    report = await import_calendar(database, read_calendar(revised))

    missing = {(line.title, line.days[0]) for line in report.not_in_calendar}
    assert ("Procesbeschrijvingen en verbindingen", d(3, 14)) in missing
    assert ("Kwaliteit", d(3, 27)) in missing
    assert ("Rooster tweedaagse", d(5, 10)) in missing
    # Outside 10 March to 17 May: another period, not this text's concern.
    assert all(d(3, 10) <= first <= d(5, 17) for _, first in missing)
    assert ("Leerroutemodel", d(2, 2)) not in missing
    assert len(missing) == 10
    assert report.added == []
    assert await stored_sessions(database) == EXPECTED_SESSIONS


async def test_a_second_day_that_moved_changes_the_days_of_the_session(
    database,
) -> None:
    await import_calendar(database, reading())
    # Kwaliteit day 2 moves from Monday 3 April to Wednesday 5 April.
    moved = edited_calendar("03 april*", "05 april*")

    report = await import_calendar(database, reading(moved))

    assert report.days_changed == [
        (SessionLine("Kwaliteit", (d(3, 27), d(4, 3))), (d(3, 27), d(4, 5)))
    ]
    assert report.added == []
    assert report.not_in_calendar == []
    assert ("Kwaliteit", (d(3, 27), d(4, 5))) in await stored_sessions(database)
    assert ("Kwaliteit", (d(3, 27), d(4, 3))) not in await stored_sessions(database)


async def test_a_dry_run_stores_nothing(database) -> None:
    report = await import_calendar(database, reading(), dry_run=True)

    assert len(report.added) == 18
    assert await stored_sessions(database) == set()
    async with database.unit_of_work() as uow:
        _, changed = await uow.trainings.save_training(reading().trainings[0].training)
    assert changed, "the dry run stored a training"


def run_cli(
    *arguments: str, database_url: str, cwd: Path
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PRESENTIS_TODAY", "LOG_LEVEL"}
    }
    environment["DATABASE_URL"] = database_url
    return subprocess.run(
        [str(CLI), *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_command_line_dry_run_reports_the_wrong_weekday_and_stores_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cli.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgraded = run_cli("db", "upgrade", database_url=url, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr

    run = run_cli(
        "import-calendar",
        str(CALENDAR),
        str(ANNOUNCEMENT),
        "--dry-run",
        database_url=url,
        cwd=tmp_path,
    )

    assert run.returncode == 0, run.stderr
    output = run.stdout.replace("\xa0", " ")
    assert (
        "Portfolio beheer en inhoud: dinsdag 23 mei 2023 staat er als 'donderdag', "
        "maar is een dinsdag; de datum geldt." in output
    )
    assert "18 sessies toegevoegd, 0 ongewijzigd" in output
    assert "Proefrun: er is niets opgeslagen." in output
    assert "+ Kwaliteit: maandag 27 maart 2023 en maandag 3 april 2023" in output
    with sqlite3.connect(path) as connection:
        stored = connection.execute("SELECT count(*) FROM training_sessions").fetchone()
        trainings = connection.execute("SELECT count(*) FROM trainings").fetchone()
    assert (stored, trainings) == ((0,), (0,))
