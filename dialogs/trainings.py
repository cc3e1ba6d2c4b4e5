"""Trainings: the calendar, signing up, one's own sign-ups, the trainer's roster."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError

from cards.sign_ups import my_sign_ups_card, roster_card
from cards.trainings import (
    PAGE_SIZE,
    notice_card,
    sign_up_card,
    signed_up_card,
    trainings_card,
)
from dialogs.turn import Reply, Turn
from domain.errors import DomainError, InvalidInput
from domain.people import School, Staff
from domain.texts import say
from domain.trainings import (
    check_cancellation,
    check_sign_up,
    participant_key,
    read_participants,
)

logger = logging.getLogger(__name__)


def _whole_number(data: Mapping[str, Any], name: str, default: int | None = None) -> int:
    try:
        return int(data[name])
    except (KeyError, TypeError, ValueError):
        if default is None:
            raise DomainError("card.expired") from None
        return default


def _school_of(staff: Staff | None) -> School:
    """The school a sign-up is for; vendor staff sign up nobody."""
    if staff is None or staff.is_vendor:
        raise DomainError("signup.vendor")
    if staff.school is None:
        raise DomainError("signup.no_school")
    return staff.school


async def show_trainings(turn: Turn, data: Mapping[str, Any]) -> Reply:
    page = max(_whole_number(data, "page", 1), 1)

    async with turn.database.unit_of_work() as uow:
        sessions, total = await uow.trainings.upcoming(
            turn.today, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )

    return Reply(
        card=trainings_card(sessions, page, total, turn.language, turn.now),
        replace=page > 1 or "page" in data,
    )


async def open_sign_up(turn: Turn, data: Mapping[str, Any]) -> Reply:
    school = _school_of(turn.staff)
    session_id = _whole_number(data, "session_id")

    async with turn.database.unit_of_work() as uow:
        session = await uow.trainings.get(session_id)
    if session is None:
        raise DomainError("signup.session_gone")

    assert turn.staff is not None
    form = {"name_1": turn.staff.name}
    token = secrets.token_urlsafe(16)
    return Reply(card=sign_up_card(session, school.name, token, turn.language, form))


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
            if not await uow.sign_ups.request_exists(token):
                already = await uow.sign_ups.active_participant_keys(
                    session.id, school.id
                )
                check_sign_up(session, participants, already, turn.now)
                await uow.sign_ups.add(
                    token, session.id, school.id, turn.staff.id, participants, turn.now
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
        logger.info("sign-up for session %s lost a race; showing the winner", session_id)

    async with turn.database.unit_of_work() as uow:
        stored = await uow.sign_ups.of_request(token)
        session = await uow.trainings.get(session_id)
    if not stored or session is None:
        return await _form_again(
            turn,
            session_id,
            school,
            token,
            data,
            InvalidInput([]),
        )
    return Reply(card=signed_up_card(session, stored, turn.language), replace=True)


async def _form_again(
    turn: Turn,
    session_id: int,
    school: School,
    token: str,
    data: Mapping[str, Any],
    invalid: InvalidInput,
) -> Reply:
    async with turn.database.unit_of_work() as uow:
        session = await uow.trainings.get(session_id)
    if session is None:
        raise DomainError("signup.session_gone")
    card = sign_up_card(
        session, school.name, token, turn.language, data, invalid.errors
    )
    return Reply(card=card, replace=True)


async def show_my_sign_ups(
    turn: Turn, data: Mapping[str, Any], notice: str | None = None
) -> Reply:
    school = _school_of(turn.staff)
    assert turn.staff is not None
    me = participant_key(turn.staff.name)

    async with turn.database.unit_of_work() as uow:
        found = await uow.sign_ups.of_school(school.id, turn.today)

    mine = [
        (item.sign_up, item.session)
        for item in found
        if item.sign_up.signed_up_by == turn.staff.id or item.sign_up.participant.key == me
    ]
    card = my_sign_ups_card(mine, turn.language, turn.now, notice)
    return Reply(card=card, replace=notice is not None)


async def cancel_sign_up(turn: Turn, data: Mapping[str, Any]) -> Reply:
    school = _school_of(turn.staff)
    sign_up_id = _whole_number(data, "sign_up_id")

    async with turn.database.unit_of_work() as uow:
        sign_up = await uow.sign_ups.get(sign_up_id)
        if sign_up is None:
            raise DomainError("card.expired")
        session = await uow.trainings.get(sign_up.session_id)
        assert session is not None
        if sign_up.school_name != school.name:
            raise DomainError("mine.not_yours")
        if sign_up.cancelled_at is not None:
            notice = say(turn.language, "mine.already_cancelled")
        else:
            check_cancellation(session.first_day, turn.now)
            await uow.sign_ups.cancel(sign_up.id, turn.now)
            await uow.commit()
            logger.info("sign-up %s cancelled", sign_up.id)
            notice = say(
                turn.language,
                "mine.cancelled",
                name=sign_up.participant.name,
                title=session.training.title,
            )

    return await show_my_sign_ups(turn, data, notice)


async def show_roster(turn: Turn, data: Mapping[str, Any]) -> Reply:
    if turn.staff is None or not turn.staff.is_trainer:
        raise DomainError("roster.not_trainer")

    async with turn.database.unit_of_work() as uow:
        sessions, _ = await uow.trainings.upcoming(turn.today, limit=10)
        roster = [(session, await uow.sign_ups.of_session(session.id)) for session in sessions]

    return Reply(card=roster_card(roster, turn.language))


def notice(turn: Turn, message: str) -> Reply:
    return Reply(card=notice_card(message, turn.language))
