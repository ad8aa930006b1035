"""Outgoing notifications waiting to be sent, and the lease that lets one scheduler run at a time."""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.db.enums import Audience, Channel, OutboxStatus
from core.db.models.base import created_at_field, enum_check, enum_field, json_dict_field, text_field, timestamp_field
from core.db.types import UTCDateTime


class Outbox(SQLModel, table=True):
    """One notification per (case, kind, due date): the unique key makes scheduling idempotent, so a scheduler
    that runs twice, or two that overlap, cannot send the same reminder twice."""

    __tablename__ = "outbox"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "kind", "due_on"),
        # The sender's pickup: pending rows whose next attempt is due.
        sa.Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        # Delivery receipts (WhatsApp statuses) find their row by the channel's message id.
        sa.Index("ix_outbox_external_message_id", "external_message_id"),
        enum_check("channel", Channel),
        enum_check("status", OutboxStatus),
        enum_check("audience", Audience),
        sa.CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", nullable=False)
    kind: str = text_field(64, nullable=False)  # e.g. "choose_reminder", "arrival_due"
    due_on: date = Field(sa_type=sa.Date(), nullable=False)
    channel: Channel | None = enum_field(Channel, default=None, nullable=True)  # None: the case's own chat
    chat_identity_id: int | None = Field(default=None, foreign_key="chat_identity.id", nullable=True)
    audience: Audience = enum_field(Audience, default=Audience.APPLICANT)
    payload: dict[str, Any] = json_dict_field()
    status: OutboxStatus = enum_field(OutboxStatus, default=OutboxStatus.PENDING)
    attempts: int = Field(default=0, nullable=False)
    next_attempt_at: datetime | None = timestamp_field()
    last_error: str | None = text_field()
    sent_at: datetime | None = timestamp_field()
    held_at: datetime | None = timestamp_field()  # when the WhatsApp template went out (status HELD)
    external_message_id: str | None = Field(default=None, sa_type=sa.String(191), nullable=True)
    delivery_status: str | None = text_field(32)  # the channel's last receipt: sent, delivered, read, failed
    urgent: bool = Field(default=False, nullable=False)
    created_at: datetime = created_at_field()


class SchedulerLease(SQLModel, table=True):
    """A named lease: the holder runs the job until `expires_at`; another process takes over after that."""

    __tablename__ = "scheduler_lease"

    name: str = Field(sa_type=sa.String(64), primary_key=True)
    holder: str = text_field(128, nullable=False)
    expires_at: datetime = Field(sa_type=UTCDateTime(), nullable=False)


__all__ = ["Outbox", "SchedulerLease"]
