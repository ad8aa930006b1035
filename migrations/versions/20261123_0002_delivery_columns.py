"""Delivery: who an outbox row is for, WhatsApp's held messages and receipts, staff last login.

- outbox.audience (applicant | staff), outbox.status gains 'held' (a WhatsApp template went out outside the 24-hour
  window; the full text waits for the person's next message), held_at, external_message_id and delivery_status for
  channel receipts.
- inbox_message.external_message_id and delivery_status: staff replies get receipts too.
- staff_user.last_login_at.

SQLite cannot alter a CHECK constraint in place, so the outbox changes run in batch mode (table copy there, plain
ALTERs on PostgreSQL).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 19:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = "status IN ('pending', 'sent', 'failed', 'cancelled')"
NEW_STATUSES = "status IN ('pending', 'sent', 'failed', 'cancelled', 'held')"


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("audience", sa.String(length=32), nullable=False, server_default="applicant"))
        batch.add_column(sa.Column("held_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("external_message_id", sa.String(length=191), nullable=True))
        batch.add_column(sa.Column("delivery_status", sa.String(length=32), nullable=True))
        batch.drop_constraint(op.f("ck_outbox_status"), type_="check")
        batch.create_check_constraint("status", NEW_STATUSES)
        batch.create_check_constraint("audience", "audience IN ('applicant', 'staff')")
        batch.create_index("ix_outbox_external_message_id", ["external_message_id"], unique=False)
    with op.batch_alter_table("outbox") as batch:
        # The model gives the default in Python; the server default only filled the existing rows.
        batch.alter_column("audience", server_default=None)

    with op.batch_alter_table("inbox_message") as batch:
        batch.add_column(sa.Column("external_message_id", sa.String(length=191), nullable=True))
        batch.add_column(sa.Column("delivery_status", sa.String(length=32), nullable=True))
        batch.create_index(op.f("ix_inbox_message_external_message_id"), ["external_message_id"], unique=False)

    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("last_login_at")

    with op.batch_alter_table("inbox_message") as batch:
        batch.drop_index(op.f("ix_inbox_message_external_message_id"))
        batch.drop_column("delivery_status")
        batch.drop_column("external_message_id")

    op.execute("UPDATE outbox SET status = 'pending', held_at = NULL WHERE status = 'held'")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_external_message_id")
        batch.drop_constraint(op.f("ck_outbox_audience"), type_="check")
        batch.drop_constraint(op.f("ck_outbox_status"), type_="check")
        batch.create_check_constraint("status", OLD_STATUSES)
        batch.drop_column("delivery_status")
        batch.drop_column("external_message_id")
        batch.drop_column("held_at")
        batch.drop_column("audience")
