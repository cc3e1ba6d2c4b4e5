"""Repositories: SQL in, domain objects out.

Each takes the unit of work's connection and speaks SQLAlchemy Core. The statements
every turn runs are built once, at import, and given their values as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CursorResult,
    Executable,
    Row,
    ScalarResult,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.people import Role, School, Staff
from domain.trainings import Participant, SignUp, Training, TrainingSession
from store.tables import (
    conversation_references,
    schools,
    sign_up_requests,
    sign_ups,
    staff,
    training_sessions,
    trainings,
)


def _new_id(inserted: CursorResult[Any]) -> int:
    """The primary key an INSERT of one row gave it."""
    key = inserted.inserted_primary_key
    assert key is not None
    return int(key[0])


def upsert(connection: AsyncConnection, table: Any) -> Any:
    """INSERT … ON CONFLICT for the connection's dialect."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


# --- staff ----------------------------------------------------------------------------

_STAFF = select(
    staff.c.id,
    staff.c.name,
    staff.c.email,
    staff.c.roles,
    staff.c.aad_object_id,
    schools.c.id.label("school_id"),
    schools.c.name.label("school_name"),
).select_from(staff.outerjoin(schools, schools.c.id == staff.c.school_id))
_STAFF_BY_AAD_OBJECT_ID = _STAFF.where(
    staff.c.aad_object_id == bindparam("aad_object_id")
)
_STAFF_BY_EMAIL = _STAFF.where(
    func.lower(staff.c.email) == func.lower(bindparam("email"))
)
_STAFF_BY_ID = _STAFF.where(staff.c.id == bindparam("staff_id"))


def _staff(row: Row[Any]) -> Staff:
    school = School(row.school_id, row.school_name) if row.school_id else None
    return Staff(
        id=row.id,
        name=row.name,
        email=row.email,
        roles=frozenset(Role(role) for role in row.roles.split()),
        school=school,
        aad_object_id=row.aad_object_id,
    )


class StaffRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def by_aad_object_id(self, aad_object_id: str) -> Staff | None:
        return await self._first(
            _STAFF_BY_AAD_OBJECT_ID, {"aad_object_id": aad_object_id}
        )

    async def by_email(self, email: str) -> Staff | None:
        return await self._first(_STAFF_BY_EMAIL, {"email": email.strip()})

    async def link_aad_object_id(self, staff_id: int, aad_object_id: str) -> None:
        """Give the staff member this Entra object id, taking it from anyone else."""
        await self.connection.execute(
            update(staff)
            .where(staff.c.aad_object_id == aad_object_id)
            .values(aad_object_id=None)
        )
        await self.connection.execute(
            update(staff)
            .where(staff.c.id == staff_id)
            .values(aad_object_id=aad_object_id)
        )

    async def school_named(self, name: str) -> School:
        """The school of this name, stored first if it is new."""
        found = await self.connection.scalar(
            select(schools.c.id).where(schools.c.name == name)
        )
        if found is None:
            result = await self.connection.execute(insert(schools).values(name=name))
            found = _new_id(result)
        return School(int(found), name)

    async def save(
        self,
        name: str,
        email: str,
        roles: Iterable[Role],
        school: School | None,
    ) -> Staff:
        """Store a staff member by e-mail address, new or known."""
        values = {
            "name": name,
            "roles": " ".join(sorted(role.value for role in roles)),
            "school_id": school.id if school else None,
        }
        staff_id = await self.connection.scalar(
            select(staff.c.id).where(func.lower(staff.c.email) == func.lower(email))
        )
        if staff_id is None:
            result = await self.connection.execute(
                insert(staff).values(email=email, **values)
            )
            staff_id = _new_id(result)
        else:
            await self.connection.execute(
                update(staff).where(staff.c.id == staff_id).values(**values)
            )
        found = await self._first(_STAFF_BY_ID, {"staff_id": staff_id})
        assert found is not None
        return found

    async def _first(
        self, statement: Executable, values: Mapping[str, Any]
    ) -> Staff | None:
        row = (await self.connection.execute(statement, values)).first()
        return _staff(row) if row else None


# --- trainings and their sessions -----------------------------------------------------

_SEATS_TAKEN = (
    select(func.count(sign_ups.c.id))
    .where(
        sign_ups.c.session_id == training_sessions.c.id,
        sign_ups.c.cancelled_at.is_(None),
    )
    .correlate(training_sessions)
    .scalar_subquery()
)
_SESSIONS = select(
    training_sessions.c.id,
    training_sessions.c.days,
    training_sessions.c.seats,
    trainings.c.key,
    trainings.c.title,
    trainings.c.content,
    trainings.c.audience,
    _SEATS_TAKEN.label("taken"),
).select_from(
    training_sessions.join(trainings, trainings.c.id == training_sessions.c.training_id)
)
_SESSION_ORDER = (training_sessions.c.first_day, trainings.c.title)

# The page and, by a window count, the total, in one statement. A session is
# upcoming until its last day has passed.
_UPCOMING = (
    _SESSIONS.add_columns(func.count().over().label("total"))
    .where(training_sessions.c.last_day >= bindparam("from_day"))
    .order_by(*_SESSION_ORDER)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_COUNT_UPCOMING = select(func.count(training_sessions.c.id)).where(
    training_sessions.c.last_day >= bindparam("from_day")
)
_SESSION_BY_ID = _SESSIONS.where(training_sessions.c.id == bindparam("session_id"))
_LOCK_SESSION = (
    select(training_sessions.c.id)
    .where(training_sessions.c.id == bindparam("session_id"))
    .with_for_update()
)


def _days(stored: Sequence[str]) -> tuple[date, ...]:
    return tuple(date.fromisoformat(day) for day in stored)


def _session(row: Row[Any]) -> TrainingSession:
    """A session from a row of `_SESSIONS` (or a statement that extends it)."""
    training = Training(row.key, row.title, row.content, row.audience)
    return TrainingSession(row.id, training, _days(row.days), row.seats, int(row.taken))


class TrainingRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def upcoming(
        self, from_day: date, offset: int = 0, limit: int = 100
    ) -> tuple[list[TrainingSession], int]:
        """Sessions not over by `from_day` (their last day is that day or later),
        soonest first; and how many there are."""
        rows = (
            await self.connection.execute(
                _UPCOMING, {"from_day": from_day, "offset": offset, "limit": limit}
            )
        ).all()
        if rows:
            return [_session(row) for row in rows], int(rows[0].total)
        # Past the last page there is no row to carry the total.
        total = await self.connection.scalar(_COUNT_UPCOMING, {"from_day": from_day})
        return [], int(total or 0)

    async def get(
        self, session_id: int, *, for_update: bool = False
    ) -> TrainingSession | None:
        """One session; `for_update` holds its row until the transaction ends."""
        # SQLite has no row locks: its transactions begin IMMEDIATE, holding the
        # write lock already, so the locking statement would lock nothing more.
        if for_update and self.connection.dialect.name != "sqlite":
            await self.connection.execute(_LOCK_SESSION, {"session_id": session_id})
        row = (
            await self.connection.execute(_SESSION_BY_ID, {"session_id": session_id})
        ).first()
        return _session(row) if row else None

    async def save_training(self, training: Training) -> tuple[int, bool]:
        """Store or refresh a training by key; says whether anything changed."""
        fields = {
            "title": training.title,
            "content": training.content,
            "audience": training.audience,
        }
        row = (
            await self.connection.execute(
                select(trainings).where(trainings.c.key == training.key)
            )
        ).first()
        if row is None:
            result = await self.connection.execute(
                insert(trainings).values(key=training.key, **fields)
            )
            return _new_id(result), True
        if all(getattr(row, name) == value for name, value in fields.items()):
            return row.id, False
        await self.connection.execute(
            update(trainings).where(trainings.c.id == row.id).values(**fields)
        )
        return row.id, True

    async def session_days(self, training_id: int) -> dict[date, tuple[date, ...]]:
        """Days of each stored session of a training, by first day."""
        rows = await self.connection.execute(
            select(training_sessions.c.first_day, training_sessions.c.days).where(
                training_sessions.c.training_id == training_id
            )
        )
        return {row.first_day: _days(row.days) for row in rows}

    async def sessions_between(
        self, first: date, last: date
    ) -> list[tuple[str, str, tuple[date, ...]]]:
        """Every stored session whose first day lies in [first, last]: its training's
        key and title, and its days."""
        rows = await self.connection.execute(
            select(trainings.c.key, trainings.c.title, training_sessions.c.days)
            .select_from(
                training_sessions.join(
                    trainings, trainings.c.id == training_sessions.c.training_id
                )
            )
            .where(training_sessions.c.first_day.between(first, last))
            .order_by(training_sessions.c.first_day, trainings.c.title)
        )
        return [(row.key, row.title, _days(row.days)) for row in rows]

    async def add_session(
        self, training_id: int, days: Sequence[date], seats: int
    ) -> int:
        result = await self.connection.execute(
            insert(training_sessions).values(
                training_id=training_id,
                first_day=days[0],
                last_day=max(days),
                days=[day.isoformat() for day in days],
                seats=seats,
            )
        )
        return _new_id(result)

    async def set_seats(self, session_id: int, seats: int) -> None:
        await self.connection.execute(
            update(training_sessions)
            .where(training_sessions.c.id == session_id)
            .values(seats=seats)
        )

    async def set_session_days(
        self, training_id: int, first_day: date, days: Sequence[date]
    ) -> None:
        await self.connection.execute(
            update(training_sessions)
            .where(
                training_sessions.c.training_id == training_id,
                training_sessions.c.first_day == first_day,
            )
            .values(days=[day.isoformat() for day in days], last_day=max(days))
        )


# --- sign-ups -------------------------------------------------------------------------

_SIGN_UPS = select(
    sign_ups.c.id,
    sign_ups.c.session_id,
    schools.c.name.label("school_name"),
    sign_ups.c.participant_name,
    sign_ups.c.dietary_wishes,
    sign_ups.c.signed_up_by,
    sign_ups.c.cancelled_at,
).select_from(sign_ups.join(schools, schools.c.id == sign_ups.c.school_id))
_ACTIVE = sign_ups.c.cancelled_at.is_(None)

_REQUEST_AUTHOR = select(sign_up_requests.c.staff_id).where(
    sign_up_requests.c.token == bindparam("token")
)
_SIGN_UPS_OF_REQUEST = (
    _SIGN_UPS.join(sign_up_requests, sign_up_requests.c.id == sign_ups.c.request_id)
    .where(
        sign_up_requests.c.token == bindparam("token"),
        sign_up_requests.c.staff_id == bindparam("staff_id"),
        _ACTIVE,
    )
    .order_by(sign_ups.c.id)
)
_ACTIVE_PARTICIPANT_KEYS = select(sign_ups.c.participant_key).where(
    sign_ups.c.session_id == bindparam("session_id"),
    sign_ups.c.school_id == bindparam("school_id"),
    _ACTIVE,
)
_SIGN_UP_BY_ID = _SIGN_UPS.where(sign_ups.c.id == bindparam("sign_up_id"))
_SIGN_UPS_OF_SESSION = _SIGN_UPS.where(
    sign_ups.c.session_id == bindparam("session_id"), _ACTIVE
).order_by(schools.c.name, sign_ups.c.participant_name)
# A sign-up with its session: the sign-up's columns come after the session's.
_SCHOOL_SIGN_UPS = (
    _SESSIONS.add_columns(
        sign_ups.c.id.label("sign_up_id"),
        sign_ups.c.session_id,
        sign_ups.c.participant_name,
        sign_ups.c.dietary_wishes,
        sign_ups.c.signed_up_by,
        sign_ups.c.cancelled_at,
        schools.c.name.label("school_name"),
    )
    .join(sign_ups, sign_ups.c.session_id == training_sessions.c.id)
    .join(schools, schools.c.id == sign_ups.c.school_id)
    .where(
        sign_ups.c.school_id == bindparam("school_id"),
        training_sessions.c.last_day >= bindparam("from_day"),
        _ACTIVE,
    )
    .order_by(*_SESSION_ORDER, sign_ups.c.participant_name)
)


def _sign_up(row: Row[Any], *, id_label: str = "id") -> SignUp:
    return SignUp(
        id=getattr(row, id_label),
        session_id=row.session_id,
        school_name=row.school_name,
        participant=Participant(row.participant_name, row.dietary_wishes),
        signed_up_by=row.signed_up_by,
        cancelled_at=row.cancelled_at,
    )


@dataclass(frozen=True)
class SchoolSignUp:
    sign_up: SignUp
    session: TrainingSession


class SignUpRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def request_author(self, token: str) -> int | None:
        """The staff member who submitted the card with this token, if anyone did."""
        author: int | None = await self.connection.scalar(
            _REQUEST_AUTHOR, {"token": token}
        )
        return author

    async def of_request(self, token: str, staff_id: int) -> list[SignUp]:
        """What one person's submitted card stored and is not cancelled; nothing
        for anyone else."""
        rows = await self.connection.execute(
            _SIGN_UPS_OF_REQUEST, {"token": token, "staff_id": staff_id}
        )
        return [_sign_up(row) for row in rows]

    async def active_participant_keys(
        self, session_id: int, school_id: int
    ) -> set[str]:
        keys: ScalarResult[str] = await self.connection.scalars(
            _ACTIVE_PARTICIPANT_KEYS, {"session_id": session_id, "school_id": school_id}
        )
        return set(keys)

    async def add(
        self,
        token: str,
        session_id: int,
        school_id: int,
        staff_id: int,
        participants: Sequence[Participant],
        now: datetime,
    ) -> None:
        """Store one submitted card: its token, then a sign-up per participant."""
        request = await self.connection.execute(
            insert(sign_up_requests).values(
                token=token, session_id=session_id, staff_id=staff_id, created_at=now
            )
        )
        request_id = _new_id(request)
        await self.connection.execute(
            insert(sign_ups),
            [
                {
                    "request_id": request_id,
                    "session_id": session_id,
                    "school_id": school_id,
                    "participant_name": participant.name,
                    "participant_key": participant.key,
                    "dietary_wishes": participant.dietary_wishes,
                    "signed_up_by": staff_id,
                    "created_at": now,
                }
                for participant in participants
            ],
        )

    async def get(self, sign_up_id: int) -> SignUp | None:
        row = (
            await self.connection.execute(_SIGN_UP_BY_ID, {"sign_up_id": sign_up_id})
        ).first()
        return _sign_up(row) if row else None

    async def cancel(self, sign_up_id: int, now: datetime) -> None:
        await self.connection.execute(
            update(sign_ups).where(sign_ups.c.id == sign_up_id).values(cancelled_at=now)
        )

    async def of_school(self, school_id: int, from_day: date) -> list[SchoolSignUp]:
        """Active sign-ups of a school for sessions not over by `from_day`."""
        rows = await self.connection.execute(
            _SCHOOL_SIGN_UPS, {"school_id": school_id, "from_day": from_day}
        )
        return [
            SchoolSignUp(_sign_up(row, id_label="sign_up_id"), _session(row))
            for row in rows
        ]

    async def of_sessions(self, session_ids: Sequence[int]) -> dict[int, list[SignUp]]:
        """Active sign-ups of each of these sessions, by school and name."""
        found: dict[int, list[SignUp]] = {session_id: [] for session_id in session_ids}
        rows = await self.connection.execute(
            _SIGN_UPS.where(sign_ups.c.session_id.in_(session_ids), _ACTIVE).order_by(
                schools.c.name, sign_ups.c.participant_name
            )
        )
        for row in rows:
            found[row.session_id].append(_sign_up(row))
        return found

    async def of_session(self, session_id: int) -> list[SignUp]:
        rows = await self.connection.execute(
            _SIGN_UPS_OF_SESSION, {"session_id": session_id}
        )
        return [_sign_up(row) for row in rows]

    async def remove_dietary_wishes(self, last_day_before: date, now: datetime) -> int:
        """Blank the dietary wishes of sessions that ended before the given day."""
        ended = select(training_sessions.c.id).where(
            training_sessions.c.last_day < last_day_before
        )
        result = await self.connection.execute(
            update(sign_ups)
            .where(
                sign_ups.c.session_id.in_(ended),
                sign_ups.c.dietary_wishes.is_not(None),
            )
            .values(dietary_wishes=None, dietary_wishes_removed_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)


# --- conversation references ----------------------------------------------------------


class ConversationRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection

    async def remember(
        self,
        user_id: str,
        aad_object_id: str | None,
        reference: dict[str, Any],
        now: datetime,
    ) -> None:
        values = {
            "user_id": user_id,
            "aad_object_id": aad_object_id,
            "reference": reference,
            "updated_at": now,
        }
        statement = upsert(self.connection, conversation_references).values(**values)
        await self.connection.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id"],
                set_={k: v for k, v in values.items() if k != "user_id"},
            )
        )

    async def reference_of(self, user_id: str) -> dict[str, Any] | None:
        reference: dict[str, Any] | None = await self.connection.scalar(
            select(conversation_references.c.reference).where(
                conversation_references.c.user_id == user_id
            )
        )
        return reference
