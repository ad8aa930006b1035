"""One transaction and the moment it runs at, for delivery's own table work.

Delivery needs no ServiceContext: no calendar, no actor, no file store. Runtime.context() builds the working-day
calendar on every call (about 20 ms), which per delivered row would cap the worker far below Telegram's limits.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlmodel import Session

from core.db.uow import UnitOfWork
from qamqor.runtime import Runtime


@contextmanager
def transaction(runtime: Runtime) -> Iterator[tuple[Session, datetime]]:
    """Commits on a clean exit, rolls back on an error (as Runtime.context does)."""
    now = runtime.clock()
    with UnitOfWork(runtime.session_factory) as uow:
        yield uow.session, now
