"""The in-app scheduler: APScheduler 3 on the app's event loop, with one active scheduler across processes.

Several app processes may run behind the webhooks; each starts a scheduler, but only the holder of the lease row
`scheduler_lease('scheduler')` runs jobs. The lease is taken or renewed with one atomic upsert that succeeds only
for its holder or once it has expired, and is renewed by its own job well before it runs out; another process
takes over when it expires (or at once, when the holder stops cleanly and gives it back).

Jobs (explicit ids, one instance at a time, missed runs coalesced):
    renew-lease       every LEASE_SECONDS / 3
    deliver-outbox    every settings.delivery.interval_seconds: due notices and reminders
    deliver-replies   the same: staff answers
    plan-reminders    at start and daily at 00:30 Almaty: core.services.reminders.sweep (replans every open case)
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.dialects import postgresql, sqlite

from core.db.models import SchedulerLease
from core.services.context import ALMATY, ServiceContext
from qamqor.delivery import DeliveryWorker, channels_of_app
from qamqor.delivery.db import transaction
from qamqor.runtime import Runtime

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE_SECONDS = 30.0
STOP_GRACE_SECONDS = 10.0
JOB_IDS = ("renew-lease", "deliver-outbox", "deliver-replies", "plan-reminders")
Sweep = Callable[[ServiceContext], object]


class Lease:
    """A named lease in `scheduler_lease`, held by `holder` until `expires_at` (the runtime's clock)."""

    def __init__(self, runtime: Runtime, *, name: str = LEASE_NAME, holder: str | None = None) -> None:
        self.runtime = runtime
        self.name = name
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.seconds = LEASE_SECONDS
        self.held_until: datetime | None = None

    def acquire(self) -> bool:
        """Take the lease if free or expired, renew it if ours; False while another holder's lease runs."""
        table = SchedulerLease.__table__
        with transaction(self.runtime) as (session, now):
            until = now + timedelta(seconds=self.seconds)
            insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
            statement = insert(table).values(name=self.name, holder=self.holder, expires_at=until)
            statement = statement.on_conflict_do_update(
                index_elements=[table.c.name],
                set_={"holder": self.holder, "expires_at": until},
                where=sa.or_(table.c.holder == self.holder, table.c.expires_at <= now),
            ).returning(table.c.holder)
            taken = session.execute(statement).first() is not None
        if taken and self.held_until is None:
            log.info("scheduler lease taken by %s", self.holder)
        self.held_until = until if taken else None
        return taken

    def holds(self, now: datetime, margin: float = 0.0) -> bool:
        return self.held_until is not None and now + timedelta(seconds=margin) < self.held_until

    def release(self) -> None:
        """Give the lease back at once (a clean stop), so another process need not wait for it to expire."""
        if self.held_until is None:
            return
        table = SchedulerLease.__table__
        with transaction(self.runtime) as (session, now):
            session.execute(
                sa.update(table).where(table.c.name == self.name, table.c.holder == self.holder).values(expires_at=now)
            )
        self.held_until = None


def reminder_sweep() -> Sweep | None:
    """core.services.reminders.sweep, once that module exists (the planning half of issue 6)."""
    try:
        module = importlib.import_module("core.services.reminders")
    except ModuleNotFoundError as error:
        if error.name != "core.services.reminders":
            raise
        return None
    sweep = getattr(module, "sweep", None)
    return sweep if callable(sweep) else None


class Scheduler:
    def __init__(
        self, runtime: Runtime, worker: DeliveryWorker, *, lease: Lease | None = None, sweep: Sweep | None = None
    ) -> None:
        self.runtime = runtime
        self.worker = worker
        self.lease = lease or Lease(runtime)
        self.sweep = sweep if sweep is not None else reminder_sweep()
        self._aps: AsyncIOScheduler | None = None
        self._running: set[asyncio.Task[Any]] = set()
        self._jobs: dict[str, Callable[[], Awaitable[object]]] = {
            "deliver-outbox": self.worker.deliver_outbox,
            "deliver-replies": self.worker.deliver_replies,
            "plan-reminders": self._plan,
        }

    def start(self) -> None:
        """Add the jobs and start; the first lease attempt and the first sweep run right away."""
        interval = self.runtime.settings.delivery.interval_seconds
        aps = AsyncIOScheduler(timezone=ALMATY, job_defaults={"coalesce": True, "max_instances": 1})
        now = datetime.now(ALMATY)
        aps.add_job(self.renew, IntervalTrigger(seconds=LEASE_SECONDS / 3), id="renew-lease", next_run_time=now)
        for job_id in ("deliver-outbox", "deliver-replies"):
            aps.add_job(self.run_job, IntervalTrigger(seconds=interval), args=[job_id], id=job_id)
        daily = CronTrigger(hour=0, minute=30)
        aps.add_job(self.run_job, daily, args=["plan-reminders"], id="plan-reminders", next_run_time=now)
        aps.start()
        self._aps = aps

    @property
    def job_ids(self) -> list[str]:
        return [job.id for job in self._aps.get_jobs()] if self._aps else []

    async def renew(self) -> bool:
        try:
            return await asyncio.to_thread(self.lease.acquire)
        except Exception as error:  # the database is away: hold nothing, try again at the next renewal
            log.error("scheduler lease not renewed: %s", type(error).__name__)
            self.lease.held_until = None
            return False

    async def run_job(self, job_id: str) -> bool:
        """Run one job now if this process holds the lease; False when another process leads."""
        if not self.lease.holds(self.runtime.clock(), margin=LEASE_SECONDS / 3) and not await self.renew():
            return False
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await self._jobs[job_id]()
        except Exception:
            log.exception("scheduler job %s failed", job_id)  # the next run tries again
        finally:
            if task is not None:
                self._running.discard(task)
        return True

    async def _plan(self) -> None:
        if self.sweep is None:
            log.info("plan-reminders: core.services.reminders.sweep is not available yet; nothing planned")
            return
        await asyncio.to_thread(self._sweep_once)

    def _sweep_once(self) -> None:
        assert self.sweep is not None
        with self.runtime.context() as ctx:
            self.sweep(ctx)

    async def stop(self, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """No new runs; the rows in flight finish (bounded), the rest is given back; then the lease."""
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        self.worker.stop()
        if self._running:
            _, late = await asyncio.wait(set(self._running), timeout=grace_seconds)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late, timeout=grace_seconds)
        try:
            await asyncio.to_thread(self.lease.release)
        except Exception as error:
            log.warning("scheduler lease not released (it will expire): %s", type(error).__name__)


def start_scheduler(state: Any, runtime: Runtime) -> Scheduler | None:
    """For create_app's lifespan: the scheduler over the app's channels, started, if settings ask for it."""
    if not runtime.settings.scheduler_enabled:
        return None
    scheduler = Scheduler(runtime, DeliveryWorker(runtime, channels_of_app(state, runtime.settings)))
    scheduler.start()
    return scheduler
