"""The organisation's review of a moved arrival date (App.1 p.7, App.2 p.7).

The family asks in the chat and `placement.postpone_arrival` grants at once what the rules allow (once, within the
bound), so nobody loses the place while an office is closed. The organisation then looks at the proof of illness or
hospitalisation and either confirms the move or declines it, which puts the arrival date back. A request that
reaches the organisation on paper or through the portal is recorded by its staff and confirmed in the same step.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.db.enums import PostponementReason, PostponementStatus
from core.db.models import Case, Postponement, StatusHistory
from core.rules.codes import Status
from core.services import audit, notices, reminders
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotAllowed, NotFound
from core.services.placement import open_offer, postpone_arrival

DECLINED_NOTICE = "postponement_declined"


def of_case(ctx: ServiceContext, case: Case) -> list[Postponement]:
    """Every request of the case, newest first (declined ones too: staff see what was asked)."""
    statement = sa.select(Postponement).where(Postponement.case_id == case.id).order_by(Postponement.id.desc())
    return list(ctx.session.scalars(statement))


def awaiting_review(record: Postponement) -> bool:
    """Granted by the rules in the chat and not yet confirmed or declined by a staff member."""
    return record.status == PostponementStatus.APPROVED and record.decided_by is None


def record(ctx: ServiceContext, case: Case, until: date, reason: PostponementReason) -> Postponement:
    """A request the organisation received outside the chat (portal e-document, paper): the rules decide, as in
    the chat, and the staff member who entered it is its reviewer."""
    entered = postpone_arrival(ctx, case, until, reason)
    entered.decided_by = _staff_id(ctx)
    audit.record(ctx, "record_postponement", entered, None)
    return entered


def confirm(ctx: ServiceContext, case: Case, postponement_id: int) -> Postponement:
    """The proof is in order: the moved date stands and the request is no longer awaiting review."""
    row = _reviewable(ctx, case, postponement_id)
    before = audit.snapshot(row)
    row.decided_by, row.decided_at = _staff_id(ctx), ctx.now
    audit.record(ctx, "confirm_postponement", row, before)
    return row


# Law silent on proof: App.1-2 p.7 name illness or hospitalisation without saying what proves it. The chat grants
# the move at once; the organisation may decline it when the proof is missing or says otherwise. Law silent on
# when: a decline after the original date has passed would make the person a no-show for trusting the first
# answer, so the organisation may decline only while the original date is still ahead (today included).
def decline(ctx: ServiceContext, case: Case, postponement_id: int, reason: str) -> Postponement:
    """Put the arrival date back to the one before the move and tell the family why, in the same transaction."""
    text = (reason or "").strip()
    if not text:
        raise InvalidInput("declining needs a reason the family can act on", reason="decline_reason_required")
    row = _reviewable(ctx, case, postponement_id)
    if case.status != Status.OFFERED or case.arrival_due_on != row.new_due_on:
        raise NotAllowed("this move is no longer in force", reasons=("postponement_not_in_force",))
    if ctx.today > row.original_due_on:
        raise NotAllowed(
            "the original arrival date has passed: the move stands",
            reasons=("original_date_passed",),
            original_due_on=row.original_due_on,
        )
    before_row, before_case = audit.snapshot(row), audit.snapshot(case)
    row.status, row.decided_by, row.decided_at = PostponementStatus.DECLINED, _staff_id(ctx), ctx.now
    case.arrival_due_on = row.original_due_on
    case.updated_at = ctx.now
    open_offer(ctx, case).arrival_due_on = row.original_due_on
    ctx.session.add(
        StatusHistory(
            case_id=case.id,
            from_status=case.status,
            to_status=case.status,
            action="decline_postponement",
            actor_kind=ctx.actor.kind,
            actor_id=ctx.actor.id,
            at=ctx.now,
            note=text,
        )
    )
    audit.record(ctx, "decline_postponement", row, before_row)
    changed_before, changed_after = audit.changed(before_case, audit.snapshot(case))
    audit.record(ctx, "decline_postponement", case, changed_before, changed_after)
    notices.notify(ctx, case, DECLINED_NOTICE, urgent=True, arrival_due_on=row.original_due_on, reason=text)
    reminders.replan(ctx, case)  # the arrival reminders follow the date put back
    return row


def _reviewable(ctx: ServiceContext, case: Case, postponement_id: int) -> Postponement:
    row = ctx.session.get(Postponement, postponement_id)
    if row is None or row.case_id != case.id:
        raise NotFound("no such request for this case", postponement_id=postponement_id)
    if not awaiting_review(row):
        raise NotAllowed("this request has already been reviewed", reasons=("postponement_reviewed",))
    return row


def _staff_id(ctx: ServiceContext) -> int | None:
    return int(ctx.actor.id) if ctx.actor.id and ctx.actor.id.isdigit() else None
