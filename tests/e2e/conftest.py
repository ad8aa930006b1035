"""End to end: the real dialogue inside the real app (`create_app`, served by uvicorn on loopback), over a migrated
SQLite database, reached the way people reach it: Telegram updates posted to the webhook (the bot answering through
the fake Bot API) and the /chat page in headless Chromium. Staff steps go through the services directly.

SQLite only: these tests are slow by nature, and the dialogue's PostgreSQL coverage lives in tests/dialogue.
QAMQOR_PRINT_TRANSCRIPTS=1 pytest -s tests/e2e prints every Telegram chat as the person saw it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.i18n import gettext, translations
from bot.telegram import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel
from core.db import migrate
from qamqor.app import create_app
from qamqor.runtime import Runtime
from qamqor.settings import Settings, TelegramSettings
from tests.browser.conftest import browser_page  # noqa: F401  (a fixture: Chromium at phone size)
from tests.conftest import LiveServer
from tests.dialogue.conftest import area  # noqa: F401  (a fixture: Almaty, two districts, one department)
from tests.fakes import TOKEN, FakeTelegram, SentMessage
from tests.services import conftest as services
from tests.services.conftest import Clock

WEBHOOK_SECRET = "e2e-Webhook_secret"
HANDLING_TIMEOUT_SECONDS = 10.0

clock = services.clock  # a fixture: Mon 23.11.2026, 10:00 in Almaty; tests move it


def said(lang: str, msgid: str, **values: object) -> str:
    """What the person reads for `msgid` in `lang`, from the catalogue. Fails when the catalogue has no translation,
    so an untranslated (English) text can never pass for Kazakh or Russian."""
    if lang != "en":
        assert translations(lang).gettext(msgid) != msgid, f"no {lang} translation of {msgid!r}"
    return gettext(lang, msgid, **values)


# --- the app and its database ------------------------------------------------------------------------------------


@pytest.fixture
def e2e_settings(tmp_path: Path, sqlite_url: str) -> Settings:
    migrate.upgrade(sqlite_url)
    return Settings(environment="test", data_dir=tmp_path / "data", database_url=sqlite_url)


@pytest.fixture
def runtime(e2e_settings: Settings, clock: Clock) -> Iterator[Runtime]:
    """The runtime the app runs on, shared with the test's staff steps (same database, same clock)."""
    rt = Runtime(e2e_settings, clock=clock)
    yield rt
    rt.dispose()


@pytest.fixture
def web_app(e2e_settings: Settings, runtime: Runtime) -> Iterator[LiveServer]:
    """The whole web process as production builds it; no bot token, so no Telegram channel."""
    with LiveServer(create_app(e2e_settings, runtime=runtime)) as server:
        yield server


# --- Telegram: the fake Bot API and the webhook ------------------------------------------------------------------


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
def telegram_settings(e2e_settings: Settings, fake_telegram: FakeTelegram) -> Settings:
    bot = TelegramSettings(token=TOKEN, webhook_secret=WEBHOOK_SECRET, api_base_url=fake_telegram.url)
    return e2e_settings.model_copy(update={"public_url": "https://qamqor.example.kz", "telegram": bot})


class TelegramWebhookApp:
    """`create_app` served on loopback with its Telegram webhook; Telegram's side is the fake Bot API."""

    def __init__(self, server: LiveServer, channel: TelegramChannel, fake: FakeTelegram) -> None:
        self.url = server.url + WEBHOOK_PATH
        self.channel = channel
        self.fake = fake
        self.http = httpx.Client(headers={SECRET_HEADER: WEBHOOK_SECRET}, timeout=10)

    def deliver(self, update: dict[str, Any]) -> None:
        """Telegram posts one update; the app answers 200 at once and handles it in the background."""
        response = self.http.post(self.url, json=update)
        assert response.status_code == 200, response.text
        self.wait_until_handled()

    def wait_until_handled(self) -> None:
        # The webhook keeps every update it accepted in the channel's in-progress set until the dialogue's replies
        # are sent; the update is put there before the 200 goes back, so an empty set means "all answered".
        deadline = time.monotonic() + HANDLING_TIMEOUT_SECONDS
        while self.channel._in_progress:
            if time.monotonic() > deadline:
                raise AssertionError("the bot did not finish handling the update in time")
            time.sleep(0.005)

    def chat(self, chat_id: int, language_code: str | None) -> TelegramChat:
        return TelegramChat(self, chat_id, language_code)

    def close(self) -> None:
        self.http.close()


@contextmanager
def serve_telegram(settings: Settings, runtime: Runtime, fake: FakeTelegram) -> Iterator[TelegramWebhookApp]:
    app = create_app(settings, runtime=runtime)
    channel = app.state.telegram
    assert isinstance(channel, TelegramChannel), "create_app did not install the Telegram channel"
    with LiveServer(app) as server:
        webhook = TelegramWebhookApp(server, channel, fake)
        try:
            yield webhook
        finally:
            webhook.close()


@pytest.fixture
def telegram(
    telegram_settings: Settings, runtime: Runtime, fake_telegram: FakeTelegram
) -> Iterator[TelegramWebhookApp]:
    with serve_telegram(telegram_settings, runtime, fake_telegram) as webhook:
        yield webhook


class TelegramChat:
    """One person in a private Telegram chat: types, presses buttons by the label they read, sends files.

    Every action returns what the bot sent in answer (the texts of the new messages, in order); `buttons()` are
    those under the newest message that has any.
    """

    opened: list[TelegramChat] = []  # for QAMQOR_PRINT_TRANSCRIPTS

    def __init__(self, app: TelegramWebhookApp, chat_id: int, language_code: str | None) -> None:
        self.app, self.fake, self.chat_id, self.language_code = app, app.fake, chat_id, language_code
        self.transcript: list[str] = []
        TelegramChat.opened.append(self)

    def send(self, text: str) -> str:
        return self.deliver(self.fake.text_update(self.chat_id, text, language_code=self.language_code), text)

    def press(self, label: str) -> str:
        return self.deliver(self.press_update(label), f"[{label}]")

    def press_update(self, label: str) -> dict[str, Any]:
        """The callback update of pressing `label` (exactly, else the one button containing it) on the newest
        message that shows such a button."""
        for sent in reversed(self.messages()):
            labels = [(text, data) for row in sent.buttons for text, data in row]
            found = [pair for pair in labels if pair[0].casefold() == label.casefold()]
            found = found or [pair for pair in labels if label.casefold() in pair[0].casefold()]
            if len(found) > 1:
                raise AssertionError(f"{len(found)} buttons match {label!r}: {[text for text, _ in labels]}")
            if found:
                return self.fake.callback_update(
                    self.chat_id, found[0][1], sent.message_id, language_code=self.language_code
                )
        raise AssertionError(f"no button {label!r} in chat {self.chat_id}; it shows {self.buttons()}")

    def send_document(self, file_name: str, data: bytes, mime: str = "application/pdf") -> str:
        update = self.fake.document_update(self.chat_id, file_name, mime, data, language_code=self.language_code)
        return self.deliver(update, f"<document {file_name}>")

    def send_photo(self, data: bytes) -> str:
        return self.deliver(self.fake.photo_update(self.chat_id, data, language_code=self.language_code), "<photo>")

    def deliver(self, update: dict[str, Any], shown: str) -> str:
        before = len(self.messages())
        self.app.deliver(update)
        answer = self.messages()[before:]
        read = "\n".join(sent.text or "" for sent in answer)
        buttons = " ".join(f"[{label}]" for sent in answer for label in sent.button_labels)
        self.transcript += [f">>> {shown}", f"{read}\n{buttons}".rstrip()]
        return read

    def messages(self) -> list[SentMessage]:
        return self.fake.messages_to(self.chat_id)

    def buttons(self) -> list[str]:
        with_buttons = [sent for sent in self.messages() if sent.buttons]
        return with_buttons[-1].button_labels if with_buttons else []


@pytest.fixture(autouse=True)
def print_telegram_transcripts() -> Iterator[None]:
    TelegramChat.opened.clear()
    yield
    if os.environ.get("QAMQOR_PRINT_TRANSCRIPTS"):
        for chat in TelegramChat.opened:
            print(f"\n===== telegram:{chat.chat_id} =====\n" + "\n".join(chat.transcript))
    TelegramChat.opened.clear()
