"""The delivery worker's WhatsApp sender: replies inside the 24-hour window, approved templates outside it, and
every Cloud API failure mapped to the bot.delivery error the worker acts on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery import DeliveryError, OutsideWindow, Recipient, RetryLater, Unreachable
from bot.messages import Choice, DocumentOut, Option, Text
from bot.whatsapp import WhatsAppClient, WhatsAppSender
from bot.whatsapp.client import make_client
from bot.whatsapp.templates import ANSWER, REMINDER, TEMPLATES, UPDATE, rendered_body, template_for
from qamqor.settings import Settings
from tests.fakes.graph_api import FakeGraphApi
from tests.whatsapp.conftest import WA_ID

NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)
REMINDER_REPLIES = [
    Text("Напоминание: выберите организацию до 07.12.2026."),
    Choice("Выбрать сейчас?", (Option("menu:choose", "Выбрать"), Option("menu:main", "Главное меню"))),
]


def recipient(hours_since_last_message: float | None, language: str = "ru") -> Recipient:
    last = None if hours_since_last_message is None else NOW - timedelta(hours=hours_since_last_message)
    return Recipient("whatsapp", WA_ID, language, last)


@pytest.fixture
async def sender(settings: Settings) -> AsyncIterator[WhatsAppSender]:
    client: WhatsAppClient = make_client(settings)
    yield WhatsAppSender(client.wa, clock=lambda: NOW)
    await client.close()


async def test_inside_the_window_replies_go_out_like_dialogue_answers(sender: WhatsAppSender, fake_graph):
    ids = await sender.send(recipient(hours_since_last_message=3), REMINDER_REPLIES)

    sent = fake_graph.messages_to(WA_ID)
    assert ids == [message.message_id for message in sent] and len(ids) == 2
    assert sent[0].text == "Напоминание: выберите организацию до 07.12.2026."
    assert sent[1].labels == ["Выбрать", "Главное меню"]


@pytest.mark.parametrize("hours", [None, 24, 23.95, 200], ids=["never-wrote", "24h", "last-minutes", "days"])
async def test_outside_the_window_nothing_is_sent_and_outside_window_is_raised(
    sender: WhatsAppSender, fake_graph: FakeGraphApi, hours: float | None
):
    with pytest.raises(OutsideWindow) as raised:
        await sender.send(recipient(hours), REMINDER_REPLIES)

    assert raised.value.delivered == 0
    assert fake_graph.calls == []


async def test_the_api_s_re_engagement_error_is_outside_window_too(sender: WhatsAppSender, fake_graph: FakeGraphApi):
    fake_graph.fail_next(131047)

    with pytest.raises(OutsideWindow):
        await sender.send(recipient(1), REMINDER_REPLIES)


@pytest.mark.parametrize(("code", "status", "wait"), [(130429, 400, 5.0), (131056, 400, 60.0), (4, 429, 60.0)])
async def test_rate_limits_raise_retry_later(sender: WhatsAppSender, fake_graph, code: int, status: int, wait: float):
    fake_graph.fail_next(code, status=status)

    with pytest.raises(RetryLater) as raised:
        await sender.send(recipient(1), REMINDER_REPLIES)

    assert (raised.value.retry_after, raised.value.delivered) == (wait, 0)


async def test_http_429_with_an_unknown_code_is_retry_later(sender: WhatsAppSender, fake_graph: FakeGraphApi):
    fake_graph.fail_next(131000, status=429)

    with pytest.raises(RetryLater):
        await sender.send(recipient(1), REMINDER_REPLIES)


async def test_a_failure_after_some_replies_reports_how_many_arrived(sender: WhatsAppSender, fake_graph: FakeGraphApi):
    document = DocumentOut("reminder.pdf", "application/pdf", b"%PDF-1.4", caption="Ваше напоминание")
    fake_graph.fail_next(130429, after=1)  # the document goes out, the text after it is refused

    with pytest.raises(RetryLater) as raised:
        await sender.send(recipient(1), [document, *REMINDER_REPLIES])

    assert raised.value.delivered == 1  # a retry resumes with replies[1:]: the file is not sent twice
    assert [message.type for message in fake_graph.messages_to(WA_ID)] == ["document"]


async def test_a_number_that_cannot_receive_is_unreachable(sender: WhatsAppSender, fake_graph: FakeGraphApi):
    fake_graph.make_unreachable(WA_ID)

    with pytest.raises(Unreachable):
        await sender.send(recipient(1), REMINDER_REPLIES)
    with pytest.raises(Unreachable):
        await sender.send_template(recipient(100), "offer", ["42"])


async def test_another_api_error_is_a_plain_delivery_error_without_the_message(sender: WhatsAppSender, fake_graph):
    fake_graph.fail_next(131000)

    with pytest.raises(DeliveryError) as raised:
        await sender.send(recipient(1), [Text("Ваш ИИН 900101300123")])

    assert type(raised.value) is DeliveryError
    assert str(raised.value) == "WhatsApp error 131000" and "900101300123" not in str(raised.value)


@pytest.mark.parametrize(
    ("kind", "language", "name", "code", "parameters"),
    [
        ("choose_reminder", "ru", "qamqor_reminder", "ru", ["42"]),
        ("arrival_reminder", "kk", "qamqor_reminder", "kk", ["42"]),
        ("offer", "en", "qamqor_update", "en", ["42"]),
        ("approved", "kk", "qamqor_update", "kk", ["42"]),
        ("staff_answer", "ru", "qamqor_answer", "ru", None),
    ],
)
async def test_outside_the_window_the_approved_template_goes_out_in_the_person_s_language(
    sender: WhatsAppSender,
    fake_graph: FakeGraphApi,
    kind: str,
    language: str,
    name: str,
    code: str,
    parameters: list[str] | None,
):
    message_id = await sender.send_template(recipient(100, language), kind, ["42"])

    [sent] = fake_graph.messages_to(WA_ID)
    assert sent.message_id == message_id and sent.type == "template"
    assert (sent.body["name"], sent.body["language"]["code"]) == (name, code)
    texts = [p["text"] for c in sent.body.get("components", []) for p in c["parameters"]]
    assert texts == (parameters or [])


async def test_template_parameters_are_cleaned_as_meta_requires(sender: WhatsAppSender, fake_graph: FakeGraphApi):
    await sender.send_template(recipient(100), "offer", ["  42\n\tA  "])
    await sender.send_template(recipient(100), "offer", [])

    first, second = fake_graph.messages_to(WA_ID)
    assert first.body["components"][0]["parameters"][0]["text"] == "42 A"
    assert second.body["components"][0]["parameters"][0]["text"] == "—"


def test_every_template_is_written_in_kazakh_russian_and_english_and_invites_a_reply():
    assert {template.name for template in TEMPLATES} == {"qamqor_reminder", "qamqor_update", "qamqor_answer"}
    for template in TEMPLATES:
        assert set(template.bodies) == {"kk", "ru", "en"}
        assert all(body.count("{{1}}") == template.parameters for body in template.bodies.values())
    assert rendered_body(UPDATE, "ru", ["42"]) == (
        "Qamqor: по вашему заявлению № 42 есть новости. Чтобы прочитать их, ответьте на это сообщение."
    )
    assert "жауап беріңіз" in rendered_body(REMINDER, "kk", ["7"]) and "Reply" in rendered_body(ANSWER, "en", [])
    assert template_for("postponement_ending") is REMINDER and template_for("services_ended") is UPDATE


async def test_a_recipient_on_another_channel_is_a_programming_error(sender: WhatsAppSender):
    with pytest.raises(ValueError, match="telegram"):
        await sender.send(Recipient("telegram", "42", "ru", NOW), [Text("hi")])
