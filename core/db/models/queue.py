"""Organisation queues and place offers.

The core queue order (rules-digest §5) is: out of turn first, then veterans (first priority), then by the
moment of joining, then by id. It is stored as one small integer, `priority_rank`, so that the order is the
index order: "first active entry of organisation O" and "position of entry X" are index range scans.
"""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.db.enums import OfferStatus
from core.db.models.base import enum_check, enum_field, text_field, timestamp_field
from core.db.types import UTCDateTime
from core.rules.codes import Priority
from core.rules.queue import PRIORITY_RANK

# The rank, smallest first. Law silent: among people placed out of turn (App.1 p.7, p.20) a veteran still goes
# first (App.1 p.10 "бірінші кезекте"); the law does not rank the two privileges against each other, and
# out-of-turn placement means "without a queue", so it comes before any priority within the queue.
RANK_OUT_OF_TURN_VETERAN = 0
RANK_OUT_OF_TURN = 1
RANK_VETERAN = 2
RANK_GENERAL = 3

_RANK_SQL = (
    "CASE WHEN out_of_turn THEN (CASE WHEN priority = 'veteran' THEN 0 ELSE 1 END) "
    "ELSE (CASE WHEN priority = 'veteran' THEN 2 ELSE 3 END) END"
)


def priority_rank(out_of_turn: bool, priority: Priority | None) -> int:
    """The stored sort key of a queue entry: 0 = out of turn and veteran ... 3 = general queue."""
    # The same order as core.rules.queue.QUEUE_ORDERING (out of turn first, then PRIORITY_RANK), folded into one
    # indexable integer.
    return (0 if out_of_turn else 2) + PRIORITY_RANK[priority]


QUEUE_ORDER_INDEX = "ix_queue_entry_order"


class QueueEntry(SQLModel, table=True):
    """A case waiting for a place in one organisation. Leaving keeps the row (active = false) for the history.

    `priority_rank` is set from `out_of_turn` and `priority` before every insert and update (see the listener
    below) and a CHECK keeps the two in agreement even for hand-written SQL.
    """

    __tablename__ = "queue_entry"
    __table_args__ = (
        sa.Index(QUEUE_ORDER_INDEX, "organisation_id", "active", "priority_rank", "queued_at", "id"),
        # A case waits at most once in the same organisation's queue.
        sa.Index(
            "uq_queue_entry_active_case",
            "organisation_id",
            "case_id",
            unique=True,
            sqlite_where=sa.text("active"),
            postgresql_where=sa.text("active"),
        ),
        enum_check("priority", Priority),
        sa.CheckConstraint(f"priority_rank = ({_RANK_SQL})", name="priority_rank_matches"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", nullable=False)
    case_id: int = Field(foreign_key="case.id", nullable=False, index=True)
    # The moment of joining; re-certification keeps the earlier place (App.1 p.7), so services copy it.
    queued_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)
    priority: Priority | None = enum_field(Priority, default=None, nullable=True)
    out_of_turn: bool = Field(default=False, nullable=False)
    priority_rank: int = Field(default=RANK_GENERAL, nullable=False)
    active: bool = Field(default=True, nullable=False)
    left_at: datetime | None = timestamp_field()
    left_reason: str | None = text_field(64)  # e.g. "offered", "withdrawn", "ipr_expired"


@sa.event.listens_for(QueueEntry, "before_insert")
@sa.event.listens_for(QueueEntry, "before_update")
def _keep_priority_rank(mapper: Any, connection: Any, entry: QueueEntry) -> None:
    entry.priority_rank = priority_rank(entry.out_of_turn, entry.priority)


class Offer(SQLModel, table=True):
    """A free place offered to a case from the queue (or on choosing an organisation with a vacancy)."""

    __tablename__ = "offer"
    __table_args__ = (
        sa.Index("ix_offer_status_arrival_due_on", "status", "arrival_due_on"),
        enum_check("status", OfferStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", nullable=False, index=True)
    organisation_id: int = Field(foreign_key="organisation.id", nullable=False, index=True)
    offered_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)
    arrival_due_on: date = Field(sa_type=sa.Date(), nullable=False)
    status: OfferStatus = enum_field(OfferStatus, default=OfferStatus.OPEN)
    closed_at: datetime | None = timestamp_field()


__all__ = [
    "QUEUE_ORDER_INDEX",
    "RANK_GENERAL",
    "RANK_OUT_OF_TURN",
    "RANK_OUT_OF_TURN_VETERAN",
    "RANK_VETERAN",
    "Offer",
    "QueueEntry",
    "priority_rank",
]
