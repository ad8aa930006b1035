"""The date a person on temporary leave is due back (App.1 p.14, p.17; App.4 p.14), so staff are alerted.

Until now it lived only in the status history's note. Existing cases on leave keep a NULL date (no alert) until the
leave is recorded again.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 16:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.add_column(sa.Column("leave_return_by", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case") as batch:
        batch.drop_column("leave_return_by")
