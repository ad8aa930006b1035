"""The outbox table as the delivery worker uses it: claim due rows, prepare one, write what happened to it.

Claiming is one UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING: on PostgreSQL two workers
never claim one row, on SQLite the single writer makes the statement atomic. A claim moves the row's
next_attempt_at CLAIM_SECONDS ahead: the row stays PENDING, so a worker that dies mid-batch loses nothing (the rows
it had not sent are due again when the claim runs out), and each result is committed row by row.

The one unavoidable window: a crash after the channel took a message but before its row was written sends that
one message again after the claim runs out (no chat API offers an idempotency key). Everything else goes once.
Every notice renders as one reply (bot.notice_texts), so a failure never leaves half a notice delivered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from bot.messages import Reply
from bot.notice_texts import STAFF_NOTICES, NoticeError, render
from core.db.enums import Audience, Channel, OutboxStatus
from core.db.models import Case, ChatIdentity, Outbox
from core.services.context import ALMATY
from qamqor.delivery import outcome as oc
from qamqor.delivery.outcome import Outcome
from qamqor.delivery.policy import CLAIM_SECONDS, PLANNED, RetryPolicy, is_quiet, quiet_ends
from qamqor.delivery.recipients import CaseLookup, Target, applicant_target, staff_target

log = logging.getLogger(__name__)

OUTBOX = Outbox.__table__
FAILURE_ALERT = "delivery_failed"


@dataclass(slots=True)
class OutboxJob:
    """One claimed row, ready to send: where to, what, and what to do if it cannot go (problem)."""

    row_id: int
    case_id: int
    kind: str
    urgent: bool
    audience: Audience
    target: Target | None = None
    replies: list[Reply] = field(default_factory=list)
    problem: Outcome | None = None  # set when the row must not be sent (unknown kind, no chat, changed)


def defer_for_quiet_hours(session: Session, now: datetime) -> int:
    """22:00-08:00 Almaty: every due row that is not urgent news waits for 08:00 (one statement for all)."""
    if not is_quiet(now):
        return 0
    result = session.execute(
        sa.update(OUTBOX)
        .where(OUTBOX.c.status == OutboxStatus.PENDING, OUTBOX.c.next_attempt_at <= now, _waits_for_morning())
        .values(next_attempt_at=quiet_ends(now))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _waits_for_morning() -> sa.ColumnElement[bool]:
    return sa.or_(OUTBOX.c.urgent.is_(False), OUTBOX.c.kind.in_(sorted(PLANNED)))


def claim(session: Session, now: datetime, limit: int, *, urgent_first: bool = True) -> list[int]:
    """Claim up to `limit` due rows: held rows whose person wrote since, urgent ones (if `urgent_first`), then the
    rest, each oldest due first.

    The plain claim walks the (status, next_attempt_at) index and stops at `limit`, whatever the backlog; looking
    for urgent rows first filters the whole due range, so a long pass does that only now and then (the worker:
    every URGENT_CHECK_EVERY batches), not for every batch of a 100,000-row backlog.
    """
    until = now + timedelta(seconds=CLAIM_SECONDS)
    session.execute(  # a row written without a time is due now
        sa.update(OUTBOX)
        .where(OUTBOX.c.status == OutboxStatus.PENDING, OUTBOX.c.next_attempt_at.is_(None))
        .values(next_attempt_at=now)
    )
    claimed = _claim_held(session, now, until, limit)
    if urgent_first and len(claimed) < limit:
        claimed += _claim_pending(session, now, until, limit - len(claimed), urgent_only=True)
    if len(claimed) < limit:
        claimed += _claim_pending(session, now, until, limit - len(claimed))
    # Within a batch a case's notices keep the order they were due and written in.
    return [row_id for row_id, _ in sorted(claimed, key=lambda pair: (pair[1], pair[0]))]


def _claim_pending(
    session: Session, now: datetime, until: datetime, limit: int, *, urgent_only: bool = False
) -> list[tuple[int, Any]]:
    due = (
        sa.select(OUTBOX.c.id)
        .where(OUTBOX.c.status == OutboxStatus.PENDING, OUTBOX.c.next_attempt_at <= now)
        # The index order alone: no tie-break on id, which would make PostgreSQL sort every row sharing a time
        # (planned reminders all fall due at 00:00) before taking the first `limit`. claim() orders the batch.
        .order_by(OUTBOX.c.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if urgent_only:
        due = due.where(OUTBOX.c.urgent.is_(True))
    statement = (
        sa.update(OUTBOX)
        .where(OUTBOX.c.id.in_(due.scalar_subquery()))
        .values(next_attempt_at=until)
        .returning(OUTBOX.c.id, OUTBOX.c.due_on)
    )
    return [(row.id, row.due_on) for row in session.execute(statement)]


def _claim_held(session: Session, now: datetime, until: datetime, limit: int) -> list[tuple[int, Any]]:
    """HELD rows (a WhatsApp template went out) whose chat wrote after the template: the window is open again."""
    identity = ChatIdentity.__table__
    wrote_since = (
        sa.select(identity.c.id)
        .where(identity.c.id == OUTBOX.c.chat_identity_id, identity.c.last_inbound_at > OUTBOX.c.held_at)
        .exists()
    )
    # EXISTS, not a join: the held rows (few) are found by the status index, never by scanning every chat.
    held = (
        sa.select(OUTBOX.c.id)
        .where(OUTBOX.c.status == OutboxStatus.HELD, wrote_since)
        .order_by(OUTBOX.c.next_attempt_at)  # the index's order (ordering by id made SQLite walk the whole table)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if is_quiet(now):
        held = held.where(sa.not_(_waits_for_morning()))
    statement = (
        sa.update(OUTBOX)
        .where(OUTBOX.c.id.in_(held.scalar_subquery()))
        .values(status=OutboxStatus.PENDING, next_attempt_at=until)
        .returning(OUTBOX.c.id, OUTBOX.c.due_on)
    )
    return [(row.id, row.due_on) for row in session.execute(statement)]


def release(session: Session, row_ids: list[int], now: datetime) -> None:
    """A worker stopping cleanly gives back the rows it claimed and did not try: due again at once."""
    if row_ids:
        session.execute(
            sa.update(OUTBOX)
            .where(OUTBOX.c.id.in_(row_ids), OUTBOX.c.status == OutboxStatus.PENDING)
            .values(next_attempt_at=now)
        )


def prepare(session: Session, row_id: int, now: datetime, staff_chat_id: int | None) -> OutboxJob:
    row = session.get(Outbox, row_id)
    if row is None or row.status != OutboxStatus.PENDING:
        return OutboxJob(row_id, 0, "", False, Audience.APPLICANT, problem=Outcome(oc.SKIP))
    job = OutboxJob(row_id, row.case_id, row.kind, row.urgent, Audience(row.audience))
    case = session.get(Case, row.case_id)
    if case is None:
        job.problem = Outcome(oc.GIVE_UP, error="the case no longer exists")
        return job
    job.target = _target(session, row, case, staff_chat_id)
    if job.target is None:
        job.problem = _no_target(row)
        return job
    try:
        job.replies = render(row.kind, row.payload, job.target.recipient.language, CaseLookup(session, case))
    except NoticeError as error:
        log.error("outbox row %s: %s", row_id, error)  # the kind and field only: no personal data
        job.problem = Outcome(oc.GIVE_UP, error=f"cannot be written: {error}")
    return job


def _target(session: Session, row: Outbox, case: Case, staff_chat_id: int | None) -> Target | None:
    if row.audience == Audience.STAFF:
        return staff_target(staff_chat_id)
    channel = Channel(row.channel) if row.channel else None
    return applicant_target(session, case, identity_id=row.chat_identity_id, channel=channel)


def _no_target(row: Outbox) -> Outcome:
    if row.audience == Audience.STAFF:
        return Outcome(oc.CANCEL, error="no staff chat configured (QAMQOR_TELEGRAM__STAFF_CHAT_ID)")
    return Outcome(oc.GIVE_UP, error="no chat of the applicant holds this application")


def record(
    session: Session, job: OutboxJob, result: Outcome, now: datetime, policy: RetryPolicy, staff_chat_id: int | None
) -> str:
    """Write the outcome of one row; returns the row's status afterwards."""
    row = session.get(Outbox, job.row_id)
    if row is None or result.status == oc.SKIP:
        return oc.SKIP
    if result.status == oc.SENT:
        _mark_sent(row, result, now)
    elif row.status != OutboxStatus.PENDING:  # cancelled or re-planned meanwhile: keep what others decided
        return str(row.status)
    elif result.status == oc.HELD:
        _mark_sent(row, result, now)
        row.status, row.held_at, row.sent_at = OutboxStatus.HELD, now, None
    elif result.status == oc.DEFER:
        row.next_attempt_at = result.not_before or now + timedelta(seconds=result.retry_after)
    elif result.status == oc.RETRY:
        row.next_attempt_at = now + timedelta(seconds=result.retry_after)
        row.last_error = result.error
    elif result.status == oc.FAILED and not policy.gives_up(row.attempts + 1):
        row.attempts += 1
        row.next_attempt_at = now + policy.delay(row.attempts)
        row.last_error = result.error
    elif result.status == oc.CANCEL:
        row.status, row.last_error = OutboxStatus.CANCELLED, result.error
    else:  # GIVE_UP, or FAILED once too often
        row.attempts += 1 if result.status == oc.FAILED else 0
        row.status, row.last_error = OutboxStatus.FAILED, result.error
        _alert_staff(session, row, now, staff_chat_id)
    return str(row.status)


def _mark_sent(row: Outbox, result: Outcome, now: datetime) -> None:
    row.status, row.sent_at, row.last_error = OutboxStatus.SENT, now, None
    row.attempts += 1
    row.external_message_id = result.message_ids[0][:191] if result.message_ids else None
    row.delivery_status = result.receipt
    if result.identity_id is not None:
        row.chat_identity_id = result.identity_id
    if result.channel is not None and row.audience == Audience.APPLICANT:
        row.channel = Channel(result.channel)


def _alert_staff(session: Session, row: Outbox, now: datetime, staff_chat_id: int | None) -> None:
    """A failed applicant notice is shown in the panel; with a staff chat it is also said there, once a day per case
    (the outbox's unique key on case, kind and day)."""
    if staff_chat_id is None or row.audience == Audience.STAFF or row.kind in STAFF_NOTICES:
        return
    today = now.astimezone(ALMATY).date()
    exists = session.scalar(
        sa.select(OUTBOX.c.id).where(
            OUTBOX.c.case_id == row.case_id, OUTBOX.c.kind == FAILURE_ALERT, OUTBOX.c.due_on == today
        )
    )
    if exists is None:
        alert = Outbox(
            case_id=row.case_id,
            kind=FAILURE_ALERT,
            due_on=today,
            audience=Audience.STAFF,
            payload={"kind": row.kind, "error": (row.last_error or "")[:300]},
            status=OutboxStatus.PENDING,
            next_attempt_at=now,
            created_at=now,
        )
        session.add(alert)
