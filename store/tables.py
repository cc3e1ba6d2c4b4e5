"""The database schema; only the Alembic migrations in `store/migrations` make it.

Plain SQLAlchemy Core tables: the repositories turn rows into domain objects
themselves, so nothing here needs the ORM's identity map or change tracking.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING)


def _moment(name: str, *, nullable: bool = False) -> Column[object]:
    return Column(name, DateTime(timezone=True), nullable=nullable)


schools = Table(
    "schools",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
)

staff = Table(
    "staff",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    Column("aad_object_id", String(64), unique=True),
    Column("school_id", ForeignKey("schools.id")),
    # Role names separated by spaces, e.g. "docent mentor".
    Column("roles", String(300), nullable=False, default=""),
)

trainings = Table(
    "trainings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("title", String(300), nullable=False),
    Column("content", Text),
    Column("audience", Text),
)

training_sessions = Table(
    "training_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("training_id", ForeignKey("trainings.id"), nullable=False),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
    # Every day of the session as an ISO date, the first and last included.
    Column("days", JSON, nullable=False),
    Column("seats", Integer, nullable=False),
    UniqueConstraint("training_id", "first_day"),
)

# One submitted sign-up card; its token makes a second submit a no-op.
sign_up_requests = Table(
    "sign_up_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(64), nullable=False, unique=True),
    Column("session_id", ForeignKey("training_sessions.id"), nullable=False),
    Column("staff_id", ForeignKey("staff.id"), nullable=False),
    _moment("created_at"),
)

sign_ups = Table(
    "sign_ups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("request_id", ForeignKey("sign_up_requests.id"), nullable=False),
    Column(
        "session_id", ForeignKey("training_sessions.id"), nullable=False, index=True
    ),
    Column("school_id", ForeignKey("schools.id"), nullable=False),
    Column("participant_name", String(200), nullable=False),
    Column("participant_key", String(200), nullable=False),
    Column("dietary_wishes", Text),
    Column("signed_up_by", ForeignKey("staff.id"), nullable=False),
    _moment("created_at"),
    _moment("cancelled_at", nullable=True),
    _moment("dietary_wishes_removed_at", nullable=True),
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

# Where to reach a user proactively; refreshed by every incoming activity.
conversation_references = Table(
    "conversation_references",
    metadata,
    Column("user_id", String(200), primary_key=True),
    Column("aad_object_id", String(64), index=True),
    Column("reference", JSON, nullable=False),
    _moment("updated_at"),
)

# Documents of the Bot Framework's user and conversation state.
bot_state = Table(
    "bot_state",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("document", JSON, nullable=False),
)
