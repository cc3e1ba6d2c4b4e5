"""The vendor's sign-up rules: price, cancelling, closing, and the form's fields."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain.errors import DomainError, FieldError, InvalidInput
from domain.trainings import (
    DIETARY_WISHES_MAX,
    NAME_MAX,
    Participant,
    Training,
    TrainingSession,
    check_cancellation,
    check_sign_up,
    last_cancellation_day,
    may_cancel,
    price_per_person,
    read_participants,
    read_seats,
    sign_up_open,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY_27_MARCH = date(2023, 3, 27)


def amsterdam(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock moment in the Netherlands, handed over in UTC as the clock does."""
    local = datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)
    return local.astimezone(UTC)


def session(
    days: tuple[date, ...] = (MONDAY_27_MARCH,), seats: int = 12, taken: int = 0
) -> TrainingSession:
    return TrainingSession(
        id=1,
        training=Training("kwaliteit", "Kwaliteit"),
        days=days,
        seats=seats,
        taken=taken,
    )


def field_errors(form: dict[str, object]) -> list[FieldError]:
    with pytest.raises(InvalidInput) as refused:
        read_participants(form)
    return refused.value.errors


# Price


def test_a_one_day_training_costs_250_per_person() -> None:
    assert session(days=(date(2023, 2, 2),)).price_per_person == Decimal("250.00")


def test_a_two_day_training_costs_500_per_person_however_far_apart_its_days() -> None:
    weeks_apart = (date(2023, 2, 16), date(2023, 6, 8))
    consecutive = (date(2023, 3, 15), date(2023, 3, 16))

    assert session(days=weeks_apart).price_per_person == Decimal("500.00")
    assert price_per_person(consecutive) == Decimal("500.00")


# Cancelling: up to and including the 14th day before, until 23:59 Amsterdam time


def test_the_last_day_to_cancel_a_monday_session_is_the_monday_two_weeks_before() -> (
    None
):
    last_day = last_cancellation_day(MONDAY_27_MARCH)

    assert last_day == date(2023, 3, 13)
    assert last_day.weekday() == MONDAY_27_MARCH.weekday()


def test_cancelling_is_allowed_at_23_59_amsterdam_time_on_the_last_day() -> None:
    assert may_cancel(MONDAY_27_MARCH, amsterdam(2023, 3, 13, 23, 59))
    check_cancellation(MONDAY_27_MARCH, amsterdam(2023, 3, 13, 23, 59))


def test_cancelling_is_refused_from_midnight_amsterdam_time_after_the_last_day() -> (
    None
):
    midnight = amsterdam(2023, 3, 14, 0, 0)

    assert not may_cancel(MONDAY_27_MARCH, midnight)
    with pytest.raises(DomainError) as refused:
        check_cancellation(MONDAY_27_MARCH, midnight)
    assert refused.value.text == "signup.too_late_to_cancel"
    assert refused.value.params["last_day"] == date(2023, 3, 13)


def test_cancelling_counts_days_in_amsterdam_not_in_utc() -> None:
    # 23:30 UTC on 13 March is already 00:30 on 14 March in Amsterdam (CET, UTC+1).
    late_utc_evening = datetime(2023, 3, 13, 23, 30, tzinfo=UTC)
    # 22:30 UTC is 23:30 in Amsterdam: still the last day.
    earlier = datetime(2023, 3, 13, 22, 30, tzinfo=UTC)

    assert not may_cancel(MONDAY_27_MARCH, late_utc_evening)
    assert may_cancel(MONDAY_27_MARCH, earlier)


@pytest.mark.parametrize(
    ("first_day", "last_day"),
    [
        # The last day falls in summer time (CEST, UTC+2).
        (date(2023, 4, 10), date(2023, 3, 27)),
        # The last day is the day the clocks go forward.
        (date(2023, 4, 9), date(2023, 3, 26)),
        # The last day is the day the clocks go back.
        (date(2023, 11, 12), date(2023, 10, 29)),
    ],
)
def test_the_cancelling_boundary_holds_across_daylight_saving_time(
    first_day: date, last_day: date
) -> None:
    day_after = last_day + timedelta(days=1)

    assert last_cancellation_day(first_day) == last_day
    assert may_cancel(
        first_day, amsterdam(last_day.year, last_day.month, last_day.day, 23, 59)
    )
    assert not may_cancel(
        first_day, amsterdam(day_after.year, day_after.month, day_after.day, 0, 0)
    )


# Signing up closes when the first day begins


def test_signing_up_is_open_until_midnight_before_the_first_day() -> None:
    first_day = date(2023, 2, 2)

    assert sign_up_open(first_day, amsterdam(2023, 2, 1, 23, 59))
    assert not sign_up_open(first_day, amsterdam(2023, 2, 2, 0, 0))
    # Midnight in Amsterdam is still the evening before in UTC.
    assert amsterdam(2023, 2, 2, 0, 0).date() == date(2023, 2, 1)


def test_a_two_day_training_closes_when_its_first_day_begins() -> None:
    two_day = session(days=(date(2023, 2, 16), date(2023, 6, 8)))

    with pytest.raises(DomainError) as refused:
        check_sign_up(two_day, {1: Participant("Jan")}, set(), amsterdam(2023, 3, 1, 9))

    assert refused.value.text == "signup.closed"
    assert not isinstance(refused.value, InvalidInput)


def test_a_sign_up_before_the_first_day_passes() -> None:
    check_sign_up(
        session(), {1: Participant("Jan")}, set(), amsterdam(2023, 3, 26, 23, 59)
    )


# The form: every wrong field is named, next to the field


def test_an_empty_form_asks_for_a_name_in_the_first_row() -> None:
    errors = field_errors({"name_1": "", "diet_1": "  ", "name_2": None})

    assert errors == [FieldError("name_1", "signup.no_participants")]


def test_a_dietary_wish_without_a_name_is_pointed_at_that_rows_name() -> None:
    errors = field_errors(
        {"name_1": "Sanne de Vries", "name_2": "", "diet_2": "vegetarisch"}
    )

    assert errors == [FieldError("name_2", "signup.diet_without_name")]


def test_a_name_given_twice_is_pointed_at_the_second_one() -> None:
    errors = field_errors(
        {
            "name_1": "Sanne de Vries",
            "name_2": "Eva Jansen",
            "name_3": " sanne  DE vries ",
        }
    )

    assert errors == [FieldError("name_3", "signup.name_twice")]


def test_a_name_longer_than_the_maximum_is_refused() -> None:
    errors = field_errors({"name_1": "A" * (NAME_MAX + 1)})

    assert errors == [FieldError("name_1", "signup.name_too_long", {"max": NAME_MAX})]


def test_a_name_of_exactly_the_maximum_length_is_accepted() -> None:
    name = "A" * NAME_MAX

    assert read_participants({"name_1": name}) == {1: Participant(name)}


def test_dietary_wishes_longer_than_the_maximum_are_refused() -> None:
    errors = field_errors({"name_1": "Jan", "diet_1": "x" * (DIETARY_WISHES_MAX + 1)})

    assert errors == [
        FieldError("diet_1", "signup.diet_too_long", {"max": DIETARY_WISHES_MAX})
    ]


def test_a_name_without_letters_is_refused() -> None:
    assert field_errors({"name_1": "12345"}) == [
        FieldError("name_1", "signup.name_not_a_name")
    ]


def test_every_wrong_field_is_reported_at_once() -> None:
    errors = field_errors(
        {
            "name_1": "Jan",
            "name_2": "",
            "diet_2": "halal",
            "name_3": "jan",
            "name_4": "B" * (NAME_MAX + 1),
        }
    )

    assert [(error.field, error.text) for error in errors] == [
        ("name_2", "signup.diet_without_name"),
        ("name_3", "signup.name_twice"),
        ("name_4", "signup.name_too_long"),
    ]


def test_the_participants_are_read_tidily_skipping_empty_rows() -> None:
    participants = read_participants(
        {
            "name_1": "  Sanne   de Vries ",
            "diet_1": "   ",
            "name_3": "Eva Jansen",
            "diet_3": " geen  noten ",
        }
    )

    assert participants == {
        1: Participant("Sanne de Vries", None),
        3: Participant("Eva Jansen", "geen noten"),
    }


def test_invisible_characters_and_other_ways_to_write_a_letter_are_one_name() -> None:
    composed, decomposed = "Ren\u00e9e Horizon", "Rene\u0301e Horizon"

    errors = field_errors({"name_1": composed, "name_2": decomposed})
    joiner = field_errors(
        {"name_1": "Sanne de Vries", "name_2": "Sanne de Vries\u034f"}
    )
    [(row, sanne)] = read_participants({"name_2": "Sanne\u200b de Vries"}).items()

    assert errors == [FieldError("name_2", "signup.name_twice")]
    assert joiner == [FieldError("name_2", "signup.name_twice")]
    assert (row, sanne) == (2, Participant("Sanne de Vries"))
    assert sanne.key == Participant("sanne de vries").key


@pytest.mark.parametrize(
    "name",
    [
        "<img src=x onerror=alert(1)> Piet",
        "[Klik hier](http://evil.example) Jan",
        "*Jan*",
        "Jan_Jansen",
    ],
)
def test_a_name_that_would_be_card_formatting_is_refused(name: str) -> None:
    assert field_errors({"name_1": name}) == [
        FieldError("name_1", "signup.name_markup")
    ]


@pytest.mark.parametrize("blank", ["\u3164", "\u2800", "\U0001f600"])
def test_a_name_with_a_blank_letter_or_a_symbol_is_refused(blank: str) -> None:
    assert field_errors({"name_1": f"Sanne de Vries{blank}"}) == [
        FieldError("name_1", "signup.name_odd_characters")
    ]


@pytest.mark.parametrize(
    "name", ["Jan-Willem O'Neil", "Zoë Müller", "李明", "J. (Jan) Bos"]
)
def test_names_from_anywhere_are_names(name: str) -> None:
    assert read_participants({"name_1": name}) == {1: Participant(name)}


def test_an_emoji_counts_two_towards_the_length_of_a_dietary_wish() -> None:
    fits = "🥜" * (DIETARY_WISHES_MAX // 2)

    errors = field_errors({"name_1": "Jan", "diet_1": fits + "x"})

    assert (
        read_participants({"name_1": "Jan", "diet_1": fits})[1].dietary_wishes == fits
    )
    assert errors == [
        FieldError("diet_1", "signup.diet_too_long", {"max": DIETARY_WISHES_MAX})
    ]


def test_a_name_that_is_no_text_is_refused() -> None:
    assert field_errors({"name_1": ["a", "b"]}) == [
        FieldError("name_1", "signup.name_not_a_name")
    ]


# The session: who is already there, and whether there are seats


def test_someone_already_signed_up_is_pointed_at_their_row() -> None:
    participants = {1: Participant("Eva Jansen"), 3: Participant("Sanne de Vries")}
    already = {Participant("sanne de  vries").key}

    with pytest.raises(InvalidInput) as refused:
        check_sign_up(session(), participants, already, amsterdam(2023, 1, 16, 9))

    assert refused.value.errors == [
        FieldError("name_3", "signup.already_signed_up", {"name": "Sanne de Vries"})
    ]


def test_too_many_participants_points_at_the_first_who_does_not_fit() -> None:
    two_left = session(seats=12, taken=10)
    participants = {
        row: Participant(name)
        for row, name in ((1, "Jan"), (2, "Eva"), (4, "Noah"), (5, "Sanne"))
    }

    with pytest.raises(InvalidInput) as refused:
        check_sign_up(two_left, participants, set(), amsterdam(2023, 1, 16, 9))

    assert refused.value.errors == [
        FieldError("name_4", "signup.not_enough_seats", {"left": 2, "asked": 4})
    ]


def test_a_full_session_points_at_the_first_name_given() -> None:
    full = session(seats=12, taken=12)

    with pytest.raises(InvalidInput) as refused:
        check_sign_up(full, {2: Participant("Jan")}, set(), amsterdam(2023, 1, 16, 9))

    assert refused.value.errors == [FieldError("name_2", "signup.full")]


def test_exactly_the_seats_left_may_sign_up() -> None:
    two_left = session(seats=12, taken=10)

    check_sign_up(
        two_left,
        {1: Participant("Jan"), 2: Participant("Eva")},
        set(),
        amsterdam(2023, 1, 16, 9),
    )


# Seats a trainer sets


def seats_refusal(taken: int, typed: object) -> FieldError:
    with pytest.raises(InvalidInput) as refused:
        read_seats(session(taken=taken), typed)
    [error] = refused.value.errors
    return error


def test_a_trainer_may_give_a_session_more_seats_or_fewer_down_to_those_taken() -> None:
    assert read_seats(session(taken=5), "20") == 20
    assert read_seats(session(taken=8), 8) == 8
    assert read_seats(session(taken=0), " 6 ") == 6
    assert read_seats(session(taken=0), 30) == 30


def test_fewer_seats_than_sign_ups_is_refused_at_the_field() -> None:
    error = seats_refusal(taken=9, typed="8")

    assert error == FieldError("seats_1", "roster.seats_below_taken", {"taken": 9})


@pytest.mark.parametrize("typed", ["", "twaalf", "12.5", None])
def test_seats_must_be_a_whole_number(typed: object) -> None:
    assert seats_refusal(taken=0, typed=typed).text == "roster.seats_not_a_number"


@pytest.mark.parametrize("typed", ["0", "-3", "5", "31"])
def test_seats_leave_room_for_the_minimum_and_no_more_than_a_room_full(
    typed: str,
) -> None:
    error = seats_refusal(taken=2, typed=typed)

    assert error.text == "roster.seats_out_of_range"
    assert error.params == {"lowest": 6, "highest": 30}
