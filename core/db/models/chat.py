"""The chat side: who writes from which channel, the dialogue state, webhook idempotency and the inbox."""

from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from core.db.enums import Channel, Direction, Language
from core.db.models.base import (
    created_at_field,
    enum_check,
    enum_field,
    json_dict_field,
    text_field,
    timestamp_field,
    updated_at_field,
    version_mapper_args,
)


class ChatIdentity(SQLModel, table=True):
    """One chat account on one channel. `person_id` stays empty until the person tells us who they are."""

    __tablename__ = "chat_identity"
    __table_args__ = (
        sa.UniqueConstraint("channel", "external_id"),
        enum_check("channel", Channel),
        enum_check("language", Language),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: Channel = enum_field(Channel)
    external_id: str = Field(sa_type=sa.String(128), nullable=False)  # the chat/user id on that channel
    language: Language = enum_field(Language, default=Language.KK)
    person_id: int | None = Field(default=None, foreign_key="person.id", nullable=True, index=True)
    display_name: str | None = text_field(255)
    # WhatsApp lets a business write freely only within 24 hours of the person's last message.
    last_inbound_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class Conversation(SQLModel, table=True):
    """Where the dialogue with one chat identity stands. `version` guards against two webhooks racing."""

    __tablename__ = "conversation"

    id: int | None = Field(default=None, primary_key=True)
    chat_identity_id: int = Field(foreign_key="chat_identity.id", nullable=False, unique=True)
    flow: str | None = text_field(64)  # which dialogue (apply, upload, status, ...)
    step: str | None = text_field(64)  # where in it
    data: dict[str, Any] = json_dict_field()
    updated_at: datetime = updated_at_field()
    version: int = Field(default=1, nullable=False)

    __mapper_args__: ClassVar[Any] = declared_attr.directive(version_mapper_args)


class ProcessedUpdate(SQLModel, table=True):
    """A webhook update already handled: inserting the same (channel, update_id) twice fails, so retries by
    Telegram or WhatsApp are answered once."""

    __tablename__ = "processed_update"
    __table_args__ = (
        sa.UniqueConstraint("channel", "update_id"),
        enum_check("channel", Channel),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: Channel = enum_field(Channel)
    update_id: str = Field(sa_type=sa.String(191), nullable=False)  # Telegram update_id or WhatsApp wamid
    processed_at: datetime = created_at_field()


class InboxMessage(SQLModel, table=True):
    """A message between a person and staff (in: from the person; out: from staff through the channel)."""

    __tablename__ = "inbox_message"
    __table_args__ = (
        sa.Index("ix_inbox_message_chat_identity_id_at", "chat_identity_id", "at"),
        enum_check("direction", Direction),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case.id", nullable=True, index=True)
    chat_identity_id: int = Field(foreign_key="chat_identity.id", nullable=False)
    direction: Direction = enum_field(Direction)
    body: str = text_field(default="", nullable=False)
    staff_user_id: int | None = Field(default=None, foreign_key="staff_user.id", nullable=True)
    at: datetime = created_at_field()
    read_at: datetime | None = timestamp_field()  # when staff read an incoming message
    delivered_at: datetime | None = timestamp_field()  # when the channel accepted an outgoing one
    delivery_error: str | None = text_field()
    external_message_id: str | None = Field(default=None, sa_type=sa.String(191), nullable=True, index=True)
    delivery_status: str | None = text_field(32)  # the channel's last receipt: sent, delivered, read, failed


__all__ = ["ChatIdentity", "Conversation", "InboxMessage", "ProcessedUpdate"]
