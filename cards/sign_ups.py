"""A school's own sign-ups, and the trainer's view of every sign-up."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from adaptive_cards import card as ac
from adaptive_cards import types as act

from cards import actions
from cards.common import (
    adaptive_card,
    as_typed,
    execute,
    field_error,
    page_buttons,
    page_count,
    payload_size,
    shown_card,
    submit,
    text,
    title,
)
from cards.trainings import heading
from domain.errors import FieldError
from domain.texts import Language, days, say
from domain.trainings import (
    MINIMUM_PARTICIPANTS,
    SEATS_MAX,
    SignUp,
    TrainingSession,
    last_cancellation_day,
    lowest_seats,
    may_cancel,
    seats_field,
)

MINE_PAGE_SIZE = 8


def my_sign_ups_card(
    items: Sequence[tuple[SignUp, TrainingSession]],
    page: int,
    total: int,
    language: Language,
    now: datetime,
    notice: str | None = None,
) -> ac.AdaptiveCard:
    """One page of sign-ups, each with a cancel button while cancelling is allowed."""
    pages = page_count(total, MINE_PAGE_SIZE)
    body: list[Any] = [title(say(language, "mine.title"))]
    if notice:
        body.append(text(notice, color=act.Colors.ACCENT, weight=act.FontWeight.BOLDER))
    if not items:
        body.append(text(say(language, "mine.none")))

    for sign_up, session in items:
        last_day = last_cancellation_day(session.first_day)
        rows: list[Any] = [
            text(
                f"{session.training.title}: {sign_up.participant.name}",
                weight=act.FontWeight.BOLDER,
            ),
            text(days(session.days, language), spacing=act.Spacing.NONE),
        ]
        if may_cancel(session.first_day, now):
            rows.append(
                text(say(language, "mine.cancel_until", last_day=last_day), subtle=True)
            )
            rows.append(
                ac.ActionSet(actions=[_cancel_button(sign_up, session, page, language)])
            )
        else:
            rows.append(
                text(
                    say(language, "signup.too_late_to_cancel", last_day=last_day),
                    subtle=True,
                )
            )
        body.append(ac.Container(items=rows, separator=True))

    if pages > 1:
        body.append(
            text(say(language, "trainings.page", page=page, pages=pages), subtle=True)
        )
    buttons: list[Any] = page_buttons(actions.SHOW_MY_SIGN_UPS, page, pages, language)
    buttons.append(submit(say(language, "menu.trainings"), actions.SHOW_TRAININGS))
    return adaptive_card(body, buttons, lang=language.value)


def _cancel_button(
    sign_up: SignUp, session: TrainingSession, page: int, language: Language
) -> ac.ActionShowCard:
    """Cancelling asks once more: one click opens the question, a second cancels."""
    question = say(
        language,
        "mine.cancel_question",
        name=sign_up.participant.name,
        title=session.training.title,
    )
    confirm = execute(
        say(language, "mine.cancel_confirm"),
        actions.CANCEL_SIGN_UP,
        style=act.ActionStyle.DESTRUCTIVE,
        sign_up_id=sign_up.id,
        page=page,
    )
    return shown_card(say(language, "mine.cancel"), [text(question)], [confirm])


# A roster page holds sessions up to this many bytes as sent (JSON with every
# non-ASCII character escaped, as the connector client sends it), and at most this
# many sessions. Teams refuses a message over 100 KB.
ROSTER_PAGE_BYTES = 60 * 1024
ROSTER_PAGE_SESSIONS = 4

Roster = Sequence[tuple[TrainingSession, Sequence[SignUp]]]


def roster_pages(roster: Roster, language: Language) -> list[list[int]]:
    """The sessions of each roster page, by their place in `roster`.

    Sessions fill a page in order until the next would make it too large; a session
    too large for any page gets one of its own (the limits on seats and on what a
    participant types keep that under Teams' limit).
    """
    pages: list[list[int]] = [[]]
    used = 0
    for index, (session, sign_ups) in enumerate(roster):
        size = payload_size(_roster_section(session, sign_ups, 1, language, {}, {}))
        page = pages[-1]
        if page and (
            used + size > ROSTER_PAGE_BYTES or len(page) == ROSTER_PAGE_SESSIONS
        ):
            page = []
            pages.append(page)
            used = 0
        page.append(index)
        used += size
    return pages


def roster_card(
    sessions: Roster,
    page: int,
    pages: int,
    language: Language,
    *,
    form: Mapping[str, Any] | None = None,
    errors: Sequence[FieldError] = (),
    notice: str | None = None,
) -> ac.AdaptiveCard:
    """For trainers: who comes to each session of one page, with dietary wishes.

    Each session has its number of seats to change; after a wrong number the card
    keeps what was typed and says what is wrong under the field.
    """
    by_field = {error.field: error for error in errors}
    body: list[Any] = [title(say(language, "roster.title"))]
    if notice:
        body.append(text(notice, color=act.Colors.ACCENT, weight=act.FontWeight.BOLDER))
    if not sessions:
        body.append(text(say(language, "trainings.none")))
    body.extend(
        _roster_section(session, sign_ups, page, language, form or {}, by_field)
        for session, sign_ups in sessions
    )
    if pages > 1:
        body.append(
            text(say(language, "trainings.page", page=page, pages=pages), subtle=True)
        )
    buttons = page_buttons(actions.SHOW_ROSTER, page, pages, language)
    return adaptive_card(body, buttons, lang=language.value)


def _roster_section(
    session: TrainingSession,
    sign_ups: Sequence[SignUp],
    page: int,
    language: Language,
    form: Mapping[str, Any],
    errors: Mapping[str, FieldError],
) -> ac.Container:
    status = say(language, "roster.count", taken=session.taken, seats=session.seats)
    if session.taken < MINIMUM_PARTICIPANTS:
        status += " · " + say(
            language,
            "roster.below_minimum",
            missing=MINIMUM_PARTICIPANTS - session.taken,
        )
    # Dietary wishes are free text: shown as typed, never as formatting.
    people: list[Any] = [
        as_typed(
            (f"{sign_up.participant.name} ({sign_up.school_name})", True),
            (f": {sign_up.participant.dietary_wishes or '–'}", False),
        )
        for sign_up in sign_ups
    ]
    items: list[Any] = [
        text(heading(session, language), weight=act.FontWeight.BOLDER),
        text(days(session.days, language), spacing=act.Spacing.NONE),
        text(status, subtle=True),
        *(people or [text(say(language, "roster.empty"))]),
        *_seats_input(session, page, language, form, errors),
    ]
    return ac.Container(separator=True, items=items)


def _seats_input(
    session: TrainingSession,
    page: int,
    language: Language,
    form: Mapping[str, Any],
    errors: Mapping[str, FieldError],
) -> list[Any]:
    """The number of seats, and the button that saves it for this session."""
    field = seats_field(session.id)
    value: int | None = session.seats
    if field in form:
        try:
            value = int(str(form[field]).strip())
        except ValueError:
            value = None  # a number field cannot show anything else
    parts: list[Any] = [
        # No min or max: a client would quietly change a number outside them
        # before sending it, where the trainer should read why it was refused.
        ac.InputNumber(
            id=field,
            label=say(
                language,
                "roster.seats",
                lowest=lowest_seats(session),
                highest=SEATS_MAX,
            ),
            value=value,
        )
    ]
    if error := errors.get(field):
        parts.append(field_error(say(language, error.text, **error.params)))
    parts.append(
        ac.ActionSet(
            actions=[
                execute(
                    say(language, "roster.save_seats"),
                    actions.SET_SEATS,
                    session_id=session.id,
                    page=page,
                )
            ]
        )
    )
    return parts
