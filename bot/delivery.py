"""Sending outside a conversation turn (reminders, staff answers): one contract for every channel.

The delivery worker (qamqor/delivery) renders an outbox row or a staff answer into dialogue replies and hands them to
the sender of the person's channel. A sender either delivers them all and returns the channel's message ids, or
raises one of the errors below, so the worker decides the same way for every channel:

- RetryLater: rate limited; try again after `retry_after` seconds (Telegram's 429, WhatsApp's 130429).
- Unreachable: the person blocked the bot or the number cannot receive; writing again will not help.
- OutsideWindow: WhatsApp only; the 24-hour window is closed, so only an approved template may go out now.
- DeliveryError: anything else (network, bad request); retried with backoff, then shown to staff as failed.

`delivered` counts the replies that did arrive before the failure, so a retry resumes with `replies[delivered:]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.messages import Reply


class DeliveryError(Exception):
    def __init__(self, message: str, *, delivered: int = 0) -> None:
        super().__init__(message)
        self.delivered = delivered


class RetryLater(DeliveryError):
    def __init__(self, retry_after: float, *, delivered: int = 0) -> None:
        super().__init__(f"rate limited: retry after {retry_after} s", delivered=delivered)
        self.retry_after = retry_after


class Unreachable(DeliveryError):
    """The channel refuses this chat for good (blocked bot, deleted account, number not on WhatsApp)."""


class OutsideWindow(DeliveryError):
    """WhatsApp's customer-service window is closed: send a template and hold the full message."""


@dataclass(frozen=True)
class Recipient:
    channel: str  # "telegram", "whatsapp", "web"
    external_id: str  # the chat id / phone number on that channel
    language: str  # kk, ru, en
    last_inbound_at: datetime | None = None  # the person's last message (WhatsApp's 24-hour window)


class ChannelSender(Protocol):
    channel: str

    async def send(self, recipient: Recipient, replies: Sequence[Reply]) -> list[str]:
        """Deliver every reply in order; return the channel's message ids (may be empty)."""
        ...


class TemplateSender(Protocol):
    """A channel that needs pre-approved templates outside its window (WhatsApp)."""

    async def send_template(self, recipient: Recipient, notice_kind: str, params: Sequence[str]) -> str:
        """Send the approved template for this kind of notice in the recipient's language; return its message id."""
        ...
