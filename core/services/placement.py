"""Choosing an organisation, the queue, offers of free places, no-shows and postponed arrivals (App.1-3 p.7-8).

Concurrency: every change to an organisation's places or queue first locks the organisation row (FOR UPDATE on
PostgreSQL; SQLite serialises writers), so two places freed at once or two staff acting on one queue can neither
offer one place twice nor skip a person. A place offered to someone is held (not counted in free_places) until
they arrive, do not come, or withdraw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from core.db import queue_queries
from core.db.enums import OfferStatus, PostponementReason, PostponementStatus
from core.db.models import Case, Offer, Organisation, OrganisationCategory, Person, Postponement, QueueEntry
from core.db.queue_queries import first_in_queue, queue_position
from core.rules import deadlines, postponement
from core.rules.codes import Form, Priority, Status, Step
from core.rules.lifecycle import Action
from core.services import notices
from core.services.cases import check_transition, move
from core.services.context import ServiceContext
from core.services.errors import NotAllowed, NotFound

CHOICE_REMINDERS = ("choose_organisation", "choose_reminder")


@dataclass(frozen=True, slots=True)
class OrganisationChoice:
    organisation: Organisation
    queue_length: int

    @property
    def has_free_place(self) -> bool:
        return self.organisation.free_places > 0 and self.queue_length == 0


def organisations_for(
    ctx: ServiceContext, case: Case, district_id: int | None = None, region_id: int | None = None
) -> list[OrganisationChoice]:
    """Organisations of the case's form that take its category, in the district (or region), paused ones too:
    a family sees every option and why it is unavailable, never a silently shorter list."""
    statement = (
        sa.select(Organisation)
        .join(OrganisationCategory, OrganisationCategory.organisation_id == Organisation.id)
        .where(Organisation.form == case.form, OrganisationCategory.category == case.category)
        .order_by(Organisation.name_en)
    )
    if district_id is not None:
        statement = statement.where(Organisation.district_id == district_id)
    elif region_id is not None:
        statement = statement.where(Organisation.region_id == region_id)
    return [OrganisationChoice(org, queue_length(ctx, org.id)) for org in ctx.session.scalars(statement)]


def queue_length(ctx: ServiceContext, organisation_id: int | None) -> int:
    """People waiting at the organisation, from the per-day counters (no COUNT over a long queue)."""
    return 0 if organisation_id is None else queue_queries.queue_length(ctx.session, organisation_id)


def lock_organisation(ctx: ServiceContext, organisation_id: int) -> Organisation:
    organisation = ctx.session.scalars(
        sa.select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    ).first()
    if organisation is None:
        raise NotFound("no such organisation", organisation_id=organisation_id)
    return organisation


def choose_organisation(ctx: ServiceContext, case: Case, organisation_id: int) -> Offer | QueueEntry:
    """A free place gives an offer with its arrival deadline; otherwise the case joins the queue (App.1 p.7)."""
    organisation = lock_organisation(ctx, organisation_id)
    _check_can_choose(case, organisation)
    notices.cancel_pending(ctx, case, CHOICE_REMINDERS)
    if organisation.free_places > 0 and first_in_queue(ctx.session, organisation.id) is None:
        organisation.free_places -= 1
        return _offer(ctx, case, organisation, Step.ARRIVE)
    check_transition(case, Action.JOIN_QUEUE)
    person = ctx.session.get(Person, case.person_id)
    entry = QueueEntry(
        organisation_id=organisation.id,
        case_id=case.id,
        queued_at=ctx.now,
        priority=Priority.VETERAN if person and person.is_veteran else None,
        out_of_turn=bool(person and person.out_of_turn),
    )
    ctx.session.add(entry)
    move(ctx, case, Action.JOIN_QUEUE, organisation_id=organisation.id)
    ctx.session.flush()
    notices.notify(ctx, case, "queued", position=queue_position(ctx.session, entry))
    return entry


def _check_can_choose(case: Case, organisation: Organisation) -> None:
    if organisation.form != case.form:
        raise NotAllowed("this organisation provides another form of service", reasons=("wrong_form",))
    if not organisation.accepting:
        raise NotAllowed(
            "the organisation is not accepting now",
            reasons=("organisation_not_accepting",),
            paused_reason=organisation.paused_reason,
        )
    if case.status != Status.NOTIFIED:
        check_transition(case, Action.JOIN_QUEUE)  # raises with the allowed actions


def _arrival_step(case: Case, from_queue: bool) -> Step:
    # A place freed for the first in the queue gives 10 wd in residential care (App.1 p.7); the other forms have
    # one arrival term. Law silent: home care has no arrival; its offer uses the 5 wd choice term as the time for
    # the organisation to start the visits.
    if case.form == Form.HOME:
        return Step.CHOOSE_ORGANISATION
    if from_queue and case.form == Form.STATIONARY:
        return Step.ARRIVE_FROM_QUEUE
    return Step.ARRIVE


def _offer(ctx: ServiceContext, case: Case, organisation: Organisation, step: Step) -> Offer:
    arrival_due = deadlines.deadline(
        case.form, _arrival_step(case, step == Step.ARRIVE_FROM_QUEUE), ctx.today, ctx.calendar
    ).due
    offer = Offer(case_id=case.id, organisation_id=organisation.id, offered_at=ctx.now, arrival_due_on=arrival_due)
    ctx.session.add(offer)
    move(ctx, case, Action.OFFER_PLACE, organisation_id=organisation.id, arrival_due_on=arrival_due)
    notices.notify(ctx, case, "offer", urgent=True, organisation_id=organisation.id, arrival_due_on=arrival_due)
    return offer


def free_places(ctx: ServiceContext, organisation_id: int, count: int = 1) -> list[Offer]:
    """Places freed at the organisation go to the first in its queue, one by one, in the core's order."""
    organisation = lock_organisation(ctx, organisation_id)
    return _offer_to_queue(ctx, organisation, freed=count)


def _offer_to_queue(ctx: ServiceContext, organisation: Organisation, freed: int) -> list[Offer]:
    """Offer the `freed` places to the queue, one by one; what nobody waits for is added to the free places. A place
    that goes straight to the next person never shows as free, and costs no write to the organisation."""
    offers = []
    while freed > 0:
        entry = first_in_queue(ctx.session, organisation.id)
        if entry is None:
            break
        freed -= 1
        entry.active = False
        entry.left_at = ctx.now
        entry.left_reason = "offered"
        case = ctx.session.get(Case, entry.case_id)
        if case is None:  # pragma: no cover - foreign key
            continue
        offers.append(_offer(ctx, case, organisation, Step.ARRIVE_FROM_QUEUE))
        ctx.session.flush()
    if freed:
        organisation.free_places += freed
    return offers


def open_offer(ctx: ServiceContext, case: Case) -> Offer:
    offer = ctx.session.scalars(
        sa.select(Offer).where(Offer.case_id == case.id, Offer.status == OfferStatus.OPEN).order_by(Offer.id.desc())
    ).first()
    if offer is None:
        raise NotFound("the case has no open offer", case_id=case.id)
    return offer


def no_show(ctx: ServiceContext, case: Case) -> list[Offer]:
    """The arrival term passed: the place passes to the next in the queue (App.1 p.7). Law silent on the person
    who did not come: a careful department keeps them, at the END of the queue, and tells them so."""
    if case.arrival_due_on is None or ctx.today <= case.arrival_due_on:
        raise NotAllowed(
            "the arrival term has not passed yet", reasons=("arrival_term_running",), arrival_due_on=case.arrival_due_on
        )
    offer = open_offer(ctx, case)
    organisation = lock_organisation(ctx, offer.organisation_id)
    offer.status, offer.closed_at = OfferStatus.LAPSED, ctx.now
    person = ctx.session.get(Person, case.person_id)
    ctx.session.add(
        QueueEntry(
            organisation_id=organisation.id,
            case_id=case.id,
            queued_at=ctx.now,
            priority=Priority.VETERAN if person and person.is_veteran else None,
        )
    )
    move(ctx, case, Action.NO_SHOW, arrival_due_on=None)
    notices.notify(ctx, case, "offer_lapsed", urgent=True)
    return _offer_to_queue(ctx, organisation, freed=1)


def postpone_arrival(
    ctx: ServiceContext, case: Case, until: date, reason: PostponementReason, certificate_document_id: int | None = None
) -> Postponement:
    """Illness or hospitalisation moves the arrival date once, by up to 30 (App.1 p.7) or 14 (App.2 p.7) calendar
    days. A refused request is recorded too, so staff see it and the family gets the reason."""
    if case.arrival_due_on is None:
        raise NotAllowed("there is no arrival date to move", reasons=("no_arrival_due",))
    previous = ctx.session.scalar(
        sa.select(sa.func.count())
        .select_from(Postponement)
        .where(Postponement.case_id == case.id, Postponement.status == PostponementStatus.APPROVED)
    )
    decision = postponement.assess_postponement(case.form, case.arrival_due_on, until, int(previous or 0))
    record = Postponement(
        case_id=case.id,
        requested_at=ctx.now,
        reason=reason,
        original_due_on=case.arrival_due_on,
        certificate_document_id=certificate_document_id,
    )
    ctx.session.add(record)
    if not decision.allowed:
        record.status, record.decided_at = PostponementStatus.DECLINED, ctx.now
        ctx.session.flush()
        raise NotAllowed(
            "the arrival date cannot be moved",
            reasons=tuple(decision.reasons),
            latest=decision.latest,
            legal_ref=str(decision.legal_ref or ""),
        )
    record.status, record.new_due_on, record.decided_at = PostponementStatus.APPROVED, until, ctx.now
    move(ctx, case, Action.POSTPONE_ARRIVAL, arrival_due_on=until, note=reason.value)
    open_offer(ctx, case).arrival_due_on = until
    notices.notify(ctx, case, "postponed", urgent=True, arrival_due_on=until)
    return record


@dataclass(frozen=True, slots=True)
class QueueStatus:
    organisation_id: int
    position: int
    total: int
    queued_at: datetime
    moved_up_because_left: int  # people ahead who got a place or left since `since`
    moved_down_because_priority: int  # people with priority (veterans, out of turn) who joined ahead since `since`


def queue_status(ctx: ServiceContext, case: Case, since: datetime | None = None) -> QueueStatus:
    """Where the case stands and why it moved since the person last looked."""
    entry = ctx.session.scalars(
        sa.select(QueueEntry).where(QueueEntry.case_id == case.id, QueueEntry.active == sa.true())
    ).first()
    if entry is None:
        raise NotFound("the case is not in a queue", case_id=case.id)
    ahead_of_me = sa.tuple_(QueueEntry.priority_rank, QueueEntry.queued_at, QueueEntry.id) < sa.tuple_(
        sa.literal(entry.priority_rank), sa.literal(entry.queued_at, QueueEntry.queued_at.type), sa.literal(entry.id)
    )
    same_queue = QueueEntry.organisation_id == entry.organisation_id
    left = joined = 0
    if since is not None:
        left = _count(
            ctx,
            same_queue,
            ahead_of_me,
            QueueEntry.active == sa.false(),
            QueueEntry.left_at > since,
            QueueEntry.queued_at < entry.queued_at,
        )
        joined = _count(ctx, same_queue, ahead_of_me, QueueEntry.active == sa.true(), QueueEntry.queued_at > since)
    return QueueStatus(
        entry.organisation_id,
        queue_position(ctx.session, entry),
        queue_length(ctx, entry.organisation_id),
        entry.queued_at,
        left,
        joined,
    )


def _count(ctx: ServiceContext, *conditions: sa.ColumnElement[bool]) -> int:
    return int(ctx.session.scalar(sa.select(sa.func.count()).select_from(QueueEntry).where(*conditions)) or 0)
