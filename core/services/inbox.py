"""Questions from applicants to staff, and staff answers delivered to the applicant's chat."""

from __future__ import annotations

import sqlalchemy as sa

from core.db.enums import Direction
from core.db.models import Case, ChatIdentity, InboxMessage
from core.services import audit
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotFound

MAX_MESSAGE_CHARS = 4000


def _clean(body: str) -> str:
    text = body.strip()
    if not text:
        raise InvalidInput("the message is empty", reason="empty_message")
    if len(text) > MAX_MESSAGE_CHARS:
        raise InvalidInput("the message is too long", reason="message_too_long", max_chars=MAX_MESSAGE_CHARS)
    return text


def ask(ctx: ServiceContext, identity: ChatIdentity, body: str, case: Case | None = None) -> InboxMessage:
    message = InboxMessage(
        case_id=case.id if case else None,
        chat_identity_id=identity.id,
        direction=Direction.IN,
        body=_clean(body),
        at=ctx.now,
    )
    ctx.session.add(message)
    ctx.session.flush()
    return message


def reply(ctx: ServiceContext, question: InboxMessage, body: str, staff_user_id: int) -> InboxMessage:
    """A staff answer: stored, audited, and sent to the applicant's chat by the delivery worker."""
    answer = InboxMessage(
        case_id=question.case_id,
        chat_identity_id=question.chat_identity_id,
        direction=Direction.OUT,
        body=_clean(body),
        staff_user_id=staff_user_id,
        at=ctx.now,
    )
    question.read_at = question.read_at or ctx.now
    ctx.session.add(answer)
    audit.record(ctx, "staff_reply", answer, None)
    return answer


def pending_replies(ctx: ServiceContext, limit: int = 100) -> list[InboxMessage]:
    statement = (
        sa.select(InboxMessage)
        .where(
            InboxMessage.direction == Direction.OUT,
            InboxMessage.delivered_at.is_(None),
            InboxMessage.delivery_error.is_(None),
        )
        .order_by(InboxMessage.id)
        .limit(limit)
    )
    return list(ctx.session.scalars(statement))


def get_message(ctx: ServiceContext, message_id: int) -> InboxMessage:
    message = ctx.session.get(InboxMessage, message_id)
    if message is None:
        raise NotFound("no such message", message_id=message_id)
    return message
