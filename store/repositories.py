"""Repositories: SQL in, domain objects out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from domain.people import Role, School, Staff
from domain.trainings import Participant, SignUp, Training, TrainingSession
from store.tables import (
    ConversationReferenceRow,
    SchoolRow,
    SessionRow,
    SignUpRequestRow,
    SignUpRow,
    StaffRow,
    TrainingRow,
)


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind else "sqlite"


def _upsert(session: AsyncSession, table: Any) -> Any:
    dialect = _dialect(session)
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


class StaffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_aad_object_id(self, aad_object_id: str) -> Staff | None:
        # Every turn asks this: a statement built once, given its value.
        return await self._first(
            _STAFF_BY_AAD_OBJECT_ID, {"aad_object_id": aad_object_id}
        )

    async def by_email(self, email: str) -> Staff | None:
        return await self._one(func.lower(StaffRow.email) == func.lower(email.strip()))

    async def link_aad_object_id(self, staff_id: int, aad_object_id: str) -> None:
        await self.session.execute(
            update(StaffRow)
            .where(StaffRow.aad_object_id == aad_object_id)
            .values(aad_object_id=None)
        )
        await self.session.execute(
            update(StaffRow)
            .where(StaffRow.id == staff_id)
            .values(aad_object_id=aad_object_id)
        )

    async def school_named(self, name: str) -> School:
        row = await self.session.scalar(select(SchoolRow).where(SchoolRow.name == name))
        if row is None:
            row = SchoolRow(name=name)
            self.session.add(row)
            await self.session.flush()
        return School(row.id, row.name)

    async def save(
        self,
        name: str,
        email: str,
        roles: Iterable[Role],
        school: School | None,
    ) -> Staff:
        row = await self.session.scalar(
            select(StaffRow).where(func.lower(StaffRow.email) == func.lower(email))
        )
        if row is None:
            row = StaffRow(email=email)
            self.session.add(row)
        row.name = name
        row.roles = " ".join(sorted(role.value for role in roles))
        row.school_id = school.id if school else None
        await self.session.flush()
        found = await self._one(StaffRow.id == row.id)
        assert found is not None
        return found

    async def _one(self, condition: Any) -> Staff | None:
        return await self._first(_STAFF.where(condition), {})

    async def _first(self, statement: Any, values: dict[str, Any]) -> Staff | None:
        result = await self.session.execute(statement, values)
        found = result.first()
        if found is None:
            return None
        staff: StaffRow = found[0]
        school: SchoolRow | None = found[1]
        return Staff(
            id=staff.id,
            name=staff.name,
            email=staff.email,
            roles=frozenset(Role(role) for role in staff.roles.split()),
            school=School(school.id, school.name) if school else None,
            aad_object_id=staff.aad_object_id,
        )


# The statements every turn runs are built once and given their values as
# parameters: SQLAlchemy takes longer to build and key a statement like these than
# SQLite takes to run it.
_STAFF = select(StaffRow, SchoolRow).outerjoin(
    SchoolRow, SchoolRow.id == StaffRow.school_id
)
_STAFF_BY_AAD_OBJECT_ID = _STAFF.where(
    StaffRow.aad_object_id == bindparam("aad_object_id")
)


def _sessions_with_seats_taken() -> Any:
    taken = (
        select(func.count(SignUpRow.id))
        .where(
            SignUpRow.session_id == SessionRow.id,
            SignUpRow.cancelled_at.is_(None),
        )
        .correlate(SessionRow)
        .scalar_subquery()
    )
    return select(SessionRow, TrainingRow, taken).join(
        TrainingRow, TrainingRow.id == SessionRow.training_id
    )


# The page and, by a window count, the total, in one statement.
_UPCOMING = (
    _sessions_with_seats_taken()
    .add_columns(func.count().over())
    .where(SessionRow.first_day >= bindparam("from_day"))
    .order_by(SessionRow.first_day, TrainingRow.title)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)
_SESSION_BY_ID = _sessions_with_seats_taken().where(
    SessionRow.id == bindparam("session_id")
)


def _training(row: TrainingRow) -> Training:
    return Training(row.key, row.title, row.content, row.audience)


def _days(row: SessionRow) -> tuple[date, ...]:
    return tuple(date.fromisoformat(day) for day in row.days)


class TrainingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _sessions(self) -> Any:
        return _sessions_with_seats_taken()

    @staticmethod
    def _session(row: Any, training: Any, taken: Any) -> TrainingSession:
        """A session from its row, its training's row and its count of seats taken.

        The statements are built once at import, so their rows reach here untyped.
        """
        assert isinstance(row, SessionRow) and isinstance(training, TrainingRow)
        return TrainingSession(
            row.id, _training(training), _days(row), row.seats, int(taken)
        )

    async def upcoming(
        self, from_day: date, offset: int = 0, limit: int = 100
    ) -> tuple[list[TrainingSession], int]:
        """Sessions whose first day is `from_day` or later, soonest first."""
        result = await self.session.execute(
            _UPCOMING, {"from_day": from_day, "offset": offset, "limit": limit}
        )
        rows = result.all()
        if rows:
            return [self._session(*row[:3]) for row in rows], rows[0][3]
        # Past the last page there is no row to carry the total.
        total = await self.session.scalar(
            select(func.count(SessionRow.id)).where(SessionRow.first_day >= from_day)
        )
        return [], total or 0

    async def get(
        self, session_id: int, *, for_update: bool = False
    ) -> TrainingSession | None:
        """One session; `for_update` holds its row until the transaction ends."""
        # SQLite has no row locks: its transactions begin IMMEDIATE, holding the
        # write lock already, so the locking statement would lock nothing more.
        if for_update and _dialect(self.session) != "sqlite":
            await self.session.execute(
                select(SessionRow.id)
                .where(SessionRow.id == session_id)
                .with_for_update()
            )
        result = await self.session.execute(_SESSION_BY_ID, {"session_id": session_id})
        found = result.first()
        if found is None:
            return None
        row, training, taken = found
        return self._session(row, training, taken)

    async def save_training(self, training: Training) -> tuple[int, bool]:
        """Store or refresh a training by key; says whether anything changed."""
        row = await self.session.scalar(
            select(TrainingRow).where(TrainingRow.key == training.key)
        )
        if row is None:
            row = TrainingRow(key=training.key)
            self.session.add(row)
        fields = {
            "title": training.title,
            "content": training.content,
            "audience": training.audience,
        }
        changed = any(getattr(row, name) != value for name, value in fields.items())
        for name, value in fields.items():
            setattr(row, name, value)
        await self.session.flush()
        return row.id, changed

    async def session_days(self, training_id: int) -> dict[date, tuple[date, ...]]:
        """Days of each stored session of a training, by first day."""
        rows = await self.session.scalars(
            select(SessionRow).where(SessionRow.training_id == training_id)
        )
        return {row.first_day: _days(row) for row in rows}

    async def add_session(
        self, training_id: int, days: Sequence[date], seats: int
    ) -> None:
        self.session.add(
            SessionRow(
                training_id=training_id,
                first_day=days[0],
                days=[day.isoformat() for day in days],
                seats=seats,
            )
        )
        await self.session.flush()

    async def set_session_days(
        self, training_id: int, first_day: date, days: Sequence[date]
    ) -> None:
        await self.session.execute(
            update(SessionRow)
            .where(
                SessionRow.training_id == training_id,
                SessionRow.first_day == first_day,
            )
            .values(days=[day.isoformat() for day in days])
        )


# A sign-up runs these; built once, like the statements above.
_REQUEST_AUTHOR = select(SignUpRequestRow.staff_id).where(
    SignUpRequestRow.token == bindparam("token")
)
_SIGN_UPS_OF_REQUEST = (
    select(SignUpRow)
    .join(SignUpRequestRow, SignUpRequestRow.id == SignUpRow.request_id)
    .where(
        SignUpRequestRow.token == bindparam("token"),
        SignUpRequestRow.staff_id == bindparam("staff_id"),
    )
    .order_by(SignUpRow.id)
)
_ACTIVE_PARTICIPANT_KEYS = select(SignUpRow.participant_key).where(
    SignUpRow.session_id == bindparam("session_id"),
    SignUpRow.school_id == bindparam("school_id"),
    SignUpRow.cancelled_at.is_(None),
)


@dataclass(frozen=True)
class SchoolSignUp:
    sign_up: SignUp
    session: TrainingSession


class SignUpRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def request_author(self, token: str) -> int | None:
        """The staff member who submitted the card with this token, if anyone did."""
        author: int | None = await self.session.scalar(
            _REQUEST_AUTHOR, {"token": token}
        )
        return author

    async def of_request(self, token: str, staff_id: int) -> list[SignUp]:
        """What one person's submitted card stored; nothing for anyone else."""
        rows = await self.session.scalars(
            _SIGN_UPS_OF_REQUEST, {"token": token, "staff_id": staff_id}
        )
        return [await self._sign_up(row) for row in rows]

    async def active_participant_keys(
        self, session_id: int, school_id: int
    ) -> set[str]:
        keys = await self.session.scalars(
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
        request = SignUpRequestRow(
            token=token, session_id=session_id, staff_id=staff_id, created_at=now
        )
        self.session.add(request)
        await self.session.flush()
        self.session.add_all(
            SignUpRow(
                request_id=request.id,
                session_id=session_id,
                school_id=school_id,
                participant_name=participant.name,
                participant_key=participant.key,
                dietary_wishes=participant.dietary_wishes,
                signed_up_by=staff_id,
                created_at=now,
            )
            for participant in participants
        )
        await self.session.flush()

    async def get(self, sign_up_id: int) -> SignUp | None:
        row = await self.session.get(SignUpRow, sign_up_id)
        return await self._sign_up(row) if row else None

    async def cancel(self, sign_up_id: int, now: datetime) -> None:
        await self.session.execute(
            update(SignUpRow).where(SignUpRow.id == sign_up_id).values(cancelled_at=now)
        )

    async def of_school(self, school_id: int, from_day: date) -> list[SchoolSignUp]:
        """Active sign-ups of a school for sessions from `from_day` on."""
        trainings = TrainingRepository(self.session)
        result = await self.session.execute(
            trainings._sessions()
            .add_columns(SignUpRow)
            .join(SignUpRow, SignUpRow.session_id == SessionRow.id)
            .where(
                SignUpRow.school_id == school_id,
                SignUpRow.cancelled_at.is_(None),
                SessionRow.first_day >= from_day,
            )
            .order_by(SessionRow.first_day, SignUpRow.participant_name)
        )
        found = []
        for session_row, training_row, taken, sign_up_row in result:
            found.append(
                SchoolSignUp(
                    await self._sign_up(sign_up_row),
                    trainings._session(session_row, training_row, taken),
                )
            )
        return found

    async def of_session(self, session_id: int) -> list[SignUp]:
        rows = await self.session.scalars(
            select(SignUpRow)
            .where(SignUpRow.session_id == session_id, SignUpRow.cancelled_at.is_(None))
            .order_by(SignUpRow.school_id, SignUpRow.participant_name)
        )
        return [await self._sign_up(row) for row in rows]

    async def remove_dietary_wishes(self, last_day_before: date, now: datetime) -> int:
        """Blank the dietary wishes of sessions that ended before the given day."""
        ended = select(SessionRow.id, SessionRow.days)
        session_ids = [
            session_id
            for session_id, days in await self.session.execute(ended)
            if date.fromisoformat(max(days)) < last_day_before
        ]
        if not session_ids:
            return 0
        result = await self.session.execute(
            update(SignUpRow)
            .where(
                SignUpRow.session_id.in_(session_ids),
                SignUpRow.dietary_wishes.is_not(None),
            )
            .values(dietary_wishes=None, dietary_wishes_removed_at=now)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def _sign_up(self, row: Any) -> SignUp:
        assert isinstance(row, SignUpRow)
        school = await self.session.get(SchoolRow, row.school_id)
        return SignUp(
            id=row.id,
            session_id=row.session_id,
            school_name=school.name if school else "",
            participant=Participant(row.participant_name, row.dietary_wishes),
            signed_up_by=row.signed_up_by,
            cancelled_at=row.cancelled_at,
        )


class ConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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
        statement = _upsert(self.session, ConversationReferenceRow).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id"],
                set_={k: v for k, v in values.items() if k != "user_id"},
            )
        )

    async def reference_of(self, user_id: str) -> dict[str, Any] | None:
        row = await self.session.get(ConversationReferenceRow, user_id)
        return row.reference if row else None
