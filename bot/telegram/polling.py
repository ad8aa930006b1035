"""Long polling: the same dispatcher and ledger as the webhook, for development or hosts without public HTTPS."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher

from bot.telegram.adapter import ALLOWED_UPDATES, TelegramDeps, build_dispatcher, make_bot
from bot.telegram.render import TelegramRenderer
from bot.telegram.sender import TelegramSender
from qamqor.settings import Settings

log = logging.getLogger(__name__)


class WebhookActive(Exception):
    """A webhook is registered; Telegram refuses getUpdates while it is, and removing it is a deliberate act."""

    def __init__(self, url: str) -> None:
        super().__init__(f"a webhook is registered at {url}")
        self.url = url


class PollingRunner:
    def __init__(
        self,
        settings: Settings,
        deps: TelegramDeps,
        *,
        polling_timeout: int = 30,
        replace_webhook: bool = False,
        handle_signals: bool = True,
    ) -> None:
        self.renderer = TelegramRenderer(deps.tokens)
        self.bot: Bot = make_bot(settings)
        self.dispatcher: Dispatcher = build_dispatcher(
            deps, max_upload_bytes=settings.max_upload_bytes, renderer=self.renderer
        )
        self.sender = TelegramSender(self.bot, renderer=self.renderer)
        self.polling_timeout = polling_timeout
        self.replace_webhook = replace_webhook
        self.handle_signals = handle_signals

    async def run(self) -> None:
        """Poll until stop() or SIGINT/SIGTERM; the bot's HTTP session is closed on the way out."""
        try:
            await self._leave_webhook()
        except BaseException:
            await self.bot.session.close()
            raise
        await self.dispatcher.start_polling(
            self.bot,
            polling_timeout=self.polling_timeout,
            allowed_updates=ALLOWED_UPDATES,
            handle_signals=self.handle_signals,
            close_bot_session=True,
        )

    async def stop(self) -> None:
        await self.dispatcher.stop_polling()

    async def _leave_webhook(self) -> None:
        info = await self.bot.get_webhook_info()
        if not info.url:
            return
        if not self.replace_webhook:
            raise WebhookActive(info.url)
        log.warning("telegram: removing the webhook at %s to poll instead", info.url)
        await self.bot.delete_webhook(drop_pending_updates=False)
