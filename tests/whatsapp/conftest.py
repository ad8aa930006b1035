"""Fixtures: the fake Graph API on loopback, settings pointing at it, and an app serving the WhatsApp webhook in
front of the scripted dialogue (the real dialogue is driven end to end in tests/e2e/test_whatsapp_*.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.ledger import InMemoryUpdateLedger
from bot.whatsapp import InMemoryChatStore, install_whatsapp
from qamqor.app import create_base_app
from qamqor.settings import Settings
from tests.fakes.graph_api import FakeGraphApi
from tests.telegram.scripted import ScriptedDialogue, apology, too_large
from tests.whatsapp.chat import WhatsAppWebhookApp, fake_graph, fake_graph_server, serve_whatsapp, whatsapp_settings

__all__ = ["fake_graph", "fake_graph_server"]

MAX_UPLOAD_BYTES = 1000  # small, so "too large" files stay small too
WA_ID = "77011234567"


@pytest.fixture
def settings(tmp_path: Path, fake_graph: FakeGraphApi) -> Settings:
    return Settings(
        environment="test",
        data_dir=tmp_path / "data",
        max_upload_bytes=MAX_UPLOAD_BYTES,
        whatsapp=whatsapp_settings(fake_graph),
    )


@pytest.fixture
def dialogue() -> ScriptedDialogue:
    return ScriptedDialogue()


@pytest.fixture
def store() -> InMemoryChatStore:
    return InMemoryChatStore({WA_ID: "ru"})


@pytest.fixture
def webhook(
    settings: Settings, dialogue: ScriptedDialogue, store: InMemoryChatStore, fake_graph: FakeGraphApi
) -> Iterator[WhatsAppWebhookApp]:
    app = create_base_app(settings)
    install_whatsapp(
        app,
        settings=settings,
        dialogue=dialogue,
        ledger=InMemoryUpdateLedger(),
        store=store,
        error_reply=apology,
        file_too_large_reply=too_large,
    )
    with serve_whatsapp(app, fake_graph) as served:
        yield served
