"""Staff in the panel as a browser without the rendering (cookies, the CSRF token of the last page, redirects by
hand), what a test reads on a page, and one pass of the delivery worker through the fake Bot API."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from admin.vocabulary import STATUS_LABELS
from bot.i18n import gettext
from bot.telegram import TelegramSender, make_bot
from core.rules.codes import Status
from qamqor.delivery import DeliveryWorker, build_channels
from qamqor.runtime import Runtime
from qamqor.settings import TelegramSettings
from tests.fakes import TOKEN, FakeTelegram

PASSWORD = "Qamqor-test-Passw0rd!"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- the delivery process (qamqor/delivery), run once, as the scheduler would ------------------------------------


def deliver_once(runtime: Runtime, fake: FakeTelegram) -> None:
    """One pass of the delivery worker over the outbox and the staff answers, through the fake Bot API."""
    telegram = TelegramSettings(token=TOKEN, api_base_url=fake.url)
    settings = runtime.settings.model_copy(update={"telegram": telegram})

    async def run() -> None:
        bot = make_bot(settings)
        try:
            channels = build_channels(settings, telegram=TelegramSender(bot), rate_limits=False)
            worker = DeliveryWorker(runtime, channels)
            await worker.deliver_outbox()
            await worker.deliver_replies()
        finally:
            await bot.session.close()

    # A thread of its own, as the scheduler's process would be (and a test driving Chromium already runs a loop).
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


@pytest.fixture(scope="session")
def fake_telegram_server() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_telegram(fake_telegram_server: FakeTelegram) -> FakeTelegram:
    fake_telegram_server.reset()
    return fake_telegram_server


# --- staff in the panel ------------------------------------------------------------------------------------------


class PanelClient:
    """A staff member's browser without the rendering: cookies, the CSRF token of the last page, redirects by hand."""

    def __init__(self, base_url: str, login: str | None = None, password: str = PASSWORD) -> None:
        self.http = httpx.Client(base_url=base_url, follow_redirects=False, timeout=20)
        self.csrf = ""
        if login is not None:
            self.sign_in(login, password)

    def sign_in(self, login: str, password: str = PASSWORD) -> None:
        self.page("/admin/login")
        response = self.http.post(
            "/admin/login", data={"username": login, "password": password, "csrf_token": self.csrf}
        )
        assert response.status_code == 302, f"sign-in of {login} failed: {response.status_code}"
        self.page("/admin/questions")  # a page of this module carries the new session's CSRF token

    def page(self, path: str) -> httpx.Response:
        """GET and remember the page's CSRF token (the session's; every form of the page carries it)."""
        response = self.http.get(path)
        if found := _CSRF.search(response.text):
            self.csrf = found.group(1)
        return response

    def post(self, path: str, data: dict[str, str], *, csrf: bool = True) -> httpx.Response:
        """POST a form; a 303 is followed like a browser (GET), so the answer is the page the officer sees."""
        payload = {**data, "csrf_token": self.csrf} if csrf else dict(data)
        response = self.http.post(path, data=payload)
        if response.status_code in (302, 303):
            return self.page(response.headers["location"])
        if found := _CSRF.search(response.text):
            self.csrf = found.group(1)
        return response

    def work(self, case_id: int) -> httpx.Response:
        return self.page(f"/admin/case/{case_id}/work")

    def step(self, case_id: int, step: str, *, csrf: bool = True, **fields: str) -> httpx.Response:
        return self.post(f"/admin/case/{case_id}/step/{step}", fields, csrf=csrf)

    def review(self, case_id: int, document_id: int, *, csrf: bool = True, **fields: str) -> httpx.Response:
        return self.post(f"/admin/case/{case_id}/document/{document_id}", fields, csrf=csrf)

    def close(self) -> None:
        self.http.close()


def shown_status(status: Status) -> str:
    """A status as the (Russian-speaking) test staff read it in the panel."""
    return gettext("ru", STATUS_LABELS[status])


def text_of(page: httpx.Response) -> str:
    """The page as a person reads it: entities decoded (an apostrophe is &#39; in the HTML)."""
    return html.unescape(page.text)


def status_shown(page: httpx.Response) -> str:
    """The status badge of the workspace, as the officer reads it."""
    found = re.search(r'id="case-status">([^<]*)<', page.text)
    return found.group(1).strip() if found else ""


def step_forms(page: httpx.Response) -> list[str]:
    """The steps the workspace offers (form ids step-<key>)."""
    return re.findall(r'<form method="POST" class="border[^"]*" id="step-([a-z_]+)"', page.text)
