"""Fixtures for the web chat HTTP tests: the scripted dialogue behind a live /chat server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from qamqor.settings import Settings
from tests.conftest import LiveServer
from tests.web.scripted import ScriptedDialogue, serve_chat

# Small enough to make "too large" cheap to send, large enough for the test PNG and PDF.
UPLOAD_LIMIT_BYTES = 64 * 1024


@pytest.fixture
def dialogue() -> ScriptedDialogue:
    return ScriptedDialogue()


@pytest.fixture
def chat_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_upload_bytes": UPLOAD_LIMIT_BYTES})


@pytest.fixture
def chat_server(chat_settings: Settings, dialogue: ScriptedDialogue) -> Iterator[LiveServer]:
    with serve_chat(chat_settings, dialogue) as server:
        yield server
