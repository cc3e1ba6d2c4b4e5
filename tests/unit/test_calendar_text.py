from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.calendar_text import CalendarReading, Finding, ReadTraining, read_calendar
from domain.errors import DomainError

DATA = Path(__file__).resolve().parents[2] / "data"


def real_reading() -> CalendarReading:
    calendar = (DATA / "trainingskalender-2023.txt").read_text(encoding="utf-8")
    announcement = (DATA / "trainingen-2023-aankondiging.txt").read_text(
        encoding="utf-8"
    )
    return read_calendar(calendar, announcement)


def training(reading: CalendarReading, key: str) -> ReadTraining:
    return next(t for t in reading.trainings if t.training.key == key)


def session_days(reading: CalendarReading, key: str) -> list[tuple[date, ...]]:
    return [session.days for session in training(reading, key).sessions]


def codes(reading: CalendarReading) -> list[str]:
    return [finding.code for finding in reading.findings]


def findings_of(reading: CalendarReading, code: str) -> list[Finding]:
    return [finding for finding in reading.findings if finding.code == code]


def d(month: int, day: int, year: int = 2023) -> date:
    return date(year, month, day)


# The real texts of 2023


def test_real_calendar_gives_every_session_its_dates() -> None:
    expected = {
        "leerroutemodel": [(d(2, 2),), (d(3, 10),), (d(5, 17),)],
        "portfolio-beheer-en-inhoud": [(d(2, 14),), (d(5, 23),)],
        "handelingsgericht-en-planmatig-werken": [(d(2, 16), d(6, 8))],
        "leerlijnen-competenties-en-basisvaardigheden-basis-en-beheer": [(d(3, 9),)],
        "procesbeschrijvingen-en-verbindingen": [(d(3, 14),), (d(4, 20),)],
        "rooster": [(d(3, 15), d(3, 16)), (d(5, 10), d(5, 11))],
        "administratief-beheer": [(d(3, 22),)],
        "zorg-en-ondersteuning": [(d(3, 23),)],
        "kwaliteit": [(d(3, 27), d(4, 3))],
        "stage-inclusief-handelingsgericht-werken": [(d(3, 28),)],
        "leerlijnen-competenties-en-basisvaardigheden-het-maken-van-leerlijnen": [
            (d(3, 29),)
        ],
        "applicatiebeheer": [(d(4, 4),)],
        "start-nieuwe-schooljaar": [(d(6, 15),)],
    }

    reading = real_reading()

    assert {
        t.training.key: session_days(reading, t.training.key) for t in reading.trainings
    } == expected
    assert sum(len(t.sessions) for t in reading.trainings) == 18


def test_real_rooster_is_two_consecutive_two_day_sessions() -> None:
    reading = real_reading()

    assert session_days(reading, "rooster") == [
        (d(3, 15), d(3, 16)),
        (d(5, 10), d(5, 11)),
    ]


def test_real_two_day_training_months_apart_is_one_session() -> None:
    reading = real_reading()

    assert session_days(reading, "handelingsgericht-en-planmatig-werken") == [
        (d(2, 16), d(6, 8))
    ]
    assert session_days(reading, "kwaliteit") == [(d(3, 27), d(4, 3))]


def test_real_repeated_training_is_three_one_day_sessions() -> None:
    reading = real_reading()

    assert session_days(reading, "leerroutemodel") == [
        (d(2, 2),),
        (d(3, 10),),
        (d(5, 17),),
    ]


def test_real_titles_are_clean_and_named_as_the_calendar_names_them() -> None:
    reading = real_reading()

    titles = [t.training.title for t in reading.trainings]

    assert titles == [
        "Leerroutemodel",
        "Portfolio beheer en inhoud",
        "Handelingsgericht en planmatig werken",
        "Leerlijnen, competenties en basisvaardigheden: basis en beheer",
        "Procesbeschrijvingen en verbindingen",
        "Rooster tweedaagse",
        "Administratief beheer",
        "Zorg en ondersteuning",
        "Kwaliteit",
        "Stage inclusief handelingsgericht werken",
        "Leerlijnen, competenties en basisvaardigheden: het maken van leerlijnen",
        "Applicatiebeheer",
        "Start nieuwe schooljaar",
    ]


def test_real_texts_report_only_the_weekday_of_23_may() -> None:
    reading = real_reading()

    assert reading.findings == (
        Finding(
            "weekday_mismatch",
            {
                "date": d(5, 23),
                "weekday_written": "donderdag",
                "weekday_actual": "dinsdag",
                "title": "Portfolio beheer en inhoud",
            },
        ),
    )


def test_real_calendar_has_no_unplaced_lines() -> None:
    reading = real_reading()

    assert findings_of(reading, "unplaced_line") == []


def test_real_announcement_describes_every_training_single_spaced() -> None:
    reading = real_reading()

    rooster = training(reading, "rooster").training
    making = training(
        reading,
        "leerlijnen-competenties-en-basisvaardigheden-het-maken-van-leerlijnen",
    ).training

    assert all(t.training.content and t.training.audience for t in reading.trainings)
    assert rooster.audience == "Roostermakers- en beheerders"
    assert rooster.content is not None
    assert rooster.content.startswith(
        "Wanneer jij deelneemt aan deze training dan kies"
    )
    assert "Trainingen 1e en 2e kwartaal" not in rooster.content
    assert making.content is not None
    assert making.content.startswith("We gaan tijdens deze training inhoudelijk")
    assert "  " not in making.content


def test_real_calendar_alone_reads_without_descriptions() -> None:
    calendar = (DATA / "trainingskalender-2023.txt").read_text(encoding="utf-8")

    reading = read_calendar(calendar)

    assert len(reading.trainings) == 13
    assert reading.findings == ()
    assert all(t.training.content is None for t in reading.trainings)


# Variants of the format


AUTUMN = """Trainingsoverzicht najaar
2024
3 en 4 oktober*\tRoosteren voor
Gevorderden
08 okt\tOuderportaal
12 nov.*\tMentoraat en
\tbegeleiding (dag 1 van tweedaagse, zie ook
10 december)
19 nov\tOuderportaal
10 dec*\tMentoraat en begeleiding (dag 2 van
tweedaagse, zie ook 12 november)

* Tweedaagse training.
Aanmelden kan via de mail.
"""


def test_variant_reads_other_titles_dates_and_year() -> None:
    reading = read_calendar(AUTUMN)

    assert [t.training.title for t in reading.trainings] == [
        "Roosteren voor Gevorderden",
        "Ouderportaal",
        "Mentoraat en begeleiding",
    ]
    assert session_days(reading, "roosteren-voor-gevorderden") == [
        (d(10, 3, 2024), d(10, 4, 2024))
    ]
    assert session_days(reading, "ouderportaal") == [
        (d(10, 8, 2024),),
        (d(11, 19, 2024),),
    ]
    assert session_days(reading, "mentoraat-en-begeleiding") == [
        (d(11, 12, 2024), d(12, 10, 2024))
    ]
    assert reading.findings == ()


def test_variant_tolerates_crlf_bom_tabs_and_trailing_spaces() -> None:
    calendar = "\ufeff2024 \r\n5 maart \t\t Ouderportaal   \r\n\r\n6 mrt.\tAgenda  \r\n"

    reading = read_calendar(calendar)

    assert session_days(reading, "ouderportaal") == [(d(3, 5, 2024),)]
    assert session_days(reading, "agenda") == [(d(3, 6, 2024),)]
    assert reading.findings == ()


def test_title_broken_over_lines_with_blank_lines_between_is_joined() -> None:
    calendar = "2024\n5 maart\tWerken met\n\nPresentis in\n\nde klas\n6 maart\tAgenda\n"

    reading = read_calendar(calendar)

    assert [t.training.title for t in reading.trainings] == [
        "Werken met Presentis in de klas",
        "Agenda",
    ]


def test_title_hyphenated_at_a_line_break_is_mended() -> None:
    calendar = "2024\n5 maart\tLeerlijnen en basis-\nvaardigheden\n"

    reading = read_calendar(calendar)

    assert reading.trainings[0].training.title == "Leerlijnen en basisvaardigheden"


def test_calendar_spanning_december_and_january_rolls_the_year_over() -> None:
    calendar = (
        "2023\n"
        "14 november\tOuderportaal\n"
        "19 december*\tMentoraat\n"
        "9 januari*\tMentoraat\n"
        "30 januari\tOuderportaal\n"
        "21 en 22 februari*\tRooster\n"
    )

    reading = read_calendar(calendar)

    assert session_days(reading, "mentoraat") == [(d(12, 19), d(1, 9, 2024))]
    assert session_days(reading, "ouderportaal") == [(d(11, 14),), (d(1, 30, 2024),)]
    assert session_days(reading, "rooster") == [(d(2, 21, 2024), d(2, 22, 2024))]


def test_two_days_on_one_line_may_span_two_months() -> None:
    calendar = "2024\n31 januari en 1 februari*\tRooster\n"

    reading = read_calendar(calendar)

    assert session_days(reading, "rooster") == [(d(1, 31, 2024), d(2, 1, 2024))]


def test_asterisked_day_without_partner_is_reported_and_kept() -> None:
    calendar = "2024\n5 maart*\tKwaliteit\n12 maart\tAgenda\n"

    reading = read_calendar(calendar)

    assert session_days(reading, "kwaliteit") == [(d(3, 5, 2024),)]
    assert reading.findings == (
        Finding(
            "unpaired_day",
            {"title": "Kwaliteit", "date": d(3, 5, 2024), "line_number": 2},
        ),
    )


def test_asterisked_days_pair_in_calendar_order_without_cross_references() -> None:
    calendar = (
        "2024\n"
        "5 maart*\tKwaliteit\n"
        "12 maart*\tKwaliteit\n"
        "7 mei*\tKwaliteit\n"
        "14 mei*\tKwaliteit\n"
    )

    reading = read_calendar(calendar)

    assert session_days(reading, "kwaliteit") == [
        (d(3, 5, 2024), d(3, 12, 2024)),
        (d(5, 7, 2024), d(5, 14, 2024)),
    ]
    assert reading.findings == ()


def test_cross_reference_chooses_the_partner_over_calendar_order() -> None:
    calendar = (
        "2024\n"
        "5 maart*\tKwaliteit (dag 1 van tweedaagse, zie ook 7 mei)\n"
        "12 maart*\tKwaliteit\n"
        "7 mei*\tKwaliteit (dag 2 van tweedaagse, zie ook 5 maart)\n"
    )

    reading = read_calendar(calendar)

    assert session_days(reading, "kwaliteit") == [
        (d(3, 5, 2024), d(5, 7, 2024)),
        (d(3, 12, 2024),),
    ]
    assert codes(reading) == ["unpaired_day"]


def test_cross_reference_naming_another_day_is_reported() -> None:
    calendar = (
        "2024\n"
        "5 maart*\tKwaliteit (dag 1 van tweedaagse, zie ook 13 maart)\n"
        "12 maart*\tKwaliteit\n"
    )

    reading = read_calendar(calendar)

    assert session_days(reading, "kwaliteit") == [(d(3, 5, 2024), d(3, 12, 2024))]
    assert reading.findings == (
        Finding(
            "cross_reference_mismatch",
            {
                "title": "Kwaliteit",
                "date": d(3, 5, 2024),
                "referenced_date": d(3, 13, 2024),
                "paired_date": d(3, 12, 2024),
            },
        ),
    )


def test_two_dates_without_asterisk_are_two_runs() -> None:
    calendar = "2024\n5 en 6 maart\tAgenda\n"

    reading = read_calendar(calendar)

    assert session_days(reading, "agenda") == [(d(3, 5, 2024),), (d(3, 6, 2024),)]


def test_garbage_between_entries_is_reported_as_unplaced() -> None:
    calendar = (
        "Kalender\n"
        "2024\n"
        "5 maart\tAgenda\n"
        "Zomaar iets dat hier niet hoort\n"
        "32 maart\tAgenda\n"
        "12 maartt\tAgenda\n"
        "30 februari\tAgenda\n"
        "6 maart\tOuderportaal\n"
        "Aanmelden via de mail.\n"
    )

    reading = read_calendar(calendar)

    assert [t.training.key for t in reading.trainings] == ["agenda", "ouderportaal"]
    assert [f.params for f in findings_of(reading, "unplaced_line")] == [
        {"line": "Zomaar iets dat hier niet hoort", "line_number": 4},
        {"line": "32 maart Agenda", "line_number": 5},
        {"line": "12 maartt Agenda", "line_number": 6},
        {"line": "30 februari Agenda", "line_number": 7},
    ]


def test_year_comes_from_the_announcement_when_the_calendar_has_none() -> None:
    calendar = "5 maart\tAgenda\n"
    announcement = "Agenda\nWanneer: dinsdag 5 maart 2024\nInhoud: Plannen.\n"

    reading = read_calendar(calendar, announcement)

    assert session_days(reading, "agenda") == [(d(3, 5, 2024),)]
    assert reading.findings == ()


def test_calendar_without_any_year_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        read_calendar("5 maart\tAgenda\n")

    assert raised.value.text == "calendar.no_year"


ANNOUNCEMENT = """Aanmelden kan via de mail.

Ouderportaal
Wanneer: Dinsdag 8 oktober
Inhoud: Het portaal voor
ouders inrichten.
Voor wie: Applicatie-
beheerders en/
of administratie.

Trainingen najaar 2024
Roosteren voor gevorderden
(tweedaagse)
Wanneer: Donderdag 3 en vrijdag 4 oktober 2024
Inhoud: Roosteren    met
uitzonderingen.
Voor wie: Roostermakers
Mentoraat en
begeleiding
Wanneer: dinsdag 12 november en woensdag 10 december
Inhoud: Mentoren
Voor wie: Mentoren

Trainingen najaar 2024
Schoolgids
Wanneer: vrijdag 15 november 2024
Inhoud: Niet in de kalender.
"""


def test_announcement_describes_trainings_matched_by_key() -> None:
    reading = read_calendar(AUTUMN, ANNOUNCEMENT)

    portal = training(reading, "ouderportaal").training
    roster = training(reading, "roosteren-voor-gevorderden").training

    assert portal.content == "Het portaal voor ouders inrichten."
    assert portal.audience == "Applicatiebeheerders en/of administratie."
    assert roster.title == "Roosteren voor Gevorderden"
    assert roster.content == "Roosteren met uitzonderingen."
    assert roster.audience == "Roostermakers"
    assert training(reading, "mentoraat-en-begeleiding").training.audience == (
        "Mentoren"
    )


def test_announcement_weekday_contradicting_its_date_is_reported() -> None:
    reading = read_calendar(AUTUMN, ANNOUNCEMENT)

    assert findings_of(reading, "weekday_mismatch") == [
        Finding(
            "weekday_mismatch",
            {
                "date": d(12, 10, 2024),
                "weekday_written": "woensdag",
                "weekday_actual": "dinsdag",
                "title": "Mentoraat en begeleiding",
            },
        )
    ]
    assert session_days(reading, "mentoraat-en-begeleiding") == [
        (d(11, 12, 2024), d(12, 10, 2024))
    ]


def test_announcement_section_for_no_calendar_training_is_reported() -> None:
    reading = read_calendar(AUTUMN, ANNOUNCEMENT)

    assert findings_of(reading, "unknown_in_announcement") == [
        Finding("unknown_in_announcement", {"title": "Schoolgids"})
    ]


def test_calendar_training_without_announcement_section_is_reported() -> None:
    announcement = "Ouderportaal\nWanneer: dinsdag 8 oktober en dinsdag 19 november\n"

    reading = read_calendar(AUTUMN, announcement)

    assert findings_of(reading, "no_description") == [
        Finding("no_description", {"title": "Roosteren voor Gevorderden"}),
        Finding("no_description", {"title": "Mentoraat en begeleiding"}),
    ]


def test_announcement_dates_that_differ_from_the_calendar_are_reported() -> None:
    announcement = "Ouderportaal\nWanneer: dinsdag 8 oktober en dinsdag 26 november\n"

    reading = read_calendar(AUTUMN, announcement)

    assert findings_of(reading, "date_not_in_calendar") == [
        Finding(
            "date_not_in_calendar",
            {"title": "Ouderportaal", "date": d(11, 26, 2024)},
        )
    ]
    assert findings_of(reading, "date_not_in_announcement") == [
        Finding(
            "date_not_in_announcement",
            {"title": "Ouderportaal", "date": d(11, 19, 2024)},
        )
    ]


def test_announcement_title_in_parentheses_and_hyphenated_matches() -> None:
    calendar = "2024\n5 en 6 maart*\tRooster tweedaagse\n7 maart\tBasisvaardigheden\n"
    announcement = (
        "Rooster (tweedaagse)\n"
        "Wanneer: dinsdag 5 en woensdag 6 maart\n"
        "Inhoud: Roosteren.\n"
        "\n"
        "Basis-\n"
        "vaardigheden\n"
        "Wanneer: donderdag 7 maart\n"
        "Inhoud: Oefenen.\n"
    )

    reading = read_calendar(calendar, announcement)

    assert training(reading, "rooster").training.content == "Roosteren."
    assert training(reading, "basisvaardigheden").training.content == "Oefenen."
    assert reading.findings == ()


def test_trainings_come_in_order_of_their_first_session() -> None:
    calendar = "2024\n5 maart\tAgenda\n1 maart\tOuderportaal\n"

    reading = read_calendar(calendar)

    assert [t.training.key for t in reading.trainings] == ["ouderportaal", "agenda"]


def test_real_texts_with_crlf_and_bom_read_the_same() -> None:
    calendar = (DATA / "trainingskalender-2023.txt").read_text(encoding="utf-8")
    announcement = (DATA / "trainingen-2023-aankondiging.txt").read_text(
        encoding="utf-8"
    )

    reading = read_calendar(
        "\ufeff" + calendar.replace("\n", "\r\n"),
        "\ufeff" + announcement.replace("\n", "\r\n"),
    )

    assert reading == real_reading()


def test_a_day_in_a_weekend_is_reported_and_kept() -> None:
    calendar = "2024\n09 maart\tAgenda\n12 maart\tOuderportaal\n"

    reading = read_calendar(calendar)

    assert session_days(reading, "agenda") == [(d(3, 9, 2024),)]
    assert findings_of(reading, "weekend_day") == [
        Finding("weekend_day", {"title": "Agenda", "date": d(3, 9, 2024)})
    ]
