"""The /chat page in headless Chromium at phone size: what a newcomer sees and does, end to end over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Locator, Page, expect

from bot.web import page as chat_page
from tests.conftest import LiveServer
from tests.web.scripted import DOCUMENT, FILE_REQUEST, GREETING, MENU_TEXT, ScriptedDialogue, tiny_png

pytestmark = pytest.mark.browser

PNG = tiny_png(16, 16)


def open_chat(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/chat")
    expect(page.locator(".msg-bot").first).to_contain_text(GREETING)


def person_lines(page: Page) -> list[str]:
    return page.locator(".msg-person p").all_inner_texts()


def last_bot(page: Page) -> Locator:
    return page.locator(".msg-bot").last


def pick(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()


def png_file(name: str, data: bytes) -> FilePayload:
    return {"name": name, "mimeType": "image/png", "buffer": data}


def send(page: Page, text: str) -> None:
    page.locator("#message").fill(text)
    page.locator("#message").press("Enter")


def test_a_newcomer_is_greeted_with_language_buttons_readable_on_a_phone(
    browser_page: Page, chat_server: LiveServer, dialogue: ScriptedDialogue, tmp_path: Path
) -> None:
    problems: list[str] = []  # script errors and Content-Security-Policy violations show up here
    browser_page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    browser_page.on("pageerror", lambda error: problems.append(str(error)))
    open_chat(browser_page, chat_server)
    assert problems == []
    assert [m.text for m in dialogue.received] == ["/start"]
    assert person_lines(browser_page) == []  # "/start" is sent quietly, not shown as the person's words
    for label in ("Қазақша", "Русский", "English"):
        box = browser_page.get_by_role("button", name=label).bounding_box()
        assert box is not None
        assert box["height"] >= 44  # a thumb-sized tap target
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    transcript = browser_page.locator("#transcript")
    assert (transcript.get_attribute("role"), transcript.get_attribute("aria-live")) == ("log", "polite")
    assert browser_page.locator(".msg-person").count() == 0
    browser_page.screenshot(path=tmp_path / "chat-greeting-360.png")
    assert (tmp_path / "chat-greeting-360.png").stat().st_size > 0


def test_the_page_follows_the_dark_colour_scheme(browser_page: Page, chat_server: LiveServer, tmp_path: Path) -> None:
    browser_page.emulate_media(color_scheme="dark")
    open_chat(browser_page, chat_server)
    pick(browser_page, "English")
    pick(browser_page, "Send a file")
    expect(last_bot(browser_page)).to_contain_text(FILE_REQUEST)
    browser_page.screenshot(path=tmp_path / "chat-dark-360.png")
    background = browser_page.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(part) for part in background.removeprefix("rgb(").removesuffix(")").split(","))
    assert red + green + blue < 3 * 60


def test_enter_sends_a_typed_message_and_the_reply_keeps_its_line_breaks(
    browser_page: Page, chat_server: LiveServer
) -> None:
    open_chat(browser_page, chat_server)
    message = browser_page.locator("#message")
    message.fill("first line")
    message.press("Shift+Enter")  # a new line, not a send
    message.press_sequentially("second line")
    message.press("Enter")
    expect(last_bot(browser_page)).to_contain_text("You said: first line")
    assert person_lines(browser_page) == ["first line\nsecond line"]
    assert last_bot(browser_page).locator("p").inner_text() == "You said: first line\nsecond line"
    expect(message).to_have_value("")


def test_a_pressed_button_echoes_its_label_and_old_buttons_stop_working(
    browser_page: Page, chat_server: LiveServer, dialogue: ScriptedDialogue
) -> None:
    open_chat(browser_page, chat_server)
    pick(browser_page, "English")
    expect(last_bot(browser_page)).to_contain_text(MENU_TEXT.split("\n")[0])
    assert person_lines(browser_page) == ["English"]
    assert dialogue.received[-1].choice == "lang:en"
    expect(browser_page.get_by_role("button", name="Русский")).to_be_disabled()
    # The newest buttons work from the keyboard too.
    browser_page.get_by_role("button", name="Just talk").focus()
    browser_page.keyboard.press("Enter")
    expect(last_bot(browser_page)).to_contain_text("Pressed: echo")
    assert person_lines(browser_page) == ["English", "Just talk"]


def test_picking_a_language_relabels_the_page_in_place(
    browser_page: Page, chat_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_page, "gettext", lambda lang, message, **values: f"[{lang}] {message}")
    open_chat(browser_page, chat_server)
    expect(browser_page.locator("#send")).to_have_text("[kk] Send")
    pick(browser_page, "Русский")
    expect(browser_page.locator("#send")).to_have_text("[ru] Send")
    expect(browser_page.locator("#message")).to_have_attribute("placeholder", "[ru] Type a message")
    assert browser_page.evaluate("document.documentElement.lang") == "ru"
    assert browser_page.title() == "[ru] Qamqor"


def test_a_png_chosen_in_the_file_input_reaches_the_dialogue_which_names_its_size(
    browser_page: Page, chat_server: LiveServer, dialogue: ScriptedDialogue, tmp_path: Path
) -> None:
    open_chat(browser_page, chat_server)
    pick(browser_page, "English")
    pick(browser_page, "Send a file")
    expect(last_bot(browser_page)).to_contain_text(FILE_REQUEST)
    expect(browser_page.locator("#attach")).to_have_class("attach prominent")
    browser_page.screenshot(path=tmp_path / "chat-file-request-360.png")
    browser_page.set_input_files("#file", files=[png_file("photo.png", PNG)])
    expect(last_bot(browser_page)).to_have_text(f"Qamqor: Received photo.png: {len(PNG)} bytes, image/png.")
    assert person_lines(browser_page)[-1].strip() == "photo.png"
    expect(browser_page.locator("#attach")).to_have_class("attach")
    browser_page.screenshot(path=tmp_path / "chat-file-received-360.png")
    attachment = dialogue.received[-1].attachment
    assert attachment is not None and attachment.data == PNG


def test_the_button_in_a_file_request_opens_the_file_picker(browser_page: Page, chat_server: LiveServer) -> None:
    open_chat(browser_page, chat_server)
    pick(browser_page, "English")
    pick(browser_page, "Send a file")
    with browser_page.expect_file_chooser() as chooser:
        browser_page.locator(".request-attach").click()
    chooser.value.set_files(files=[png_file("id.png", PNG)])
    expect(last_bot(browser_page)).to_contain_text(f"Received id.png: {len(PNG)} bytes")


@pytest.mark.parametrize(
    ("name", "data", "notice"),
    [
        ("big.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 70_000, "This file is too large. The limit is 64 KB."),
        ("page.png", b"<html><body>not an image</body></html>", "Please send a photo (JPEG or PNG) or a PDF."),
    ],
    ids=["too_large_checked_before_upload", "wrong_type_refused_by_server"],
)
def test_a_refused_file_shows_why_and_the_request_stays_open(
    browser_page: Page, chat_server: LiveServer, dialogue: ScriptedDialogue, name: str, data: bytes, notice: str
) -> None:
    open_chat(browser_page, chat_server)
    pick(browser_page, "English")
    pick(browser_page, "Send a file")
    expect(last_bot(browser_page)).to_contain_text(FILE_REQUEST)
    browser_page.set_input_files("#file", files=[png_file(name, data)])
    expect(browser_page.locator(".msg-notice").last).to_have_text(notice)
    assert all(message.attachment is None for message in dialogue.received)
    expect(browser_page.locator("#attach")).to_have_class("attach prominent")
    expect(browser_page.locator(".request-attach")).to_be_enabled()


def test_a_document_from_the_dialogue_downloads_with_its_name_and_bytes(
    browser_page: Page, chat_server: LiveServer, tmp_path: Path
) -> None:
    open_chat(browser_page, chat_server)
    pick(browser_page, "English")
    pick(browser_page, "Get my form")
    link = browser_page.locator("a.document")
    expect(link).to_contain_text(DOCUMENT.file_name)
    expect(last_bot(browser_page)).to_contain_text(DOCUMENT.caption)
    browser_page.screenshot(path=tmp_path / "chat-document-360.png")
    with browser_page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == DOCUMENT.file_name
    assert Path(download.path()).read_bytes() == DOCUMENT.data


def test_markup_typed_by_the_person_is_shown_as_text_and_never_runs(
    browser_page: Page, chat_server: LiveServer
) -> None:
    open_chat(browser_page, chat_server)
    typed = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"><b>bold</b>'
    send(browser_page, typed)
    expect(last_bot(browser_page)).to_contain_text("You said: <script>")
    assert person_lines(browser_page) == [typed]
    assert last_bot(browser_page).locator("p").inner_text() == f"You said: {typed}"
    assert browser_page.locator("#transcript script, #transcript img, #transcript b").count() == 0
    assert browser_page.evaluate("window.__pwned") is None


def test_a_reload_shows_the_same_transcript_without_greeting_again(
    browser_page: Page, chat_server: LiveServer, dialogue: ScriptedDialogue
) -> None:
    open_chat(browser_page, chat_server)
    pick(browser_page, "English")
    expect(last_bot(browser_page)).to_contain_text(MENU_TEXT.split("\n")[0])
    before = browser_page.locator("#transcript").inner_text()
    browser_page.reload()
    expect(last_bot(browser_page)).to_contain_text(MENU_TEXT.split("\n")[0])
    assert browser_page.locator("#transcript").inner_text() == before
    assert [m.text for m in dialogue.received].count("/start") == 1
    expect(browser_page.get_by_role("button", name="English")).to_be_disabled()
    pick(browser_page, "Just talk")  # the newest question's buttons still work after a reload
    expect(last_bot(browser_page)).to_contain_text("Pressed: echo")
    send(browser_page, "remember me")
    expect(last_bot(browser_page)).to_contain_text("You said: remember me")
    browser_page.reload()
    expect(last_bot(browser_page)).to_contain_text("You said: remember me")
    assert person_lines(browser_page) == ["English", "Just talk", "remember me"]
