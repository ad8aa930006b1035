"""The web chat end to end: the real /chat page of `create_app` in headless Chromium at phone size (360x740), the
real dialogue over SQLite behind it. A newcomer picks English, consents, starts an application, mistypes the IIN
and is told why, confirms the right one, and uploads the first document through the page's file input."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from bot.dialogue import texts
from bot.dialogue.flows import apply_person, documents, onboarding
from bot.vocabulary import IIN_REASONS
from tests.conftest import LiveServer
from tests.e2e.conftest import said
from tests.services.conftest import PDF, make_iin

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360
# The text of every bot message after the person's last one (what answered them), each <p> and button label.
LATEST_ANSWER_JS = """() => {
  const items = [...document.querySelectorAll('#transcript > li')];
  const lastPerson = items.map(item => item.classList.contains('msg-person')).lastIndexOf(true);
  return items.slice(lastPerson + 1).filter(item => item.classList.contains('msg-bot')).map(item => {
    const lines = [...item.querySelectorAll('p')].map(p => p.innerText);
    const buttons = [...item.querySelectorAll('button.option')].map(b => '[' + b.innerText + ']');
    return lines.concat(buttons.length ? [buttons.join(' ')] : []).join('\\n');
  }).join('\\n');
}"""


def last_bot(page: Page) -> Locator:
    return page.locator(".msg-bot").last


def settled(page: Page) -> str:
    """Wait until the page has the answer (chat.js marks itself busy before the request), then read it."""
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator("#status")).to_have_text("")
    return str(page.evaluate(LATEST_ANSWER_JS))


def pick(page: Page, label: str) -> str:
    last_bot(page).get_by_role("button", name=label, exact=True).click()
    return settled(page)


def type_message(page: Page, text: str) -> str:
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")
    return settled(page)


def fits_the_phone(page: Page) -> bool:
    return bool(page.evaluate(f"document.documentElement.scrollWidth <= {PHONE_WIDTH}"))


def test_web_chat_on_a_phone_from_greeting_to_the_first_uploaded_document(
    browser_page: Page, web_app: LiveServer, area, tmp_path: Path
):
    page = browser_page
    problems: list[str] = []  # script errors and Content-Security-Policy violations
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{web_app.url}/chat")
    expect(last_bot(page)).to_contain_text("Please choose your language.")  # /start is sent by the page itself
    greeting = settled(page)
    assert greeting.startswith(onboarding.LANGUAGE_QUESTION)
    assert "[Қазақша] [Русский] [English]" in greeting
    assert page.locator(".msg-person").count() == 0

    consent = pick(page, "English")
    assert said("en", onboarding.CONSENT) in consent
    expect(page.locator("#send")).to_have_text("Send")  # the page itself now speaks English too
    assert said("en", texts.MENU_TITLE) in pick(page, "I agree")
    assert "Step 1 of 6\nWho is the application for?" in pick(page, "New application")
    assert said("en", apply_person.IIN_SELF) in pick(page, "For myself")

    iin = make_iin(date(1945, 8, 9))
    typo = iin[:-1] + str((int(iin[-1]) + 1) % 10)
    explained = type_message(page, typo)
    assert (
        f"{said('en', apply_person.IIN_WRONG)}\n• {said('en', IIN_REASONS['bad_check_digit'])}\n"
        f"{said('en', apply_person.IIN_TYPE_AGAIN)}"
    ) in explained
    assert said("en", apply_person.IIN_SELF) in explained  # and the same question again
    page.screenshot(path=tmp_path / "web-chat-wrong-iin-360.png")

    confirm = type_message(page, f" {iin[:6]} {iin[6:]} ")  # spaces as people type them
    assert said("en", apply_person.CONFIRM, birth="09.08.1945", sex="male") in confirm
    assert confirm.endswith("[Yes] [No]")
    pick(page, "Yes")
    type_message(page, "Bekov Nurlan")
    pick(page, "An older person who cannot care for themselves")
    pick(page, "Almaty city")
    pick(page, "Almaly district")
    checklist = pick(page, "Residential care (a care home)")
    total = int(re.search(r"Documents: 0 of (\d+)\.", checklist).group(1))  # type: ignore[union-attr]
    assert total == 4  # App.1 p.4 for an older person: application, identity document, medical card, extract

    send_first = last_bot(page).locator("button.option", has_text="Send: ").first
    document = send_first.inner_text().removeprefix("Send: ")
    request = pick(page, f"Send: {document}")
    assert f"Please send a photo or a PDF of: {document}." in request
    expect(page.locator("#attach")).to_have_class("attach prominent")  # the paperclip invites the file
    page.screenshot(path=tmp_path / "web-chat-file-request-360.png")
    page.set_input_files("#file", files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    received = settled(page)
    assert said("en", documents.RECEIVED, document=document) in received
    assert said("en", documents.PROGRESS, done=1, total=total) in received
    assert page.locator(".msg-person p.file").last.inner_text().strip() == "scan.pdf"
    expect(page.locator("#attach")).to_have_class("attach")

    assert fits_the_phone(page), "the page scrolls sideways on a 360 px phone"
    assert problems == []
    page.screenshot(path=tmp_path / "web-chat-checklist-end-360.png")
    page.locator(".msg-bot", has_text=said("en", documents.RECEIVED, document=document)).scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "web-chat-first-document-360.png")
