"""The main menu and the help card."""

from __future__ import annotations

from adaptive_cards import card as ac

from cards import actions
from cards.common import adaptive_card, submit, text, title
from domain.texts import Language, say


def menu_card(
    language: Language, greeting: str | None = None, *, trainer: bool = False
) -> ac.AdaptiveCard:
    """What one can do: a teacher signs up; a trainer sees who comes."""
    body = [title(say(language, "menu.title"))]
    if greeting:
        body.insert(0, text(greeting))
    other = Language.EN if language is Language.NL else Language.NL
    own = (
        submit(say(language, "menu.roster"), actions.SHOW_ROSTER)
        if trainer
        else submit(say(language, "menu.my_sign_ups"), actions.SHOW_MY_SIGN_UPS)
    )
    return adaptive_card(
        body,
        [
            submit(say(language, "menu.trainings"), actions.SHOW_TRAININGS),
            own,
            submit(say(language, "menu.help"), actions.SHOW_HELP),
            submit(
                say(language, "menu.language"),
                actions.SWITCH_LANGUAGE,
                language=other.value,
            ),
        ],
        lang=language.value,
    )


def suggestions_card(
    language: Language, options: list[tuple[str, str]]
) -> ac.AdaptiveCard:
    """'Did you mean…' with a button per likely flow: (label, action id)."""
    return adaptive_card(
        [text(say(language, "not_understood"))],
        [submit(label, action) for label, action in options],
        lang=language.value,
    )
