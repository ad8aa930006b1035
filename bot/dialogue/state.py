"""Where a conversation stands, kept in the database (table `conversation`) so a restart resumes every chat.

`flow` and `step` name the question the person is answering; `data` keeps what they told us so far and a few
bookmarks (the cases opened from this chat, the buttons last shown). `version` is the optimistic lock: two
messages of one chat handled at once cannot both save (the second gets ConcurrentUpdateError and is retried).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from core.db.models import ChatIdentity, Conversation
from core.services.context import ServiceContext


@dataclass(slots=True)
class State:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


def load_conversation(ctx: ServiceContext, identity: ChatIdentity) -> Conversation:
    """The conversation of this chat identity, created empty on first contact."""
    conversation = ctx.session.scalars(
        sa.select(Conversation).where(Conversation.chat_identity_id == identity.id)
    ).first()
    if conversation is None:
        conversation = Conversation(chat_identity_id=identity.id, data={}, updated_at=ctx.now)
        ctx.session.add(conversation)
        ctx.session.flush()
    return conversation


def read_state(conversation: Conversation) -> State:
    """A private copy: the flows change it freely and `save_state` writes it back in one go."""
    return State(conversation.flow, conversation.step, copy.deepcopy(dict(conversation.data or {})))


def save_state(ctx: ServiceContext, conversation: Conversation, state: State) -> None:
    """Write the state back. Every turn updates the row, so the version check sees every concurrent turn."""
    conversation.flow = state.flow
    conversation.step = state.step
    conversation.data = copy.deepcopy(state.data)  # a new dict: nested changes are saved too
    conversation.updated_at = ctx.now
    ctx.session.add(conversation)
    ctx.session.flush()
