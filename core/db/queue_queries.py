"""Queue reads in the core order, written so the database answers them from `ix_queue_entry_order`.

The order (rules-digest §5) is `priority_rank, queued_at, id` within one organisation's active entries; the
index is (organisation_id, active, priority_rank, queued_at, id), so the questions below are index range scans
and no Python sorting of a whole queue is ever needed.

A position does not count the whole queue ahead: the trigger-kept `queue_day_count` (core.db.models.queue_counts)
gives the people of every (rank, UTC day) slice strictly ahead, and only the person's own day is counted row by
row, so the cost stays flat as the queue grows. `entries_ahead_statement` is the plain COUNT it must always equal.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql import Select
from sqlmodel import Session, col

from core.db.models.queue import QueueEntry
from core.db.models.queue_counts import QueueDayCount
from core.db.types import UTCDateTime

QUEUE_ORDER = (col(QueueEntry.priority_rank), col(QueueEntry.queued_at), col(QueueEntry.id))


def _active_in(organisation_id: int) -> sa.ColumnElement[bool]:
    # `= true` (not `IS true`): the equality is what lets the planner use the index column `active`.
    return sa.and_(col(QueueEntry.organisation_id) == organisation_id, col(QueueEntry.active) == sa.true())


def first_in_queue_statement(organisation_id: int) -> Select[QueueEntry]:
    return sa.select(QueueEntry).where(_active_in(organisation_id)).order_by(*QUEUE_ORDER).limit(1)


def first_in_queue(session: Session, organisation_id: int) -> QueueEntry | None:
    """The active entry that gets the next free place of the organisation, or None for an empty queue."""
    return session.scalars(first_in_queue_statement(organisation_id)).first()


def active_queue(session: Session, organisation_id: int, *, limit: int = 100) -> list[QueueEntry]:
    """The first `limit` active entries in queue order (for staff screens)."""
    statement = sa.select(QueueEntry).where(_active_in(organisation_id)).order_by(*QUEUE_ORDER).limit(limit)
    return list(session.scalars(statement))


_SORT_TYPES: tuple[sa.types.TypeEngine[Any], ...] = (sa.Integer(), UTCDateTime(), sa.Integer())


def _sort_key(entry: QueueEntry) -> tuple[Any, ...]:
    return (entry.priority_rank, entry.queued_at, entry.id)


def entries_ahead_statement(entry: QueueEntry) -> Select[int]:
    # Typed literals, so the instant is written exactly as stored (UTC; SQLite compares the text).
    ahead = sa.tuple_(*QUEUE_ORDER) < sa.tuple_(
        *(sa.literal(value, type_) for value, type_ in zip(_sort_key(entry), _SORT_TYPES, strict=True))
    )
    return sa.select(sa.func.count()).select_from(QueueEntry).where(_active_in(entry.organisation_id), ahead)


def day_slice_of(entry: QueueEntry) -> tuple[int, date]:
    """The entry's counter slice (rank, UTC day), as the triggers of migration 0003 compute it."""
    return (entry.priority_rank, entry.queued_at.astimezone(UTC).date())


def _fast_entries_ahead() -> Select[int]:
    # Built once with named parameters: a position is asked for on every queue screen and chat turn, and
    # building and cache-keying a fresh statement each time cost more than the database's own work.
    organisation_id = sa.bindparam("organisation_id", type_=sa.Integer())
    rank = sa.bindparam("rank", type_=sa.Integer())
    slices_ahead = sa.select(sa.func.coalesce(sa.func.sum(col(QueueDayCount.entries)), 0)).where(
        col(QueueDayCount.organisation_id) == organisation_id,
        sa.tuple_(col(QueueDayCount.priority_rank), col(QueueDayCount.day))
        < sa.tuple_(rank, sa.bindparam("day", type_=sa.Date())),
    )
    own_day_ahead = sa.tuple_(col(QueueEntry.queued_at), col(QueueEntry.id)) < sa.tuple_(
        sa.bindparam("queued_at", type_=UTCDateTime()), sa.bindparam("entry_id", type_=sa.Integer())
    )
    same_day_ahead = (
        sa.select(sa.func.count())
        .select_from(QueueEntry)
        .where(
            col(QueueEntry.organisation_id) == organisation_id,
            col(QueueEntry.active) == sa.true(),  # `= true`: see _active_in
            col(QueueEntry.priority_rank) == rank,
            col(QueueEntry.queued_at) >= sa.bindparam("day_start", type_=UTCDateTime()),
            own_day_ahead,
        )
    )
    return sa.select(slices_ahead.scalar_subquery() + same_day_ahead.scalar_subquery())


FAST_ENTRIES_AHEAD = _fast_entries_ahead()


def fast_entries_ahead_parameters(entry: QueueEntry) -> dict[str, Any]:
    """The parameters of FAST_ENTRIES_AHEAD for `entry`: whole slices ahead come from the counts, the own day is
    counted row by row from `day_start` (UTC midnight) up to the entry."""
    rank, day = day_slice_of(entry)
    return {
        "organisation_id": entry.organisation_id,
        "rank": rank,
        "day": day,
        "day_start": datetime.combine(day, time(), UTC),
        "queued_at": entry.queued_at,
        "entry_id": entry.id,
    }


def queue_position(session: Session, entry: QueueEntry) -> int:
    """1 for the first in the queue. The entry must be saved (flushed) and active."""
    if entry.id is None or not entry.active:
        raise ValueError("queue_position needs a saved, active queue entry")
    return int(session.scalar(FAST_ENTRIES_AHEAD, fast_entries_ahead_parameters(entry)) or 0) + 1


def slow_queue_position(session: Session, entry: QueueEntry) -> int:
    """The position by counting every entry ahead (the reference the fast path is tested against)."""
    if entry.id is None or not entry.active:
        raise ValueError("queue_position needs a saved, active queue entry")
    return int(session.scalar(entries_ahead_statement(entry)) or 0) + 1


def queue_length(session: Session, organisation_id: int) -> int:
    """How many people wait in the organisation's queue, from the counts (no COUNT over the whole queue)."""
    statement = sa.select(sa.func.coalesce(sa.func.sum(col(QueueDayCount.entries)), 0)).where(
        col(QueueDayCount.organisation_id) == organisation_id
    )
    return int(session.scalar(statement) or 0)
