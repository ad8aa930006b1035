"""Leaving a queue (withdrawal, IPR re-certification) while keeping the history row."""

from __future__ import annotations

import sqlalchemy as sa

from core.db.models import Case, QueueEntry
from core.services.context import ServiceContext


def leave_queue(ctx: ServiceContext, case: Case, reason: str) -> int:
    entries = ctx.session.scalars(
        sa.select(QueueEntry).where(QueueEntry.case_id == case.id, QueueEntry.active == sa.true())
    )
    count = 0
    for entry in entries:
        entry.active, entry.left_at, entry.left_reason = False, ctx.now, reason
        count += 1
    return count
