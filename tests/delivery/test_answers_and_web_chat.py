"""Staff answers reach the person's chat (Telegram, and the web chat over HTTP through GET /chat/api/inbox), and
so do notices for a web chat: stored as the queue they are, returned until the page acknowledges them, only to
the chat they belong to. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import sqlalchemy as sa

from bot.i18n import gettext
from bot.notice_texts import QUEUED, STAFF_ANSWER
from core.db.enums import Channel, OutboxStatus
from core.db.models import ChatIdentity, Conversation, Person
from core.services import cases, inbox, notices, people
from qamqor.app import create_app
from qamqor.delivery import DeliveryWorker
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.conftest import LiveServer
from tests.delivery.conftest import FakeTime, answer_of, applicant, open_application, row_of
from tests.fakes import FakeTelegram
from tests.services.conftest import Clock

INBOX = "/chat/api/inbox"
PAGE_HEADER = {"X-Qamqor-Chat": "1"}


def staff_answer(runtime: Runtime, identity_id: int, question: str, answer: str) -> int:
    with runtime.context() as ctx:
        identity = ctx.session.get(ChatIdentity, identity_id)
        asked = inbox.ask(ctx, identity, question)
        reply = inbox.reply(ctx, asked, answer, staff_user_id=1)
        ctx.session.flush()
        return int(reply.id)


async def test_a_staff_answer_reaches_the_telegram_chat_once_with_buttons_back_to_the_dialogue(
    runtime: Runtime, places, worker: DeliveryWorker, fake_telegram: FakeTelegram
):
    person = applicant(runtime, places, chat=8001)
    message_id = staff_answer(runtime, person.identity_id, "Когда решение?", "Решение будет до пятницы.")

    report = await worker.deliver_replies()

    [sent] = fake_telegram.messages_to(8001)
    assert sent.text == f"{gettext('ru', STAFF_ANSWER)}\n\nРешение будет до пятницы."
    assert [data for row in sent.buttons for _, data in row] == ["menu:ask", "cmd:menu"]
    answer = answer_of(runtime, message_id)
    assert answer.delivered_at is not None and answer.delivery_status == "sent"
    assert answer.external_message_id == str(sent.message_id) and report.sent == 1
    assert (await worker.deliver_replies()).sent == 0 and len(fake_telegram.messages_to(8001)) == 1
    with runtime.context() as ctx:
        assert inbox.pending_replies(ctx) == []


async def test_a_staff_answer_to_a_blocked_chat_shows_the_error_to_staff(
    runtime: Runtime, places, worker: DeliveryWorker, fake_telegram: FakeTelegram
):
    person = applicant(runtime, places, chat=8002)
    message_id = staff_answer(runtime, person.identity_id, "Вопрос", "Ответ")
    fake_telegram.block_chat(8002)

    await worker.deliver_replies()
    await worker.deliver_replies()

    answer = answer_of(runtime, message_id)
    assert answer.delivered_at is None and answer.delivery_error.startswith("unreachable")
    assert len(fake_telegram.calls("sendMessage")) == 1  # not tried again


async def test_a_429_on_staff_answers_makes_them_wait_retry_after_then_each_goes_once(
    runtime: Runtime, places, clock: Clock, worker: DeliveryWorker, fake_telegram: FakeTelegram, fake_time: FakeTime
):
    first, second = (applicant(runtime, places, chat=8100 + n, serial=n + 1) for n in range(2))
    answers = [
        staff_answer(runtime, person.identity_id, "Вопрос", f"Ответ {n}") for n, person in enumerate((first, second))
    ]
    fake_telegram.fail_next("sendMessage", retry_after=5)

    report = await worker.deliver_replies()  # the 429, and the other answer held back by the paused bot

    assert report.sent == 0 and answer_of(runtime, answers[0]).delivered_at is None
    clock.tick(5)
    fake_time.advance(5)
    assert (await worker.deliver_replies()).sent == 2
    assert [len(fake_telegram.messages_to(chat)) for chat in (8100, 8101)] == [1, 1]


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"telegram": settings.telegram.model_copy(update={"token": None})})


@pytest.fixture
async def web(web_settings: Settings, runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    with LiveServer(create_app(web_settings, runtime=runtime)) as server:
        async with httpx.AsyncClient(base_url=server.url, headers={"Accept-Language": "ru"}, timeout=10) as client:
            yield client


async def web_identity(runtime: Runtime, client: httpx.AsyncClient) -> ChatIdentity:
    """Open the page and say /start, as a person does: the dialogue creates the web chat's identity."""
    assert (await client.get("/chat")).status_code == 200
    assert (await client.post("/chat/api/messages", json={"text": "/start"})).status_code == 200
    cookie = client.cookies.get("qamqor_chat")
    with runtime.context() as ctx:
        identity = ctx.session.scalars(
            sa.select(ChatIdentity).where(ChatIdentity.channel == Channel.WEB, ChatIdentity.external_id == cookie)
        ).one()
        ctx.session.expunge(identity)
        return identity


async def test_a_staff_answer_reaches_the_web_chat_through_the_inbox_until_the_page_acknowledges_it(
    runtime: Runtime, places, worker: DeliveryWorker, web: httpx.AsyncClient
):
    identity = await web_identity(runtime, web)
    message_id = staff_answer(runtime, identity.id, "Когда решение?", "Решение будет до пятницы.")
    assert (await web.get(INBOX)).status_code == 403  # only the page (its header) reads the inbox
    assert (await web.get(INBOX, headers=PAGE_HEADER)).json() == {"replies": [], "ack": []}  # not sent yet

    await worker.deliver_replies()

    first = (await web.get(INBOX, headers=PAGE_HEADER)).json()
    [shown] = first["replies"]
    assert shown["type"] == "choice" and shown["key"] == f"a{message_id}.0"
    assert shown["text"] == f"{gettext('ru', STAFF_ANSWER)}\n\nРешение будет до пятницы."
    assert [option["id"] for option in shown["options"]] == ["menu:ask", "cmd:menu"]
    assert first["ack"] == [f"a{message_id}"]
    assert answer_of(runtime, message_id).delivery_status == "queued"
    # A response lost on the way loses nothing: until acknowledged, the answer comes again.
    assert (await web.get(INBOX, headers=PAGE_HEADER)).json() == first
    acknowledged = await web.get(INBOX, params={"ack": f"a{message_id}"}, headers=PAGE_HEADER)
    assert acknowledged.json() == {"replies": [], "ack": []}
    assert answer_of(runtime, message_id).delivery_status == "delivered"


async def test_a_notice_for_a_web_chat_is_fetched_by_that_chat_only_in_its_language(
    runtime: Runtime, places, worker: DeliveryWorker, web: httpx.AsyncClient, web_settings: Settings
):
    identity = await web_identity(runtime, web)
    case_id, person_id = open_application(runtime, places)
    with runtime.context() as ctx:  # this chat opened the case (as the dialogue records it)
        people.link_person(ctx, ctx.session.get(ChatIdentity, identity.id), ctx.session.get(Person, person_id))
        conversation = ctx.session.scalars(
            sa.select(Conversation).where(Conversation.chat_identity_id == identity.id)
        ).one()
        conversation.data = {**conversation.data, "cases": [case_id]}
        row = notices.notify(ctx, cases.get_case(ctx, case_id), "queued", position=4)
        ctx.session.flush()
        row_id = int(row.id)

    report = await worker.deliver_outbox()

    assert report.sent == 1
    row = row_of(runtime, row_id)
    assert (row.status, row.delivery_status, row.chat_identity_id) == (OutboxStatus.SENT, "queued", identity.id)
    async with httpx.AsyncClient(base_url=str(web.base_url), timeout=10) as stranger:
        await stranger.get("/chat")
        assert (await stranger.get(INBOX, params={"ack": f"n{row_id}"}, headers=PAGE_HEADER)).json()["replies"] == []
    fetched = (await web.get(INBOX, headers=PAGE_HEADER)).json()
    [shown] = fetched["replies"]
    assert gettext("ru", QUEUED, position=4) in shown["text"] and shown["key"] == f"n{row_id}.0"
    await web.get(INBOX, params={"ack": ",".join(fetched["ack"])}, headers=PAGE_HEADER)
    assert row_of(runtime, row_id).delivery_status == "delivered"
    with runtime.context() as ctx:  # reading the inbox is not the person writing
        assert ctx.session.get(ChatIdentity, identity.id).last_inbound_at == identity.last_inbound_at
