"""Notices to the applicant about their case, written to the durable outbox in the same transaction.

One row per (case, kind, due date): a retried service call never notifies twice. The scheduler delivers the rows
through the person's channel, in their language.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from core.db.enums import OutboxStatus
from core.db.models import Case, Outbox
from core.rules.codes import Actor
from core.services.context import ServiceContext

# Notices that only confirm what the person has just done themselves in the chat: the dialogue has already answered
# with the same news in that very turn (submitted, in the queue at place N, a free place offered on their choice,
# the arrival date moved), so a second message saying it again would only confuse. When staff enter the same step
# on the person's behalf (App.1-3 p.7: at the department's self-service sector), the notice goes as usual.
CONFIRMED_IN_THE_CHAT = frozenset({"submitted", "queued", "offer", "postponed"})


def notify(
    ctx: ServiceContext, case: Case, kind: str, *, due_on: date | None = None, urgent: bool = False, **params: Any
) -> Outbox | None:
    """Write the notice `kind` for the family; None when the person's own step in the chat already told them."""
    if ctx.actor.kind == Actor.APPLICANT and kind in CONFIRMED_IN_THE_CHAT:
        return None
    return _write(ctx, case, kind, due_on or ctx.today, urgent, params)


def _write(ctx: ServiceContext, case: Case, kind: str, due: date, urgent: bool, params: dict[str, Any]) -> Outbox:
    existing = _row(ctx, case, kind, due)
    if existing is not None:
        return existing
    row = Outbox(
        case_id=case.id,
        kind=kind,
        due_on=due,
        payload={key: _plain(value) for key, value in params.items()},
        status=OutboxStatus.PENDING,
        urgent=urgent,
        next_attempt_at=ctx.now,
        created_at=ctx.now,
    )
    ctx.session.add(row)
    return row


DOCUMENT_REJECTED = "document_rejected"
_NOT_YET_DELIVERED = (OutboxStatus.PENDING, OutboxStatus.HELD)


def document_rejected(ctx: ServiceContext, case: Case, document_code: str, reason: str) -> Outbox:
    """Tell the family at once why staff rejected a document (urgent, due today).

    Several rejections on one day share that day's row while it waits to go out: `documents` lists every one,
    `document_code` and `reason` are the latest. Once the day's row has gone out, a later rejection takes the next
    free day, because the outbox keeps one row per case, kind and day."""
    entry = {"document_code": document_code, "reason": reason}
    day = ctx.today
    while True:
        row = _row(ctx, case, DOCUMENT_REJECTED, day)
        if row is None:
            return _write(ctx, case, DOCUMENT_REJECTED, day, True, {**entry, "documents": [entry]})
        if row.status in _NOT_YET_DELIVERED:
            others = [item for item in row.payload.get("documents", []) if item.get("document_code") != document_code]
            row.payload = {**entry, "documents": [*others, entry]}
            return row
        day += timedelta(days=1)


def _row(ctx: ServiceContext, case: Case, kind: str, due_on: date) -> Outbox | None:
    statement = sa.select(Outbox).where(Outbox.case_id == case.id, Outbox.kind == kind, Outbox.due_on == due_on)
    return ctx.session.scalars(statement).first()


def cancel_pending(ctx: ServiceContext, case: Case, kinds: tuple[str, ...]) -> int:
    """Cancel reminders that a change made pointless (e.g. the choice reminders once an organisation is chosen)."""
    rows = ctx.session.scalars(
        sa.select(Outbox).where(
            Outbox.case_id == case.id, Outbox.kind.in_(kinds), Outbox.status == OutboxStatus.PENDING
        )
    )
    count = 0
    for row in rows:
        row.status = OutboxStatus.CANCELLED
        count += 1
    return count


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
