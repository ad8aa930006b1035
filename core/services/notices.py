"""Notices to the applicant about their case, written to the durable outbox in the same transaction.

One row per (case, kind, due date): a retried service call never notifies twice. The scheduler delivers the rows
through the person's channel, in their language.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from core.db.enums import OutboxStatus
from core.db.models import Case, Outbox
from core.services.context import ServiceContext


def notify(
    ctx: ServiceContext, case: Case, kind: str, *, due_on: date | None = None, urgent: bool = False, **params: Any
) -> Outbox:
    due = due_on or ctx.today
    existing = ctx.session.scalars(
        sa.select(Outbox).where(Outbox.case_id == case.id, Outbox.kind == kind, Outbox.due_on == due)
    ).first()
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
