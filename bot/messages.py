"""Channel-neutral messages: what a channel adapter hands the dialogue, and what the dialogue answers.

Adapters (Telegram, WhatsApp, the web chat) only translate between these types and their platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the person sent, already downloaded by the adapter (size checked before download)."""

    file_name: str
    mime_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One thing a person did in a chat: typed text, pressed a button, sent a file or shared a contact."""

    channel: str  # "telegram", "whatsapp", "web"
    external_id: str  # the chat/user id on that channel
    text: str | None = None
    choice: str | None = None  # the payload of a pressed button
    attachment: Attachment | None = None
    contact_phone: str | None = None
    language_hint: str | None = None  # the platform's idea of the person's language, if any
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """One button: `id` comes back as IncomingMessage.choice, `label` is what the person reads."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Choice:
    """A question with buttons. Adapters degrade to a list or numbered text where buttons are limited."""

    text: str
    options: tuple[Option, ...]


@dataclass(frozen=True, slots=True)
class RequestFile:
    """Ask for a photo or PDF; `accept` lists MIME types, `max_bytes` the size limit to explain."""

    text: str
    accept: tuple[str, ...] = ("image/jpeg", "image/png", "application/pdf")
    max_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class DocumentOut:
    """A file sent to the person (for example a filled form)."""

    file_name: str
    mime_type: str
    data: bytes
    caption: str = ""


Reply = Text | Choice | RequestFile | DocumentOut


@dataclass(slots=True)
class Outgoing:
    """Replies addressed to one chat (used when staff or the scheduler start the conversation)."""

    channel: str
    external_id: str
    replies: list[Reply] = field(default_factory=list)


class Dialogue(Protocol):
    """The dialogue engine as adapters see it."""

    async def handle(self, message: IncomingMessage) -> list[Reply]: ...
