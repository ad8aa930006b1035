"""Delivery receipts from a channel (WhatsApp's statuses: sent, delivered, read, failed), kept on what was sent.

A receipt finds its notice (`outbox`) and staff answer (`inbox_message`) by the channel's message id. Receipts
arrive out of order (read before delivered is common), so a status never moves back: sent < delivered < read.
A failure always wins: the notice is marked FAILED with the channel's error, so staff see it wasn't delivered and
can reach the person another way; a staff answer gets `delivery_error`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from core.db.enums import OutboxStatus
from core.db.models import InboxMessage, Outbox
from core.services.context import ServiceContext

FAILED = "failed"
RANK = {"sent": 1, "delivered": 2, "read": 3}
ERROR_LIMIT = 500


@dataclass(frozen=True, slots=True)
class RecordedReceipt:
    outbox_rows: int
    inbox_messages: int


def record_receipt(
    ctx: ServiceContext, external_message_id: str, status: str, *, error: str | None = None
) -> RecordedReceipt:
    """Apply one receipt to every row sent as `external_message_id`; statuses we do not know are ignored."""
    status = status.lower()
    if status != FAILED and status not in RANK:
        return RecordedReceipt(0, 0)
    reason = (error or "delivery failed")[:ERROR_LIMIT]
    notices = ctx.session.scalars(sa.select(Outbox).where(Outbox.external_message_id == external_message_id)).all()
    for notice in notices:
        if _moves_forward(notice.delivery_status, status):
            notice.delivery_status = status
        if status == FAILED and notice.status != OutboxStatus.CANCELLED:
            notice.status = OutboxStatus.FAILED
            notice.last_error = reason
    answers = ctx.session.scalars(
        sa.select(InboxMessage).where(InboxMessage.external_message_id == external_message_id)
    ).all()
    for answer in answers:
        if _moves_forward(answer.delivery_status, status):
            answer.delivery_status = status
        if status == FAILED:
            answer.delivery_error = reason
    return RecordedReceipt(len(notices), len(answers))


def _moves_forward(current: str | None, new: str) -> bool:
    if new == FAILED:
        return True
    if current == FAILED:
        return False  # a late "sent" must not hide a failure from staff
    return RANK[new] > RANK.get(current or "", 0)
