"""Headless Chromium in the staff panel: a department officer signs in, finds the case in the list, opens its
workspace, rejects a document with a reason, and the applicant's Telegram chat receives the reason in Kazakh once
the delivery worker has run (the fake Bot API on loopback). SQLite: the browser is the slow part."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from bot.i18n import gettext
from core.db.enums import DocumentStatus
from core.rules.codes import DocumentCode
from tests.admin import actions_client as panel_client
from tests.admin import actions_world as fixtures
from tests.admin.actions_client import PASSWORD, deliver_once
from tests.admin.actions_world import document_of
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium

work_db_url, work_clock, work_runtime, world, panel = (
    fixtures.work_db_url,
    fixtures.work_clock,
    fixtures.work_runtime,
    fixtures.world,
    fixtures.panel,
)
fake_telegram_server, fake_telegram = panel_client.fake_telegram_server, panel_client.fake_telegram

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_page(tmp_path: Path) -> Iterator[Page]:
    """Chromium with a fresh profile at an office screen's size."""
    require_chromium(CHROMIUM)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tmp_path / "chromium-profile",
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(15_000)
            yield page
        finally:
            context.close()


def ru(msgid: str, **values: object) -> str:
    return gettext("ru", msgid, **values)


@pytest.mark.parametrize("work_db_url", ["sqlite"], indirect=True)
def test_officer_rejects_a_document_in_chromium_and_the_chat_gets_the_reason(
    work_runtime, world, panel, fake_telegram, desk_page: Page
):
    case_id = world.application(work_runtime)  # the family writes in Kazakh, from Telegram
    page = desk_page
    page.goto(f"{panel.url}/admin/login")
    page.fill("input[name=username]", "dept_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/dashboard")

    page.goto(f"{panel.url}/admin/case/list")
    page.locator(f'a[href$="/admin/case/details/{case_id}"]').first.click()
    page.click("#open-workspace")
    page.wait_for_url(f"**/admin/case/{case_id}/work")

    row = page.locator(f"#document-{DocumentCode.MEDICAL_CARD.value}")
    row.locator("summary").click()
    form = row.locator("form.reject-form")
    form.locator("select[name=reason_code]").select_option("expired")
    form.locator("textarea[name=comment]").fill("2019 жылғы карта")
    form.locator("button").click()

    page.wait_for_selector("#done-message")
    assert ru("The document is rejected; the applicant will read the reason in the chat.") in page.inner_text(
        "#done-message"
    )
    reason = gettext("kk", "the document is out of date: please send a valid one") + ": 2019 жылғы карта"
    assert reason in row.inner_text()
    assert document_of(work_runtime, case_id, DocumentCode.MEDICAL_CARD).status == DocumentStatus.REJECTED

    deliver_once(work_runtime, fake_telegram)
    chat = fake_telegram.texts_to(world.telegram_chats[case_id])
    assert any(reason in text for text in chat), chat
