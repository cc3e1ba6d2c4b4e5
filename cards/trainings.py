"""The training calendar, the sign-up form and its confirmation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from adaptive_cards import card as ac
from adaptive_cards import types as act

from cards import actions
from cards.common import (
    adaptive_card,
    execute,
    facts,
    field_error,
    page_buttons,
    page_count,
    shown_card,
    submit,
    text,
    title,
)
from domain.errors import FieldError
from domain.texts import Language, days, money, say
from domain.trainings import (
    DIETARY_WISHES_MAX,
    MINIMUM_PARTICIPANTS,
    NAME_MAX,
    PARTICIPANT_ROWS,
    PRICE_PER_PERSON_PER_DAY,
    SignUp,
    TrainingSession,
    diet_field,
    last_cancellation_day,
    may_cancel,
    name_field,
    sign_up_open,
)

PAGE_SIZE = 5


def _price(session: TrainingSession, language: Language) -> str:
    return say(
        language,
        "trainings.price_value",
        amount=money(session.price_per_person, language),
        days=len(session.days),
        per_day=money(PRICE_PER_PERSON_PER_DAY, language),
    )


def heading(session: TrainingSession, language: Language) -> str:
    heading = session.training.title
    suffix = f" ({say(language, 'trainings.two_day')})"
    if session.is_multi_day and not heading.casefold().endswith("tweedaagse"):
        heading += suffix
    return heading


def _session_facts(session: TrainingSession, language: Language) -> ac.FactSet:
    seats = (
        say(
            language,
            "trainings.seats_value",
            left=session.seats_left,
            seats=session.seats,
        )
        if session.seats_left
        else say(language, "trainings.full")
    )
    pairs = [
        (say(language, "trainings.when"), days(session.days, language)),
        (say(language, "trainings.price"), _price(session, language)),
        (say(language, "trainings.seats"), seats),
    ]
    if session.training.audience:
        pairs.insert(
            1, (say(language, "trainings.for_whom"), session.training.audience)
        )
    return facts(pairs)


def trainings_card(
    sessions: Sequence[TrainingSession],
    page: int,
    total: int,
    language: Language,
    now: datetime,
    *,
    sign_up: bool = True,
) -> ac.AdaptiveCard:
    """One page of upcoming sessions, each with its own sign-up button unless the
    reader signs nobody up (`sign_up=False`: vendor staff)."""
    pages = page_count(total, PAGE_SIZE)
    body: list[Any] = [title(say(language, "trainings.title"))]
    if not sessions:
        body.append(text(say(language, "trainings.none")))

    for session in sessions:
        buttons: list[Any] = []
        if sign_up and session.seats_left > 0 and sign_up_open(session.first_day, now):
            buttons.append(
                submit(
                    say(language, "trainings.sign_up"),
                    actions.OPEN_SIGN_UP,
                    session_id=session.id,
                )
            )
        if session.training.content:
            buttons.append(
                shown_card(
                    say(language, "trainings.about"), [text(session.training.content)]
                )
            )
        items: list[Any] = [
            text(heading(session, language), weight=act.FontWeight.BOLDER),
            _session_facts(session, language),
        ]
        if buttons:
            items.append(ac.ActionSet(actions=buttons))
        body.append(
            ac.Container(separator=True, spacing=act.Spacing.MEDIUM, items=items)
        )

    body.append(
        text(
            say(language, "trainings.minimum", minimum=MINIMUM_PARTICIPANTS)
            + " "
            + say(language, "trainings.lunch"),
            subtle=True,
            size=act.FontSize.SMALL,
        )
    )
    paging = page_buttons(actions.SHOW_TRAININGS, page, pages, language)
    if pages > 1:
        body.append(
            text(say(language, "trainings.page", page=page, pages=pages), subtle=True)
        )
    return adaptive_card(body, paging, lang=language.value)


def _cancellation_note(
    session: TrainingSession, language: Language, now: datetime
) -> ac.TextBlock:
    """Until when a sign-up can be cancelled, or that it no longer can."""
    last_day = last_cancellation_day(session.first_day)
    if may_cancel(session.first_day, now):
        return text(
            say(language, "signup.cancellation_rule", last_day=last_day), subtle=True
        )
    return text(
        say(language, "signup.no_cancellation", last_day=last_day),
        color=act.Colors.WARNING,
    )


def sign_up_card(
    session: TrainingSession,
    school_name: str,
    token: str,
    language: Language,
    now: datetime,
    form: Mapping[str, Any],
    errors: Sequence[FieldError] = (),
) -> ac.AdaptiveCard:
    """The form; after a wrong submit it keeps what was typed and marks the fields."""
    by_field = {error.field: error for error in errors}
    body: list[Any] = [
        title(say(language, "signup.title", title=heading(session, language))),
        facts(
            [
                (say(language, "signup.school"), school_name),
                (say(language, "trainings.when"), days(session.days, language)),
                (say(language, "trainings.price"), _price(session, language)),
            ]
        ),
    ]
    if errors:
        body.append(
            text(
                say(language, "form.has_errors"),
                color=act.Colors.ATTENTION,
                weight=act.FontWeight.BOLDER,
            )
        )

    for row in range(1, PARTICIPANT_ROWS + 1):
        inputs: list[Any] = [
            text(
                say(language, "signup.participant", row=row),
                weight=act.FontWeight.BOLDER,
            ),
            ac.InputText(
                id=name_field(row),
                label=say(language, "signup.name"),
                value=str(form.get(name_field(row)) or "") or None,
                max_length=NAME_MAX,
                is_required=row == 1 or None,
                error_message=say(language, "signup.no_participants")
                if row == 1
                else None,
            ),
        ]
        if error := by_field.get(name_field(row)):
            inputs.append(field_error(say(language, error.text, **error.params)))
        inputs.append(
            ac.InputText(
                id=diet_field(row),
                label=say(language, "signup.diet"),
                value=str(form.get(diet_field(row)) or "") or None,
                max_length=DIETARY_WISHES_MAX,
            )
        )
        if error := by_field.get(diet_field(row)):
            inputs.append(field_error(say(language, error.text, **error.params)))
        body.append(ac.Container(items=inputs, separator=row > 1))

    body.append(_cancellation_note(session, language, now))
    return adaptive_card(
        body,
        [
            execute(
                say(language, "signup.submit"),
                actions.SIGN_UP,
                style=act.ActionStyle.POSITIVE,
                session_id=session.id,
                token=token,
            )
        ],
        lang=language.value,
    )


def signed_up_card(
    session: TrainingSession,
    sign_ups: Sequence[SignUp],
    language: Language,
    now: datetime,
) -> ac.AdaptiveCard:
    """What replaces the form once the sign-up is stored."""
    total = session.price_per_person * len(sign_ups)
    names = ", ".join(sign_up.participant.name for sign_up in sign_ups)
    return adaptive_card(
        [
            title(f"✅ {say(language, 'signup.done')}"),
            text(
                say(
                    language,
                    "signup.done_text",
                    count=len(sign_ups),
                    title=heading(session, language),
                    total=money(total, language),
                )
            ),
            facts(
                [
                    (say(language, "trainings.when"), days(session.days, language)),
                    (say(language, "signup.participants"), names),
                    (say(language, "trainings.price"), _price(session, language)),
                    (say(language, "signup.total"), money(total, language)),
                ]
            ),
            _cancellation_note(session, language, now),
        ],
        [submit(say(language, "menu.my_sign_ups"), actions.SHOW_MY_SIGN_UPS)],
        lang=language.value,
    )


def notice_card(message: str, language: Language) -> ac.AdaptiveCard:
    return adaptive_card([text(message)], lang=language.value)
