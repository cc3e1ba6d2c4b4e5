"""What every flow knows about the turn it answers, and what it answers with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from adaptive_cards.card import AdaptiveCard

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
    """Text and/or a card. `replace` asks to update the card the action came from."""

    text: str | None = None
    card: AdaptiveCard | None = None
    replace: bool = False
    language: Language | None = field(default=None)
