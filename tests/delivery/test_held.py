"""A channel with a customer-service window (WhatsApp): outside it the worker sends the approved template and holds
the full message (outbox HELD, a staff answer 'held'); once the person writes, the full message goes, once.
The channel is a stand-in for WhatsApp's sender (bot.delivery's contract: OutsideWindow, send_template); the real
one is tested against the fake Graph API in tests/whatsapp. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.delivery import OutsideWindow, Recipient
from bot.messages import Reply
from core.db.enums import Channel, Language, OutboxStatus
from core.services import cases, notices, people
from qamqor.delivery import Channels, DeliveryWorker
from qamqor.runtime import Runtime
from tests.delivery.conftest import answer_of, chat_of, open_application, row_of
from tests.delivery.test_answers_and_web_chat import staff_answer
from tests.services.conftest import Clock

WA_ID = "77015550001"


class WindowedSender:
    """Sends only within 24 hours of the person's last message; outside it, only templates."""

    channel = "whatsapp"

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.messages: list[str] = []
        self.templates: list[tuple[str, list[str]]] = []

    async def send(self, recipient: Recipient, replies: Sequence[Reply]) -> list[str]:
        last: datetime | None = recipient.last_inbound_at
        if last is None or self.clock.now - last > timedelta(hours=24):
            raise OutsideWindow("the 24-hour window is closed (131047)")
        self.messages += [getattr(reply, "text", "") for reply in replies]
        return [f"wamid.m{len(self.messages)}"]

    async def send_template(self, recipient: Recipient, notice_kind: str, params: Sequence[str]) -> str:
        self.templates.append((notice_kind, list(params)))
        return f"wamid.t{len(self.templates)}"


def person_writes(runtime: Runtime) -> None:
    with runtime.context() as ctx:  # what the dialogue does with every message the person sends
        people.chat_identity(ctx, Channel.WHATSAPP, WA_ID)


async def test_outside_the_window_a_template_goes_and_the_notice_waits_for_the_person_to_write(
    runtime: Runtime, places, clock: Clock
):
    sender = WindowedSender(clock)
    channels = Channels()
    channels.add(sender)
    worker = DeliveryWorker(runtime, channels)
    case_id, person_id = open_application(runtime, places)
    chat_of(runtime, person_id, [case_id], chat=WA_ID, channel=Channel.WHATSAPP)
    clock.now += timedelta(days=2)  # the person last wrote two days ago
    with runtime.context() as ctx:
        row = notices.notify(ctx, cases.get_case(ctx, case_id), "queued", position=2)
        ctx.session.flush()
        row_id = int(row.id)

    await worker.deliver_outbox()

    row = row_of(runtime, row_id)
    assert sender.templates == [("queued", [str(case_id)])] and sender.messages == []
    assert (row.status, row.held_at, row.external_message_id) == (OutboxStatus.HELD, clock.now, "wamid.t1")
    clock.tick(3600)
    assert (await worker.deliver_outbox()).total == 0  # held: no second template, no message

    clock.tick(60)
    person_writes(runtime)
    clock.tick(5)
    assert (await worker.deliver_outbox()).sent == 1
    assert len(sender.messages) == 1 and len(sender.templates) == 1
    assert row_of(runtime, row_id).status == OutboxStatus.SENT
    assert (await worker.deliver_outbox()).total == 0


async def test_a_staff_answer_outside_the_window_is_held_then_delivered_when_the_person_writes(
    runtime: Runtime, places, clock: Clock
):
    sender = WindowedSender(clock)
    channels = Channels()
    channels.add(sender)
    worker = DeliveryWorker(runtime, channels)
    case_id, person_id = open_application(runtime, places)
    identity_id = chat_of(runtime, person_id, [case_id], chat=WA_ID, channel=Channel.WHATSAPP, language=Language.KK)
    clock.now += timedelta(days=3)
    message_id = staff_answer(runtime, identity_id, "Сұрақ", "Жауап: бейсенбіге дейін.")

    await worker.deliver_replies()
    await worker.deliver_replies()

    answer = answer_of(runtime, message_id)
    assert (answer.delivery_status, answer.delivered_at, answer.external_message_id) == ("held", None, "wamid.t1")
    assert sender.templates == [("staff_reply", [""])]  # a question asked outside a case: no application number

    clock.tick(60)
    person_writes(runtime)
    await worker.deliver_replies()

    answer = answer_of(runtime, message_id)
    assert answer.delivered_at == clock.now and answer.delivery_status == "sent"
    assert sender.messages == ["Қызметкердің жауабы:\n\nЖауап: бейсенбіге дейін."]
