"""The database schema; only the Alembic migrations in `store/migrations` make it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SchoolRow(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class StaffRow(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id"))
    roles: Mapped[str] = mapped_column(String(300), default="")


class TrainingRow(Base):
    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str | None] = mapped_column(Text)


class SessionRow(Base):
    __tablename__ = "training_sessions"
    __table_args__ = (UniqueConstraint("training_id", "first_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id"))
    first_day: Mapped[date] = mapped_column(Date)
    days: Mapped[list[str]] = mapped_column(JSON)
    seats: Mapped[int] = mapped_column(Integer)


class SignUpRequestRow(Base):
    """One submitted sign-up card; its token makes a second submit a no-op."""

    __tablename__ = "sign_up_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SignUpRow(Base):
    __tablename__ = "sign_ups"
    __table_args__ = (
        Index(
            "uq_sign_ups_active_participant",
            "session_id",
            "school_id",
            "participant_key",
            unique=True,
            sqlite_where=text("cancelled_at IS NULL"),
            postgresql_where=text("cancelled_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("sign_up_requests.id"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_sessions.id"), index=True
    )
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id"))
    participant_name: Mapped[str] = mapped_column(String(200))
    participant_key: Mapped[str] = mapped_column(String(200))
    dietary_wishes: Mapped[str | None] = mapped_column(Text)
    signed_up_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    dietary_wishes_removed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True)
    )


class ConversationReferenceRow(Base):
    """Where to reach a user proactively; refreshed by every incoming activity."""

    __tablename__ = "conversation_references"

    user_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    aad_object_id: Mapped[str | None] = mapped_column(String(64), index=True)
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BotStateRow(Base):
    """Documents of the Bot Framework's user and conversation state."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
