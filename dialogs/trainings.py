"""Trainings: the calendar, signing up, one's own sign-ups, the trainer's roster."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError

from cards.common import page_count
from cards.sign_ups import (
    MINE_PAGE_SIZE,
    my_sign_ups_card,
    roster_card,
    roster_pages,
)
from cards.trainings import (
    PAGE_SIZE,
    notice_card,
    sign_up_card,
    signed_up_card,
    trainings_card,
)
from dialogs.turn import Reply, Turn
from domain.errors import DomainError, FieldError, InvalidInput
from domain.people import School, Staff
from domain.texts import days, say
from domain.trainings import (
    SignUp,
    TrainingSession,
    check_sign_up,
    last_cancellation_day,
    may_cancel,
    name_field,
    participant_key,
    read_participants,
    read_seats,
    seats_field,
    sign_up_open,
)
from store.database import UnitOfWork

logger = logging.getLogger(__name__)

MAX_PAGE = 10_000  # beyond any real list
LARGEST_ID = 2**31 - 1  # the largest id the database stores
MAX_SESSIONS = 500  # more upcoming sessions than a vendor has in years


def _whole_number(
    data: Mapping[str, Any], name: str, default: int | None = None
) -> int:
    """A number a card button carries; one no card of ours could carry (missing,
    not a number, beyond a database id) means the card is not ours or too old."""
    try:
        number = int(data[name])
        if not -LARGEST_ID <= number <= LARGEST_ID:
            raise ValueError(number)
        return number
    except (KeyError, TypeError, ValueError):
        if default is None:
            raise DomainError("card.expired") from None
        return default


def _page_asked(data: Mapping[str, Any]) -> int:
    """The page a card button asks for; 1 when it asks for none or nonsense."""
    page = _whole_number(data, "page", 1)
    return page if 1 <= page <= MAX_PAGE else 1


def _school_of(staff: Staff | None) -> School:
    """The school a sign-up is for; vendor staff sign up nobody."""
    if staff is None or staff.is_vendor:
        raise DomainError("signup.vendor")
    if staff.school is None:
        raise DomainError("signup.no_school")
    return staff.school


async def _upcoming_page(
    uow: UnitOfWork, turn: Turn, data: Mapping[str, Any], size: int
) -> tuple[list[TrainingSession], int, int]:
    """The page of upcoming sessions asked for, its number and the total.

    A page past the last (a button of an older card, when fewer sessions lie ahead
    now) gives the last page.
    """
    page = _page_asked(data)
    sessions, total = await uow.trainings.upcoming(
        turn.today, offset=(page - 1) * size, limit=size
    )
    last_page = page_count(total, size)
    if page > last_page:
        page = last_page
        sessions, total = await uow.trainings.upcoming(
            turn.today, offset=(page - 1) * size, limit=size
        )
    return sessions, page, total


async def show_trainings(turn: Turn, data: Mapping[str, Any]) -> Reply:
    async with turn.database.unit_of_work(read_only=True) as uow:
        sessions, page, total = await _upcoming_page(uow, turn, data, PAGE_SIZE)

    for_a_school = turn.staff is not None and not turn.staff.is_vendor
    card = trainings_card(
        sessions, page, total, turn.language, turn.now, sign_up=for_a_school
    )
    return Reply(card=card)


async def open_sign_up(turn: Turn, data: Mapping[str, Any]) -> Reply:
    """A fresh form, from a calendar card that may be older than the seats left."""
    school = _school_of(turn.staff)
    assert turn.staff is not None
    session_id = _whole_number(data, "session_id")

    async with turn.database.unit_of_work(read_only=True) as uow:
        session = await uow.trainings.get(session_id)
        if session is None:
            raise DomainError("signup.session_gone")
        already = await uow.sign_ups.active_participant_keys(session.id, school.id)
    if not sign_up_open(session.first_day, turn.now):
        raise DomainError("signup.closed")
    if session.seats_left == 0:
        raise DomainError("signup.full")

    me = turn.staff.name
    form = {} if participant_key(me) in already else {name_field(1): me}
    token = secrets.token_urlsafe(16)
    card = sign_up_card(session, school.name, token, turn.language, turn.now, form)
    return Reply(card=card)


async def sign_up(turn: Turn, data: Mapping[str, Any]) -> Reply:
    """Store the sign-up of a submitted card once, however often it is submitted."""
    school = _school_of(turn.staff)
    assert turn.staff is not None
    session_id = _whole_number(data, "session_id")
    token = str(data.get("token") or "")[:64]
    if not token:
        raise DomainError("card.expired")

    try:
        participants = read_participants(data)
    except InvalidInput as invalid:
        return await _form_again(turn, session_id, school, token, data, invalid)

    try:
        async with turn.database.unit_of_work() as uow:
            session = await uow.trainings.get(session_id, for_update=True)
            if session is None:
                raise DomainError("signup.session_gone")
            author = await uow.sign_ups.request_author(token)
            if author is not None and author != turn.staff.id:
                # Someone else's card: its sign-up is theirs to see.
                raise DomainError("card.expired")
            if author is None:
                already = await uow.sign_ups.active_participant_keys(
                    session.id, school.id
                )
                check_sign_up(session, participants, already, turn.now)
                await uow.sign_ups.add(
                    token,
                    session.id,
                    school.id,
                    turn.staff.id,
                    [participants[row] for row in sorted(participants)],
                    turn.now,
                )
                await uow.commit()
                logger.info(
                    "sign-up stored: session %s, %d participant(s), school %s",
                    session.id,
                    len(participants),
                    school.id,
                )
    except InvalidInput as invalid:
        return await _form_again(turn, session_id, school, token, data, invalid)
    except IntegrityError:
        # A concurrent submit of the same card or participant won the race.
        logger.info(
            "sign-up for session %s lost a race; showing the winner", session_id
        )

    async with turn.database.unit_of_work(read_only=True) as uow:
        stored = await uow.sign_ups.of_request(token, turn.staff.id)
        session = await uow.trainings.get(session_id)
        replayed = await uow.sign_ups.request_author(token) == turn.staff.id
    if replayed and not stored:
        # Everyone this card signed up has been cancelled since.
        return notice(turn, say(turn.language, "signup.all_cancelled"))
    if not stored or session is None:
        return await _form_again(
            turn,
            session_id,
            school,
            token,
            data,
            InvalidInput([]),
        )
    return Reply(card=signed_up_card(session, stored, turn.language, turn.now))


async def _form_again(
    turn: Turn,
    session_id: int,
    school: School,
    token: str,
    data: Mapping[str, Any],
    invalid: InvalidInput,
) -> Reply:
    async with turn.database.unit_of_work(read_only=True) as uow:
        session = await uow.trainings.get(session_id)
    if session is None:
        raise DomainError("signup.session_gone")
    card = sign_up_card(
        session, school.name, token, turn.language, turn.now, data, invalid.errors
    )
    return Reply(card=card)


async def show_my_sign_ups(
    turn: Turn, data: Mapping[str, Any], notice: str | None = None
) -> Reply:
    if turn.staff is not None and turn.staff.is_vendor:
        raise DomainError("mine.vendor")
    school = _school_of(turn.staff)
    assert turn.staff is not None

    async with turn.database.unit_of_work(read_only=True) as uow:
        found = await uow.sign_ups.of_school(school.id, turn.today)

    mine = [
        (item.sign_up, item.session)
        for item in found
        if _is_mine(item.sign_up, turn.staff)
    ]
    page = min(
        max(_whole_number(data, "page", 1), 1), page_count(len(mine), MINE_PAGE_SIZE)
    )
    shown = mine[(page - 1) * MINE_PAGE_SIZE : page * MINE_PAGE_SIZE]
    card = my_sign_ups_card(shown, page, len(mine), turn.language, turn.now, notice)
    return Reply(card=card)


def _is_mine(sign_up: SignUp, staff: Staff) -> bool:
    """One's own: signed up by oneself, or oneself signed up by a colleague."""
    return (
        sign_up.signed_up_by == staff.id
        or sign_up.participant.key == participant_key(staff.name)
    )


async def cancel_sign_up(turn: Turn, data: Mapping[str, Any]) -> Reply:
    """Cancel one's own sign-up while the rules allow; a second click changes
    nothing and says the same."""
    school = _school_of(turn.staff)
    assert turn.staff is not None
    sign_up_id = _whole_number(data, "sign_up_id")

    async with turn.database.unit_of_work() as uow:
        sign_up = await uow.sign_ups.get(sign_up_id)
        # Sign-ups are never deleted: an unknown id was made up. Both answers are
        # one, so another school learns nothing of which ids exist.
        if sign_up is None or sign_up.school_name != school.name:
            raise DomainError("mine.not_yours")
        session = await uow.trainings.get(sign_up.session_id)
        assert session is not None
        if not _is_mine(sign_up, turn.staff):
            raise DomainError("mine.not_your_sign_up")
        cancelled = say(
            turn.language,
            "mine.cancelled",
            name=sign_up.participant.name,
            title=session.training.title,
        )
        if sign_up.cancelled_at is not None:
            notice = cancelled
        elif not may_cancel(session.first_day, turn.now):
            last_day = last_cancellation_day(session.first_day)
            notice = say(turn.language, "signup.too_late_to_cancel", last_day=last_day)
        else:
            await uow.sign_ups.cancel(sign_up.id, turn.now)
            await uow.commit()
            logger.info("sign-up %s cancelled", sign_up.id)
            notice = cancelled

    return await show_my_sign_ups(turn, data, notice)


def _only_for_trainers(turn: Turn) -> None:
    if turn.staff is None or not turn.staff.is_trainer:
        raise DomainError("roster.not_trainer")


async def show_roster(
    turn: Turn,
    data: Mapping[str, Any],
    *,
    errors: Sequence[FieldError] = (),
    notice: str | None = None,
    showing: int | None = None,
) -> Reply:
    """Who comes to each upcoming session, a page at a time; the page asked for, or
    the one `showing` the session with this id."""
    _only_for_trainers(turn)

    async with turn.database.unit_of_work(read_only=True) as uow:
        sessions, _ = await uow.trainings.upcoming(turn.today, limit=MAX_SESSIONS)
        sign_ups = await uow.sign_ups.of_sessions([s.id for s in sessions])
    roster = [(session, sign_ups[session.id]) for session in sessions]

    pages = roster_pages(roster, turn.language)
    page = min(_page_asked(data), len(pages))
    for number, places in enumerate(pages, start=1):
        if any(roster[place][0].id == showing for place in places):
            page = number
    on_page = [roster[place] for place in pages[page - 1]]
    form = data if errors else None
    card = roster_card(
        on_page,
        page,
        len(pages),
        turn.language,
        form=form,
        errors=errors,
        notice=notice,
    )
    return Reply(card=card)


async def set_seats(turn: Turn, data: Mapping[str, Any]) -> Reply:
    """A trainer sets the seats of a session; never below the sign-ups it has."""
    _only_for_trainers(turn)
    session_id = _whole_number(data, "session_id")

    try:
        async with turn.database.unit_of_work() as uow:
            session = await uow.trainings.get(session_id, for_update=True)
            if session is None:
                raise DomainError("signup.session_gone")
            seats = read_seats(session, data.get(seats_field(session_id)))
            await uow.trainings.set_seats(session_id, seats)
            await uow.commit()
    except InvalidInput as invalid:
        return await show_roster(turn, data, errors=invalid.errors, showing=session_id)

    logger.info("session %s now has %d seats", session_id, seats)
    saved = say(
        turn.language,
        "roster.seats_saved",
        title=session.training.title,
        when=days(session.days, turn.language),
        seats=seats,
    )
    return await show_roster(turn, data, notice=saved, showing=session_id)


def notice(turn: Turn, message: str) -> Reply:
    return Reply(card=notice_card(message, turn.language))
