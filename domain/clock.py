"""Time as the school lives it: stored in UTC, read in Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

SCHOOL_TIME = ZoneInfo("Europe/Amsterdam")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class PinnedDayClock:
    """Pretends today is `day` in school time, while the hours keep running.

    Used for demos and tests on a calendar that lies in the past.
    """

    def __init__(self, day: date) -> None:
        self.day = day

    def now(self) -> datetime:
        wall = datetime.now(SCHOOL_TIME).timetz()
        local = datetime.combine(self.day, time(wall.hour, wall.minute, wall.second))
        return local.replace(tzinfo=SCHOOL_TIME).astimezone(UTC)


def school_today(clock: Clock) -> date:
    return clock.now().astimezone(SCHOOL_TIME).date()
