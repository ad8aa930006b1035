"""What every service call is given: the open session, the moment, the calendar, who acts, and the file store.

Services never read the clock or build a calendar themselves, so tests control time exactly and the same call
gives the same answer on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from core.rules.calendar import WorkCalendar
from core.rules.codes import Actor
from core.services.files import FileStore

ALMATY = ZoneInfo("Asia/Almaty")


@dataclass(frozen=True, slots=True)
class ActorRef:
    """Who performs a change: the audit log and the status history record it."""

    kind: Actor
    id: str | None = None  # staff user id, person id, or None for the system

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.id}" if self.id else self.kind.value


SYSTEM = ActorRef(Actor.SYSTEM)


@dataclass(frozen=True, slots=True)
class ServiceContext:
    session: Session
    now: datetime  # timezone-aware
    calendar: WorkCalendar
    actor: ActorRef
    files: FileStore

    @property
    def today(self) -> date:
        """Deadlines are counted in Kazakhstan's time (Asia/Almaty), whatever the server's zone."""
        return self.now.astimezone(ALMATY).date()

    def acting_as(self, actor: ActorRef) -> ServiceContext:
        return replace(self, actor=actor)
