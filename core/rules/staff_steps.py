"""The statutory steps staff must take on a case and their last days, for the staff alerts and the dashboard.

Each step's term comes from `deadlines` (counted from the event the case records), or, for the ends of a stay
(back from temporary leave, the end of a temporary-stay contract), is the date the case itself carries.
Pure: standard library and core.rules only; the calendar is passed in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from core.rules import deadlines
from core.rules.calendar import CalendarRangeError, WorkCalendar
from core.rules.checklists import VICTIMS
from core.rules.codes import Category, Form, Status, Step
from core.rules.deadlines import DEADLINE_RULES, Event, NotInForce, UnknownStep
from core.rules.legal import LegalRef, ref


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
    contract_ends_on: date | None = None  # App.4 p.9
    leave_return_by: date | None = None  # while on temporary leave (core.rules.leave)
    transferred_since_admission: bool = False
    ipr_expires_on: date | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A notice that could not be planned (e.g. a date outside the calendar's years); the service logs it."""

    what: str
    reason: str


@dataclass(frozen=True, slots=True)
class PendingStep:
    """A statutory step staff still have to take, with its last day (from `deadlines`)."""

    step: Step
    event_on: date
    deadline: date
    legal_ref: LegalRef
    completion_recorded: bool  # False: nothing records that it was done, so it is never reported overdue


# --- The rules -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StaffStepRule:
    """A step a department, organisation or authority must take; its term and event are in `deadlines`."""

    step: Step
    pending_in: frozenset[Status]  # the case waits in these statuses until the step is done
    completion_recorded: bool = True
    applies: Callable[[CaseSnapshot], bool] = lambda snapshot: True
    # For the ends of a stay: the case carries the date itself (no term in `deadlines`), and where it comes from.
    dated_by: Callable[[CaseSnapshot], date | None] | None = None
    dated_ref: Callable[[CaseSnapshot], LegalRef] | None = None


def _is_victim(snapshot: CaseSnapshot) -> bool:
    return snapshot.category in VICTIMS


def _came_from_other_region(snapshot: CaseSnapshot) -> bool:
    # App.4 p.4 admits people from other regions at once, without the contract of p.8: the only admission with no
    # contract. A transfer to the organisation of the former region ends the step.
    return snapshot.contract_signed_on is None and not snapshot.transferred_since_admission


def _leave_ref(snapshot: CaseSnapshot) -> LegalRef:
    return ref(4, "14") if snapshot.form == Form.TEMPORARY_STAY else ref(1, "14")


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
    # Law silent on reminding anyone of these ends: the organisation must take the person back, or extend or end
    # the contract, so it is told the working day before and, while nothing is recorded, after.
    StaffStepRule(
        Step.LEAVE_RETURN,
        frozenset({_S.ON_LEAVE}),
        dated_by=lambda s: s.leave_return_by,
        dated_ref=_leave_ref,
    ),
    StaffStepRule(
        Step.CONTRACT_END,
        frozenset({_S.CONTRACT_SIGNED, _S.ADMITTED, _S.ON_LEAVE, _S.SUSPENDED}),
        applies=lambda s: s.form == Form.TEMPORARY_STAY,
        dated_by=lambda s: s.contract_ends_on,
        dated_ref=lambda s: ref(4, "9"),
    ),
)

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
        if snapshot.status not in rule.pending_in or not rule.applies(snapshot):
            continue
        if rule.dated_by is not None:
            found.extend(_dated_by_case(rule, snapshot))
            continue
        event = _FROM_EVENT.get((snapshot.form, rule.step))
        if event is None:
            continue
        dated = _date_step(rule, event, snapshot, calendar)
        if isinstance(dated, PendingStep):
            found.append(dated)
        elif rule.completion_recorded:
            # A step nothing marks as done matters only for a day or two after its event: an old or undated one
            # (e.g. data from before the system) is simply not reported, rather than logged for every case.
            skipped.append(Skipped(rule.step.value, dated))
    return tuple(found), tuple(skipped)


def _dated_by_case(rule: StaffStepRule, snapshot: CaseSnapshot) -> list[PendingStep]:
    """A step whose last day the case records (none recorded: nothing to alert)."""
    assert rule.dated_by is not None and rule.dated_ref is not None
    deadline = rule.dated_by(snapshot)
    if deadline is None:
        return []
    # No event starts these terms here (the date itself is recorded), so nothing holds the "due" alert back from
    # the working day before the deadline: the event is put a month earlier than any such day can be.
    return [PendingStep(rule.step, deadline - timedelta(days=31), deadline, rule.dated_ref(snapshot), True)]


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
