"""Messages that start outside an update (reminders, notices, staff answers): bot.delivery's ChannelSender for
Telegram, rendered exactly like dialogue replies, with Telegram's failures as bot.delivery's errors.

- HTTP 429 (TelegramRetryAfter) -> RetryLater(retry_after): the worker waits that long.
- HTTP 403 (blocked bot, deactivated user) and "chat not found" -> Unreachable: writing again will not help.
- anything else (network, other bad requests, server errors) -> DeliveryError: retried with backoff.
`delivered` counts the replies that did arrive, so a retry resumes with `replies[error.delivered:]`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import Message

from bot.delivery import DeliveryError, Recipient, RetryLater, Unreachable
from bot.messages import Outgoing, Reply
from bot.telegram.adapter import CHANNEL
from bot.telegram.render import TelegramRenderer

# The names bot.telegram exported before the common contract; they are the contract's errors now.
TelegramDeliveryError = DeliveryError
TelegramRetryLater = RetryLater
TelegramBlocked = Unreachable

_GONE = ("chat not found", "user not found", "peer_id_invalid")  # bad requests that mean the chat is gone


class _SentIds:
    """Stands in for the Bot while the renderer sends, keeping the id of every message it sent."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self.ids: list[str] = []

    async def send_message(self, *args: Any, **kwargs: Any) -> Message:
        return self._keep(await self._bot.send_message(*args, **kwargs))

    async def send_document(self, *args: Any, **kwargs: Any) -> Message:
        return self._keep(await self._bot.send_document(*args, **kwargs))

    def _keep(self, message: Message) -> Message:
        self.ids.append(str(message.message_id))
        return message


class TelegramSender:
    """bot.delivery.ChannelSender for Telegram."""

    channel = CHANNEL

    def __init__(self, bot: Bot, *, renderer: TelegramRenderer | None = None) -> None:
        # Share the adapter's renderer so long option ids on a reminder's buttons resolve when pressed.
        self.bot = bot
        self.renderer = renderer if renderer is not None else TelegramRenderer()

    async def send(self, recipient: Recipient, replies: Sequence[Reply]) -> list[str]:
        """Send every reply in order to the recipient's chat; the ids of the Telegram messages that went out."""
        if recipient.channel != CHANNEL:
            raise ValueError(f"not a Telegram chat: channel {recipient.channel!r}")
        chat_id = int(recipient.external_id)
        sent = _SentIds(self.bot)
        delivered = 0
        try:
            for reply in replies:
                await self.renderer.send_one(cast(Bot, sent), chat_id, reply)
                delivered += 1
        # The aiogram errors are chained, not quoted: their text can carry the message being sent.
        except TelegramRetryAfter as error:
            raise RetryLater(error.retry_after, delivered=delivered) from error
        except TelegramForbiddenError as error:
            raise Unreachable("the bot cannot write to this chat (blocked or deleted)", delivered=delivered) from error
        except TelegramBadRequest as error:
            if any(sign in error.message.lower() for sign in _GONE):
                raise Unreachable("the chat does not exist", delivered=delivered) from error
            raise DeliveryError("Telegram refused the message (bad request)", delivered=delivered) from error
        except TelegramAPIError as error:
            raise DeliveryError(f"Telegram failed ({type(error).__name__})", delivered=delivered) from error
        return sent.ids

    async def deliver(self, outgoing: Outgoing) -> list[str]:
        if outgoing.channel != CHANNEL:
            raise ValueError(f"not a Telegram message: channel {outgoing.channel!r}")
        return await self.send(Recipient(CHANNEL, outgoing.external_id, "kk"), outgoing.replies)
