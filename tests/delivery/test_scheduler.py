"""One active scheduler across processes (a lease row), jobs with explicit ids, and the scheduler inside the app
delivering on its own. Two schedulers share one database as two processes would. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import sqlalchemy as sa

from core.db.models import SchedulerLease
from core.services import cases, notices
from core.services.context import ServiceContext
from qamqor.app import create_app
from qamqor.delivery import Channels, DeliveryWorker
from qamqor.runtime import Runtime
from qamqor.scheduler import JOB_IDS, LEASE_SECONDS, Lease, Scheduler
from qamqor.settings import DeliverySettings, Settings
from tests.conftest import LiveServer
from tests.delivery.conftest import applicant
from tests.fakes import FakeTelegram
from tests.services.conftest import Clock


class Sweeps:
    """A stand-in planning sweep that counts its runs (the real one is core.services.reminders.sweep)."""

    def __init__(self) -> None:
        self.runs = 0

    def __call__(self, ctx: ServiceContext) -> None:
        self.runs += 1


def scheduler(runtime: Runtime, holder: str, sweeps: Sweeps) -> Scheduler:
    return Scheduler(runtime, DeliveryWorker(runtime, Channels()), lease=Lease(runtime, holder=holder), sweep=sweeps)


def lease_holder(runtime: Runtime) -> str | None:
    with runtime.context() as ctx:
        row = ctx.session.get(SchedulerLease, "scheduler")
        return row.holder if row else None


async def test_only_the_lease_holder_runs_jobs_and_another_takes_over_when_it_expires(runtime: Runtime, clock: Clock):
    sweeps_a, sweeps_b = Sweeps(), Sweeps()
    a, b = scheduler(runtime, "process-a", sweeps_a), scheduler(runtime, "process-b", sweeps_b)

    assert await a.run_job("plan-reminders") is True
    assert await b.run_job("plan-reminders") is False  # a leads: b runs nothing
    assert (sweeps_a.runs, sweeps_b.runs, lease_holder(runtime)) == (1, 0, "process-a")

    clock.tick(int(LEASE_SECONDS) - 5)
    assert await a.renew() is True  # renewed before it ran out: b still waits
    clock.tick(10)
    assert await b.run_job("plan-reminders") is False

    # a dies without a word: its lease runs out, then b leads, and a (if it came back) does not
    clock.tick(int(LEASE_SECONDS) + 1)
    assert await b.run_job("plan-reminders") is True
    assert await a.run_job("plan-reminders") is False
    assert (sweeps_a.runs, sweeps_b.runs, lease_holder(runtime)) == (1, 1, "process-b")

    # b stops cleanly and gives the lease back: a takes over at once, no waiting for the expiry
    await b.stop()
    assert await a.run_job("plan-reminders") is True
    assert lease_holder(runtime) == "process-a"


async def test_a_due_notice_is_sent_by_the_leader_only(
    runtime: Runtime, places, settings: Settings, channels: Channels, fake_telegram: FakeTelegram
):
    person = applicant(runtime, places, chat=9101)
    with runtime.context() as ctx:
        notices.notify(ctx, cases.get_case(ctx, person.case_id), "submitted")
    a = Scheduler(runtime, DeliveryWorker(runtime, channels), lease=Lease(runtime, holder="a"), sweep=Sweeps())
    b = Scheduler(runtime, DeliveryWorker(runtime, channels), lease=Lease(runtime, holder="b"), sweep=Sweeps())

    results = await asyncio.gather(a.run_job("deliver-outbox"), b.run_job("deliver-outbox"))

    assert sorted(results) == [False, True]
    assert len(fake_telegram.messages_to(9101)) == 1


async def test_apscheduler_starts_the_jobs_by_id_takes_the_lease_and_sweeps_at_start(runtime: Runtime):
    sweeps = Sweeps()
    running = scheduler(runtime, "process-a", sweeps)
    running.start()
    try:
        assert sorted(running.job_ids) == sorted(JOB_IDS)
        deadline = time.monotonic() + 10
        while (sweeps.runs == 0 or lease_holder(runtime) != "process-a") and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert sweeps.runs == 1 and lease_holder(runtime) == "process-a"
    finally:
        await running.stop()
    with runtime.context() as ctx:  # given back on stop
        lease = ctx.session.get(SchedulerLease, "scheduler")
        assert lease is not None and lease.expires_at <= runtime.clock() + timedelta(seconds=1)
    assert running.job_ids == []


async def test_the_app_with_the_scheduler_on_delivers_a_due_notice_by_itself(
    runtime: Runtime, places, settings: Settings, clock: Clock, fake_telegram: FakeTelegram
):
    person = applicant(runtime, places, chat=9201)
    with runtime.context() as ctx:
        notices.notify(ctx, cases.get_case(ctx, person.case_id), "submitted")
    app_settings = settings.model_copy(
        update={"scheduler_enabled": True, "delivery": DeliverySettings(interval_seconds=0.2)}
    )
    app_runtime = Runtime(app_settings, clock=clock, engine=runtime.engine)

    with LiveServer(create_app(app_settings, runtime=app_runtime)):
        await fake_telegram.wait_for_message(9201, timeout=10)

    assert len(fake_telegram.messages_to(9201)) == 1
    with runtime.engine.connect() as connection:
        holder = connection.scalar(sa.text("SELECT holder FROM scheduler_lease WHERE name = 'scheduler'"))
    assert holder is not None


def test_settings_keep_the_scheduler_off_in_tests_unless_asked():
    assert Settings(environment="test").scheduler_enabled is False
    assert Settings(environment="test", scheduler_enabled=True).scheduler_enabled is True
    assert Settings(environment="dev").scheduler_enabled is True  # `qamqor serve` runs it
