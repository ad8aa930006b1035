"""Polling set-up: what the bot asks Telegram for, an existing webhook, tokens forgotten across a restart."""

from __future__ import annotations

import pytest

from bot.ledger import InMemoryUpdateLedger
from bot.telegram import (
    ALLOWED_UPDATES,
    InMemoryOptionTokens,
    PollingRunner,
    TelegramDeps,
    WebhookActive,
    build_dispatcher,
)
from qamqor.settings import Settings
from tests.fakes import FakeTelegram
from tests.telegram.conftest import CHAT, MAX_UPLOAD_BYTES, start_polling
from tests.telegram.scripted import ScriptedDialogue, apology, too_large


async def test_dispatcher_asks_telegram_only_for_what_it_handles(deps: TelegramDeps):
    dispatcher = build_dispatcher(deps, max_upload_bytes=MAX_UPLOAD_BYTES)

    assert sorted(dispatcher.resolve_used_update_types()) == sorted(ALLOWED_UPDATES)


async def test_polling_refuses_to_remove_a_registered_webhook_unasked(
    telegram_settings: Settings, deps: TelegramDeps, fake_telegram: FakeTelegram
):
    fake_telegram.webhook = {"url": "https://qamqor.example.kz/telegram/webhook"}
    runner = PollingRunner(telegram_settings, deps, polling_timeout=1, handle_signals=False)

    with pytest.raises(WebhookActive, match=r"qamqor\.example\.kz"):
        await runner.run()
    assert fake_telegram.calls("deleteWebhook") == []
    assert fake_telegram.calls("getUpdates") == []


async def test_polling_with_replace_webhook_removes_it_and_answers(
    telegram_settings: Settings, deps: TelegramDeps, fake_telegram: FakeTelegram
):
    fake_telegram.webhook = {"url": "https://qamqor.example.kz/telegram/webhook"}
    runner = PollingRunner(telegram_settings, deps, polling_timeout=1, handle_signals=False, replace_webhook=True)
    task = await start_polling(runner, fake_telegram)
    try:
        fake_telegram.push_text(CHAT, "hello")
        await fake_telegram.wait_for_message(CHAT, contains="You said: hello")
        assert fake_telegram.webhook == {}
    finally:
        await runner.stop()
        await task


class ForgetfulTokens(InMemoryOptionTokens):
    """As after a restart: tokens handed out before are unknown."""

    async def resolve(self, token: str) -> str | None:
        return None


async def test_forgotten_token_falls_back_to_the_pressed_label(
    telegram_settings: Settings, fake_telegram: FakeTelegram, dialogue: ScriptedDialogue
):
    deps = TelegramDeps(dialogue, InMemoryUpdateLedger(), apology, too_large, tokens=ForgetfulTokens())
    runner = PollingRunner(telegram_settings, deps, polling_timeout=1, handle_signals=False)
    task = await start_polling(runner, fake_telegram)
    try:
        fake_telegram.push_text(CHAT, "long")
        await fake_telegram.wait_for_message(CHAT, contains="Which service")
        fake_telegram.press(CHAT, "Home care")
        await fake_telegram.wait_for_message(CHAT, contains="You said: Home care")
        assert dialogue.received[-1].choice is None
    finally:
        await runner.stop()
        await task
