"""Trainings, their sessions and the sign-up rules the vendor publishes.

A training is a subject ("Rooster tweedaagse"); a session is one run of it on one or
more days. A two-day training is one session with two days, whatever lies between them.
One sign-up covers every day of its session.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.clock import SCHOOL_TIME
from domain.errors import DomainError, FieldError, InvalidInput

PRICE_PER_PERSON_PER_DAY = Decimal("250.00")
MINIMUM_PARTICIPANTS = 6
DEFAULT_SEATS = 12
SEATS_MAX = 30  # a training room; keeps the trainer's roster within a message
CANCELLATION_DAYS = 14
PARTICIPANT_ROWS = 5
# Lengths as a card counts them (UTF-16 units, so an emoji counts two): together
# with SEATS_MAX they keep the trainer's roster of one session within a message.
NAME_MAX = 100
DIETARY_WISHES_MAX = 200


def training_key(title: str) -> str:
    """A stable key for a training title: 'Rooster (tweedaagse)' -> 'rooster'."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = re.sub(r"\(?\btweedaagse\b\)?", " ", text.casefold())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True)
class Training:
    key: str
    title: str
    content: str | None = None
    audience: str | None = None


@dataclass(frozen=True)
class TrainingSession:
    id: int
    training: Training
    days: tuple[date, ...]
    seats: int
    taken: int

    @property
    def first_day(self) -> date:
        return self.days[0]

    @property
    def is_multi_day(self) -> bool:
        return len(self.days) > 1

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.taken, 0)

    @property
    def price_per_person(self) -> Decimal:
        return price_per_person(self.days)

    @property
    def goes_ahead(self) -> bool:
        return self.taken >= MINIMUM_PARTICIPANTS


def price_per_person(days: Sequence[date]) -> Decimal:
    return PRICE_PER_PERSON_PER_DAY * len(days)


def last_cancellation_day(first_day: date) -> date:
    """Cancelling is allowed up to and including this day, until 23:59 school time."""
    return first_day - timedelta(days=CANCELLATION_DAYS)


def may_cancel(first_day: date, now: datetime) -> bool:
    return now.astimezone(SCHOOL_TIME).date() <= last_cancellation_day(first_day)


def sign_up_open(first_day: date, now: datetime) -> bool:
    """Sign-ups close when the first day begins."""
    return now.astimezone(SCHOOL_TIME).date() < first_day


@dataclass(frozen=True)
class Participant:
    name: str
    dietary_wishes: str | None = None

    @property
    def key(self) -> str:
        return participant_key(self.name)


# Letters that show as nothing (Hangul fillers).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
# What a name may hold besides letters, combining marks, digits and spaces.
_NAME_PUNCTUATION = frozenset("-'’.,()")
# Characters that would make a name into card formatting (Markdown, HTML).
_MARKUP = frozenset("<>[]*_#`|~{}\\")


def participant_key(name: str) -> str:
    """How two spellings of one person's name compare: only the letters and digits,
    without accents or case, however they were typed (composed or not, with
    invisible characters or not)."""
    kept = (
        ch if unicodedata.category(ch)[0] in "LN" and ch not in _BLANK_LETTERS else " "
        for ch in unicodedata.normalize("NFKD", name)
        if unicodedata.category(ch) != "Mn"
    )
    return " ".join("".join(kept).split()).casefold()


def text_length(text: str) -> int:
    """The length of a text as a card counts it: in UTF-16 units."""
    return len(text.encode("utf-16-le")) // 2


def _name_problem(name: str) -> str | None:
    """Why a typed name cannot be a name, if it cannot."""
    if text_length(name) > NAME_MAX:
        return "signup.name_too_long"
    if not any(ch.isalpha() for ch in name):
        return "signup.name_not_a_name"
    if _MARKUP & set(name):
        return "signup.name_markup"
    odd = [
        ch
        for ch in name
        if ch in _BLANK_LETTERS
        or not (
            unicodedata.category(ch)[0] in "LMN" or ch == " " or ch in _NAME_PUNCTUATION
        )
    ]
    return "signup.name_odd_characters" if odd else None


def clean_text(typed: object) -> str:
    """What a person typed in a field, as one line: composed the usual way (NFC),
    without invisible formatting characters, single-spaced. Not text: empty."""
    if not isinstance(typed, str | int):
        return ""
    text = unicodedata.normalize("NFC", str(typed))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


@dataclass(frozen=True)
class SignUp:
    id: int
    session_id: int
    school_name: str
    participant: Participant
    signed_up_by: int
    cancelled_at: datetime | None = None


def name_field(row: int) -> str:
    return f"name_{row}"


def diet_field(row: int) -> str:
    return f"diet_{row}"


def seats_field(session_id: int) -> str:
    return f"seats_{session_id}"


def lowest_seats(session: TrainingSession) -> int:
    """A session needs seats for the minimum to go ahead, and for those signed up."""
    return max(session.taken, MINIMUM_PARTICIPANTS)


def read_seats(session: TrainingSession, value: object) -> int:
    """The seats a trainer gives a session; never fewer than are taken."""
    field = seats_field(session.id)
    text = str(value if value is not None else "").strip()
    try:
        seats = int(text)
    except ValueError:
        raise InvalidInput([FieldError(field, "roster.seats_not_a_number")]) from None

    if session.taken > MINIMUM_PARTICIPANTS and seats < session.taken:
        raise InvalidInput(
            [FieldError(field, "roster.seats_below_taken", {"taken": session.taken})]
        )
    if not lowest_seats(session) <= seats <= SEATS_MAX:
        raise InvalidInput(
            [
                FieldError(
                    field,
                    "roster.seats_out_of_range",
                    {"lowest": lowest_seats(session), "highest": SEATS_MAX},
                )
            ]
        )
    return seats


def read_participants(form: Mapping[str, object]) -> dict[int, Participant]:
    """The participants a sign-up card names, by the row they are on, or every field
    that is wrong."""
    errors: list[FieldError] = []
    participants: dict[int, Participant] = {}
    seen: set[str] = set()

    for row in range(1, PARTICIPANT_ROWS + 1):
        raw_name = form.get(name_field(row))
        name = clean_text(raw_name)
        diet = clean_text(form.get(diet_field(row))) or None
        if not name:
            if diet:
                errors.append(FieldError(name_field(row), "signup.diet_without_name"))
            elif raw_name is not None and not isinstance(raw_name, str):
                errors.append(FieldError(name_field(row), "signup.name_not_a_name"))
            continue
        problem = _name_problem(name)
        if problem is not None:
            params = {"max": NAME_MAX} if problem == "signup.name_too_long" else {}
            errors.append(FieldError(name_field(row), problem, params))
        elif participant_key(name) in seen:
            errors.append(FieldError(name_field(row), "signup.name_twice"))
        if diet and text_length(diet) > DIETARY_WISHES_MAX:
            errors.append(
                FieldError(
                    diet_field(row), "signup.diet_too_long", {"max": DIETARY_WISHES_MAX}
                )
            )
        seen.add(participant_key(name))
        participants[row] = Participant(name, diet)

    if not participants and not errors:
        errors.append(FieldError(name_field(1), "signup.no_participants"))
    if errors:
        raise InvalidInput(errors)
    return participants


def check_sign_up(
    session: TrainingSession,
    participants: Mapping[int, Participant],
    already_signed_up: set[str],
    now: datetime,
) -> None:
    """Raise unless these participants (by form row) of one school may join this
    session; an error stands at the row it is about.

    `already_signed_up` holds the participant keys the school has on it now.
    """
    if not sign_up_open(session.first_day, now):
        raise DomainError("signup.closed")

    errors = [
        FieldError(name_field(row), "signup.already_signed_up", {"name": p.name})
        for row, p in sorted(participants.items())
        if p.key in already_signed_up
    ]
    if errors:
        raise InvalidInput(errors)

    rows = sorted(participants)
    if session.seats_left == 0:
        raise InvalidInput([FieldError(name_field(rows[0]), "signup.full")])
    if len(rows) > session.seats_left:
        first_without_seat = rows[session.seats_left]
        raise InvalidInput(
            [
                FieldError(
                    name_field(first_without_seat),
                    "signup.not_enough_seats",
                    {"left": session.seats_left, "asked": len(rows)},
                )
            ]
        )


def check_cancellation(first_day: date, now: datetime) -> None:
    if not may_cancel(first_day, now):
        raise DomainError(
            "signup.too_late_to_cancel",
            {"last_day": last_cancellation_day(first_day)},
        )
