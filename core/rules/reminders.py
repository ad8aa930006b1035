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
from core.rules.codes import Form, Status, Step
from core.rules.dates import add_months
from core.rules.deadlines import DEADLINE_RULES, NotInForce
from core.rules.legal import LegalRef
from core.rules.staff_steps import (
    CaseSnapshot,
    Skipped,
    pending_steps,
)


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
class Plan:
    notices: tuple[PlannedNotice, ...]
    skipped: tuple[Skipped, ...] = ()


# --- Staff steps (the rules are in core.rules.staff_steps) -----------------------------------------


# Terms the family itself faces: reminded by the applicant kinds below.
APPLICANT_STEPS: dict[Step, Kind] = {
    Step.CHOOSE_ORGANISATION: Kind.CHOOSE_REMINDER,
    Step.ARRIVE: Kind.ARRIVAL_REMINDER,
    Step.ARRIVE_FROM_QUEUE: Kind.ARRIVAL_REMINDER,
    Step.POSTPONED_ARRIVAL: Kind.POSTPONEMENT_ENDING,
    Step.MEDICAL_RECHECK: Kind.MEDICAL_RECHECK,
}


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
