"""the last day of a session

A two-day session is still to come, and its sign-ups still the trainer's concern,
until its last day has passed; the last day is kept beside the first to ask for
that. Existing sessions get theirs from their days.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 07:40:00
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_sessions = sa.table(
    "training_sessions",
    sa.column("id", sa.Integer()),
    sa.column("days", sa.JSON()),
    sa.column("last_day", sa.Date()),
)


def upgrade() -> None:
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_day", sa.Date(), nullable=True))

    connection = op.get_bind()
    for row in connection.execute(sa.select(_sessions.c.id, _sessions.c.days)):
        last_day = max(date.fromisoformat(day) for day in row.days)
        connection.execute(
            _sessions.update().where(_sessions.c.id == row.id).values(last_day=last_day)
        )

    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.alter_column("last_day", existing_type=sa.Date(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("training_sessions", schema=None) as batch_op:
        batch_op.drop_column("last_day")
