"""How many people wait in each (organisation, priority rank, UTC day) slice of a queue: the queue position's index.

A position used to be a COUNT of every active entry ahead (linear in the queue: ~10 ms at 100k entries). With
these counts it is the sum of the slices strictly ahead plus a COUNT within the person's own day
(core.db.queue_queries.queue_position), so its cost no longer grows with the length of the queue.

The rows are kept by database triggers on `queue_entry` (migration 0003), on SQLite and PostgreSQL alike, so every
writer (services, admin, hand-written SQL) keeps them right inside its own transaction; nothing in Python writes
them. A slice whose count falls to zero is deleted, so the table holds only the days on which people still wait.

The `day` is the UTC date of `queued_at` (PostgreSQL: `(queued_at AT TIME ZONE 'UTC')::date`, SQLite:
`date(queued_at)`, whose stored text is UTC): any day boundary would do, as long as the triggers and the
position query use the same one, and UTC does not depend on a session's time zone.

Mind for later migrations: SQLite batch mode rebuilds a table by copying it and loses its triggers, so a
migration that batch-alters `queue_entry` must create the counter triggers again (tests/db/test_queue_counts.py
fails at the head revision if they are missing).
"""

from datetime import date

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class QueueDayCount(SQLModel, table=True):
    """Active queue entries of one organisation with one priority rank that joined on one UTC day."""

    __tablename__ = "queue_day_count"

    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True)
    priority_rank: int = Field(primary_key=True)
    day: date = Field(sa_type=sa.Date(), primary_key=True)
    entries: int = Field(nullable=False)


__all__ = ["QueueDayCount"]
