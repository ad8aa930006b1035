"""Opening a case and moving it through the lifecycle: every move checked by the rules, stamped and audited."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.db.models import Case, Person, StatusHistory
from core.rules import eligibility, grounds, lifecycle
from core.rules.codes import Category, Form, Status
from core.rules.lifecycle import Action, Transition, TransitionNotAllowed
from core.services import audit, reminders
from core.services.context import ServiceContext
from core.services.errors import NotAllowed, NotFound

# The moment of entering these statuses is kept on the case itself, for staff filters and deadlines.
_STATUS_STAMP = {
    Status.SUBMITTED: "submitted_at",
    Status.APPROVED: "approved_at",
    Status.REFUSED: "refused_at",
    Status.QUEUED: "queued_at",
    Status.OFFERED: "offered_at",
    Status.ADMITTED: "admitted_at",
    Status.WITHDRAWN: "withdrawn_at",
}


def get_case(ctx: ServiceContext, case_id: int, *, lock: bool = False) -> Case:
    """The case, optionally locked for update (PostgreSQL row lock; SQLite serialises writers anyway)."""
    statement = sa.select(Case).where(Case.id == case_id)
    if lock:
        statement = statement.with_for_update()
    case = ctx.session.scalars(statement).first()
    if case is None:
        raise NotFound("no such case", case_id=case_id)
    return case


def check_transition(case: Case, action: Action) -> Transition:
    try:
        return lifecycle.transition(case.form, case.status, action)
    except TransitionNotAllowed as error:
        allowed = tuple(t.action.value for t in lifecycle.allowed_actions(case.form, case.status))
        raise NotAllowed(str(error), reasons=("transition_not_allowed",), allowed=allowed) from error


def move(ctx: ServiceContext, case: Case, action: Action, *, note: str | None = None, **fields: Any) -> Transition:
    """Apply `action` to `case` if the lifecycle table allows it, with the given field changes, and record it."""
    rule = check_transition(case, action)
    before = audit.snapshot(case)
    previous = case.status
    for name, value in fields.items():
        setattr(case, name, value)
    case.status = rule.to_status
    case.status_changed_at = ctx.now
    case.updated_at = ctx.now
    if stamp := _STATUS_STAMP.get(rule.to_status):
        setattr(case, stamp, ctx.now)
    ctx.session.add(
        StatusHistory(
            case_id=case.id,
            from_status=previous,
            to_status=rule.to_status,
            action=action.value,
            actor_kind=ctx.actor.kind,
            actor_id=ctx.actor.id,
            at=ctx.now,
            note=note,
        )
    )
    changed_before, changed_after = audit.changed(before, audit.snapshot(case))
    audit.record(ctx, action.value, case, changed_before, changed_after)
    # Every status change (and the offer -> offer move of a postponement) replans the reminders and staff alerts.
    reminders.replan(ctx, case)
    return rule


def open_case(
    ctx: ServiceContext,
    person: Person,
    applicant: Person,
    form: Form,
    category: Category,
    *,
    department_id: int | None = None,
    organisation_id: int | None = None,
    language: str = "kk",
) -> Case:
    """A draft case for `person`, or the one already open for the same form (re-applying finds it)."""
    existing = open_case_for(ctx, person.id, form)
    if existing is not None:
        return existing
    _check_eligible(ctx, person, form, category)
    _check_readmission(ctx, person, form)
    case = Case(
        person_id=person.id,
        applicant_person_id=applicant.id,
        form=form,
        category=category,
        status=Status.DRAFT,
        status_changed_at=ctx.now,
        department_id=department_id,
        organisation_id=organisation_id,
        language=language,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.session.add(case)
    ctx.session.flush()
    ctx.session.add(
        StatusHistory(
            case_id=case.id,
            to_status=Status.DRAFT,
            action="open",
            actor_kind=ctx.actor.kind,
            actor_id=ctx.actor.id,
            at=ctx.now,
        )
    )
    audit.record(ctx, "open", case, None)
    return case


def open_case_for(ctx: ServiceContext, person_id: int | None, form: Form) -> Case | None:
    """The person's case of this form that has not ended, if any."""
    statement = (
        sa.select(Case)
        .where(Case.person_id == person_id, Case.form == form, Case.status.not_in(lifecycle.TERMINAL_STATUSES))
        .order_by(Case.id.desc())
    )
    return ctx.session.scalars(statement).first()


def cases_of(ctx: ServiceContext, person_ids: list[int]) -> list[Case]:
    statement = sa.select(Case).where(Case.person_id.in_(person_ids)).order_by(Case.id.desc())
    return list(ctx.session.scalars(statement))


def _check_eligible(ctx: ServiceContext, person: Person, form: Form, category: Category) -> None:
    if person.birth_date is None and form != Form.TEMPORARY_STAY:
        raise NotAllowed("the birth date is needed to check eligibility", reasons=("birth_date_unknown",))
    decision = eligibility.assess_eligibility(
        form, category, person.birth_date or ctx.today, ctx.today, person.disability_group
    )
    if not decision.eligible:
        raise NotAllowed("not eligible for this form of service", reasons=tuple(decision.reasons))


def _check_readmission(ctx: ServiceContext, person: Person, form: Form) -> None:
    """The one-calendar-year bar after some endings (App.1 p.22, App.2 p.14, App.3 p.16, App.4 p.18)."""
    statement = (
        sa.select(Case)
        .where(Case.person_id == person.id, Case.form == form, Case.end_ground.is_not(None))
        .order_by(Case.ended_on.desc())
    )
    last = ctx.session.scalars(statement).first()
    if last is None or last.ended_on is None or last.end_ground is None:
        return
    try:
        check = grounds.readmission_check(form, last.end_ground, last.ended_on, ctx.today)
    except grounds.ReadmissionNotApplicable:
        return
    if not check.allowed:
        raise NotAllowed(
            "readmission is barred for one calendar year",
            reasons=("readmission_barred",),
            allowed_from=check.allowed_from,
            legal_ref=str(check.legal_ref),
        )
