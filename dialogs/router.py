"""Routes a card action or a typed message to its flow, by table."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from cards import actions
from cards.menu import menu_card, suggestions_card
from dialogs import trainings
from dialogs.intents import understand
from dialogs.turn import Reply, Turn
from domain.errors import DomainError
from domain.texts import Language, say

logger = logging.getLogger(__name__)

Flow = Callable[[Turn, Mapping[str, Any]], Awaitable[Reply]]


def _is_trainer(turn: Turn) -> bool:
    return turn.staff is not None and turn.staff.is_trainer


async def show_menu(turn: Turn, data: Mapping[str, Any]) -> Reply:
    return Reply(card=menu_card(turn.language, trainer=_is_trainer(turn)))


async def show_help(turn: Turn, data: Mapping[str, Any]) -> Reply:
    trainer = _is_trainer(turn)
    help_text = say(turn.language, "help.text_trainer" if trainer else "help.text")
    return Reply(text=help_text, card=menu_card(turn.language, trainer=trainer))


async def switch_language(turn: Turn, data: Mapping[str, Any]) -> Reply:
    try:
        chosen = Language(str(data.get("language", "")))
    except ValueError:
        chosen = Language.EN if turn.language is Language.NL else Language.NL
    return Reply(
        text=say(chosen, "language.switched"),
        # Someone the bot does not know gets no menu of what they cannot use.
        card=menu_card(chosen, trainer=_is_trainer(turn)) if turn.staff else None,
        language=chosen,
    )


FLOWS: dict[str, Flow] = {
    actions.SHOW_MENU: show_menu,
    actions.SHOW_HELP: show_help,
    actions.SWITCH_LANGUAGE: switch_language,
    actions.SHOW_TRAININGS: trainings.show_trainings,
    actions.OPEN_SIGN_UP: trainings.open_sign_up,
    actions.SIGN_UP: trainings.sign_up,
    actions.SHOW_MY_SIGN_UPS: trainings.show_my_sign_ups,
    actions.CANCEL_SIGN_UP: trainings.cancel_sign_up,
    actions.SHOW_ROSTER: trainings.show_roster,
    actions.SET_SEATS: trainings.set_seats,
}

OPEN_TO_STRANGERS = frozenset({actions.SWITCH_LANGUAGE})

SUGGESTION_LABELS = {
    actions.SHOW_TRAININGS: "menu.trainings",
    actions.SHOW_MY_SIGN_UPS: "menu.my_sign_ups",
    actions.SHOW_HELP: "menu.help",
    actions.SHOW_MENU: "menu.title",
    actions.SHOW_ROSTER: "roster.title",
}


async def answer_action(turn: Turn, action: str, data: Mapping[str, Any]) -> Reply:
    """Run the flow behind a card action; a rule that says no becomes a notice."""
    flow = FLOWS.get(action)
    if flow is None:
        logger.info("card action %r is not known", action)
        return trainings.notice(turn, say(turn.language, "card.expired"))
    if turn.staff is None and action not in OPEN_TO_STRANGERS:
        return Reply(text=say(turn.language, "unknown_user"))

    try:
        return await flow(turn, data)
    except DomainError as refusal:
        logger.info("action %s refused: %s", action, refusal.text)
        return trainings.notice(
            turn, say(turn.language, refusal.text, **refusal.params)
        )


async def answer_text(turn: Turn, said: str) -> Reply:
    understood = understand(said)
    if understood.action:
        data = {"language": understood.language} if understood.language else {}
        return await answer_action(turn, understood.action, data)
    if turn.staff is None:
        return Reply(text=say(turn.language, "unknown_user"))
    if not understood.candidates:
        return Reply(text=say(turn.language, "not_understood.plain"))
    options = [
        (say(turn.language, SUGGESTION_LABELS[action]), action)
        for action in understood.candidates
    ]
    return Reply(card=suggestions_card(turn.language, options))
