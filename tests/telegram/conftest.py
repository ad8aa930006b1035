"""Fixtures: the fake Bot API on loopback, settings pointing at it, the scripted dialogue, a polling bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.ledger import InMemoryUpdateLedger
from bot.telegram import PollingRunner, TelegramDeps
from qamqor.settings import Settings, TelegramSettings
from tests.fakes import TOKEN, FakeTelegram
from tests.telegram.scripted import ScriptedDialogue, apology, too_large

WEBHOOK_SECRET = "s3cret-Webhook_token"
MAX_UPLOAD_BYTES = 1000  # small, so "too large" files stay small too
CHAT = 424242


@pytest.fixture(scope="session")
def fake_telegram_server() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_telegram(fake_telegram_server: FakeTelegram) -> FakeTelegram:
    """One server for the session (starting uvicorn per test is slow), with a clean slate for each test."""
    fake_telegram_server.reset()
    return fake_telegram_server


@pytest.fixture
def telegram_settings(tmp_path: Path, fake_telegram: FakeTelegram) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path / "data",
        public_url="https://qamqor.example.kz",
        max_upload_bytes=MAX_UPLOAD_BYTES,
        telegram=TelegramSettings(token=TOKEN, webhook_secret=WEBHOOK_SECRET, api_base_url=fake_telegram.url),
    )


@pytest.fixture
def dialogue() -> ScriptedDialogue:
    return ScriptedDialogue()


@pytest.fixture
def deps(dialogue: ScriptedDialogue) -> TelegramDeps:
    return TelegramDeps(dialogue, InMemoryUpdateLedger(), apology, too_large)


async def start_polling(runner: PollingRunner, fake: FakeTelegram) -> asyncio.Task[None]:
    task = asyncio.create_task(runner.run())
    await fake.wait_for_call("getUpdates")
    return task


@pytest.fixture
async def polling(
    telegram_settings: Settings, deps: TelegramDeps, fake_telegram: FakeTelegram
) -> AsyncIterator[PollingRunner]:
    runner = PollingRunner(telegram_settings, deps, polling_timeout=1, handle_signals=False)
    task = await start_polling(runner, fake_telegram)
    yield runner
    await runner.stop()
    await task
