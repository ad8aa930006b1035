"""What the dashboard counts, always inside the reader's scope: cases by stage, statutory steps due, and each
organisation's queue, free places and waiting time."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from admin import scope
from admin.principal import Principal
from core.db.models import Case, Organisation, QueueEntry
from core.rules.codes import Status
from core.services import reminders
from core.services.context import ServiceContext
from core.services.reminders import DueStep


@dataclass(frozen=True)
class StageCount:
    status: Status
    count: int


@dataclass
class DueSummary:
    """core.services.reminders' DueStep rows, split the way the dashboard shows them."""

    overdue: list[DueStep] = field(default_factory=list)
    today: list[DueStep] = field(default_factory=list)
    next_working_day: list[DueStep] = field(default_factory=list)
    next_day: date | None = None


@dataclass(frozen=True)
class OrganisationLoad:
    organisation_id: int
    name: str
    capacity: int
    free_places: int
    accepting: bool
    queue_length: int
    median_wait_days: float | None


def cases_by_stage(ctx: ServiceContext, principal: Principal) -> list[StageCount]:
    statement = sa.select(Case.status, sa.func.count()).where(scope.case_clause(principal)).group_by(Case.status)
    counts = {Status(status): int(count) for status, count in ctx.session.execute(statement).all()}
    return [StageCount(status, counts[status]) for status in Status if counts.get(status)]


def steps_due(ctx: ServiceContext, principal: Principal) -> DueSummary:
    """Statutory steps due on the next working day, today, and overdue (counted in working days by the rules), for
    the cases in the reader's scope."""
    summary = DueSummary(next_day=ctx.calendar.next_working_day(ctx.today))
    for item in reminders.steps_due(ctx, where=scope.case_clause(principal), on=ctx.today):
        if item.working_days_overdue > 0:
            summary.overdue.append(item)
        elif item.working_days_overdue == 0:
            summary.today.append(item)
        else:
            summary.next_working_day.append(item)
    return summary


def organisation_loads(ctx: ServiceContext, principal: Principal, language: str) -> list[OrganisationLoad]:
    name = getattr(Organisation, f"name_{language}", Organisation.name_ru)
    organisations = ctx.session.execute(
        sa.select(Organisation.id, name, Organisation.capacity, Organisation.free_places, Organisation.accepting)
        .where(scope.organisation_clause(principal))
        .order_by(Organisation.id)
    ).all()
    waiting = _waiting_days(ctx, [int(row[0]) for row in organisations])
    return [
        OrganisationLoad(
            organisation_id=int(row[0]),
            name=str(row[1]),
            capacity=int(row[2]),
            free_places=int(row[3]),
            accepting=bool(row[4]),
            queue_length=len(waiting.get(int(row[0]), [])),
            median_wait_days=statistics.median(waiting[int(row[0])]) if waiting.get(int(row[0])) else None,
        )
        for row in organisations
    ]


def _waiting_days(ctx: ServiceContext, organisation_ids: list[int]) -> dict[int, list[float]]:
    """Days each active queue entry has waited so far, by organisation."""
    if not organisation_ids:
        return {}
    statement = sa.select(QueueEntry.organisation_id, QueueEntry.queued_at).where(
        QueueEntry.organisation_id.in_(organisation_ids), QueueEntry.active == sa.true()
    )
    days: dict[int, list[float]] = {}
    for organisation_id, queued_at in ctx.session.execute(statement).all():
        waited = (ctx.now - queued_at).total_seconds() / 86400
        days.setdefault(int(organisation_id), []).append(round(max(waited, 0.0), 1))
    return days
