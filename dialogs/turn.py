"""What every flow knows about the turn it answers, and what it answers with."""

from __future__ import annotations

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
    """Text and/or a card; `language` when the user chose another one.

    Answering an `Action.Execute`, the card replaces the card clicked; answering a
    message or an `Action.Submit`, it comes as a new message.
    """

    text: str | None = None
    card: AdaptiveCard | None = None
    language: Language | None = field(default=None)

    def card_payload(self) -> dict[str, Any] | None:
        return as_payload(self.card) if self.card else None
