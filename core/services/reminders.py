"""Keeping a case's reminders and staff alerts in the outbox in step with the case (issue 6, the planning half).

`replan` is called by `cases.move` on every status change: the rules (`core.rules.reminders`) say which notices
should exist, and the outbox is brought to match: missing rows are inserted, PENDING/HELD rows of the planned kinds
that are no longer wanted are cancelled, a cancelled row that is wanted again is revived. A reminder whose day moved
is the old row cancelled and the new day inserted. SENT and FAILED rows and the event notices (offer, queued, ...)
are never touched.

Concurrency: inserts are INSERT ... ON CONFLICT DO NOTHING on the (case, kind, due_on) key and every update is
guarded by the status it expects, so a replan racing the daily sweep or the sender can neither send twice nor undo
a delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from core.db.enums import Audience, OutboxStatus
from core.db.models import Case, Outbox
from core.rules import reminders, staff_steps
from core.rules.calendar import CalendarRangeError
from core.rules.codes import Form, Status, Step
from core.rules.reminders import PlannedNotice
from core.rules.staff_steps import CaseSnapshot
from core.services import case_snapshots
from core.services.case_snapshots import CASE_COLUMNS, RESIDENT, CaseLike
from core.services.context import ALMATY, ServiceContext

log = logging.getLogger(__name__)

BATCH_SIZE = 500
# Steps that nothing marks as done (documents to the organisation, the portal card) end 1 working day after their
# event; even across the longest run of Kazakh days off that is within about ten calendar days. Cases whose status
# changed longer ago than this cannot have such a step due, so the sweep and the dashboard skip them.
RECENT_DAYS = 40
_LIVE = (OutboxStatus.PENDING, OutboxStatus.HELD)


@dataclass(slots=True)
class ReplanResult:
    cases: int = 0
    created: int = 0
    cancelled: int = 0
    updated: int = 0  # revived, or the payload of a waiting row changed
    skipped: int = 0  # notices the rules could not date (logged)

    def add(self, other: ReplanResult) -> None:
        self.cases += other.cases
        self.created += other.created
        self.cancelled += other.cancelled
        self.updated += other.updated
        self.skipped += other.skipped


@dataclass(frozen=True, slots=True)
class DueStep:
    """A statutory step on the staff dashboard: -1 due the next working day, 0 due today, n overdue by n days."""

    case_id: int
    step: Step
    deadline: date
    working_days_overdue: int
    form: Form
    status: Status
    department_id: int | None
    organisation_id: int | None
    legal_ref: str


def replan(ctx: ServiceContext, case: Case) -> ReplanResult:
    """Bring the case's planned outbox rows in line with what the rules want today."""
    ctx.session.flush()  # the status history and postponement rows of this change are read below
    return _replan_batch(ctx, [case])


def sweep(ctx: ServiceContext, limit: int | None = None, *, batch_size: int = BATCH_SIZE) -> ReplanResult:
    """Replan every case that can have a reminder or alert now (run daily): periodic notices come due, a changed
    IPR date is seen, rows left waiting by a change that did not replan are cancelled. Works in batches of
    `batch_size` cases, so memory stays flat on 100k cases. `limit` caps the number of cases (a time-boxed run)."""
    waiting = sa.select(Outbox.case_id).where(Outbox.status.in_(_LIVE), Outbox.kind.in_(reminders.PLANNED_KINDS))
    # The candidates by status, and any case that still has rows waiting (changed by something that did not replan).
    where = sa.or_(_applicant_candidates(), _staff_candidates(ctx), Case.id.in_(waiting.distinct()))
    total = ReplanResult()
    for rows in _batches(ctx, where, batch_size, limit):
        total.add(_replan_batch(ctx, rows))
    log.info("reminder sweep: %s", total)
    return total


def steps_due(
    ctx: ServiceContext, where: sa.ColumnElement[bool] | None = None, on: date | None = None
) -> list[DueStep]:
    """Statutory steps due the next working day, due today or overdue on `on` (default today), most overdue first.
    `where` narrows the cases (the admin panel's scope)."""
    day = on or ctx.today
    scope = _staff_candidates(ctx) if where is None else sa.and_(_staff_candidates(ctx), where)
    found: list[DueStep] = []
    for rows in _batches(ctx, scope):
        snapshots = case_snapshots.snapshots(ctx, rows)
        for row in rows:
            found.extend(_due_steps(ctx, row, snapshots[row.id], day))
    found.sort(key=lambda item: (-item.working_days_overdue, item.deadline, item.case_id, item.step.value))
    return found


# --- Which cases to look at ----------------------------------------------------------------------------------


def _applicant_candidates() -> sa.ColumnElement[bool]:
    return Case.status.in_(reminders.APPLICANT_STATUSES)


def _staff_candidates(ctx: ServiceContext) -> sa.ColumnElement[bool]:
    """A superset of the cases with a staff step waiting; the rules decide exactly."""
    recorded = {status for rule in staff_steps.STAFF_STEPS if rule.completion_recorded for status in rule.pending_in}
    unrecorded = {
        status for rule in staff_steps.STAFF_STEPS if not rule.completion_recorded for status in rule.pending_in
    }
    cutoff = ctx.now - timedelta(days=RECENT_DAYS)
    return sa.or_(
        Case.status.in_(sorted(recorded - set(RESIDENT))),
        sa.and_(Case.status.in_(sorted(unrecorded)), Case.status_changed_at >= cutoff),
        # App.4 p.4: admitted from another region without a contract, until sent on (other_region_stay).
        sa.and_(Case.form == Form.TEMPORARY_STAY, Case.status.in_(RESIDENT), Case.contract_signed_on.is_(None)),
        # The ends of a stay the case dates: back from leave, the end of the contract (App.4 p.9).
        sa.and_(Case.status == Status.ON_LEAVE, Case.leave_return_by.is_not(None)),
        sa.and_(
            Case.form == Form.TEMPORARY_STAY,
            Case.status.in_((*RESIDENT, Status.CONTRACT_SIGNED)),
            Case.contract_ends_on.is_not(None),
        ),
    )


def _batches(
    ctx: ServiceContext, where: sa.ColumnElement[bool], size: int = BATCH_SIZE, limit: int | None = None
) -> Iterable[list[Any]]:
    """The matching cases' columns, `size` at a time. The ids are read first in one pass (plain integers), then
    each page by primary key: a keyset LIMIT over an OR of statuses makes SQLite sort every match for every page."""
    ids = list(ctx.session.scalars(sa.select(Case.id).where(where).order_by(Case.id).limit(limit)))
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield list(ctx.session.execute(sa.select(*CASE_COLUMNS).where(Case.id.in_(chunk)).order_by(Case.id)))


# --- Bringing the outbox in line ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    case_id: int
    kind: str
    due_on: date
    status: OutboxStatus
    payload: dict[str, Any]
    urgent: bool
    audience: Audience


def _replan_batch(ctx: ServiceContext, cases: Sequence[CaseLike]) -> ReplanResult:
    result = ReplanResult(cases=len(cases))
    snapshots = case_snapshots.snapshots(ctx, cases)
    existing = _existing(ctx, list(snapshots))
    inserts: list[dict[str, Any]] = []
    for case_id, snapshot in snapshots.items():
        plan = reminders.plan(snapshot, ctx.today, ctx.calendar)
        for skipped in plan.skipped:
            log.info("case %s: %s not planned: %s", case_id, skipped.what, skipped.reason)
        result.skipped += len(plan.skipped)
        _reconcile(ctx, case_id, plan.notices, existing.get(case_id, {}), inserts, result)
    if inserts:
        result.created += _insert(ctx, inserts)
    return result


def _existing(ctx: ServiceContext, case_ids: list[int]) -> dict[int, dict[tuple[str, date], _Row]]:
    found: dict[int, dict[tuple[str, date], _Row]] = {}
    if not case_ids:
        return found
    columns = (Outbox.id, Outbox.case_id, Outbox.kind, Outbox.due_on, Outbox.status, Outbox.payload)
    statement = sa.select(*columns, Outbox.urgent, Outbox.audience).where(
        Outbox.case_id.in_(case_ids), Outbox.kind.in_(reminders.PLANNED_KINDS)
    )
    for values in ctx.session.execute(statement):
        row = _Row(*values)
        found.setdefault(row.case_id, {})[(row.kind, row.due_on)] = row
    return found


def _reconcile(
    ctx: ServiceContext,
    case_id: int,
    notices: Sequence[PlannedNotice],
    existing: dict[tuple[str, date], _Row],
    inserts: list[dict[str, Any]],
    result: ReplanResult,
) -> None:
    wanted = {notice.key: notice for notice in notices}
    for key, notice in wanted.items():
        row = existing.get(key)
        if row is None:
            inserts.append(_values(ctx, case_id, notice))
        elif row.status == OutboxStatus.CANCELLED:
            result.updated += _revive(ctx, row, notice)
        elif row.status in _LIVE and _differs(row, notice):
            result.updated += _update(ctx, row, notice)
    stale = [row.id for key, row in existing.items() if key not in wanted and row.status in _LIVE]
    if stale:
        result.cancelled += _guarded_update(ctx, stale, _LIVE, status=OutboxStatus.CANCELLED)


def _differs(row: _Row, notice: PlannedNotice) -> bool:
    return (row.payload, row.urgent, row.audience.value) != (dict(notice.payload), notice.urgent, notice.audience.value)


def _revive(ctx: ServiceContext, row: _Row, notice: PlannedNotice) -> int:
    """Wanted again after a cancellation (e.g. a declined postponement puts the old arrival date back)."""
    return _guarded_update(
        ctx,
        [row.id],
        (OutboxStatus.CANCELLED,),
        status=OutboxStatus.PENDING,
        attempts=0,
        last_error=None,
        held_at=None,
        next_attempt_at=_sendable_from(ctx, notice.due_on),
        **_content(notice),
    )


def _update(ctx: ServiceContext, row: _Row, notice: PlannedNotice) -> int:
    return _guarded_update(ctx, [row.id], _LIVE, **_content(notice))


def _guarded_update(ctx: ServiceContext, ids: list[int], expected: Sequence[OutboxStatus], **values: Any) -> int:
    """Update only rows still in an `expected` status: a row the sender took meanwhile is left as it is. The ORM
    statement keeps Outbox objects already in the session in step."""
    statement = sa.update(Outbox).where(Outbox.id.in_(ids), Outbox.status.in_(expected)).values(**values)
    outcome = ctx.session.execute(statement.execution_options(synchronize_session="fetch"))
    return int(getattr(outcome, "rowcount", 0) or 0)


def _content(notice: PlannedNotice) -> dict[str, Any]:
    return {"payload": dict(notice.payload), "urgent": notice.urgent, "audience": Audience(notice.audience.value)}


def _values(ctx: ServiceContext, case_id: int, notice: PlannedNotice) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "kind": notice.kind.value,
        "due_on": notice.due_on,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": _sendable_from(ctx, notice.due_on),
        "created_at": ctx.now,
        **_content(notice),
    }


def _sendable_from(ctx: ServiceContext, due_on: date) -> datetime:
    """The start of the due day in Almaty (now, if that has passed): the sender's pickup index needs no date maths."""
    return max(ctx.now, datetime.combine(due_on, time.min, ALMATY))


def _insert(ctx: ServiceContext, values: list[dict[str, Any]]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING id: a row a concurrent replan inserted first is simply kept, and
    only the rows really inserted are counted."""
    table = Outbox.__table__  # type: ignore[attr-defined]
    dialect = ctx.session.get_bind().dialect.name
    insert = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    statement = insert.on_conflict_do_nothing(index_elements=["case_id", "kind", "due_on"]).returning(table.c.id)
    return len(ctx.session.execute(statement, values).all())


# --- The dashboard ----------------------------------------------------------------------------------------------


def _due_steps(ctx: ServiceContext, case: CaseLike, snapshot: CaseSnapshot, on: date) -> list[DueStep]:
    pending, _ = staff_steps.pending_steps(snapshot, ctx.calendar)
    found = []
    for item in pending:
        try:
            overdue = staff_steps.on_dashboard(item, on, ctx.calendar)
        except CalendarRangeError:
            log.info("case %s: %s outside the calendar (deadline %s)", case.id, item.step.value, item.deadline)
            continue
        if overdue is None:
            continue
        found.append(
            DueStep(
                case_id=int(case.id or 0),
                step=item.step,
                deadline=item.deadline,
                working_days_overdue=overdue,
                form=case.form,
                status=case.status,
                department_id=case.department_id,
                organisation_id=case.organisation_id,
                legal_ref=str(item.legal_ref),
            )
        )
    return found
