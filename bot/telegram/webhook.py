"""POST /telegram/webhook: authenticated updates in, handled in the background, 200 at once.

Telegram proves a request is its own with the secret given to setWebhook, sent back in a header. Without a
configured secret the route refuses everything: an unauthenticated webhook would let anyone speak as anyone.

A button press is answered (answerCallbackQuery, which stops the button's spinner) in the 200 itself, as the
Bot API allows a webhook to answer with one method call: the spinner stops at once, and the bot makes one
Bot API request less per press. Its result is never known, which is fine for a spinner.
"""

from __future__ import annotations

import asyncio
import gc
import hmac
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from fastapi import APIRouter, FastAPI, Request, Response
from pydantic import SecretStr, ValidationError

from bot.ledger import UpdateLedger
from bot.messages import Dialogue
from bot.telegram.adapter import (
    ErrorReply,
    FileTooLargeReply,
    TelegramDeps,
    build_dispatcher,
    make_bot,
    where,
)
from bot.telegram.render import OptionTokens, TelegramRenderer
from bot.telegram.sender import TelegramSender
from qamqor.settings import Settings

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SHUTDOWN_GRACE_SECONDS = 10.0

log = logging.getLogger(__name__)


class TelegramChannel:
    """The running Telegram channel: the bot, its dispatcher, the sender, and updates in progress."""

    def __init__(self, bot: Bot, dispatcher: Dispatcher, renderer: TelegramRenderer) -> None:
        self.bot = bot
        self.dispatcher = dispatcher
        self.sender = TelegramSender(bot, renderer=renderer)
        self._in_progress: set[asyncio.Task[None]] = set()

    def parse(self, body: bytes) -> Update:
        """The update from the request body (JSON parsed and validated in one pass by pydantic)."""
        return Update.model_validate_json(body, context={"bot": self.bot})

    def schedule(self, update: Update, *, callback_answered: bool = False) -> None:
        """Handle in the background so Telegram gets its 200 before the dialogue has thought."""
        task = asyncio.create_task(self._handle(update, callback_answered))
        self._in_progress.add(task)
        task.add_done_callback(self._in_progress.discard)

    async def _handle(self, update: Update, callback_answered: bool) -> None:
        try:
            # Keyword arguments reach the handlers that ask for them (aiogram's dependency injection).
            await self.dispatcher.feed_update(self.bot, update, callback_answered=callback_answered)
        except Exception as error:  # the error handler already failed; never let a task die unlogged
            log.error("telegram update %s lost: %s at %s", update.update_id, type(error).__name__, where(error))

    async def close(self, grace_seconds: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Let updates in progress finish (bounded), then close the HTTP session."""
        if self._in_progress:
            await asyncio.wait(set(self._in_progress), timeout=grace_seconds)
        await self.bot.session.close()


_heap_frozen = False


def freeze_startup_heap() -> None:
    """What startup built (modules, the app, aiogram's and pydantic's types) lives as long as the process: frozen,
    the garbage collector stops walking its ~350k objects on every full collection, which paused every update in
    flight for 0.5-0.8 s at a time in `qamqor bench dialogue`. Once per process (tests start many apps), after a
    collection, so no garbage is frozen with it."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


def secret_matches(sent: str | None, configured: SecretStr | None) -> bool:
    if configured is None or not configured.get_secret_value() or sent is None:
        return False  # an empty secret is no secret
    return hmac.compare_digest(sent.encode(), configured.get_secret_value().encode())


def webhook_router(channel: TelegramChannel, secret: SecretStr | None) -> APIRouter:
    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        freeze_startup_heap()
        yield
        await channel.close()

    router = APIRouter(lifespan=lifespan)

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        sent = request.headers.get(SECRET_HEADER)
        if not secret_matches(sent, secret):
            return Response(status_code=401 if sent is None else 403)
        try:
            update = channel.parse(await request.body())
        except (ValueError, ValidationError):
            return Response(status_code=400)
        answer = callback_answer(update)
        channel.schedule(update, callback_answered=answer is not None)
        return Response(status_code=200) if answer is None else Response(answer, media_type="application/json")

    return router


def callback_answer(update: Update) -> bytes | None:
    """The webhook response that answers a button press (answerCallbackQuery), or None for other updates."""
    if update.callback_query is None:
        return None
    method = {"method": "answerCallbackQuery", "callback_query_id": update.callback_query.id}
    return json.dumps(method).encode()


def install_telegram(
    app: FastAPI,
    *,
    settings: Settings,
    dialogue: Dialogue,
    ledger: UpdateLedger,
    error_reply: ErrorReply,
    file_too_large_reply: FileTooLargeReply,
    tokens: OptionTokens | None = None,
) -> TelegramChannel | None:
    """Mount the webhook and keep the channel on `app.state.telegram` (its `.sender` is for staff and reminders).

    Without a bot token there is no Telegram channel: nothing is mounted and None is returned.
    """
    if settings.telegram.token is None:
        log.info("telegram: no bot token configured; channel not installed")
        return None
    secret = settings.telegram.webhook_secret
    if secret is None or not secret.get_secret_value():
        log.warning("telegram: no webhook secret configured; %s will refuse every request", WEBHOOK_PATH)
    deps = TelegramDeps(dialogue, ledger, error_reply, file_too_large_reply, tokens)
    renderer = TelegramRenderer(tokens)
    dispatcher = build_dispatcher(deps, max_upload_bytes=settings.max_upload_bytes, renderer=renderer)
    channel = TelegramChannel(make_bot(settings), dispatcher, renderer)
    app.include_router(webhook_router(channel, secret))
    app.state.telegram = channel
    return channel
