"""Which reminders and staff alerts a case should have, and on which Almaty day (issue 6, the planning half).

`plan(snapshot, today, calendar)` returns every notice that should exist for the case as it is now; the services
store the plan in the outbox (one row per case, kind and due day) and cancel the rows a change made pointless.
Every date comes from the case (stored by the services from `deadlines`) or from `deadlines.deadline` itself:
nothing here recounts a term.

Two kinds of moment:
- countdowns ("2 working days left", "the step is due tomorrow") are true on their own day only: a moment already
  in the past is dropped, so a late replan never sends a stale count;
- standing facts ("over a month in the queue", "the step is overdue", "your IPR expires on ...") stay true: the
  latest moment that has come stays planned, so a case first planned late still hears it once.

Pure: standard library and core.rules only; `today` and the calendar are passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from core.rules import deadlines, postponement, queue
from core.rules.calendar import CalendarRangeError, WorkCalendar
from core.rules.checklists import VICTIMS
from core.rules.codes import Category, Form, Status, Step
from core.rules.dates import add_months
from core.rules.deadlines import DEADLINE_RULES, Event, NotInForce, UnknownStep
from core.rules.legal import LegalRef


class Audience(StrEnum):
    """Who reads the notice (the same values as core.db.enums.Audience, which the rules may not import)."""

    APPLICANT = "applicant"
    STAFF = "staff"


class Kind(StrEnum):
    """The outbox kinds this module plans. Replanning cancels only these; event notices are never touched."""

    CHOOSE_REMINDER = "choose_reminder"
    ARRIVAL_REMINDER = "arrival_reminder"
    POSTPONEMENT_ENDING = "postponement_ending"
    MEDICAL_RECHECK = "medical_recheck"
    IPR_EXPIRING = "ipr_expiring"
    STILL_NEED_PLACE = "still_need_place"
    STAFF_STEP_DUE = "staff_step_due"
    STAFF_STEP_OVERDUE = "staff_step_overdue"


PLANNED_KINDS: tuple[str, ...] = tuple(kind.value for kind in Kind)
# The only statuses in which the family has a reminder: choosing, waiting in a queue, arriving after an offer.
APPLICANT_STATUSES = frozenset({Status.NOTIFIED, Status.QUEUED, Status.OFFERED})

# Law silent on reminders: the standards set the terms, not when to remind. The issue asks for two working days
# before, one before and the last day itself: enough time to act, and a last call that still leaves the day.
COUNTDOWN_WORKING_DAYS = (2, 1, 0)
# Law silent on how early to warn of an expiring IPR (App.1 p.7, App.2 p.7, App.3 p.8 only say re-certify and
# keep the place): 30 calendar days leaves time to book the medical and social expertise before it lapses.
IPR_NOTICE_DAYS_BEFORE = 30
# Law silent on confirming the need: a place offered to someone who no longer needs it stays empty for the whole
# arrival term (15 working days, App.1 p.7) before it passes on. Every 3 months (a quarter) finds such people
# without pestering the families who simply wait.
STILL_NEED_PLACE_EVERY_MONTHS = 3


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    """What the planner needs to know about a case, as plain values (dates in Almaty)."""

    form: Form
    status: Status
    category: Category | None = None
    submitted_on: date | None = None  # documents accepted (App.1-3 p.6) or applied (App.4 p.3)
    home_visit_on: date | None = None  # App.3 p.8
    inspection_act_on: date | None = None  # App.3 p.8
    victim_identified_on: date | None = None  # App.4 p.4-1
    forwarded_on: date | None = None  # App.4 p.4-4: the sheet and application went to the authority
    decided_on: date | None = None
    notified_on: date | None = None
    choose_due_on: date | None = None
    chosen_on: date | None = None  # the organisation was chosen (App.2 p.8, App.3 p.9)
    queued_on: date | None = None
    organisation_id: int | None = None
    arrival_due_on: date | None = None
    postponed: bool = False  # the arrival date in force is a moved one (App.1 p.7, App.2 p.7)
    admitted_on: date | None = None
    contract_signed_on: date | None = None
    transferred_since_admission: bool = False
    ipr_expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class PlannedNotice:
    kind: Kind
    due_on: date  # the Almaty day the notice becomes sendable
    audience: Audience
    urgent: bool
    payload: Mapping[str, Any] = field(hash=False)  # JSON-ready: dates as ISO strings
    legal_ref: LegalRef | None = None

    @property
    def key(self) -> tuple[str, date]:
        """The outbox's unique key within a case."""
        return (self.kind.value, self.due_on)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A notice that could not be planned (e.g. a date outside the calendar's years); the service logs it."""

    what: str
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    notices: tuple[PlannedNotice, ...]
    skipped: tuple[Skipped, ...] = ()


@dataclass(frozen=True, slots=True)
class PendingStep:
    """A statutory step staff still have to take, with its last day (from `deadlines`)."""

    step: Step
    event_on: date
    deadline: date
    legal_ref: LegalRef
    completion_recorded: bool  # False: nothing records that it was done, so it is never reported overdue


# --- Staff steps -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffStepRule:
    """A step a department, organisation or authority must take; its term and event are in `deadlines`."""

    step: Step
    pending_in: frozenset[Status]  # the case waits in these statuses until the step is done
    completion_recorded: bool = True
    applies: Callable[[CaseSnapshot], bool] = lambda snapshot: True


def _is_victim(snapshot: CaseSnapshot) -> bool:
    return snapshot.category in VICTIMS


def _came_from_other_region(snapshot: CaseSnapshot) -> bool:
    # App.4 p.4 admits people from other regions at once, without the contract of p.8: the only admission with no
    # contract. A transfer to the organisation of the former region ends the step.
    return snapshot.contract_signed_on is None and not snapshot.transferred_since_admission


_S = Status
STAFF_STEPS: tuple[StaffStepRule, ...] = (
    StaffStepRule(Step.HOME_VISIT, frozenset({_S.SUBMITTED})),  # App.3 p.8
    StaffStepRule(Step.INSPECTION_ACT, frozenset({_S.HOME_VISITED})),  # App.3 p.8
    StaffStepRule(Step.IDENTIFICATION, frozenset({_S.SUBMITTED}), applies=_is_victim),  # App.4 p.4-1
    StaffStepRule(Step.FORWARD_TO_AUTHORITY, frozenset({_S.IDENTIFIED})),  # App.4 p.4-4
    StaffStepRule(Step.DECISION, frozenset({_S.INSPECTED, _S.FORWARDED})),  # App.3 p.8, App.4 p.4-9
    StaffStepRule(Step.NOTIFY_RECIPIENT, frozenset({_S.APPROVED})),  # App.1 p.7, App.2 p.7, App.3 p.8
    StaffStepRule(Step.CONTRACT, frozenset({_S.APPROVED})),  # App.4 p.8
    # App.2 p.8, App.3 p.9: documents to the organisation; App.1 p.8: the portal card. Nothing in the case records
    # that they were done, so they are announced before the deadline and never claimed overdue.
    StaffStepRule(Step.SEND_DOCUMENTS, frozenset({_S.QUEUED, _S.OFFERED, _S.ADMITTED}), completion_recorded=False),
    StaffStepRule(Step.PORTAL_CARD, frozenset({_S.ADMITTED}), completion_recorded=False),
    StaffStepRule(
        Step.OTHER_REGION_STAY,
        frozenset({_S.ADMITTED, _S.ON_LEAVE, _S.SUSPENDED}),
        applies=_came_from_other_region,
    ),  # App.4 p.4
)

# Terms the family itself faces: reminded by the applicant kinds below.
APPLICANT_STEPS: dict[Step, Kind] = {
    Step.CHOOSE_ORGANISATION: Kind.CHOOSE_REMINDER,
    Step.ARRIVE: Kind.ARRIVAL_REMINDER,
    Step.ARRIVE_FROM_QUEUE: Kind.ARRIVAL_REMINDER,
    Step.POSTPONED_ARRIVAL: Kind.POSTPONEMENT_ENDING,
    Step.MEDICAL_RECHECK: Kind.MEDICAL_RECHECK,
}

# Terms in `deadlines` no alert can follow yet, and why (the report lists them as open).
UNTRACKED_STEPS: dict[Step, str] = {
    Step.TRANSFER_CONSENT: "the transfer request to the authority (App.2 p.11) is not recorded, only the transfer",
    Step.SEND_DECISION: "the decision is recorded in the shared system, which is where the organisation reads it",
    Step.INFORM_POLICE: "the person's refusal to go to the police (App.4 p.4-10) is not recorded",
}

# The day each event of `deadlines` happened, as the case records it.
# Law silent on when the act, the forwarded sheet and the decision are "received": all three pass through the
# shared system, so each is received the day it is recorded.
_EVENT_DATE: dict[Event, Callable[[CaseSnapshot], date | None]] = {
    Event.DOCUMENTS_ACCEPTED: lambda s: s.submitted_on,
    Event.APPLIED: lambda s: s.submitted_on,
    Event.HOME_VISITED: lambda s: s.home_visit_on,
    Event.ACT_RECEIVED: lambda s: s.inspection_act_on,
    Event.IDENTIFIED: lambda s: s.victim_identified_on,
    Event.RECEIVED_BY_AUTHORITY: lambda s: s.forwarded_on,
    Event.DECISION: lambda s: s.decided_on,
    Event.DECISION_RECEIVED: lambda s: s.decided_on,
    Event.ORGANISATION_CHOSEN: lambda s: s.chosen_on,
    Event.ADMITTED: lambda s: s.admitted_on,
}


# The event each (form, step) term counts from, read once from the deadlines table (every version shares it).
_FROM_EVENT: dict[tuple[Form, Step], Event] = {(rule.form, rule.step): rule.from_event for rule in DEADLINE_RULES}


def pending_steps(
    snapshot: CaseSnapshot, calendar: WorkCalendar
) -> tuple[tuple[PendingStep, ...], tuple[Skipped, ...]]:
    """The staff steps the case waits for, each with its deadline; and the ones that could not be dated."""
    found: list[PendingStep] = []
    skipped: list[Skipped] = []
    for rule in STAFF_STEPS:
        event = _FROM_EVENT.get((snapshot.form, rule.step))
        if event is None or snapshot.status not in rule.pending_in or not rule.applies(snapshot):
            continue
        dated = _date_step(rule, event, snapshot, calendar)
        if isinstance(dated, PendingStep):
            found.append(dated)
        elif rule.completion_recorded:
            # A step nothing marks as done matters only for a day or two after its event: an old or undated one
            # (e.g. data from before the system) is simply not reported, rather than logged for every case.
            skipped.append(Skipped(rule.step.value, dated))
    return tuple(found), tuple(skipped)


def _date_step(rule: StaffStepRule, event: Event, snapshot: CaseSnapshot, calendar: WorkCalendar) -> PendingStep | str:
    """The step with its deadline, or why it has none."""
    event_on = _EVENT_DATE[event](snapshot)
    if event_on is None:
        return f"no date recorded for '{event.value}'"
    try:
        term = deadlines.deadline(snapshot.form, rule.step, event_on, calendar)
    except (CalendarRangeError, NotInForce, UnknownStep) as error:
        return str(error)
    return PendingStep(rule.step, event_on, term.due, term.legal_ref, rule.completion_recorded)


def working_days_overdue(deadline: date, on: date, calendar: WorkCalendar) -> int:
    """Working days in (deadline, on]: 0 on the last day itself, -1 the working day before, n once n days late."""
    return calendar.working_days_between(deadline, on)


def on_dashboard(pending: PendingStep, on: date, calendar: WorkCalendar) -> int | None:
    """`working_days_overdue` when the step belongs on the staff dashboard on `on` (due the next working day,
    due today, or overdue), else None. A step nothing marks as done is shown only until its last day."""
    overdue = working_days_overdue(pending.deadline, on, calendar)
    if overdue < -1 or (overdue > 0 and not pending.completion_recorded):
        return None
    return overdue


def _staff_notices(snapshot: CaseSnapshot, calendar: WorkCalendar, out: _Collector) -> None:
    pending, skipped = pending_steps(snapshot, calendar)
    out.skipped.extend(skipped)
    for item in pending:
        payload = {"step": item.step.value, "deadline": item.deadline.isoformat()}
        # The working day before the last day; never before the event itself (a 1-day term is announced on
        # the day of its event, or the next working day when that is a day off).
        due_on = max(calendar.add_working_days(item.deadline, -1), calendar.working_day_on_or_after(item.event_on))
        out.add([PlannedNotice(Kind.STAFF_STEP_DUE, due_on, Audience.STAFF, False, payload, item.legal_ref)])
        if item.completion_recorded:
            overdue_on = calendar.next_working_day(item.deadline)
            notice = PlannedNotice(Kind.STAFF_STEP_OVERDUE, overdue_on, Audience.STAFF, True, payload, item.legal_ref)
            out.add([notice], standing=True)


# --- Applicant reminders -----------------------------------------------------------------------------------


# The citation of each (form, step) term: its latest version in the deadlines table.
_LATEST_REF: dict[tuple[Form, Step], LegalRef] = {
    (rule.form, rule.step): max(
        (other for other in DEADLINE_RULES if (other.form, other.step) == (rule.form, rule.step)),
        key=lambda version: version.effective_from,
    ).legal_ref
    for rule in DEADLINE_RULES
}


def _countdown(
    kind: Kind, deadline: date, calendar: WorkCalendar, ref: LegalRef | None, days: Iterable[int], **extra: Any
) -> list[PlannedNotice]:
    notices = []
    for left in days:
        due_on = deadline if left == 0 else calendar.add_working_days(deadline, -left)
        payload = {"deadline": deadline.isoformat(), "working_days_left": left, **extra}
        notices.append(PlannedNotice(kind, due_on, Audience.APPLICANT, left == 0, payload, ref))
    return notices


def _choose_reminders(snapshot: CaseSnapshot, calendar: WorkCalendar, out: _Collector) -> None:
    """App.1 p.7 (10 working days), App.2 p.7 and App.3 p.8 (5): the choice of an organisation."""
    ref = _LATEST_REF.get((snapshot.form, Step.CHOOSE_ORGANISATION))
    if snapshot.status is not Status.NOTIFIED or snapshot.choose_due_on is None or ref is None:
        return
    out.add(_countdown(Kind.CHOOSE_REMINDER, snapshot.choose_due_on, calendar, ref, COUNTDOWN_WORKING_DAYS))


def _arrival_reminders(snapshot: CaseSnapshot, calendar: WorkCalendar, out: _Collector) -> None:
    """App.1 p.7 (15 or 10 working days), App.2 p.7 (3): arrival after an offer. Home care has no arrival: the
    organisation comes to the home."""
    ref = _LATEST_REF.get((snapshot.form, Step.ARRIVE))
    due = snapshot.arrival_due_on
    if snapshot.status is not Status.OFFERED or due is None or ref is None:
        return
    organisation = {"organisation_id": snapshot.organisation_id}
    rule = postponement.postponement_rule(snapshot.form)
    if not (snapshot.postponed and rule is not None):
        out.add(_countdown(Kind.ARRIVAL_REMINDER, due, calendar, ref, COUNTDOWN_WORKING_DAYS, **organisation))
        return
    # The working day before a moved date is the end of the postponement: one notice says so, instead of a
    # second "one working day left" the same day.
    days = tuple(left for left in COUNTDOWN_WORKING_DAYS if left != 1)
    out.add(_countdown(Kind.ARRIVAL_REMINDER, due, calendar, rule.legal_ref, days, **organisation))
    payload = {"deadline": due.isoformat(), **organisation}
    ending_on = calendar.add_working_days(due, -1)
    out.add([PlannedNotice(Kind.POSTPONEMENT_ENDING, ending_on, Audience.APPLICANT, False, payload, rule.legal_ref)])


def _medical_recheck(snapshot: CaseSnapshot, calendar: WorkCalendar, out: _Collector) -> None:
    """App.1 p.7 (queue.needs_new_medical_examination): more than one month in the queue means a new medical
    card at admission. The notice goes on the first day that is true."""
    if snapshot.status is not Status.QUEUED or snapshot.queued_on is None:
        return
    if (snapshot.form, Step.MEDICAL_RECHECK) not in _LATEST_REF:
        return
    month_ends = deadlines.deadline(snapshot.form, Step.MEDICAL_RECHECK, snapshot.queued_on, calendar).due
    first_day = month_ends + timedelta(days=1)
    payload = {"queued_on": snapshot.queued_on.isoformat()}
    notice = PlannedNotice(
        Kind.MEDICAL_RECHECK, first_day, Audience.APPLICANT, False, payload, queue.MEDICAL_RECHECK_REF
    )
    out.add([notice], standing=True)


def _ipr_expiring(snapshot: CaseSnapshot, calendar: WorkCalendar, out: _Collector) -> None:
    """App.1 p.7, App.2 p.7, App.3 p.8: an IPR that expires while queued needs re-certification (the place is
    kept). Warned 30 days ahead (never before joining the queue) and on the day; silent once it has expired."""
    ref = queue.RECERTIFICATION_KEEPS_PLACE.get(snapshot.form)
    expires, queued_on = snapshot.ipr_expires_on, snapshot.queued_on
    if snapshot.status is not Status.QUEUED or ref is None or expires is None or queued_on is None:
        return
    if expires < queued_on or expires < out.today:
        return
    ahead = max(expires - timedelta(days=IPR_NOTICE_DAYS_BEFORE), queued_on)
    payload = {"expires_on": expires.isoformat()}
    moments = sorted({ahead, expires})
    out.add(
        [PlannedNotice(Kind.IPR_EXPIRING, day, Audience.APPLICANT, False, payload, ref) for day in moments],
        standing=True,
    )


def _still_need_place(snapshot: CaseSnapshot, calendar: WorkCalendar, out: _Collector) -> None:
    """Every 3 months in a queue (Law silent, see STILL_NEED_PLACE_EVERY_MONTHS): the latest that has come and
    the next one."""
    ref = queue.RECERTIFICATION_KEEPS_PLACE.get(snapshot.form)  # the forms with a queue (App.1-3 p.7-8)
    if snapshot.status is not Status.QUEUED or snapshot.queued_on is None or ref is None:
        return
    every = STILL_NEED_PLACE_EVERY_MONTHS
    elapsed = (out.today.year - snapshot.queued_on.year) * 12 + out.today.month - snapshot.queued_on.month
    # Start a little before the latest occurrence that has come (months are uneven), so the loop runs a few times.
    notices, months = [], max(every, (elapsed // every - 1) * every)
    while True:
        day = add_months(snapshot.queued_on, months)
        payload = {"queued_on": snapshot.queued_on.isoformat(), "months": months}
        notices.append(PlannedNotice(Kind.STILL_NEED_PLACE, day, Audience.APPLICANT, False, payload, ref))
        if day > out.today:
            break
        months += every
    out.add(notices, standing=True)


# --- The plan ----------------------------------------------------------------------------------------------


class _Collector:
    """Keeps what is still worth sending on `today` and the first notice for each outbox key."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.notices: dict[tuple[str, date], PlannedNotice] = {}
        self.skipped: list[Skipped] = []

    def add(self, series: list[PlannedNotice], *, standing: bool = False) -> None:
        """`series`: the moments of one reminder. Countdowns keep only today and later; standing facts also keep
        the latest moment that has come (it is still true and may not have been sent)."""
        kept = [notice for notice in series if notice.due_on >= self.today]
        if standing:
            past = [notice for notice in series if notice.due_on <= self.today]
            if past:
                kept.append(max(past, key=lambda notice: notice.due_on))
        for notice in kept:
            self.notices.setdefault(notice.key, notice)


_PLANNERS: tuple[Callable[[CaseSnapshot, WorkCalendar, _Collector], None], ...] = (
    _choose_reminders,
    _arrival_reminders,
    _medical_recheck,
    _ipr_expiring,
    _still_need_place,
    _staff_notices,
)


def plan(snapshot: CaseSnapshot, today: date, calendar: WorkCalendar) -> Plan:
    """Every reminder and staff alert the case should have on `today`, ordered by day and kind."""
    out = _Collector(today)
    for planner in _PLANNERS:
        try:
            planner(snapshot, calendar, out)
        except (CalendarRangeError, NotInForce) as error:
            out.skipped.append(Skipped(planner.__name__.strip("_"), str(error)))
    notices = sorted(out.notices.values(), key=lambda notice: (notice.due_on, notice.kind.value))
    return Plan(tuple(notices), tuple(out.skipped))
