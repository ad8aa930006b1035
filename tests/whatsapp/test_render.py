"""Replies rendered within WhatsApp's limits, sent with pywa to the fake Graph API (which refuses what Meta refuses):
up to 3 reply buttons, lists up to 10 rows, numbered text beyond; 4096-character texts, 1024-character bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.i18n import gettext
from bot.messages import Choice, DocumentOut, Option, Text
from bot.whatsapp import WhatsAppClient, WhatsAppRenderer
from bot.whatsapp import texts as wa_texts
from bot.whatsapp.client import make_client
from bot.whatsapp.render import layout
from qamqor.settings import Settings
from tests.fakes.graph_api import FakeGraphApi
from tests.telegram.scripted import ESSAY, LONG_OPTION_ID, PDF_BYTES
from tests.whatsapp.chat import WhatsAppWebhookApp, numbered
from tests.whatsapp.conftest import WA_ID


@pytest.fixture
async def client(settings: Settings) -> AsyncIterator[WhatsAppClient]:
    client = make_client(settings)
    yield client
    await client.close()


def options(*labels: str) -> tuple[Option, ...]:
    return tuple(Option(f"opt:{number}", label) for number, label in enumerate(labels, start=1))


async def test_three_short_options_are_reply_buttons(client: WhatsAppClient, fake_graph: FakeGraphApi):
    await WhatsAppRenderer().send(client.wa, WA_ID, [Choice("Вы согласны?", options("Да", "Нет", "Не знаю"))], "ru")

    [sent] = fake_graph.messages_to(WA_ID)
    assert sent.text == "Вы согласны?"
    assert sent.buttons == [("opt:1", "Да"), ("opt:2", "Нет"), ("opt:3", "Не знаю")]


async def test_four_options_are_a_list_with_the_button_in_the_person_s_language(
    client: WhatsAppClient, fake_graph: FakeGraphApi
):
    await WhatsAppRenderer().send(client.wa, WA_ID, [Choice("Меню", options("А", "Б", "В", "Г"))], "kk")

    [sent] = fake_graph.messages_to(WA_ID)
    assert sent.buttons == [] and [title for _, title, _ in sent.rows] == ["А", "Б", "В", "Г"]
    assert sent.list_button == "Нұсқаны таңдау"
    assert sent.body["action"]["sections"][0]["title"] == "Нұсқалар"


async def test_a_label_too_long_for_a_button_or_row_title_is_shortened_and_shown_whole_below(
    client: WhatsAppClient, fake_graph: FakeGraphApi
):
    long = "В условиях стационара (дом-интернат)"  # 36 characters: over 20 (button) and 24 (row title)
    await WhatsAppRenderer().send(client.wa, WA_ID, [Choice("Форма?", options(long, "Назад"))], "ru")

    [sent] = fake_graph.messages_to(WA_ID)
    assert sent.rows == [("opt:1", "В условиях стационара…", long), ("opt:2", "Назад", None)]
    assert sent.labels == [long, "Назад"]


async def test_ten_options_fit_a_list_and_eleven_become_numbered_text(client: WhatsAppClient, fake_graph: FakeGraphApi):
    ten = options(*(f"Район {number}" for number in range(1, 11)))
    eleven = options(*(f"Район {number}" for number in range(1, 12)))

    await WhatsAppRenderer().send(client.wa, WA_ID, [Choice("Район?", ten), Choice("Район?", eleven)], "ru")

    listed, typed = fake_graph.messages_to(WA_ID)
    assert len(listed.rows) == 10
    assert typed.type == "text" and typed.buttons == [] and typed.rows == []
    assert numbered(typed.text) == [(str(number), f"Район {number}") for number in range(1, 12)]
    assert typed.text.startswith("Район?\n\n1. Район 1\n")
    assert typed.text.endswith("\n\n" + gettext("ru", wa_texts.REPLY_WITH_NUMBER))
    assert gettext("ru", wa_texts.REPLY_WITH_NUMBER) == "Ответьте номером выбранного варианта."


def test_layout_keeps_every_label_readable():
    assert layout(options("Иә", "Жоқ")) == "buttons"
    assert layout(options("Иә", "Иә")) == "list"  # WhatsApp refuses two buttons with one title
    assert layout(options("x" * 21)) == "list"
    assert layout(options("x" * 73)) == "numbered"  # longer than a row description: only text shows it whole
    assert layout(options(*"abcdefghij")) == "list"
    assert layout(options(*"abcdefghijk")) == "numbered"


async def test_a_long_text_is_split_at_4096_characters_on_paragraphs(client: WhatsAppClient, fake_graph: FakeGraphApi):
    await WhatsAppRenderer().send(client.wa, WA_ID, [Text(ESSAY)], "kk")

    parts = fake_graph.texts_to(WA_ID)
    assert len(parts) > 1 and all(len(part) <= 4096 for part in parts)
    assert "\n\n".join(parts) == ESSAY


async def test_a_long_question_goes_first_as_text_and_its_last_part_carries_the_buttons(
    client: WhatsAppClient, fake_graph: FakeGraphApi
):
    question = "Первый абзац. " * 80 + "\n\n" + "Вы согласны?"  # 1120 + 14 characters: over 1024 in all

    await WhatsAppRenderer().send(client.wa, WA_ID, [Choice(question, options("Да", "Нет"))], "ru")

    first, last = fake_graph.messages_to(WA_ID)
    assert first.type == "text" and last.labels == ["Да", "Нет"]
    assert len(last.text) <= 1024 and last.text.endswith("\n\nВы согласны?")
    assert (first.text + last.text).count("Первый абзац.") == 80  # nothing lost at the cut


async def test_a_long_option_id_travels_as_a_token_and_resolves_back(client: WhatsAppClient, fake_graph: FakeGraphApi):
    renderer = WhatsAppRenderer()
    long_id = LONG_OPTION_ID + "y" * 150  # 248 characters: over a list row's 200

    await renderer.send(client.wa, WA_ID, [Choice("?", (Option(long_id, "Уход на дому"), Option("b", "Назад")))], "ru")

    [(token, _), (plain, _)] = fake_graph.messages_to(WA_ID)[0].buttons
    assert token != long_id and len(token) <= 200 and plain == "b"
    assert await renderer.resolve_choice(token) == long_id
    assert await WhatsAppRenderer().resolve_choice(token) is None  # a restarted process: the adapter uses the label


async def test_a_document_is_uploaded_and_sent_with_its_caption(client: WhatsAppClient, fake_graph: FakeGraphApi):
    document = DocumentOut("application.pdf", "application/pdf", PDF_BYTES, caption="Ваше заявление")

    ids = await WhatsAppRenderer().send(client.wa, WA_ID, [document], "ru")

    [sent] = fake_graph.messages_to(WA_ID)
    assert ids == [sent.message_id]
    assert sent.type == "document" and sent.text == "Ваше заявление"
    assert sent.document is not None and sent.document.data == PDF_BYTES
    assert sent.body["filename"] == "application.pdf"


async def test_a_caption_over_1024_characters_follows_the_document_as_text(
    client: WhatsAppClient, fake_graph: FakeGraphApi
):
    caption = "Пояснение. " * 120

    await WhatsAppRenderer().send(client.wa, WA_ID, [DocumentOut("a.pdf", "application/pdf", PDF_BYTES, caption)], "ru")

    document, text = fake_graph.messages_to(WA_ID)
    assert document.type == "document" and document.text == ""
    assert text.type == "text" and text.text == caption


async def test_a_pressed_button_reaches_the_dialogue_as_its_option_id(webhook: WhatsAppWebhookApp, fake_graph):
    chat = webhook.chat(WA_ID)
    chat.send("buttons")  # the scripted dialogue asks "Do you live alone?" with Yes / No

    assert chat.press("No") == "You chose alone_no"


async def test_a_pressed_list_row_reaches_the_dialogue_as_its_option_id(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue
):
    chat = webhook.chat(WA_ID)
    chat.send("long")  # "Day-care centre" is 15 characters, "Home care" 9: two buttons

    assert chat.press("Home care") == f"You chose {LONG_OPTION_ID}"
    assert dialogue.received[-1].choice == LONG_OPTION_ID


async def test_a_row_pressed_after_a_restart_falls_back_to_the_label_the_person_read(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, dialogue
):
    # A token this process never issued (it restarted since): the whole label travels as text instead.
    notification = fake_graph.list_reply(WA_ID, "~unknownToken", "В условиях стационара…", "В условиях стационара (ДИ)")

    webhook.deliver(notification)

    assert dialogue.received[-1].choice is None and dialogue.received[-1].text == "В условиях стационара (ДИ)"
