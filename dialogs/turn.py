"""What every flow knows about the turn it answers, and what it answers with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from adaptive_cards.card import AdaptiveCard

from cards.common import as_payload
from domain.clock import SCHOOL_TIME
from domain.people import Staff
from domain.texts import Language
from store.database import Database


@dataclass(frozen=True)
class Turn:
    """The person (if known), their language, the moment and the database."""

    staff: Staff | None
    language: Language
    now: datetime
    database: Database

    @property
    def today(self) -> date:
        return self.now.astimezone(SCHOOL_TIME).date()


@dataclass
class Reply:
    """Text and/or a card. `replace` asks to update the card the action came from.

    `rendered` is the card as JSON where the flow has it at hand already (a card it
    keeps for many turns); otherwise the card is rendered when it is sent.
    """

    text: str | None = None
    card: AdaptiveCard | None = None
    replace: bool = False
    language: Language | None = field(default=None)
    rendered: Mapping[str, Any] | None = None

    def card_payload(self) -> Mapping[str, Any] | None:
        if self.rendered is not None:
            return self.rendered
        return as_payload(self.card) if self.card else None
