"""Put a read training calendar into the database, idempotently.

A session is known by its training and first day. A second import of the same text
changes nothing. A stored session the calendar does not list, though its first day
lies within the calendar's span, is reported and kept, since people may be signed up
for it; sessions of other periods are no concern of this calendar.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from domain.calendar_text import CalendarReading
from domain.trainings import DEFAULT_SEATS
from store.database import Database

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionLine:
    title: str
    days: tuple[date, ...]


@dataclass
class ImportReport:
    added: list[SessionLine] = field(default_factory=list)
    unchanged: list[SessionLine] = field(default_factory=list)
    days_changed: list[tuple[SessionLine, tuple[date, ...]]] = field(
        default_factory=list
    )
    not_in_calendar: list[SessionLine] = field(default_factory=list)
    trainings_described: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.added) + len(self.days_changed) + len(self.trainings_described)


async def import_calendar(
    database: Database,
    reading: CalendarReading,
    *,
    seats: int = DEFAULT_SEATS,
    dry_run: bool = False,
) -> ImportReport:
    report = ImportReport()

    listed: set[tuple[str, date]] = set()
    async with database.unit_of_work() as uow:
        for read in reading.trainings:
            training_id, changed = await uow.trainings.save_training(read.training)
            if changed:
                report.trainings_described.append(read.training.title)
            stored = await uow.trainings.session_days(training_id)

            for session in read.sessions:
                line = SessionLine(read.training.title, session.days)
                first_day = session.days[0]
                listed.add((read.training.key, first_day))
                if first_day not in stored:
                    await uow.trainings.add_session(training_id, session.days, seats)
                    report.added.append(line)
                elif stored[first_day] != session.days:
                    await uow.trainings.set_session_days(
                        training_id, first_day, session.days
                    )
                    report.days_changed.append(
                        (
                            SessionLine(read.training.title, stored[first_day]),
                            session.days,
                        )
                    )
                else:
                    report.unchanged.append(line)

        if listed:
            first_days = [first_day for _, first_day in listed]
            report.not_in_calendar.extend(
                SessionLine(title, days)
                for key, title, days in await uow.trainings.sessions_between(
                    min(first_days), max(first_days)
                )
                if (key, days[0]) not in listed
            )

        if not dry_run:
            await uow.commit()

    logger.info(
        "calendar import%s: %d added, %d unchanged, %d with other days",
        " (dry run)" if dry_run else "",
        len(report.added),
        len(report.unchanged),
        len(report.days_changed),
    )
    return report
