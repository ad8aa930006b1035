"""Who may take which step of a case in the panel, now.

Three questions, in this order, for every form and every POST:
1. Does the step exist for the case's form? The lifecycle table (core/rules/lifecycle.py) has a row for it.
2. Is it this staff member's to take? The row's Actor decides the office (department staff and admins for the
   department's steps, organisation staff and admins for the organisation's, admins alone for the authorised
   body's), and the case must be their own: the department that handles it, the organisation it is at.
   Seeing a case (admin/scope.py) is wider than acting on it: a department sees the queues of its districts'
   organisations, but decides only its own applications.
3. Does the lifecycle allow it from the case's status now? The service checks again inside the transaction.

Steps the table gives to the applicant or the system are entered by staff on the person's behalf where the law
sends the person to an office: the choice of organisation at the department's self-service sector (App.1 p.7,
App.2 p.7, App.3 p.8) and the notice of illness to the organisation (App.1 p.7, App.2 p.7).
"""

from __future__ import annotations

from dataclasses import dataclass

from admin.principal import Principal
from core.db.enums import StaffRole
from core.db.models import Case
from core.rules import lifecycle, postponement
from core.rules.codes import Actor, Form, Status
from core.rules.lifecycle import Action, Transition

OFFICE_ROLES: dict[Actor, frozenset[StaffRole]] = {
    Actor.DEPARTMENT: frozenset({StaffRole.DEPARTMENT, StaffRole.ADMIN}),
    Actor.ORGANISATION: frozenset({StaffRole.ORGANISATION, StaffRole.ADMIN}),
    Actor.AUTHORITY: frozenset({StaffRole.ADMIN}),
}

# Before the decision the family may still replace a rejected document (core.services.documents), so staff review.
REVIEW_STATUSES = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.HOME_VISITED, Status.INSPECTED, Status.IDENTIFIED, Status.FORWARDED}
)


@dataclass(frozen=True, slots=True)
class Step:
    """One form of the workspace: the lifecycle rows it may take and, for the applicant's or the system's rows,
    the office that enters it for the person."""

    key: str
    actions: tuple[Action, ...]
    on_behalf: Actor | None = None


STEPS: tuple[Step, ...] = (
    Step("submit", (Action.SUBMIT,)),
    Step("record_home_visit", (Action.RECORD_HOME_VISIT,)),
    Step("record_inspection_act", (Action.RECORD_INSPECTION_ACT,)),
    Step("identify_victim", (Action.IDENTIFY_VICTIM,)),
    Step("forward_to_authority", (Action.FORWARD_TO_AUTHORITY,)),
    Step("decide", (Action.APPROVE, Action.REFUSE)),
    Step("notify", (Action.NOTIFY,)),
    # Joining a queue is allowed only from `notified`: the choice is made once (an offer follows when there is a
    # free place and nobody waiting, else the queue).
    Step("choose_organisation", (Action.JOIN_QUEUE,), on_behalf=Actor.DEPARTMENT),
    Step("sign_contract", (Action.SIGN_CONTRACT,)),
    Step("postpone", (Action.POSTPONE_ARRIVAL,), on_behalf=Actor.ORGANISATION),
    Step("no_show", (Action.NO_SHOW,)),
    Step("admit", (Action.ADMIT,)),
    Step("start_leave", (Action.START_LEAVE,)),
    Step("end_leave", (Action.END_LEAVE,)),
    Step("suspend", (Action.SUSPEND,)),
    Step("restore", (Action.RESTORE,)),
    Step("transfer", (Action.TRANSFER,)),
    Step("discharge", (Action.DISCHARGE,)),
    Step("terminate", (Action.TERMINATE,)),
    Step("expel", (Action.EXPEL,)),
)
STEPS_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}


@dataclass(frozen=True, slots=True)
class Available:
    """A step the staff member may take on the case now, with the row that applies (its paragraph, its note)."""

    step: Step
    row: Transition


class Verdict:
    """Why a step is refused: not for this form/office/case (403), or not now (409, with the allowed steps)."""

    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"
    NOT_NOW = "not_now"


def office_of(form: Form, step: Step) -> Actor | None:
    """Who takes `step` for a `form` case: the on-behalf office, or the Actor of its lifecycle rows."""
    if step.on_behalf is not None:
        return step.on_behalf if any(row.form == form and row.action in step.actions for row in _rows()) else None
    actors = [row.actor for row in _rows() if row.form == form and row.action in step.actions]
    return actors[0] if actors else None


def _rows() -> tuple[Transition, ...]:
    return lifecycle.TRANSITIONS


def current_row(case: Case, step: Step) -> Transition | None:
    """The row `step` takes from the case's status now, or None."""
    for action in step.actions:
        if lifecycle.can(case.form, case.status, action):
            return lifecycle.transition(case.form, case.status, action)
    return None


def acts_for(principal: Principal, case: Case, office: Actor | None) -> bool:
    """Is the case this staff member's own to act on as `office`?"""
    if office is None or principal.role not in OFFICE_ROLES.get(office, frozenset()):
        return False
    if principal.is_admin:
        return True
    if office is Actor.DEPARTMENT:
        return case.department_id is not None and case.department_id == principal.department_id
    if office is Actor.ORGANISATION:
        return case.organisation_id is not None and case.organisation_id == principal.organisation_id
    return False


def step_actor(case: Case, step: Step) -> Actor | None:
    """The office of the row that applies now, else of any row of the form (the same office in every table row
    of a step, except approve/refuse of a temporary stay, where the status decides between organisation and
    authority)."""
    row = current_row(case, step)
    if row is not None and step.on_behalf is None:
        return row.actor
    return office_of(case.form, step)


def verdict(principal: Principal, case: Case, step: Step) -> str:
    office = step_actor(case, step)
    if office is None or not acts_for(principal, case, office):
        return Verdict.FORBIDDEN
    return Verdict.ALLOWED if current_row(case, step) is not None else Verdict.NOT_NOW


def available(principal: Principal, case: Case) -> list[Available]:
    """The steps to offer on the workspace, in the order of the procedure."""
    found = []
    for step in STEPS:
        row = current_row(case, step)
        if row is not None and acts_for(principal, case, step_actor(case, step)):
            found.append(Available(step, row))
    return found


def review_office(form: Form) -> Actor:
    """Documents are checked by the office that enters the application: the department (App.1-3 p.6), the
    organisation for a temporary stay (App.4 p.3)."""
    row = next(row for row in _rows() if row.form == form and row.action == Action.SUBMIT)
    return row.actor


def may_review_documents(principal: Principal, case: Case) -> str:
    if not acts_for(principal, case, review_office(case.form)):
        return Verdict.FORBIDDEN
    return Verdict.ALLOWED if case.status in REVIEW_STATUSES else Verdict.NOT_NOW


def may_review_postponement(principal: Principal, case: Case) -> str:
    """The organisation confirms or declines a moved arrival date while the place is offered (App.1-2 p.7)."""
    if postponement.postponement_rule(case.form) is None or not acts_for(principal, case, Actor.ORGANISATION):
        return Verdict.FORBIDDEN
    return Verdict.ALLOWED if case.status == Status.OFFERED else Verdict.NOT_NOW


def may_manage_places(principal: Principal, organisation_id: int) -> bool:
    """Freed places are declared by the organisation itself (or an admin): they go to its queue in order."""
    if principal.is_admin:
        return True
    return principal.role is StaffRole.ORGANISATION and principal.organisation_id == organisation_id
