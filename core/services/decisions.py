"""The official steps of the department, the organisation and the authority before a place is chosen.

Submission, the decision and its notification (App.1-3 p.6-8), the home visit and inspection act (App.3 p.8),
victim identification, forwarding and the contract for a temporary stay (App.4 p.4-1..4-9, p.8-9).
"""

from __future__ import annotations

from datetime import date

from core.db.enums import IdentificationOutcome
from core.db.models import Case
from core.rules import deadlines
from core.rules.codes import Category, Form, Status, Step
from core.rules.lifecycle import Action
from core.services import documents, notices
from core.services.cases import move
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotAllowed

VICTIMS = frozenset({Category.DOMESTIC_VIOLENCE_VICTIM, Category.TRAFFICKING_VICTIM})


def due(ctx: ServiceContext, case: Case, step: Step, start: date) -> date:
    return deadlines.deadline(case.form, step, start, ctx.calendar).due


def submit(ctx: ServiceContext, case: Case) -> None:
    """Documents complete -> the department enters the application (App.1 p.6; App.4 p.3 for a shelter)."""
    progress = documents.progress(ctx, case)
    if not progress.complete:
        missing = [s.item.code.value for s in progress.to_upload if not s.item.conditional]
        raise NotAllowed(
            "the document checklist is not complete",
            reasons=("documents_incomplete",),
            missing=missing,
            done=progress.done,
            total=progress.total,
        )
    move(ctx, case, Action.SUBMIT)
    notices.notify(ctx, case, "submitted")


def record_home_visit(ctx: ServiceContext, case: Case, visited_on: date) -> None:
    move(ctx, case, Action.RECORD_HOME_VISIT, home_visit_on=visited_on)


def record_inspection_act(ctx: ServiceContext, case: Case, act_number: str, act_on: date) -> None:
    if not act_number.strip():
        raise InvalidInput("the inspection act needs its number", reason="act_number_required")
    move(ctx, case, Action.RECORD_INSPECTION_ACT, inspection_act_number=act_number.strip(), inspection_act_on=act_on)


def identify_victim(ctx: ServiceContext, case: Case, outcome: IdentificationOutcome, on: date) -> None:
    """App.4 p.4-1..4-5: recognised (or already a victim in a pre-trial case) -> identified; otherwise refused."""
    if case.category not in VICTIMS:
        raise NotAllowed(
            "identification is only for victims of violence or trafficking", reasons=("not_victim_category",)
        )
    if outcome == IdentificationOutcome.NOT_RECOGNISED:
        move(
            ctx,
            case,
            Action.REFUSE,
            victim_identified_on=on,
            identification_outcome=outcome,
            positive=False,
            decided_on=on,
        )
        notices.notify(ctx, case, "refused", urgent=True)
        return
    move(ctx, case, Action.IDENTIFY_VICTIM, victim_identified_on=on, identification_outcome=outcome)


def forward_to_authority(ctx: ServiceContext, case: Case) -> None:
    move(ctx, case, Action.FORWARD_TO_AUTHORITY)


def decide(
    ctx: ServiceContext, case: Case, *, positive: bool, number: str, decided_on: date, reason: str | None = None
) -> None:
    """Record the decision. For a temporary stay of a non-victim the organisation decides itself (App.4 p.3)."""
    if case.form == Form.TEMPORARY_STAY and positive and case.status == Status.SUBMITTED and case.category in VICTIMS:
        raise NotAllowed("a victim must be identified before the decision", reasons=("identification_required",))
    action = Action.APPROVE if positive else Action.REFUSE
    move(
        ctx, case, action, note=reason, positive=positive, decision_number=number.strip() or None, decided_on=decided_on
    )
    notices.notify(ctx, case, "approved" if positive else "refused", urgent=True, reason=reason)


def notify_recipient(ctx: ServiceContext, case: Case) -> date:
    """The department tells the family and the choice deadline starts (App.1 p.7: 10 wd, App.2: 5, App.3: 5)."""
    choose_due = due(ctx, case, Step.CHOOSE_ORGANISATION, ctx.today)
    move(ctx, case, Action.NOTIFY, notified_on=ctx.today, choose_due_on=choose_due)
    notices.notify(ctx, case, "choose_organisation", urgent=True, choose_due_on=choose_due)
    return choose_due


def sign_contract(ctx: ServiceContext, case: Case, number: str, signed_on: date) -> date:
    """The contract (App.4 p.8) for the term the rules set by category (App.4 p.9): returns its end date."""
    if case.category is None:
        raise NotAllowed("the case has no category", reasons=("category_unknown",))
    ends_on = deadlines.contract_term_end(case.category, signed_on)
    move(
        ctx,
        case,
        Action.SIGN_CONTRACT,
        contract_number=number.strip() or None,
        contract_signed_on=signed_on,
        contract_ends_on=ends_on,
    )
    return ends_on
