"""POST /telegram/webhook through real HTTP: the app served by uvicorn, aiogram answering via the fake Bot API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.telegram import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel, TelegramDeps, install_telegram
from qamqor.app import create_base_app
from qamqor.settings import Settings
from tests.conftest import LiveServer
from tests.fakes import FakeTelegram
from tests.telegram.conftest import CHAT, WEBHOOK_SECRET
from tests.telegram.scripted import ScriptedDialogue


def serve(settings: Settings, deps: TelegramDeps) -> tuple[LiveServer, TelegramChannel | None]:
    app = create_base_app(settings)
    channel = install_telegram(
        app,
        settings=settings,
        dialogue=deps.dialogue,
        ledger=deps.ledger,
        error_reply=deps.error_reply,
        file_too_large_reply=deps.file_too_large_reply,
    )
    return LiveServer(app), channel


@pytest.fixture
def webhook(telegram_settings: Settings, deps: TelegramDeps) -> Iterator[str]:
    server, _ = serve(telegram_settings, deps)
    with server:
        yield server.url + WEBHOOK_PATH


def post(url: str, update: dict[str, Any], secret: str | None = WEBHOOK_SECRET) -> httpx.Response:
    headers = {} if secret is None else {SECRET_HEADER: secret}
    return httpx.post(url, json=update, headers=headers)


def settle() -> None:
    """Handling is in the background; give a wrongly accepted update the time to show."""
    time.sleep(0.3)


@pytest.mark.parametrize(
    ("secret", "status"),
    [(None, 401), ("wrong-secret", 403), ("", 403), (WEBHOOK_SECRET.upper(), 403)],
    ids=["missing", "wrong", "empty", "wrong-case"],
)
def test_webhook_refuses_a_request_without_the_right_secret(
    webhook: str, fake_telegram: FakeTelegram, dialogue: ScriptedDialogue, secret: str | None, status: int
):
    response = post(webhook, fake_telegram.text_update(CHAT, "hello"), secret)

    assert response.status_code == status
    settle()
    assert dialogue.received == [] and fake_telegram.messages_to(CHAT) == []


@pytest.mark.parametrize(
    ("configured", "sent"),
    [(None, None), (None, "anything"), (SecretStr(""), "")],
    ids=["none-configured-none-sent", "none-configured-some-sent", "empty-configured-empty-sent"],
)
def test_webhook_without_a_configured_secret_refuses_everything(
    telegram_settings: Settings,
    deps: TelegramDeps,
    fake_telegram: FakeTelegram,
    configured: SecretStr | None,
    sent: str | None,
):
    telegram_settings.telegram.webhook_secret = configured
    server, _ = serve(telegram_settings, deps)

    with server:
        response = post(server.url + WEBHOOK_PATH, fake_telegram.text_update(CHAT, "hello"), sent)
        settle()

    assert response.status_code in (401, 403)
    assert fake_telegram.messages_to(CHAT) == []


def test_webhook_with_the_right_secret_answers_the_person(webhook: str, fake_telegram: FakeTelegram):
    response = post(webhook, fake_telegram.text_update(CHAT, "hello", language_code="en"))

    assert response.status_code == 200
    fake_telegram.wait_for_message_blocking(CHAT, contains="You said: hello (language en)")


def test_webhook_button_press_round_trip(webhook: str, fake_telegram: FakeTelegram):
    post(webhook, fake_telegram.text_update(CHAT, "buttons"))
    question = fake_telegram.wait_for_message_blocking(CHAT, contains="Do you live alone?")

    press = fake_telegram.callback_update(CHAT, "alone_no", question.message_id)
    response = post(webhook, press)

    # The 200 itself answers the press (Telegram performs it), so the spinner stops before the bot has thought...
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"method": "answerCallbackQuery", "callback_query_id": press["callback_query"]["id"]}
    fake_telegram.wait_for_message_blocking(CHAT, contains="You chose alone_no")
    settle()
    assert fake_telegram.answered_callbacks() == []  # ...and the bot does not answer it a second time


def test_webhook_answers_only_a_button_press_in_its_response(webhook: str, fake_telegram: FakeTelegram):
    response = post(webhook, fake_telegram.text_update(CHAT, "hello"))

    assert response.status_code == 200 and response.content == b""


def test_webhook_update_delivered_twice_is_handled_once(
    webhook: str, fake_telegram: FakeTelegram, dialogue: ScriptedDialogue
):
    update = fake_telegram.text_update(CHAT, "hello")

    first, second = post(webhook, update), post(webhook, update)

    assert (first.status_code, second.status_code) == (200, 200)  # Telegram must stop re-sending it
    fake_telegram.wait_for_message_blocking(CHAT, contains="You said: hello")
    settle()
    assert fake_telegram.texts_to(CHAT) == ["You said: hello (language ru)"]
    assert len(dialogue.received) == 1


@pytest.mark.parametrize("body", [b"not json", b'{"no_update_id": true}'], ids=["not-json", "not-an-update"])
def test_webhook_rejects_a_body_that_is_not_an_update(webhook: str, body: bytes):
    response = httpx.post(webhook, content=body, headers={SECRET_HEADER: WEBHOOK_SECRET})

    assert response.status_code == 400


def test_without_a_token_no_webhook_is_mounted(telegram_settings: Settings, deps: TelegramDeps):
    telegram_settings.telegram.token = None
    server, channel = serve(telegram_settings, deps)

    with server:
        response = httpx.post(server.url + WEBHOOK_PATH, json={}, headers={SECRET_HEADER: WEBHOOK_SECRET})

    assert channel is None
    assert response.status_code == 404


def test_app_shutdown_closes_the_bot_session(telegram_settings: Settings, deps: TelegramDeps, fake_telegram):
    server, channel = serve(telegram_settings, deps)
    assert channel is not None
    with server:
        post(server.url + WEBHOOK_PATH, fake_telegram.text_update(CHAT, "hello"))
        fake_telegram.wait_for_message_blocking(CHAT, contains="You said: hello")
        session = channel.bot.session._session  # aiogram opens it lazily, on the first call
        assert session is not None and not session.closed

    assert session.closed
