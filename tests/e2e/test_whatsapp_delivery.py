"""WhatsApp end to end, around the conversation: a forged notification changes nothing, a redelivered message is
answered once even by a restarted app, and outside the 24-hour window a reminder goes as an approved template while
the full message waits until the person writes; delivery statuses land on the notice staff look at."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from bot.delivery import OutsideWindow, Recipient
from bot.dialogue.flows import onboarding
from bot.messages import Choice, Option, Text
from bot.whatsapp import SIGNATURE_HEADER, WhatsAppChannel, WhatsAppSender
from bot.whatsapp.client import make_client
from bot.whatsapp.templates import UPDATE, rendered_body
from core.db.enums import Channel, Language, OutboxStatus
from core.db.models import ChatIdentity, Outbox
from qamqor.app import create_app
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.db.factories import add_case
from tests.e2e.conftest import said
from tests.fakes.graph_api import FakeGraphApi
from tests.whatsapp import chat as wa_chat
from tests.whatsapp.chat import WhatsAppWebhookApp, serve_whatsapp, whatsapp_settings

fake_graph_server = wa_chat.fake_graph_server
fake_graph = wa_chat.fake_graph

WA_ID = "77015550009"


@pytest.fixture
def wa_settings(e2e_settings: Settings, fake_graph: FakeGraphApi) -> Settings:
    return e2e_settings.model_copy(update={"whatsapp": whatsapp_settings(fake_graph)})


@pytest.fixture
def whatsapp(wa_settings: Settings, runtime: Runtime, fake_graph: FakeGraphApi) -> Iterator[WhatsAppWebhookApp]:
    with serve_whatsapp(create_app(wa_settings, runtime=runtime), fake_graph) as served:
        yield served


def identity(runtime: Runtime) -> ChatIdentity | None:
    with runtime.context() as ctx:
        row = ctx.session.scalars(
            sa.select(ChatIdentity).where(ChatIdentity.channel == Channel.WHATSAPP, ChatIdentity.external_id == WA_ID)
        ).first()
        if row is not None:
            ctx.session.expunge(row)
        return row


def run_sender(settings: Settings, runtime: Runtime, method: str, *args: Any) -> Any:
    """Call the WhatsApp sender the way the delivery worker does (built like the app's, on the services' clock),
    with its own HTTP session on this thread's event loop."""

    async def call() -> Any:
        client = make_client(settings)
        try:
            return await getattr(WhatsAppSender(client.wa, clock=runtime.clock), method)(*args)
        finally:
            await client.close()

    return asyncio.run(call())


def recipient_of(runtime: Runtime) -> Recipient:
    """The person as the delivery worker addresses them: their chat, language and last message."""
    row = identity(runtime)
    assert row is not None
    return Recipient("whatsapp", row.external_id, Language(row.language).value, row.last_inbound_at)


def test_a_forged_notification_reaches_neither_the_dialogue_nor_the_database(
    whatsapp: WhatsAppWebhookApp, fake_graph: FakeGraphApi, runtime: Runtime
):
    body, _ = fake_graph.signed(fake_graph.text_message(WA_ID, "Здравствуйте"))
    forged = {"Content-Type": "application/json", SIGNATURE_HEADER: "sha256=" + "ab" * 32}

    assert httpx.post(whatsapp.url, content=body, headers=forged).status_code == 403
    assert whatsapp.post(fake_graph.text_message(WA_ID, "Привет"), secret="not-our-app-secret").status_code == 403
    assert httpx.post(whatsapp.url, content=body, headers={"Content-Type": "application/json"}).status_code == 401
    whatsapp.wait_until_handled()

    assert identity(runtime) is None and fake_graph.messages_to(WA_ID) == []


def test_a_message_delivered_twice_is_answered_once_even_by_a_restarted_app(
    whatsapp: WhatsAppWebhookApp, wa_settings: Settings, fake_graph: FakeGraphApi, clock
):
    chat = whatsapp.chat(WA_ID)
    chat.send("Здравствуйте")
    notification = fake_graph.button_reply(WA_ID, "lang:ru", "Русский")  # the id the language button carries
    assert ("lang:ru", "Русский") in fake_graph.messages_to(WA_ID)[-1].buttons
    before = len(chat.messages())

    whatsapp.deliver(notification)
    answered = fake_graph.texts_to(WA_ID)[before:]
    assert said("ru", onboarding.CONSENT) in "\n".join(answered)
    whatsapp.deliver(notification)  # Meta re-sends when our 200 was slow or lost
    assert fake_graph.texts_to(WA_ID)[before:] == answered

    # A restarted process (new runtime, same database) gets it once more: the ledger in the database remembers.
    with serve_whatsapp(create_app(wa_settings, runtime=Runtime(wa_settings, clock=clock)), fake_graph) as restarted:
        restarted.deliver(notification)
    assert fake_graph.texts_to(WA_ID)[before:] == answered


def test_outside_the_window_a_template_goes_out_and_the_message_waits_until_the_person_writes(
    whatsapp: WhatsAppWebhookApp, wa_settings: Settings, fake_graph: FakeGraphApi, runtime: Runtime, clock
):
    chat = whatsapp.chat(WA_ID)
    chat.send("Здравствуйте")
    chat.press("Русский")
    channel = whatsapp.channel
    assert isinstance(channel, WhatsAppChannel) and channel.sender.clock is runtime.clock  # the services' clock
    reminder = [
        Text("Напоминание: выберите организацию до 07.12.2026."),
        Choice("Выбрать?", (Option("menu:choose", "Выбрать"),)),
    ]
    with runtime.context() as ctx:
        case_id = add_case(ctx.session).id
        notice = Outbox(case_id=case_id, kind="offer", due_on=date(2026, 11, 25))
        ctx.session.add(notice)
        ctx.session.flush()
        notice_id = notice.id

    # Two days later the window is closed: the full message is refused before anything goes out...
    clock.advance_to(date(2026, 11, 25))
    before = len(fake_graph.messages_to(WA_ID))
    with pytest.raises(OutsideWindow):
        run_sender(wa_settings, runtime, "send", recipient_of(runtime), reminder)
    assert len(fake_graph.messages_to(WA_ID)) == before

    # ...so the approved template goes instead, in the person's language, and the notice is held.
    template_id = run_sender(wa_settings, runtime, "send_template", recipient_of(runtime), "offer", [str(case_id)])
    [template] = fake_graph.messages_to(WA_ID)[before:]
    assert (template.type, template.body["name"], template.body["language"]["code"]) == (
        "template",
        "qamqor_update",
        "ru",
    )
    assert "ответьте на это сообщение" in rendered_body(UPDATE, "ru", [str(case_id)])
    with runtime.context() as ctx:
        held = ctx.session.get(Outbox, notice_id)
        assert held is not None
        held.status, held.held_at, held.external_message_id = OutboxStatus.HELD, ctx.now, template_id

    # Meta reports the template read; the notice stays held until the person answers.
    whatsapp.deliver(fake_graph.status_update(template_id, "read", WA_ID))
    assert notice_state(runtime, notice_id) == (OutboxStatus.HELD, "read", None)

    # The person answers: the dialogue records it, the window is open again and the full message goes out.
    clock.tick(60)
    chat.send("Да, покажите")
    assert recipient_of(runtime).last_inbound_at is not None
    assert recipient_of(runtime).last_inbound_at > clock() - timedelta(seconds=1)
    ids = run_sender(wa_settings, runtime, "send", recipient_of(runtime), reminder)
    assert fake_graph.messages_to(WA_ID)[-2].text == "Напоминание: выберите организацию до 07.12.2026."
    assert len(ids) == 2

    # One of them never arrives: the failure shows on the notice for staff.
    with runtime.context() as ctx:
        row = ctx.session.get(Outbox, notice_id)
        assert row is not None
        row.status, row.external_message_id, row.delivery_status = OutboxStatus.SENT, ids[0], "sent"
    whatsapp.deliver(fake_graph.status_update(ids[0], "failed", WA_ID, error_code=131026))
    assert notice_state(runtime, notice_id) == (OutboxStatus.FAILED, "failed", "WhatsApp 131026: Message undeliverable")


def notice_state(runtime: Runtime, notice_id: int) -> tuple[OutboxStatus, str | None, str | None]:
    with runtime.context() as ctx:
        row = ctx.session.get(Outbox, notice_id)
        assert row is not None
        return row.status, row.delivery_status, row.last_error
