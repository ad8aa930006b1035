"""The real aiogram bot, long polling the fake Bot API: what the person sends, what the person sees."""

from __future__ import annotations

import logging

import pytest

from tests.fakes import FakeTelegram
from tests.telegram.conftest import CHAT, MAX_UPLOAD_BYTES
from tests.telegram.scripted import (
    ESSAY,
    LONG_OPTION_ID,
    PDF_BYTES,
    PERSONAL_DATA,
    ScriptedDialogue,
)

pytestmark = pytest.mark.usefixtures("polling")


async def test_text_round_trip_person_sees_the_answer(fake_telegram: FakeTelegram, dialogue: ScriptedDialogue):
    fake_telegram.push_text(CHAT, "Сәлем", language_code="kk", first_name="Aigerim")

    await fake_telegram.wait_for_message(CHAT, contains="You said: Сәлем (language kk)")

    told = dialogue.received[0]
    assert (told.channel, told.external_id, told.text, told.display_name) == ("telegram", str(CHAT), "Сәлем", "Aigerim")


@pytest.mark.parametrize("command", ["/start", "/help", "/status", "/language", "/cancel"])
async def test_commands_reach_the_dialogue_as_text(fake_telegram: FakeTelegram, command: str):
    fake_telegram.push_text(CHAT, command)

    await fake_telegram.wait_for_message(CHAT, contains=f"You said: {command} (language ru)")


async def test_buttons_shown_pressed_answered_and_marked(fake_telegram: FakeTelegram):
    fake_telegram.push_text(CHAT, "buttons")
    question = await fake_telegram.wait_for_message(CHAT, contains="Do you live alone?")
    assert question.buttons == [[("Yes", "alone_yes"), ("No", "alone_no")]]  # short labels share a row

    callback_id = fake_telegram.press(CHAT, "Yes")

    await fake_telegram.wait_for_message(CHAT, contains="You chose alone_yes")
    assert callback_id in fake_telegram.answered_callbacks()  # the button stopped spinning
    assert question.text == "Do you live alone?\n\n✓ Yes"
    assert question.button_labels == []  # answered questions cannot be pressed again


async def test_option_id_over_64_bytes_travels_as_a_token_and_comes_back(
    fake_telegram: FakeTelegram, dialogue: ScriptedDialogue
):
    fake_telegram.push_text(CHAT, "long")
    question = await fake_telegram.wait_for_message(CHAT, contains="Which service")
    (home_care, home_data), (_, day_data) = [button for row in question.buttons for button in row]
    assert home_care == "Home care"
    assert len(home_data.encode()) <= 64 and home_data != LONG_OPTION_ID
    assert day_data == "day_centre"  # short ids go as they are

    fake_telegram.press(CHAT, "Home care")

    await fake_telegram.wait_for_message(CHAT, contains="You chose service:home_care:")
    assert dialogue.received[-1].choice == LONG_OPTION_ID


async def test_document_downloaded_and_handed_to_the_dialogue(fake_telegram: FakeTelegram, dialogue: ScriptedDialogue):
    fake_telegram.push_text(CHAT, "file")
    await fake_telegram.wait_for_message(CHAT, contains="Send a photo or PDF")
    data = bytes(range(256)) * 2

    fake_telegram.push_document(CHAT, "conclusion.pdf", "application/pdf", data, caption="VKK conclusion")

    await fake_telegram.wait_for_message(CHAT, contains="Got conclusion.pdf (application/pdf), 512 bytes")
    told = dialogue.received[-1]
    assert told.attachment is not None and told.attachment.data == data
    assert told.text == "VKK conclusion"


async def test_too_large_document_refused_clearly_and_never_downloaded(
    fake_telegram: FakeTelegram, dialogue: ScriptedDialogue
):
    fake_telegram.push_document(CHAT, "scan.pdf", "application/pdf", b"x" * (MAX_UPLOAD_BYTES + 1))

    await fake_telegram.wait_for_message(CHAT, contains=f"[ru] The file is larger than {MAX_UPLOAD_BYTES} bytes")
    assert fake_telegram.calls("getFile") == []
    assert fake_telegram.downloads == []
    assert dialogue.received == []


async def test_document_whose_declared_size_lies_is_cut_off_while_downloading(
    fake_telegram: FakeTelegram, dialogue: ScriptedDialogue
):
    big = b"x" * (MAX_UPLOAD_BYTES * 3)
    fake_telegram.push_document(CHAT, "scan.pdf", "application/pdf", big, declared_size=10)

    await fake_telegram.wait_for_message(CHAT, contains="The file is larger than")
    assert dialogue.received == []


async def test_photo_largest_rendition_with_caption(fake_telegram: FakeTelegram, dialogue: ScriptedDialogue):
    fake_telegram.push_photo(CHAT, b"\xff\xd8" + b"p" * 598, caption="disability certificate")

    await fake_telegram.wait_for_message(CHAT, contains="(image/jpeg), 600 bytes")
    told = dialogue.received[-1]
    assert told.attachment is not None and told.attachment.file_name.startswith("photo_")
    assert told.text == "disability certificate"


async def test_own_contact_reaches_the_dialogue_as_the_persons_phone(fake_telegram: FakeTelegram):
    fake_telegram.push_contact(CHAT, "+77011234567")

    await fake_telegram.wait_for_message(CHAT, contains="Phone +77011234567")


async def test_someone_elses_contact_is_only_a_typed_number(fake_telegram: FakeTelegram, dialogue: ScriptedDialogue):
    fake_telegram.push_contact(CHAT, "+77017654321", own=False)

    await fake_telegram.wait_for_message(CHAT, contains="You said: +77017654321")
    assert dialogue.received[-1].contact_phone is None


async def test_sticker_is_not_ignored(fake_telegram: FakeTelegram):
    sticker = {"file_id": "st-1", "file_unique_id": "ust-1", "type": "regular", "width": 512, "height": 512,
               "is_animated": False, "is_video": False}  # fmt: skip
    fake_telegram.push_message(CHAT, sticker=sticker)

    await fake_telegram.wait_for_message(CHAT, contains="I could not read that")


async def test_group_chats_get_no_answer(fake_telegram: FakeTelegram, dialogue: ScriptedDialogue):
    group = -100123
    fake_telegram.push_message(group, chat_type="group", text="my IIN is ...")
    fake_telegram.push_text(CHAT, "after")  # updates are handled in order: once this is answered, so was the first

    await fake_telegram.wait_for_message(CHAT, contains="You said: after")
    assert fake_telegram.messages_to(group) == []
    assert [message.text for message in dialogue.received] == ["after"]


async def test_text_over_4096_split_on_paragraphs(fake_telegram: FakeTelegram):
    fake_telegram.push_text(CHAT, "essay")

    await fake_telegram.wait_for_message(CHAT, contains="5. ")
    parts = fake_telegram.texts_to(CHAT)
    assert len(parts) == 3
    assert all(len(part) <= 4096 for part in parts)
    assert all(part.startswith(("1. ", "3. ", "5. ")) for part in parts)  # each starts at a paragraph
    assert "\n\n".join(parts) == ESSAY


async def test_document_reply_sent_as_a_file(fake_telegram: FakeTelegram):
    fake_telegram.push_text(CHAT, "doc")

    sent = await fake_telegram.wait_for_message(CHAT, contains="Your application")
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.data) == ("application.pdf", PDF_BYTES)


@pytest.mark.parametrize(("language_code", "apology_text"), [("kk", "Кешіріңіз"), ("ru-RU", "Извините")])
async def test_dialogue_failure_apologises_in_the_persons_language_and_logs_no_personal_data(
    fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture, language_code: str, apology_text: str
):
    caplog.set_level(logging.INFO)
    fake_telegram.push_text(CHAT, "boom", language_code=language_code)

    await fake_telegram.wait_for_message(CHAT, contains=apology_text)
    assert "RuntimeError" in caplog.text
    assert PERSONAL_DATA not in caplog.text and "boom" not in caplog.text


async def test_text_right_after_a_document_waits_for_the_document(
    fake_telegram: FakeTelegram, dialogue: ScriptedDialogue
):
    fake_telegram.push_document(CHAT, "conclusion.pdf", "application/pdf", b"%PDF-1.4 scan")
    fake_telegram.push_text(CHAT, "that was my conclusion")  # arrives while the file is still downloading

    await fake_telegram.wait_for_message(CHAT, contains="You said: that was my conclusion")
    assert [message.attachment is not None for message in dialogue.received] == [True, False]
    assert fake_telegram.texts_to(CHAT)[0].startswith("Got conclusion.pdf")
