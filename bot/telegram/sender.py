"""Messages that start outside an update: staff replies and reminders, rendered exactly like dialogue replies.

Failures come back as typed errors so the caller (the reminder scheduler, the staff inbox) can decide:
TelegramRetryLater -> reschedule after `retry_after` seconds; TelegramBlocked -> stop writing to this chat;
TelegramDeliveryError -> anything else (network, bad request). `delivered` counts the replies that did arrive,
so a retry can resume with `replies[error.delivered:]` instead of repeating them.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError, TelegramRetryAfter

from bot.messages import Outgoing, Reply
from bot.telegram.adapter import CHANNEL
from bot.telegram.render import ChatId, TelegramRenderer


class TelegramDeliveryError(Exception):
    """Telegram did not take all the replies; `delivered` of them were sent before the failure."""

    def __init__(self, message: str, *, delivered: int) -> None:
        super().__init__(message)
        self.delivered = delivered


class TelegramRetryLater(TelegramDeliveryError):
    """Rate limited (HTTP 429): try again after `retry_after` seconds."""

    def __init__(self, retry_after: int, *, delivered: int) -> None:
        super().__init__(f"Telegram asks to retry after {retry_after} s", delivered=delivered)
        self.retry_after = retry_after


class TelegramBlocked(TelegramDeliveryError):
    """The person blocked the bot or deleted the account (HTTP 403): writing again will not help."""


class TelegramSender:
    def __init__(self, bot: Bot, *, renderer: TelegramRenderer | None = None) -> None:
        # Share the adapter's renderer so long option ids on a reminder's buttons resolve when pressed.
        self.bot = bot
        self.renderer = renderer if renderer is not None else TelegramRenderer()

    async def send(self, chat_id: ChatId, replies: Sequence[Reply]) -> None:
        delivered = 0
        try:
            for reply in replies:
                await self.renderer.send_one(self.bot, chat_id, reply)
                delivered += 1
        # The aiogram errors are chained, not quoted: their text can carry the message being sent.
        except TelegramRetryAfter as error:
            raise TelegramRetryLater(error.retry_after, delivered=delivered) from error
        except TelegramForbiddenError as error:
            raise TelegramBlocked("the bot cannot write to this chat", delivered=delivered) from error
        except TelegramAPIError as error:
            raise TelegramDeliveryError(type(error).__name__, delivered=delivered) from error

    async def deliver(self, outgoing: Outgoing) -> None:
        if outgoing.channel != CHANNEL:
            raise ValueError(f"not a Telegram message: channel {outgoing.channel!r}")
        await self.send(int(outgoing.external_id), outgoing.replies)
