"""The delivery worker against the fake Bot API: rate limits and 429, quiet hours, retries and failures staff see,
the person's chat and language. SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from bot.delivery import DeliveryError, Recipient
from bot.i18n import gettext
from bot.messages import Reply
from bot.notice_texts import QUEUED, STAFF_DELIVERY_FAILED
from bot.telegram import TelegramSender
from core.db.enums import Audience, Channel, Language, OutboxStatus
from core.rules.codes import DocumentCode
from core.services import cases, documents, notices
from core.services.context import ALMATY
from qamqor.delivery import Channels, DeliveryWorker, build_channels
from qamqor.delivery.policy import quiet_ends
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.delivery.conftest import STAFF_CHAT, FakeTime, applicant, chat_of, open_application, row_of
from tests.fakes import FakeTelegram
from tests.services.conftest import DEPARTMENT, Clock


def notice(runtime: Runtime, case_id: int, kind: str, *, urgent: bool = False, **payload: object) -> int:
    with runtime.context() as ctx:
        row = notices.notify(ctx, cases.get_case(ctx, case_id), kind, urgent=urgent, **payload)
        ctx.session.flush()
        return int(row.id)


async def test_a_notice_goes_to_the_case_chat_in_its_language(
    runtime: Runtime, places, worker: DeliveryWorker, fake_telegram: FakeTelegram
):
    person = applicant(runtime, places, chat=5001, language=Language.KK)
    row_id = notice(runtime, person.case_id, "queued", position=3)

    report = await worker.deliver_outbox()

    [sent] = fake_telegram.messages_to(5001)
    assert gettext("kk", QUEUED, position=3) in (sent.text or "")
    assert sent.button_labels == [gettext("kk", "My status"), gettext("kk", "Main menu")]
    row = row_of(runtime, row_id)
    assert (row.status, row.attempts, report.sent) == (OutboxStatus.SENT, 1, 1)
    assert (row.chat_identity_id, row.channel, row.external_message_id) == (
        person.identity_id,
        Channel.TELEGRAM,
        str(sent.message_id),
    )
    assert await worker.deliver_outbox() == type(report)()  # nothing is sent twice


async def test_the_most_recently_active_chat_that_opened_the_case_gets_it_not_a_chat_that_typed_the_iin(
    runtime: Runtime, places, clock: Clock, worker: DeliveryWorker, fake_telegram: FakeTelegram
):
    case_id, person_id = open_application(runtime, places)
    chat_of(runtime, person_id, [case_id], chat="5101")
    clock.tick(60)
    chat_of(runtime, person_id, [case_id], chat="5102")  # the same family, another phone, more recent
    clock.tick(60)
    chat_of(runtime, person_id, [], chat="5103")  # linked to the person by a typed IIN; never opened the case
    notice(runtime, case_id, "queued", position=1)

    await worker.deliver_outbox()

    assert [len(fake_telegram.messages_to(chat)) for chat in (5101, 5102, 5103)] == [0, 1, 0]


async def test_a_429_is_honoured_the_bot_waits_retry_after_then_sends_each_row_once(
    runtime: Runtime, places, clock: Clock, worker: DeliveryWorker, fake_telegram: FakeTelegram, fake_time: FakeTime
):
    people = [applicant(runtime, places, chat=5200 + n, serial=n) for n in range(3)]
    rows = [notice(runtime, person.case_id, "queued", position=n + 1) for n, person in enumerate(people)]
    fake_telegram.fail_next("sendMessage", retry_after=7)

    report = await worker.deliver_outbox()

    assert report.sent == 0 and fake_telegram.messages_to(5200) == []
    first = row_of(runtime, rows[0])
    assert (first.status, first.attempts) == (OutboxStatus.PENDING, 0)  # a 429 is not a failed attempt
    assert first.next_attempt_at == clock.now + timedelta(seconds=7) and "retry after 7" in (first.last_error or "")
    # The whole bot waits: the other rows were put back until then, not sent into the limit.
    assert all(row_of(runtime, row_id).next_attempt_at >= clock.now + timedelta(seconds=6) for row_id in rows[1:])

    clock.tick(6)
    fake_time.advance(6)
    assert (await worker.deliver_outbox()).sent == 0
    clock.tick(1)
    fake_time.advance(1)
    assert (await worker.deliver_outbox()).sent == 3
    assert [len(fake_telegram.messages_to(5200 + n)) for n in range(3)] == [1, 1, 1]
    assert len(fake_telegram.calls("sendMessage")) == 4  # the refused call and three that went out


class Timed(TelegramSender):
    """The real sender, noting the rate limiter's clock at each message."""

    def __init__(self, bot, fake_time: FakeTime) -> None:
        super().__init__(bot)
        self.fake_time = fake_time
        self.moments: list[tuple[str, float]] = []

    async def send(self, recipient: Recipient, replies: Sequence[Reply]) -> list[str]:
        self.moments.append((recipient.external_id, self.fake_time.now))
        return await super().send(recipient, replies)


async def test_rate_limits_keep_30_a_second_per_bot_and_one_a_second_per_chat(
    runtime: Runtime, places, settings: Settings, bot, fake_telegram: FakeTelegram, fake_time: FakeTime
):
    person = applicant(runtime, places, chat=5300)
    notice(runtime, person.case_id, "queued", position=1)
    notice(runtime, person.case_id, "submitted")
    for n in range(40):
        other = applicant(runtime, places, chat=5310 + n, serial=10 + n)
        notice(runtime, other.case_id, "submitted")
    sender = Timed(bot, fake_time)
    worker = DeliveryWorker(
        runtime, build_channels(settings, telegram=sender, monotonic=fake_time.monotonic, sleep=fake_time.sleep)
    )

    report = await worker.deliver_outbox()

    assert report.sent == 42 and len(fake_telegram.calls("sendMessage")) == 42
    moments = [moment for _, moment in sender.moments]
    assert all(sum(start <= m < start + 0.999 for m in moments) <= 30 for start in moments)  # any second
    first, second = [moment for chat, moment in sender.moments if chat == "5300"]
    assert second - first >= 1.0
    assert max(fake_time.slept) <= 1.0  # short waits are slept through (on the limiter's own clock)


async def test_quiet_hours_hold_reminders_until_eight_but_not_urgent_news(
    runtime: Runtime, places, clock: Clock, worker: DeliveryWorker, fake_telegram: FakeTelegram
):
    clock.now = datetime.combine(clock.now.date(), time(23, 0), ALMATY)
    person = applicant(runtime, places, chat=5400)
    queued = notice(runtime, person.case_id, "queued", position=2)
    offer = notice(runtime, person.case_id, "offer", urgent=True, organisation_id=1, arrival_due_on="2026-12-10")
    last_day = notice(
        runtime, person.case_id, "choose_reminder", urgent=True, deadline="2026-11-24", working_days_left=0
    )

    await worker.deliver_outbox()

    assert len(fake_telegram.messages_to(5400)) == 1  # the offer: news goes out at night
    morning = datetime.combine(clock.now.date() + timedelta(days=1), time(8, 0), ALMATY)
    assert morning == quiet_ends(clock.now)
    for row_id in (queued, last_day):
        row = row_of(runtime, row_id)
        assert (row.status, row.next_attempt_at) == (OutboxStatus.PENDING, morning)
    assert row_of(runtime, offer).status == OutboxStatus.SENT

    clock.now = morning - timedelta(minutes=1)
    assert (await worker.deliver_outbox()).sent == 0
    clock.now = morning
    assert (await worker.deliver_outbox()).sent == 2
    assert len(fake_telegram.messages_to(5400)) == 3


async def test_a_blocked_chat_fails_at_once_and_staff_are_told_in_their_chat(
    runtime: Runtime, places, worker: DeliveryWorker, fake_telegram: FakeTelegram
):
    person = applicant(runtime, places, chat=5500)
    row_id = notice(runtime, person.case_id, "queued", position=1)
    fake_telegram.block_chat(5500)

    await worker.deliver_outbox()
    await worker.deliver_outbox()  # the staff alert written by the failure goes out on the next pass

    row = row_of(runtime, row_id)
    assert row.status == OutboxStatus.FAILED and row.last_error.startswith("unreachable")
    assert len(fake_telegram.calls("sendMessage")) == 2  # one refused try, one alert: never retried
    [alert] = fake_telegram.texts_to(STAFF_CHAT)
    expected = gettext("ru", STAFF_DELIVERY_FAILED, case=person.case_id, kind="queued", error=row.last_error)
    assert alert == expected


class FlakySender:
    """A channel whose every send fails with a transient error (the network is down)."""

    channel = "telegram"

    def __init__(self) -> None:
        self.tries = 0

    async def send(self, recipient: Recipient, replies: Sequence[Reply]) -> list[str]:
        self.tries += 1
        raise DeliveryError("Telegram failed (TelegramNetworkError)")


async def test_transient_failures_back_off_then_fail_for_staff_to_see(
    runtime: Runtime, places, clock: Clock, settings: Settings
):
    sender = FlakySender()
    channels = Channels()
    channels.add(sender)
    worker = DeliveryWorker(runtime, channels)
    person = applicant(runtime, places, chat=5600)
    row_id = notice(runtime, person.case_id, "queued", position=1)

    waits = []
    for _ in range(settings.delivery.max_attempts):
        await worker.deliver_outbox()
        row = row_of(runtime, row_id)
        if row.status == OutboxStatus.PENDING:
            waits.append((row.next_attempt_at - clock.now).total_seconds())
            clock.now = row.next_attempt_at
    row = row_of(runtime, row_id)
    assert waits == [30.0, 60.0]  # 30 s, doubled; the third failure is the last (max_attempts=3)
    assert (row.status, row.attempts, sender.tries) == (OutboxStatus.FAILED, 3, 3)
    assert row.last_error == "Telegram failed (TelegramNetworkError)"


async def test_an_unknown_kind_fails_with_a_clear_error_and_logs_no_personal_data(
    runtime: Runtime, places, worker: DeliveryWorker, fake_telegram: FakeTelegram, caplog
):
    person = applicant(runtime, places, chat=5700)
    row_id = notice(runtime, person.case_id, "horoscope", sign="Leo")
    good = notice(runtime, person.case_id, "submitted")

    with caplog.at_level(logging.INFO):
        report = await worker.deliver_outbox()

    row = row_of(runtime, row_id)
    assert row.status == OutboxStatus.FAILED
    assert row.last_error == "cannot be written: no text for notice kind 'horoscope'"
    assert (report.sent, row_of(runtime, good).status) == (1, OutboxStatus.SENT)  # the worker carried on
    logged = caplog.text
    assert "horoscope" in logged and "Сапарова" not in logged and "5700" not in logged


async def test_no_chat_holds_the_case_fails_for_staff_and_a_staff_alert_without_staff_chat_is_cancelled(
    runtime: Runtime, places, settings: Settings, bot, fake_time: FakeTime
):
    case_id, _ = open_application(runtime, places)  # opened by staff: no chat ever held it
    row_id = notice(runtime, case_id, "queued", position=1)
    with runtime.context() as ctx:
        alert = notices.notify(
            ctx, cases.get_case(ctx, case_id), "staff_step_due", step="decision", deadline="2026-12-01"
        )
        alert.audience = Audience.STAFF
        ctx.session.flush()
        alert_id = int(alert.id)
    no_staff_chat = settings.model_copy(
        update={"telegram": settings.telegram.model_copy(update={"staff_chat_id": None})}
    )
    worker = DeliveryWorker(
        Runtime(no_staff_chat, clock=runtime.clock, engine=runtime.engine), build_channels(no_staff_chat)
    )

    await worker.deliver_outbox()

    assert row_of(runtime, row_id).last_error == "no chat of the applicant holds this application"
    assert row_of(runtime, row_id).status == OutboxStatus.FAILED
    assert row_of(runtime, alert_id).status == OutboxStatus.CANCELLED


async def test_a_rejected_documents_reason_reaches_the_applicant_with_a_button_to_the_documents(
    runtime: Runtime, places, worker: DeliveryWorker, fake_telegram: FakeTelegram
):
    person = applicant(runtime, places, chat=5800)
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, person.case_id)
        documents.review(ctx, case, DocumentCode.MEDICAL_CARD, accept=False, reason="Не видно печати поликлиники")

    await worker.deliver_outbox()

    [sent] = fake_telegram.messages_to(5800)
    assert "«медицинская карта»" in sent.text and "Не видно печати поликлиники" in sent.text
    assert sent.buttons[0][0][1] == "menu:documents"
