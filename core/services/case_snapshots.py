"""What the reminder rules need to know about cases, read in batches: a `CaseSnapshot` per case from the case's own
columns plus one query per related table (IPR expiry, the moment of the choice, an approved postponement, the last
transfer), whatever the number of cases. Used by the planning (`core.services.reminders`) and the staff dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import sqlalchemy as sa

from core.db.enums import PostponementStatus
from core.db.models import Case, Person, Postponement, StatusHistory
from core.rules.codes import Form, Status
from core.rules.staff_steps import CaseSnapshot
from core.services.context import ALMATY, ServiceContext

RESIDENT = (Status.ADMITTED, Status.ON_LEAVE, Status.SUSPENDED)


class CaseLike(Protocol):
    """A Case, or a row of its columns (the sweep reads columns, not objects, to stay small)."""

    id: int | None
    person_id: int
    form: Form
    status: Status
    category: Any
    status_changed_at: datetime
    submitted_at: datetime | None
    queued_at: datetime | None
    admitted_at: datetime | None
    home_visit_on: date | None
    inspection_act_on: date | None
    victim_identified_on: date | None
    decided_on: date | None
    notified_on: date | None
    choose_due_on: date | None
    arrival_due_on: date | None
    contract_signed_on: date | None
    contract_ends_on: date | None
    leave_return_by: date | None
    organisation_id: int | None
    department_id: int | None


CASE_COLUMNS = tuple(getattr(Case, name) for name in CaseLike.__annotations__)


def day_of(moment: datetime | None) -> date | None:
    return moment.astimezone(ALMATY).date() if moment is not None else None


@dataclass(frozen=True, slots=True)
class _Facts:
    """What a batch of cases needs from other tables, read with one query each."""

    ipr: dict[int, date]  # person id -> IPR expiry
    chosen: dict[int, datetime]  # case id -> the moment the organisation was chosen
    postponed: dict[int, date]  # case id -> the arrival date an approved postponement moved it to
    transferred: dict[int, datetime]  # case id -> last transfer


def _ids(rows: Sequence[CaseLike], statuses: Iterable[Status], form: Form | None = None) -> list[int]:
    wanted = set(statuses)
    return [int(row.id) for row in rows if row.status in wanted and form in (None, row.form)]


def _pairs(ctx: ServiceContext, ids: list[int], statement: sa.Select[Any]) -> dict[Any, Any]:
    """{key: value} from a two-column query over `ids` (no query at all when there are none)."""
    return {key: value for key, value in ctx.session.execute(statement)} if ids else {}


def _facts(ctx: ServiceContext, rows: Sequence[CaseLike]) -> _Facts:
    people = list({row.person_id for row in rows if row.status == Status.QUEUED})
    chose = _ids(rows, (Status.QUEUED, Status.OFFERED, Status.ADMITTED))
    offered = _ids(rows, (Status.OFFERED,))
    residents = _ids(rows, RESIDENT, Form.TEMPORARY_STAY)
    history, moment = StatusHistory.case_id, StatusHistory.at
    return _Facts(
        ipr=_pairs(ctx, people, sa.select(Person.id, Person.ipr_expires_on).where(Person.id.in_(people))),
        chosen=_pairs(
            ctx,
            chose,
            sa.select(history, sa.func.min(moment))
            .where(history.in_(chose), StatusHistory.from_status == Status.NOTIFIED)
            .where(StatusHistory.to_status.in_((Status.QUEUED, Status.OFFERED)))
            .group_by(history),
        ),
        # App.1-2 p.7: once per case, so at most one approved move each.
        postponed=_pairs(
            ctx,
            offered,
            sa.select(Postponement.case_id, Postponement.new_due_on).where(
                Postponement.case_id.in_(offered), Postponement.status == PostponementStatus.APPROVED
            ),
        ),
        transferred=_pairs(
            ctx,
            residents,
            sa.select(history, sa.func.max(moment))
            .where(history.in_(residents), StatusHistory.action == "transfer")
            .group_by(history),
        ),
    )


def snapshots(ctx: ServiceContext, rows: Sequence[CaseLike]) -> dict[int, CaseSnapshot]:
    facts = _facts(ctx, rows)
    return {int(row.id): _snapshot(row, facts) for row in rows if row.id is not None}


def _snapshot(case: CaseLike, facts: _Facts) -> CaseSnapshot:
    case_id = int(case.id or 0)
    transferred = facts.transferred.get(case_id)
    return CaseSnapshot(
        form=case.form,
        status=case.status,
        category=case.category,
        submitted_on=day_of(case.submitted_at),
        home_visit_on=case.home_visit_on,
        inspection_act_on=case.inspection_act_on,
        victim_identified_on=case.victim_identified_on,
        # The case waits in FORWARDED from the moment the sheet went to the authority (App.4 p.4-4).
        forwarded_on=day_of(case.status_changed_at) if case.status == Status.FORWARDED else None,
        decided_on=case.decided_on,
        notified_on=case.notified_on,
        choose_due_on=case.choose_due_on,
        chosen_on=day_of(facts.chosen.get(case_id)),
        queued_on=day_of(case.queued_at),
        organisation_id=case.organisation_id,
        arrival_due_on=case.arrival_due_on,
        postponed=case.arrival_due_on is not None and facts.postponed.get(case_id) == case.arrival_due_on,
        admitted_on=day_of(case.admitted_at),
        contract_signed_on=case.contract_signed_on,
        contract_ends_on=case.contract_ends_on,
        leave_return_by=case.leave_return_by,
        transferred_since_admission=bool(transferred and case.admitted_at and transferred >= case.admitted_at),
        ipr_expires_on=facts.ipr.get(case.person_id),
    )
