"""Delivery statuses from the webhook kept on the notices and staff answers they belong to (SQLite and PostgreSQL):
never moving back, and a failure marked so staff see it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest

from bot.ledger import InMemoryUpdateLedger
from bot.whatsapp import install_whatsapp
from bot.whatsapp.store import DatabaseChatStore
from core.db.enums import Channel, Direction, OutboxStatus
from core.db.models import ChatIdentity, InboxMessage, Outbox
from core.services.receipts import record_receipt
from qamqor.app import create_base_app
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.db.factories import add_case
from tests.fakes.graph_api import FakeGraphApi
from tests.services import conftest as services
from tests.telegram.scripted import ScriptedDialogue
from tests.whatsapp.chat import WhatsAppWebhookApp, serve_whatsapp
from tests.whatsapp.conftest import WA_ID

clock = services.clock
runtime = services.runtime


@dataclass(frozen=True)
class Sent:
    notice_id: int
    held_notice_id: int
    answer_id: int


@pytest.fixture
def sent(runtime: Runtime) -> Sent:
    """A reminder that went out (wamid.sent), one held behind a template (wamid.template), a staff answer."""
    with runtime.context() as ctx:
        case = add_case(ctx.session)
        identity = ChatIdentity(channel=Channel.WHATSAPP, external_id=WA_ID)
        notice = Outbox(
            case_id=case.id, kind="choose_reminder", due_on=date(2026, 11, 23), external_message_id="wamid.sent"
        )
        notice.status, notice.delivery_status = OutboxStatus.SENT, "sent"
        held = Outbox(case_id=case.id, kind="offer", due_on=date(2026, 11, 23), external_message_id="wamid.template")
        held.status = OutboxStatus.HELD
        ctx.session.add_all([identity, notice, held])
        ctx.session.flush()
        answer = InboxMessage(
            chat_identity_id=identity.id, direction=Direction.OUT, body="Ответ", external_message_id="wamid.answer"
        )
        ctx.session.add(answer)
        ctx.session.flush()
        return Sent(notice.id, held.id, answer.id)


def state(runtime: Runtime, sent: Sent) -> dict[str, tuple[object, ...]]:
    with runtime.context() as ctx:
        notice, held = ctx.session.get(Outbox, sent.notice_id), ctx.session.get(Outbox, sent.held_notice_id)
        answer = ctx.session.get(InboxMessage, sent.answer_id)
        assert notice and held and answer
        return {
            "notice": (notice.status, notice.delivery_status, notice.last_error),
            "held": (held.status, held.delivery_status, held.last_error),
            "answer": (answer.delivery_status, answer.delivery_error),
        }


def receive(runtime: Runtime, message_id: str, status: str, error: str | None = None) -> None:
    with runtime.context() as ctx:
        record_receipt(ctx, message_id, status, error=error)


def test_statuses_move_forward_only_even_when_they_arrive_out_of_order(runtime: Runtime, sent: Sent):
    receive(runtime, "wamid.sent", "read")
    receive(runtime, "wamid.sent", "delivered")  # Meta's receipts can cross on the way
    receive(runtime, "wamid.answer", "delivered")

    after = state(runtime, sent)
    assert after["notice"] == (OutboxStatus.SENT, "read", None)
    assert after["answer"] == ("delivered", None)


def test_a_failed_delivery_marks_the_notice_failed_for_staff_and_stays_failed(runtime: Runtime, sent: Sent):
    receive(runtime, "wamid.sent", "failed", "WhatsApp 131026: Message undeliverable")
    receive(runtime, "wamid.sent", "sent")

    assert state(runtime, sent)["notice"] == (OutboxStatus.FAILED, "failed", "WhatsApp 131026: Message undeliverable")


def test_a_failed_template_fails_its_held_notice(runtime: Runtime, sent: Sent):
    receive(runtime, "wamid.template", "delivered")
    assert state(runtime, sent)["held"] == (OutboxStatus.HELD, "delivered", None)  # still waiting for a reply

    receive(runtime, "wamid.template", "failed", "WhatsApp 132001: Template name does not exist")
    assert state(runtime, sent)["held"] == (
        OutboxStatus.FAILED,
        "failed",
        "WhatsApp 132001: Template name does not exist",
    )


def test_unknown_statuses_and_message_ids_change_nothing(runtime: Runtime, sent: Sent):
    before = state(runtime, sent)
    receive(runtime, "wamid.sent", "deleted")
    receive(runtime, "wamid.someone-elses", "failed")

    assert state(runtime, sent) == before


@pytest.fixture
def webhook(
    settings: Settings, runtime: Runtime, dialogue: ScriptedDialogue, fake_graph: FakeGraphApi
) -> Iterator[WhatsAppWebhookApp]:
    app = create_base_app(settings)
    store = DatabaseChatStore(runtime)
    install_whatsapp(app, settings=settings, dialogue=dialogue, ledger=InMemoryUpdateLedger(), store=store)
    with serve_whatsapp(app, fake_graph) as served:
        yield served


def test_statuses_posted_to_the_webhook_are_recorded_with_meta_s_error(
    webhook: WhatsAppWebhookApp, fake_graph: FakeGraphApi, runtime: Runtime, sent: Sent
):
    webhook.deliver(fake_graph.status_update("wamid.answer", "read", WA_ID))
    webhook.deliver(fake_graph.status_update("wamid.sent", "failed", WA_ID, error_code=131026))

    after = state(runtime, sent)
    assert after["answer"] == ("read", None)
    assert after["notice"] == (OutboxStatus.FAILED, "failed", "WhatsApp 131026: Message undeliverable")
