"""Driving a served app over its WhatsApp webhook the way Meta and a person would: signed notifications in, what
the person sees read back from the fake Graph API. Shared by tests/whatsapp and the end-to-end tests."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bot.whatsapp import WEBHOOK_PATH, WhatsAppChannel
from qamqor.settings import WhatsAppSettings
from tests.conftest import LiveServer
from tests.fakes.graph_api import APP_SECRET, PHONE_NUMBER_ID, TOKEN, VERIFY_TOKEN, FakeGraphApi, SentMessage

HANDLING_TIMEOUT_SECONDS = 10.0
_NUMBERED = re.compile(r"^(\d+)\. (.+)$", re.MULTILINE)


@pytest.fixture(scope="session")
def fake_graph_server() -> Iterator[FakeGraphApi]:
    with FakeGraphApi() as fake:
        yield fake


@pytest.fixture
def fake_graph(fake_graph_server: FakeGraphApi) -> FakeGraphApi:
    """One server for the session (starting uvicorn per test is slow), with a clean slate for each test."""
    fake_graph_server.reset()
    return fake_graph_server


def whatsapp_settings(fake: FakeGraphApi, **changes: Any) -> WhatsAppSettings:
    values: dict[str, Any] = {
        "phone_number_id": PHONE_NUMBER_ID,
        "token": TOKEN,
        "app_secret": APP_SECRET,
        "verify_token": VERIFY_TOKEN,
        "api_base_url": fake.url,
    }
    return WhatsAppSettings(**(values | changes))


class WhatsAppWebhookApp:
    """An app served on loopback with its WhatsApp webhook; Meta's side is the fake Graph API."""

    def __init__(self, url: str, channel: WhatsAppChannel, fake: FakeGraphApi) -> None:
        self.url = url + WEBHOOK_PATH
        self.channel, self.fake = channel, fake
        self.http = httpx.Client(timeout=10)

    def post(self, notification: dict[str, Any], *, secret: str | None = None) -> httpx.Response:
        body, headers = self.fake.signed(notification, secret)
        return self.http.post(self.url, content=body, headers=headers)

    def deliver(self, notification: dict[str, Any]) -> None:
        """Meta posts one notification; the app answers 200 at once and handles it in the background."""
        response = self.post(notification)
        assert response.status_code == 200, response.text
        self.wait_until_handled()

    def wait_until_handled(self) -> None:
        # Accepted work is in the channel's in-progress set before the 200 goes back: empty means all answered.
        deadline = time.monotonic() + HANDLING_TIMEOUT_SECONDS
        while self.channel.busy:
            if time.monotonic() > deadline:
                raise AssertionError("the WhatsApp channel did not finish handling in time")
            time.sleep(0.005)

    def chat(self, wa_id: str, name: str = "Айгуль") -> WhatsAppChat:
        return WhatsAppChat(self, wa_id, name)

    def close(self) -> None:
        self.http.close()


@contextmanager
def serve_whatsapp(app: FastAPI, fake: FakeGraphApi) -> Iterator[WhatsAppWebhookApp]:
    channel = app.state.whatsapp
    assert isinstance(channel, WhatsAppChannel), "the WhatsApp channel was not installed"
    with LiveServer(app) as server:
        webhook = WhatsAppWebhookApp(server.url, channel, fake)
        try:
            yield webhook
        finally:
            webhook.close()


class WhatsAppChat:
    """One person writing to the business number: types, presses buttons or list rows by the label they read,
    types the number of an option shown as numbered text, sends photos and PDFs.

    Every action returns what the person read in answer (the texts of the new messages, in order).
    """

    opened: list[WhatsAppChat] = []  # for QAMQOR_PRINT_TRANSCRIPTS

    def __init__(self, app: WhatsAppWebhookApp, wa_id: str, name: str) -> None:
        self.app, self.fake, self.wa_id, self.name = app, app.fake, wa_id, name
        self.transcript: list[str] = []
        WhatsAppChat.opened.append(self)

    def send(self, text: str) -> str:
        return self.deliver(self.fake.text_message(self.wa_id, text, name=self.name), text)

    def press(self, label: str) -> str:
        """Press `label` (exactly, else the one option containing it) on the newest message offering it: a reply
        button, a list row, or a line of numbered text (then its number is typed, as a person would)."""
        for sent in reversed(self.messages()):
            found = _matching(label, sent.labels) or _matching(label, [text for _, text in numbered(sent.text)])
            if not found:
                continue
            return self._choose(sent, found)
        raise AssertionError(f"no option {label!r} for {self.wa_id}; it shows {self.options()}")

    def _choose(self, sent: SentMessage, label: str) -> str:
        for reply_id, title in sent.buttons:
            if title == label:
                return self.deliver(self.fake.button_reply(self.wa_id, reply_id, title, name=self.name), f"[{label}]")
        for reply_id, title, description in sent.rows:
            if (description or title) == label:
                notification = self.fake.list_reply(self.wa_id, reply_id, title, description, name=self.name)
                return self.deliver(notification, f"[{label}]")
        number = next(number for number, text in numbered(sent.text) if text == label)
        return self.send(number)

    def send_document(self, file_name: str, data: bytes, mime: str = "application/pdf") -> str:
        return self.deliver(self.fake.document_message(self.wa_id, file_name, data, mime), f"<document {file_name}>")

    def send_photo(self, data: bytes, mime: str = "image/jpeg") -> str:
        return self.deliver(self.fake.image_message(self.wa_id, data, mime), "<photo>")

    def deliver(self, notification: dict[str, Any], shown: str) -> str:
        before = len(self.messages())
        self.app.deliver(notification)
        answer = self.messages()[before:]
        read = "\n".join(sent.text for sent in answer)
        options = " ".join(f"[{label}]" for sent in answer for label in sent.labels)
        self.transcript += [f">>> {shown}", f"{read}\n{options}".rstrip()]
        return read

    def messages(self) -> list[SentMessage]:
        return self.fake.messages_to(self.wa_id)

    def options(self) -> list[str]:
        """The labels of the newest message offering any: buttons, list rows or numbered lines."""
        for sent in reversed(self.messages()):
            shown = sent.labels or [text for _, text in numbered(sent.text)]
            if shown:
                return shown
        return []


def numbered(text: str) -> list[tuple[str, str]]:
    return _NUMBERED.findall(text)


def _matching(label: str, labels: list[str]) -> str | None:
    exact = [text for text in labels if text.casefold() == label.casefold()]
    found = exact or [text for text in labels if label.casefold() in text.casefold()]
    if len(found) > 1:
        raise AssertionError(f"{len(found)} options match {label!r}: {labels}")
    return found[0] if found else None
