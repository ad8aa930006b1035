"""From arrival to the end of services: admission, leave, suspension, transfer, discharge, termination, expulsion.

Ending services on a ground frees the place, which goes at once to the first in the organisation's queue.
"""

from __future__ import annotations

from datetime import date

from core.db.enums import OfferStatus
from core.db.models import Case, Offer
from core.rules import grounds, queue
from core.rules.codes import Form, Status
from core.rules.grounds import GroundKind
from core.rules.leave import LeaveKind, leave_return_by
from core.rules.lifecycle import Action
from core.services import notices
from core.services.cases import check_transition, move
from core.services.context import ALMATY, ServiceContext
from core.services.errors import InvalidInput, NotAllowed
from core.services.placement import free_places, lock_organisation, open_offer
from core.services.queueing import leave_queue


def admit(ctx: ServiceContext, case: Case) -> bool:
    """Register arrival and admission; returns whether a new medical examination was required (more than one
    month in the queue, App.1 p.7), so staff know to ask for a fresh medical card."""
    check_transition(case, Action.ADMIT)
    if case.status == Status.OFFERED:
        offer = open_offer(ctx, case)
        offer.status, offer.closed_at = OfferStatus.ACCEPTED, ctx.now
    recheck = case.queued_at is not None and queue.needs_new_medical_examination(
        case.queued_at.astimezone(ALMATY).date(), ctx.today
    )
    move(ctx, case, Action.ADMIT, arrival_due_on=None)
    notices.cancel_pending(ctx, case, ("arrival_reminder",))
    return recheck


def start_leave(ctx: ServiceContext, case: Case, started_on: date, kind: LeaveKind = LeaveKind.PERSONAL) -> date:
    """Temporary leave (App.1 p.14: up to three months): returns the date the person is due back."""
    return_by = leave_return_by(case.form, started_on, kind)
    move(ctx, case, Action.START_LEAVE, note=f"{kind.value} until {return_by.isoformat()}", leave_return_by=return_by)
    return return_by


def end_leave(ctx: ServiceContext, case: Case) -> None:
    move(ctx, case, Action.END_LEAVE, leave_return_by=None)


def suspend(ctx: ServiceContext, case: Case, ground_code: str) -> None:
    _check_ground(case, Action.SUSPEND, ground_code)
    move(ctx, case, Action.SUSPEND, note=ground_code)


def restore(ctx: ServiceContext, case: Case) -> None:
    move(ctx, case, Action.RESTORE)


def end_services(ctx: ServiceContext, case: Case, action: Action, ground_code: str, ended_on: date) -> None:
    """Discharge, terminate or expel on a ground of the standard, then pass the freed place on."""
    if action not in grounds.ACTION_GROUND_KIND or action == Action.SUSPEND:
        raise InvalidInput("not an ending action", reason="not_an_ending_action", action=action.value)
    _check_ground(case, action, ground_code)
    held_place = case.status in (Status.ADMITTED, Status.ON_LEAVE, Status.SUSPENDED)
    move(ctx, case, action, note=ground_code, end_ground=ground_code, ended_on=ended_on)
    notices.notify(ctx, case, "services_ended", urgent=True, ground=ground_code)
    if held_place and case.organisation_id is not None and case.form != Form.TEMPORARY_STAY:
        free_places(ctx, case.organisation_id)


def withdraw(ctx: ServiceContext, case: Case) -> None:
    """The applicant withdraws before admission; a held place or queue entry is released to the next person."""
    check_transition(case, Action.WITHDRAW)
    offer: Offer | None = open_offer(ctx, case) if case.status == Status.OFFERED else None
    leave_queue(ctx, case, "withdrawn")
    move(ctx, case, Action.WITHDRAW)
    if offer is not None:
        offer.status, offer.closed_at = OfferStatus.WITHDRAWN, ctx.now
        free_places(ctx, offer.organisation_id)


def transfer(ctx: ServiceContext, case: Case, to_organisation_id: int) -> None:
    """Move a resident to another organisation of the same form (App.1 p.16, App.2 p.11) if it has a place."""
    if to_organisation_id == case.organisation_id:
        raise InvalidInput("the case is already at this organisation", reason="same_organisation")
    check_transition(case, Action.TRANSFER)
    target = lock_organisation(ctx, to_organisation_id)
    if target.form != case.form:
        raise NotAllowed("the organisation provides another form of service", reasons=("wrong_form",))
    if target.free_places <= 0:
        raise NotAllowed("the organisation has no free place", reasons=("no_vacancy",))
    target.free_places -= 1
    previous = case.organisation_id
    move(ctx, case, Action.TRANSFER, organisation_id=target.id, note=f"from organisation {previous}")
    if previous is not None:
        free_places(ctx, previous)


def _check_ground(case: Case, action: Action, ground_code: str) -> None:
    try:
        row = grounds.ground(case.form, ground_code)
    except grounds.UnknownGround as error:
        raise InvalidInput(str(error), reason="unknown_ground") from error
    expected: GroundKind = grounds.ACTION_GROUND_KIND[action]
    if row.kind != expected:
        raise InvalidInput(
            f"'{ground_code}' is a {row.kind.value} ground, not a {expected.value} ground",
            reason="ground_kind_mismatch",
        )
