"""Staff answers (inbox messages going out) as the delivery worker uses them: pick one, prepare it, record it.

inbox_message has no claim or retry columns, so a reply is sent while its row is locked (PostgreSQL: FOR UPDATE
SKIP LOCKED, so a second worker takes the next one) and the result is committed right after; a crash rolls the
lock back and the reply is tried again. Backoff between failed tries is kept by the worker in memory (a restart
simply tries again sooner). A failure for good is written to `delivery_error`, which staff see beside the answer.

WhatsApp outside the 24-hour window: a template goes out and the answer waits (delivery_status 'held') until the
person writes after it was written; if the window is closed again by then, the answer fails for staff to see.
"""
# Law silent: quiet hours are for notices Qamqor starts; an answer to the person's own question goes at once.

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from bot.messages import Reply
from bot.notice_texts import render_staff_answer
from core.db.enums import Direction
from core.db.models import ChatIdentity, InboxMessage
from qamqor.delivery import outcome as oc
from qamqor.delivery.outcome import Outcome
from qamqor.delivery.recipients import Target, identity_target

HELD = "held"
REPLY_NOTICE_KIND = "staff_reply"  # the notice kind a channel's template is chosen by


@dataclass(slots=True)
class ReplyJob:
    message_id: int
    case_id: int | None
    target: Target | None = None
    replies: list[Reply] = field(default_factory=list)
    was_held: bool = False
    problem: Outcome | None = None


def next_reply(session: Session, excluded: Collection[int]) -> InboxMessage | None:
    """The oldest answer still to deliver (new, or held and the person has written since), locked for us."""
    identity = ChatIdentity.__table__
    statement = (
        sa.select(InboxMessage)
        .join(identity, identity.c.id == InboxMessage.chat_identity_id)
        .where(
            InboxMessage.direction == Direction.OUT,
            InboxMessage.delivered_at.is_(None),
            InboxMessage.delivery_error.is_(None),
            sa.or_(
                InboxMessage.delivery_status.is_(None),
                sa.and_(InboxMessage.delivery_status == HELD, identity.c.last_inbound_at > InboxMessage.at),
            ),
        )
        .order_by(InboxMessage.id)
        .limit(1)
        .with_for_update(of=InboxMessage.__table__, skip_locked=True)
    )
    if excluded:
        statement = statement.where(InboxMessage.id.not_in(list(excluded)))
    return session.scalars(statement).first()


def prepare_reply(session: Session, message: InboxMessage) -> ReplyJob:
    job = ReplyJob(int(message.id or 0), message.case_id, was_held=message.delivery_status == HELD)
    identity = session.get(ChatIdentity, message.chat_identity_id)
    if identity is None:
        job.problem = Outcome(oc.GIVE_UP, error="the chat no longer exists")
        return job
    job.target = identity_target(identity)
    job.replies = render_staff_answer(message.body, job.target.recipient.language)
    return job


def record_reply(message: InboxMessage, job: ReplyJob, result: Outcome, now: datetime, give_up: bool) -> None:
    """Write what happened; `give_up` says a transient failure has been retried often enough."""
    if result.status == oc.SENT:
        message.delivered_at, message.delivery_error = now, None
        message.delivery_status = result.receipt
        message.external_message_id = result.message_ids[0][:191] if result.message_ids else None
    elif result.status == oc.HELD and not job.was_held:
        message.delivery_status = HELD
        message.external_message_id = result.message_ids[0][:191] if result.message_ids else None
    elif result.status == oc.HELD:
        message.delivery_error = "the 24-hour window closed again before the answer could go; please write again"
    elif result.status == oc.GIVE_UP or (result.status == oc.FAILED and give_up):
        message.delivery_error = result.error or "not delivered"
