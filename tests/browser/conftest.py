"""Headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) against a live /chat server.

The browser tests never skip: without Chromium they fail and say how to install it (`bash .ci/chromium-up`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, sync_playwright

from qamqor.settings import Settings
from tests.conftest import LiveServer
from tests.web.scripted import ScriptedDialogue, serve_chat

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE_VIEWPORT: ViewportSize = {"width": 360, "height": 740}
UPLOAD_LIMIT_BYTES = 64 * 1024


def require_chromium(executable: Path) -> None:
    """Fail (never skip) when the browser is missing, saying how to install it."""
    if not executable.is_file():
        pytest.fail(
            f"Chromium is not installed at {executable}: run `bash .ci/chromium-up` (make test does) and re-run.",
            pytrace=False,
        )


@pytest.fixture
def dialogue() -> ScriptedDialogue:
    return ScriptedDialogue()


@pytest.fixture
def chat_server(settings: Settings, dialogue: ScriptedDialogue) -> Iterator[LiveServer]:
    with serve_chat(settings.model_copy(update={"max_upload_bytes": UPLOAD_LIMIT_BYTES}), dialogue) as server:
        yield server


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[Page]:
    """A fresh Chromium with a new empty profile, showing a 360x740 phone-sized page."""
    require_chromium(CHROMIUM)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport=PHONE_VIEWPORT,
            has_touch=True,
            accept_downloads=True,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(10_000)
            yield page
        finally:
            context.close()
