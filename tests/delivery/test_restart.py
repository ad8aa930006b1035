"""A worker that dies, is stopped or is cancelled in the middle of a batch loses nothing and sends nothing twice;
two workers on one database never send one row twice (PostgreSQL: FOR UPDATE SKIP LOCKED). SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import timedelta

import pytest

from bot.delivery import Recipient
from bot.messages import Reply
from bot.telegram import TelegramSender
from core.db.enums import OutboxStatus
from core.services import cases, notices
from qamqor.delivery import Channels, DeliveryWorker, build_channels
from qamqor.delivery.policy import CLAIM_SECONDS
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.delivery.conftest import FakeTime, applicant, outbox_rows
from tests.fakes import FakeTelegram
from tests.services.conftest import Clock

FIRST_CHAT = 6000
PEOPLE = 12
SENT_BEFORE_TROUBLE = 5


class Crash(BaseException):
    """The process dies (nothing below catches a BaseException that is not a cancellation)."""


class Interrupting(TelegramSender):
    """The real Telegram sender, with trouble after `after` messages went out: `trouble()` runs before the next one
    (`before_next=True`) or right after the last good one returned."""

    def __init__(self, bot, trouble: Callable[[], None], *, after: int, before_next: bool) -> None:
        super().__init__(bot)
        self.trouble, self.after, self.before_next = trouble, after, before_next
        self.sent = 0

    async def send(self, recipient: Recipient, replies: Sequence[Reply]) -> list[str]:
        if self.before_next and self.sent == self.after:
            self.trouble()
        ids = await super().send(recipient, replies)
        self.sent += 1
        if not self.before_next and self.sent == self.after:
            self.trouble()
        return ids


def due_notices(runtime: Runtime, places) -> list[int]:
    """Twelve families, one notice each, all due now, in one batch."""
    row_ids = []
    for n in range(PEOPLE):
        person = applicant(runtime, places, chat=FIRST_CHAT + n, serial=n + 1)
        with runtime.context() as ctx:
            row = notices.notify(ctx, cases.get_case(ctx, person.case_id), "queued", position=n + 1)
            ctx.session.flush()
            row_ids.append(int(row.id))
    return row_ids


def received(fake: FakeTelegram) -> list[int]:
    return [len(fake.messages_to(FIRST_CHAT + n)) for n in range(PEOPLE)]


def worker_with(runtime: Runtime, settings: Settings, sender: TelegramSender, fake_time: FakeTime) -> DeliveryWorker:
    channels = build_channels(settings, telegram=sender, monotonic=fake_time.monotonic, sleep=fake_time.sleep)
    return DeliveryWorker(runtime, channels)


async def test_a_crash_mid_batch_loses_nothing_and_the_next_worker_sends_the_rest_once(
    runtime: Runtime, places, settings: Settings, clock: Clock, bot, fake_telegram: FakeTelegram, fake_time: FakeTime
):
    due_notices(runtime, places)

    def crash() -> None:
        raise Crash

    dying = worker_with(runtime, settings, Interrupting(bot, crash, after=5, before_next=True), fake_time)
    with pytest.raises(Crash):
        await dying.deliver_outbox()
    assert sum(received(fake_telegram)) == SENT_BEFORE_TROUBLE
    states = [row.status for row in outbox_rows(runtime)]
    assert states.count(OutboxStatus.SENT) == 5 and states.count(OutboxStatus.PENDING) == 7

    restarted = worker_with(runtime, settings, TelegramSender(bot), fake_time)
    assert (await restarted.deliver_outbox()).sent == 0  # the dead worker's claim still stands...
    clock.now += timedelta(seconds=CLAIM_SECONDS + 1)
    assert (await restarted.deliver_outbox()).sent == 7  # ...until it runs out: then the rest goes, once

    assert received(fake_telegram) == [1] * PEOPLE
    assert {row.status for row in outbox_rows(runtime)} == {OutboxStatus.SENT}


async def test_a_stopped_worker_gives_back_its_batch_for_the_next_to_send_at_once(
    runtime: Runtime, places, settings: Settings, bot, fake_telegram: FakeTelegram, fake_time: FakeTime
):
    due_notices(runtime, places)
    stopping: list[DeliveryWorker] = []
    first = worker_with(
        runtime, settings, Interrupting(bot, lambda: stopping[0].stop(), after=5, before_next=False), fake_time
    )
    stopping.append(first)

    report = await first.deliver_outbox()
    assert report.sent == SENT_BEFORE_TROUBLE

    second = worker_with(runtime, settings, TelegramSender(bot), fake_time)
    assert (await second.deliver_outbox()).sent == 7  # no waiting for a claim to run out
    assert received(fake_telegram) == [1] * PEOPLE


async def test_a_cancelled_worker_records_what_was_sent_and_gives_back_the_rest(
    runtime: Runtime, places, settings: Settings, bot, fake_telegram: FakeTelegram, fake_time: FakeTime
):
    due_notices(runtime, places)
    tasks: list[asyncio.Task] = []
    first = worker_with(
        runtime, settings, Interrupting(bot, lambda: tasks[0].cancel(), after=5, before_next=False), fake_time
    )
    tasks.append(asyncio.create_task(first.deliver_outbox()))

    with pytest.raises(asyncio.CancelledError):
        await tasks[0]
    sent = [row for row in outbox_rows(runtime) if row.status == OutboxStatus.SENT]
    assert len(sent) == SENT_BEFORE_TROUBLE  # the fifth was written although the task was cancelled right after

    second = worker_with(runtime, settings, TelegramSender(bot), fake_time)
    assert (await second.deliver_outbox()).sent == 7
    assert received(fake_telegram) == [1] * PEOPLE


async def test_two_workers_at_once_never_send_one_row_twice(
    runtime: Runtime, places, settings: Settings, bot, fake_telegram: FakeTelegram
):
    due_notices(runtime, places)
    workers = []
    for _ in range(2):
        channels = Channels()
        channels.add(TelegramSender(bot))  # no rate limits: as fast as both can go
        workers.append(DeliveryWorker(runtime, channels, batch_size=3))

    reports = await asyncio.gather(*(worker.deliver_outbox() for worker in workers))

    assert sum(report.sent for report in reports) == PEOPLE
    assert received(fake_telegram) == [1] * PEOPLE
