"""The web chat's inbox: notices and staff answers the worker queued for one web chat, fetched by its page.

    inbox = WebInbox(runtime)
    items = await inbox.fetch(session_id, ack=["n12"])   # GET /chat/api/inbox?ack=n12

A queued row is rendered when fetched, in the chat's language at that moment, and returned with a key ("n<id>"
for a notice, "a<id>" for a staff answer) on every fetch until the page acknowledges that key in a later fetch;
only then is it marked 'delivered'. A response lost on a mobile network therefore loses nothing, and the page
shows each key once. Fetching is not the person writing: it does not touch the chat's last_inbound_at.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from bot.messages import Reply
from bot.notice_texts import NoticeError, render, render_staff_answer
from core.db.enums import Channel, Direction, Language, OutboxStatus
from core.db.models import Case, ChatIdentity, InboxMessage, Outbox
from qamqor.delivery.channels import FETCHED, QUEUED, inbox_key
from qamqor.delivery.db import transaction
from qamqor.delivery.recipients import CaseLookup
from qamqor.runtime import Runtime

log = logging.getLogger(__name__)

MAX_PER_FETCH = 20
MAX_ACKS = 100
NOTICE, ANSWER = "n", "a"


@dataclass(frozen=True, slots=True)
class InboxItem:
    key: str
    replies: list[Reply]


class WebInbox:
    """bot.web's inbox source: what the worker queued for a web chat, in order, until the page confirms it."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def fetch(self, session_id: str, ack: Sequence[str] = ()) -> list[InboxItem]:
        return await asyncio.to_thread(self._fetch, session_id, list(ack)[:MAX_ACKS])

    def _fetch(self, session_id: str, ack: list[str]) -> list[InboxItem]:
        with transaction(self.runtime) as (session, _):
            identity = session.scalars(
                sa.select(ChatIdentity).where(
                    ChatIdentity.channel == Channel.WEB, ChatIdentity.external_id == session_id
                )
            ).first()
            if identity is None:
                return []
            _acknowledge(session, identity.id, ack)
            lang = Language(identity.language).value
            queued = _queued_notices(session, identity.id) + _queued_answers(session, identity.id)
            queued.sort(key=lambda item: (item[0], item[1]))
            return [InboxItem(_key(row), _render(session, row, lang)) for _, _, row in queued[:MAX_PER_FETCH]]


def _key(row: Outbox | InboxMessage) -> str:
    return f"{ANSWER if isinstance(row, InboxMessage) else NOTICE}{row.id}"


def _acknowledge(session: Session, identity_id: int | None, keys: list[str]) -> None:
    """The page showed these: mark them delivered (only this chat's own queued rows)."""
    notices = [int(key[1:]) for key in keys if key[:1] == NOTICE and key[1:].isdigit()]
    answers = [int(key[1:]) for key in keys if key[:1] == ANSWER and key[1:].isdigit()]
    if notices:
        session.execute(
            sa.update(Outbox.__table__)
            .where(
                Outbox.id.in_(notices),
                Outbox.external_message_id == inbox_key(identity_id),
                Outbox.delivery_status == QUEUED,
            )
            .values(delivery_status=FETCHED)
        )
    if answers:
        table = InboxMessage.__table__
        session.execute(
            sa.update(table)
            .where(table.c.id.in_(answers), table.c.chat_identity_id == identity_id, table.c.delivery_status == QUEUED)
            .values(delivery_status=FETCHED)
        )


def _queued_notices(session: Session, identity_id: int | None) -> list[tuple[datetime, int, Outbox | InboxMessage]]:
    rows = session.scalars(
        sa.select(Outbox)
        .where(
            Outbox.external_message_id == inbox_key(identity_id),
            Outbox.status == OutboxStatus.SENT,
            Outbox.delivery_status == QUEUED,
        )
        .order_by(Outbox.id)
        .limit(MAX_PER_FETCH)
    )
    return [(row.sent_at or row.created_at, row.id or 0, row) for row in rows]


def _queued_answers(session: Session, identity_id: int | None) -> list[tuple[datetime, int, Outbox | InboxMessage]]:
    rows = session.scalars(
        sa.select(InboxMessage)
        .where(
            InboxMessage.chat_identity_id == identity_id,
            InboxMessage.direction == Direction.OUT,
            InboxMessage.delivery_status == QUEUED,
        )
        .order_by(InboxMessage.id)
        .limit(MAX_PER_FETCH)
    )
    return [(row.delivered_at or row.at, row.id or 0, row) for row in rows]


def _render(session: Session, row: Outbox | InboxMessage, lang: str) -> list[Reply]:
    if isinstance(row, InboxMessage):
        return render_staff_answer(row.body, lang)
    case = session.get(Case, row.case_id)
    try:
        return render(row.kind, row.payload, lang, CaseLookup(session, case)) if case else []
    except NoticeError as error:  # it rendered when queued; a later change of its payload is no reason to fail
        log.error("web inbox: outbox row %s: %s", row.id, error)
        return []
