"""Where a conversation stands, kept in the database (table `conversation`) so a restart resumes every chat.

`flow` and `step` name the question the person is answering; `data` keeps what they told us so far and a few
bookmarks (the cases opened from this chat, the buttons last shown). `version` is the optimistic lock: two
messages of one chat handled at once cannot both save (the second gets ConcurrentUpdateError and is retried).

Every message runs the reads and writes below, so their statements are built once, with named parameters
(building and cache-keying a statement cost more than running it). A known chat's identity, consent and
conversation come in one read, and the writes of a turn are plain statements at its very end: on SQLite the
write lock is then held only for the turn's last moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from core.db.enums import Channel
from core.db.models import ChatIdentity, Consent, Conversation
from core.db.uow import ConcurrentUpdateError
from core.services.context import ServiceContext

_CONVERSATION: sa.Table = Conversation.__table__  # type: ignore[attr-defined]
_IDENTITY: sa.Table = ChatIdentity.__table__  # type: ignore[attr-defined]
_PRELOADED = "qamqor.conversations"  # session.info key: conversations read by find_chat, by chat identity id


@dataclass(slots=True)
class State:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KnownChat:
    """A chat seen before, as a turn starts from it (see `find_chat`)."""

    identity: ChatIdentity
    consented: bool  # the latest consent answer is a yes to the consent text now shown


def _known_chat_statement() -> sa.Select[Any]:
    # The latest consent answer of the chat, read as bot.dialogue.casework.has_consent reads it (newest `at`,
    # then id): a yes to the text version asked for.
    latest_consent_ok = (
        sa.select(sa.and_(col(Consent.given), col(Consent.text_version) == sa.bindparam("consent_version")))
        .where(col(Consent.chat_identity_id) == col(ChatIdentity.id))
        .order_by(col(Consent.at).desc(), col(Consent.id).desc())
        .limit(1)
        .correlate(ChatIdentity)
        .scalar_subquery()
    )
    # The conversation rides along (one per identity, a unique key): no second query for it.
    return (
        sa.select(ChatIdentity, latest_consent_ok, Conversation)
        .outerjoin(Conversation, col(Conversation.chat_identity_id) == col(ChatIdentity.id))
        .where(
            col(ChatIdentity.channel) == sa.bindparam("channel"),  # a bare bindparam takes the column's type
            col(ChatIdentity.external_id) == sa.bindparam("external_id"),
        )
    )


KNOWN_CHAT = _known_chat_statement()
CONVERSATION_OF = sa.select(Conversation).where(col(Conversation.chat_identity_id) == sa.bindparam("identity_id"))
SAVE_STATE = (
    sa.update(_CONVERSATION)
    .where(_CONVERSATION.c.id == sa.bindparam("conversation_id"), _CONVERSATION.c.version == sa.bindparam("read"))
    .values(
        flow=sa.bindparam("new_flow"),
        step=sa.bindparam("new_step"),
        data=sa.bindparam("new_data", type_=_CONVERSATION.c.data.type),
        updated_at=sa.bindparam("now", type_=_CONVERSATION.c.updated_at.type),
        version=sa.bindparam("new_version"),
    )
)
RECORD_ARRIVAL = (
    sa.update(_IDENTITY)
    .where(_IDENTITY.c.id == sa.bindparam("identity_id"))
    .values(last_inbound_at=sa.bindparam("now", type_=_IDENTITY.c.last_inbound_at.type))
)


def find_chat(ctx: ServiceContext, channel: Channel, external_id: str, consent_version: str) -> KnownChat | None:
    """The identity of a chat seen before and whether it consented, in one read; None for a new chat.

    The same read brings the chat's conversation, which `load_conversation` then takes without a query."""
    parameters = {"channel": channel, "external_id": external_id, "consent_version": consent_version}
    row = ctx.session.execute(KNOWN_CHAT, parameters).first()
    if row is None:
        return None
    identity, consented, conversation = row
    if conversation is not None:
        ctx.session.info.setdefault(_PRELOADED, {})[identity.id] = conversation
    return KnownChat(identity, bool(consented))


def load_conversation(ctx: ServiceContext, identity: ChatIdentity) -> Conversation:
    """The conversation of this chat identity (as `find_chat` read it, if it did), created empty on first contact."""
    preloaded: dict[int | None, Conversation] = ctx.session.info.get(_PRELOADED, {})
    conversation = preloaded.pop(identity.id, None)
    if conversation is None:
        conversation = ctx.session.scalars(CONVERSATION_OF, {"identity_id": identity.id}).first()
    if conversation is None:
        conversation = Conversation(chat_identity_id=identity.id, data={}, updated_at=ctx.now)
        ctx.session.add(conversation)
        ctx.session.flush()
    return conversation


def read_state(conversation: Conversation) -> State:
    """A private copy: the flows change it freely and `save_state` writes it back in one go."""
    return State(conversation.flow, conversation.step, copy_json(dict(conversation.data or {})))


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON value (what the `data` column holds): several times cheaper than copy.deepcopy,
    which every turn paid for. Strings, numbers, booleans and None are immutable and shared."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    return value


def save_state(ctx: ServiceContext, conversation: Conversation, state: State) -> None:
    """Write the state back. Every turn updates the row, so the version check sees every concurrent turn."""
    ctx.session.flush()  # anything the flows left pending goes first, as an ORM flush would have ordered it
    values = {
        "conversation_id": conversation.id,
        "read": conversation.version,
        "new_flow": state.flow,
        "new_step": state.step,
        "new_data": state.data,  # the turn's private copy (read_state); the turn ends with this save
        "now": ctx.now,
        "new_version": conversation.version + 1,
    }
    if ctx.session.execute(SAVE_STATE, values).rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentUpdateError("the conversation changed since it was read")
    _mark_saved(conversation, values)


def _mark_saved(conversation: Conversation, values: dict[str, Any]) -> None:
    # The loaded object now says what the row says, without becoming "changed" (no second UPDATE at commit).
    for name, key in (("flow", "new_flow"), ("step", "new_step"), ("data", "new_data")):
        set_committed_value(conversation, name, values[key])
    set_committed_value(conversation, "updated_at", values["now"])
    set_committed_value(conversation, "version", values["new_version"])


def record_arrival(ctx: ServiceContext, identity: ChatIdentity, now: datetime) -> None:
    """The time of the person's last message (WhatsApp's 24-hour window and held replies are measured from it)."""
    ctx.session.execute(RECORD_ARRIVAL, {"identity_id": identity.id, "now": now})
    set_committed_value(identity, "last_inbound_at", now)
