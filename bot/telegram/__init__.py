"""The Telegram channel (aiogram 3): webhook or long polling in, the dialogue, Bot API calls out.

Wiring, in short:
    channel = install_telegram(app, settings=..., dialogue=..., ledger=..., error_reply=...,
                               file_too_large_reply=...)   # webhook + app.state.telegram.sender
    PollingRunner(settings, TelegramDeps(...)).run()      # `qamqor telegram polling`
Importing this package connects to nothing; the bot's HTTP session opens on its first request.
"""

from __future__ import annotations

from bot.ledger import InMemoryUpdateLedger, UpdateLedger
from bot.telegram.adapter import (
    ALLOWED_UPDATES,
    CHANNEL,
    ErrorReply,
    FileTooLargeReply,
    TelegramDeps,
    build_dispatcher,
    make_bot,
)
from bot.telegram.polling import PollingRunner, WebhookActive
from bot.telegram.render import InMemoryOptionTokens, OptionTokens, TelegramRenderer, split_text
from bot.telegram.sender import TelegramBlocked, TelegramDeliveryError, TelegramRetryLater, TelegramSender
from bot.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel, install_telegram

__all__ = [
    "ALLOWED_UPDATES",
    "CHANNEL",
    "SECRET_HEADER",
    "WEBHOOK_PATH",
    "ErrorReply",
    "FileTooLargeReply",
    "InMemoryOptionTokens",
    "InMemoryUpdateLedger",
    "OptionTokens",
    "PollingRunner",
    "TelegramBlocked",
    "TelegramChannel",
    "TelegramDeliveryError",
    "TelegramDeps",
    "TelegramRenderer",
    "TelegramRetryLater",
    "TelegramSender",
    "UpdateLedger",
    "WebhookActive",
    "build_dispatcher",
    "install_telegram",
    "make_bot",
    "split_text",
]
