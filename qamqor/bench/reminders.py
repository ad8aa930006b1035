"""`qamqor bench reminders --due N`: one sweep over N due notices, and the delivery rate against a fake Bot API.

On a throwaway database of the configured kind (as `bench queue`): N families, each with a decided case waiting
for their choice (NOTIFIED), a Telegram chat that opened it, and one due notice (an offer of a free place).
Measured:
- the planning sweep (core.services.reminders.sweep, every open case), twice: the first plans every case's
  reminders, the second is the daily steady state;
- the delivery sweep: claiming every due row, batch by batch, as the worker does (then given back);
- delivery: rows per second through the real worker and TelegramSender to the loopback Bot API stub
  (qamqor/bench/bot_api_stub.py), with Telegram's rate limits off (the worker's own cost) and on (about 30/s).
The business clock is fixed at 10:00 Almaty today (no quiet hours); the rate limiter uses real time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import sqlalchemy as sa
from pydantic import SecretStr

from bot.telegram import TelegramSender, make_bot
from core.db.enums import Audience, OutboxStatus
from core.db.migrate import upgrade
from core.db.models import Case, ChatIdentity, Conversation, Organisation, Outbox, Person, Region
from core.rules.codes import Category, Form, Status
from core.services.context import ALMATY
from qamqor.bench.bot_api_stub import BotApiStub
from qamqor.bench.queue import scratch_database
from qamqor.delivery import DeliveryWorker, build_channels
from qamqor.delivery import outbox as outbox_table
from qamqor.delivery.db import transaction
from qamqor.delivery.policy import URGENT_CHECK_EVERY
from qamqor.runtime import Runtime
from qamqor.scheduler import reminder_sweep
from qamqor.settings import Settings, TelegramSettings

FAKE_TOKEN = "123456789:BenchTokenNotARealBot_0123456789abc"
FIRST_CHAT_ID = 910_000_000
BATCH = 5_000
LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True, slots=True)
class Rate:
    rows: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class Figures:
    fill_seconds: float
    planning_first: float | None  # None: core.services.reminders.sweep is not available
    planning_again: float | None
    planned_rows: int
    claim_seconds: float
    claimed: int
    unlimited: Rate
    limited: Rate
    delivered_to_stub: int


Say = Callable[[str], None]


def run(settings: Settings, due: int, sample: int, limited_sample: int, say: Say = print) -> Figures:
    """Measure, saying each figure as soon as it is known (a 100,000-row run takes minutes)."""
    with scratch_database(settings.effective_database_url) as url:
        upgrade(url)
        telegram = TelegramSettings(token=SecretStr(FAKE_TOKEN))
        bench = settings.model_copy(update={"database_url": url, "scheduler_enabled": False, "telegram": telegram})
        runtime = Runtime(bench, clock=_office_hours_clock())
        try:
            return asyncio.run(_measure(runtime, due, sample, limited_sample, say))
        finally:
            runtime.dispose()


def _office_hours_clock() -> Callable[[], datetime]:
    """10:00 in Almaty today, running on with real time from now."""
    base = datetime.combine(datetime.now(ALMATY).date(), clock_time(10, 0), ALMATY)
    started = time.monotonic()
    return lambda: base + timedelta(seconds=time.monotonic() - started)


async def _measure(runtime: Runtime, due: int, sample: int, limited_sample: int, say: Say) -> Figures:
    started = time.perf_counter()
    await asyncio.to_thread(fill, runtime, due)
    fill_seconds = time.perf_counter() - started
    say(f"  filled in {fill_seconds:.1f} s")
    await asyncio.to_thread(_analyse, runtime)
    first, again, planned = await asyncio.to_thread(_plan_twice, runtime)
    if first is None or again is None:
        say("  planning sweep: core.services.reminders.sweep is not available")
    else:
        say(
            f"  planning sweep over {due} open cases: first {first:.1f} s ({planned} reminders planned),"
            f" then daily {again:.1f} s"
        )
    claim_seconds, claimed = await asyncio.to_thread(_claim_all, runtime)
    say(f"  delivery sweep: claimed {claimed} due rows in {claim_seconds:.2f} s")
    async with BotApiStub(FAKE_TOKEN) as stub:
        settings = runtime.settings
        telegram = settings.telegram.model_copy(update={"api_base_url": stub.url})
        bot = make_bot(settings.model_copy(update={"telegram": telegram}))
        try:
            rates = []
            for name, rows, limits in (("rate limits off", sample, False), ("rate limits on ", limited_sample, True)):
                rate = await _deliver(runtime, TelegramSender(bot), rows, rate_limits=limits)
                say(f"  delivery, {name}: {rate.rows} rows in {rate.seconds:.2f} s = {rate.per_second:.0f} rows/s")
                rates.append(rate)
        finally:
            await bot.session.close()
        delivered = sum(stub.sent.values())
    say("  (aim: limits on stays at or under Telegram's 30 messages per second per bot)")
    say(f"  check: the fake Bot API received {delivered} messages")
    return Figures(fill_seconds, first, again, planned, claim_seconds, claimed, rates[0], rates[1], delivered)


def fill(runtime: Runtime, due: int) -> None:
    """`due` families: person, NOTIFIED case, Telegram chat that opened it, one due offer each (bulk inserts)."""
    now = runtime.clock()
    today = now.astimezone(ALMATY).date()
    with runtime.context() as ctx:
        region = Region(code="bench", name_kk="Алматы", name_ru="Алматы", name_en="Almaty")
        ctx.session.add(region)
        ctx.session.flush()
        home = Organisation(
            name_kk="Мейірім", name_ru="Мейірім", name_en="Meyirim", form=Form.STATIONARY, region_id=region.id
        )
        ctx.session.add(home)
        ctx.session.flush()
        organisation_id = int(home.id)
    for start in range(0, due, BATCH):
        size = min(BATCH, due - start)
        with runtime.context() as ctx:
            _fill_batch(ctx.session, start, size, now, today, organisation_id)


def _fill_batch(session: Any, start: int, size: int, now: datetime, today: date, organisation_id: int) -> None:
    people = [{"full_name": f"Bench {start + n}", "created_at": now, "updated_at": now} for n in range(size)]
    person_ids = list(session.scalars(sa.insert(Person).returning(Person.id), people))
    case_rows = [
        {
            "person_id": pid,
            "applicant_person_id": pid,
            "form": Form.STATIONARY,
            "category": Category.ELDERLY,
            "status": Status.NOTIFIED,
            "status_changed_at": now,
            "decided_on": today,
            "notified_on": today,
            "choose_due_on": today + timedelta(days=14),
            "language": LANGUAGES[n % 3],
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for n, pid in enumerate(person_ids)
    ]
    case_ids = list(session.scalars(sa.insert(Case).returning(Case.id), case_rows))
    chats = [
        {
            "channel": "telegram",
            "external_id": str(FIRST_CHAT_ID + start + n),
            "language": LANGUAGES[n % 3],
            "person_id": pid,
            "last_inbound_at": now,
            "created_at": now,
        }
        for n, pid in enumerate(person_ids)
    ]
    identity_ids = list(session.scalars(sa.insert(ChatIdentity).returning(ChatIdentity.id), chats))
    session.execute(
        sa.insert(Conversation),
        [
            {"chat_identity_id": iid, "data": {"cases": [cid]}, "updated_at": now, "version": 1}
            for iid, cid in zip(identity_ids, case_ids, strict=True)
        ],
    )
    payload = {"organisation_id": organisation_id, "arrival_due_on": (today + timedelta(days=21)).isoformat()}
    session.execute(
        sa.insert(Outbox),
        [
            {
                "case_id": cid,
                "kind": "offer",
                "due_on": today,
                "audience": Audience.APPLICANT,
                "payload": payload,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "urgent": True,
                "next_attempt_at": now - timedelta(minutes=1),
                "created_at": now,
            }
            for cid in case_ids
        ],
    )


def _analyse(runtime: Runtime) -> None:
    """What the database's own maintenance does after a bulk load, so the plans are realistic."""
    if runtime.engine.dialect.name == "postgresql":
        with runtime.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        with runtime.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))


def _plan_twice(runtime: Runtime) -> tuple[float | None, float | None, int]:
    sweep = reminder_sweep()
    if sweep is None:
        return None, None, 0
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        with runtime.context() as ctx:
            sweep(ctx)
        timings.append(time.perf_counter() - started)
    with runtime.context() as ctx:
        planned = int(ctx.session.scalar(sa.select(sa.func.count()).where(Outbox.kind != "offer")) or 0)
    return timings[0], timings[1], planned


def _claim_all(runtime: Runtime) -> tuple[float, int]:
    """Claim every due row in the worker's batches, then give them all back for the delivery runs."""
    batch = runtime.settings.delivery.batch_size
    claimed: list[int] = []
    started = time.perf_counter()
    while True:
        with transaction(runtime) as (session, now):
            urgent_first = len(claimed) % (batch * URGENT_CHECK_EVERY) == 0  # the worker's own cadence
            ids = outbox_table.claim(session, now, batch, urgent_first=urgent_first)
        if not ids:
            break
        claimed += ids
    seconds = time.perf_counter() - started
    with runtime.context() as ctx:
        ctx.session.execute(
            sa.update(Outbox).where(Outbox.status == OutboxStatus.PENDING).values(next_attempt_at=ctx.now)
        )
    return seconds, len(claimed)


async def _deliver(runtime: Runtime, sender: TelegramSender, rows: int, *, rate_limits: bool) -> Rate:
    worker = DeliveryWorker(runtime, build_channels(runtime.settings, telegram=sender, rate_limits=rate_limits))
    started = time.perf_counter()
    report = await worker.deliver_outbox(max_rows=rows)
    return Rate(report.sent, time.perf_counter() - started)
