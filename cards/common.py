"""Pieces every card uses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from adaptive_cards import card as ac
from adaptive_cards import types as act

from cards.actions import ACTION
from domain.texts import Language, say

VERSION = "1.5"


def adaptive_card(
    body: Sequence[Any], actions: Sequence[Any] = (), *, lang: str = "nl"
) -> ac.AdaptiveCard:
    return ac.AdaptiveCard(
        version=VERSION,
        lang=lang,
        body=list(body),
        actions=list(actions) or None,
    )


def shown_card(
    label: str, body: Sequence[Any], actions: Sequence[Any] = ()
) -> ac.ActionShowCard:
    """A button that opens a card inside this one (more text, or a question).

    The inner card takes the outer card's language: Microsoft's JS renderer checks
    `lang` with a global regular expression and refuses a second one.
    """
    inner = ac.AdaptiveCard(body=list(body), actions=list(actions) or None)
    return ac.ActionShowCard(title=label, card=inner)


def title(text: str) -> ac.TextBlock:
    return ac.TextBlock(
        text=text, size=act.FontSize.LARGE, weight=act.FontWeight.BOLDER, wrap=True
    )


def text(value: str, *, subtle: bool = False, **options: Any) -> ac.TextBlock:
    return ac.TextBlock(text=value, wrap=True, is_subtle=subtle or None, **options)


def as_typed(*runs: tuple[str, bool]) -> ac.RichTextBlock:
    """Text as someone typed it, shown exactly: a text run is never read as
    Markdown, so `<pinda>` or `*geen*` stays what it says. Runs are (text, bold)."""
    return ac.RichTextBlock(
        inlines=[
            ac.TextRun(text=run, weight=act.FontWeight.BOLDER if bold else None)
            for run, bold in runs
        ]
    )


def field_error(message: str) -> ac.TextBlock:
    return ac.TextBlock(
        text=message,
        wrap=True,
        color=act.Colors.ATTENTION,
        size=act.FontSize.SMALL,
        spacing=act.Spacing.NONE,
    )


def submit(label: str, action: str, **data: Any) -> ac.ActionSubmit:
    """A button that posts a message back; Teams drops string data, so an object."""
    return ac.ActionSubmit(title=label, data={ACTION: action, **data})


def execute(
    label: str, action: str, *, style: Any = None, **data: Any
) -> ac.ActionExecute:
    """A button whose answer replaces the card in place (universal action)."""
    return ac.ActionExecute(title=label, verb=action, data={**data}, style=style)


def page_count(total: int, page_size: int) -> int:
    return max(-(-total // page_size), 1)


def page_buttons(
    action: str, page: int, pages: int, language: Language
) -> list[ac.ActionExecute]:
    """'Vorige' and 'Volgende', each replacing the card with its page."""
    buttons = []
    if page > 1:
        buttons.append(
            execute(say(language, "trainings.previous"), action, page=page - 1)
        )
    if page < pages:
        buttons.append(execute(say(language, "trainings.next"), action, page=page + 1))
    return buttons


def facts(pairs: Sequence[tuple[str, str]]) -> ac.FactSet:
    return ac.FactSet(facts=[ac.Fact(title=name, value=value) for name, value in pairs])


def payload_size(element: Any) -> int:
    """Bytes an element takes as sent: JSON with non-ASCII escaped (`\\u00e9`)."""
    dumped = element.model_dump(
        mode="json", exclude_none=True, by_alias=True, warnings=False
    )
    return len(json.dumps(dumped))


def as_payload(card: ac.AdaptiveCard) -> dict[str, Any]:
    """The card as plain JSON data, enums as their values, empty fields left out."""
    payload: dict[str, Any] = card.model_dump(
        mode="json", exclude_none=True, by_alias=True, warnings=False
    )
    return payload
