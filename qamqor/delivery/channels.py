"""The senders the worker can use, by channel, each with its rate limiter and what "accepted" means there.

The web chat has no push: its "sender" takes the message at once and the row itself is the stored message
(outbox SENT with delivery_status 'queued' and external_message_id inbox_key(chat); a staff answer delivered_at
set and 'queued'). The page polls GET /chat/api/inbox, which renders the queued rows in the chat's language at
that moment and marks them 'delivered' once the page acknowledges them (qamqor.delivery.web).
Nothing is stored twice, and a restart loses nothing: the queue is the database.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.delivery import ChannelSender, Recipient
from bot.messages import Reply
from core.db.enums import Channel as ChannelCode
from qamqor.delivery.limits import Monotonic, RateLimiter, Sleep
from qamqor.settings import Settings

QUEUED = "queued"  # the web page has not fetched it yet
FETCHED = "delivered"  # the web page fetched and showed it


def inbox_key(identity_id: int | None) -> str:
    """The external_message_id of a notice waiting in a web chat's inbox: the page's poll finds its chat's rows
    through that column's index (outbox has none on chat_identity_id, and a poll every few seconds must not scan)."""
    return f"web:{identity_id}"


class WebChatSender:
    """ChannelSender for the web chat: accepting is all there is; the page fetches the row itself."""

    channel = ChannelCode.WEB.value

    async def send(self, recipient: Recipient, replies: Sequence[Reply]) -> list[str]:
        return []


@dataclass(frozen=True, slots=True)
class Channel:
    sender: ChannelSender
    limiter: RateLimiter | None = None
    receipt: str = "sent"  # the delivery_status written when the sender accepted the message


class Channels:
    def __init__(self) -> None:
        self._by_name: dict[str, Channel] = {}

    def add(self, sender: ChannelSender, *, limiter: RateLimiter | None = None, receipt: str = "sent") -> None:
        self._by_name[sender.channel] = Channel(sender, limiter, receipt)

    def get(self, name: str) -> Channel | None:
        return self._by_name.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name


def telegram_limiter(
    settings: Settings, *, monotonic: Monotonic = time.monotonic, sleep: Sleep = asyncio.sleep
) -> RateLimiter:
    delivery = settings.delivery
    return RateLimiter(
        delivery.telegram_per_second, delivery.telegram_per_chat_per_second, monotonic=monotonic, sleep=sleep
    )


def build_channels(
    settings: Settings,
    *,
    telegram: ChannelSender | None = None,
    whatsapp: ChannelSender | None = None,
    rate_limits: bool = True,
    monotonic: Monotonic = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> Channels:
    """The web chat always; Telegram (rate limited) and WhatsApp when their senders are given."""
    channels = Channels()
    channels.add(WebChatSender(), receipt=QUEUED)
    if telegram is not None:
        limiter = telegram_limiter(settings, monotonic=monotonic, sleep=sleep) if rate_limits else None
        channels.add(telegram, limiter=limiter)
    if whatsapp is not None:
        channels.add(whatsapp)  # WhatsApp's limits come back as RetryLater from its sender
    return channels


def channels_of_app(state: Any, settings: Settings) -> Channels:
    """The senders the running app installed: `app.state.telegram.sender`, `app.state.whatsapp.sender`."""
    return build_channels(
        settings,
        telegram=getattr(getattr(state, "telegram", None), "sender", None),
        whatsapp=getattr(getattr(state, "whatsapp", None), "sender", None),
    )
