"""The composition root for the services: database, calendar, file store and clock, built once from settings.

Every front end (dialogue, admin, scheduler, CLI) opens its work the same way:

    with runtime.context(actor) as ctx:
        decisions.submit(ctx, cases.get_case(ctx, case_id))

One `with` is one transaction (committed on success, rolled back on error). Nothing connects at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine

from core.calendar_kz import kazakhstan_calendar
from core.db.engine import make_engine, make_session_factory
from core.db.uow import UnitOfWork
from core.rules.calendar import WorkCalendar
from core.services.context import SYSTEM, ActorRef, ServiceContext
from core.services.files import FileStore
from qamqor.settings import Settings

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class Runtime:
    def __init__(self, settings: Settings, *, clock: Clock = system_clock, engine: Engine | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.engine = engine or make_engine(settings.effective_database_url)
        self.session_factory = make_session_factory(self.engine)
        self.files = FileStore(settings.uploads_dir, settings.max_upload_bytes)

    def calendar(self, now: datetime) -> WorkCalendar:
        # Deadlines near the new year reach into the next; overdue checks look back into the last.
        return kazakhstan_calendar(range(now.year - 1, now.year + 3))

    @contextmanager
    def context(self, actor: ActorRef = SYSTEM) -> Iterator[ServiceContext]:
        now = self.clock()
        with UnitOfWork(self.session_factory) as uow:
            yield ServiceContext(uow.session, now, self.calendar(now), actor, self.files)

    def dispose(self) -> None:
        self.engine.dispose()
