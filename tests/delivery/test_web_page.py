"""The /chat page in headless Chromium shows a staff answer by itself: chat.js polls the inbox, draws the answer
once, and acknowledges it so the server stops offering it. SQLite (the page is the same on either database)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from core.db.enums import Channel
from core.db.models import ChatIdentity
from qamqor.app import create_app
from qamqor.delivery import DeliveryWorker, build_channels
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.browser.conftest import browser_page  # noqa: F401  (a fixture: Chromium at phone size)
from tests.conftest import LiveServer
from tests.delivery.conftest import answer_of
from tests.delivery.test_answers_and_web_chat import staff_answer

pytestmark = pytest.mark.browser
ANSWER = "Решение будет до пятницы."


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


@pytest.fixture
def chat_url(settings: Settings, runtime: Runtime) -> Iterator[str]:
    web_only = settings.model_copy(update={"telegram": settings.telegram.model_copy(update={"token": None})})
    with LiveServer(create_app(web_only, runtime=runtime)) as server:
        yield server.url + "/chat"


def web_identity_id(runtime: Runtime, page: Page) -> int:
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "qamqor_chat")
    with runtime.context() as ctx:
        return int(
            ctx.session.scalars(
                sa.select(ChatIdentity.id).where(
                    ChatIdentity.channel == Channel.WEB, ChatIdentity.external_id == cookie
                )
            ).one()
        )


def deliver(runtime: Runtime) -> None:
    """One delivery pass (web chat sender only), on its own event loop: Playwright's sync API holds this thread's."""
    worker = DeliveryWorker(runtime, build_channels(runtime.settings))
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, worker.deliver_replies()).result()


def test_the_page_shows_a_staff_answer_once_without_being_asked(
    browser_page: Page,  # noqa: F811
    chat_url: str,
    runtime: Runtime,
    places,
):
    browser_page.goto(chat_url)
    expect(browser_page.locator(".msg-bot").first).to_be_visible()  # the greeting: the chat exists now
    message_id = staff_answer(runtime, web_identity_id(runtime, browser_page), "Когда решение?", ANSWER)

    deliver(runtime)

    answer = browser_page.locator(".msg-bot", has_text=ANSWER)
    expect(answer).to_have_count(1, timeout=15_000)
    expect(answer.locator("button")).to_have_count(2)  # ask staff, main menu
    deadline = time.monotonic() + 15
    while answer_of(runtime, message_id).delivery_status != "delivered" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert answer_of(runtime, message_id).delivery_status == "delivered"  # acknowledged by the next poll
    browser_page.wait_for_timeout(4_500)  # one more poll: nothing new, nothing drawn twice
    expect(answer).to_have_count(1)
