"""Statutory deadlines of Order No. 263, one data row per (form, step), and the stay terms of App.1 and 4.

A term is counted from the day AFTER its event (rules-digest §4): n working days after a decision taken on
Monday 2 June end on the n-th working day after 2 June. Calendar-day and month terms are not moved off
weekends (see the note below).
"""

# Law silent: the standards do not say whether a calendar-day or month term that ends on a day off moves to
# the next working day. Every such term here is a cap (the postponed arrival is "up to 30 days", the stay of
# App.4 p.4 "up to 30 days", the contract terms) or a threshold (one month in the queue), not a last day for
# filing, so we keep the plain date, which is also what the recipient reads in the standard.

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from core.rules.calendar import WorkCalendar
from core.rules.codes import Category, Form, Step
from core.rules.dates import add_months
from core.rules.legal import ORDER_72_IN_FORCE, LegalRef, ref


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


class Event(StrEnum):
    """What a term counts from (the day after it)."""

    DECISION = "decision"  # the local executive body / department decided
    NOTIFIED = "notified"  # the recipient received the notification
    VACANCY_OFFERED = "vacancy_offered"  # the chosen organisation has a free place
    PLACE_FREED = "place_freed"  # a place freed; SMS to the first in the queue
    ARRIVAL_DUE = "arrival_due"  # the original arrival due date (postponement)
    ADMITTED = "admitted"
    QUEUED = "queued"
    ORGANISATION_CHOSEN = "organisation_chosen"
    TRANSFER_REQUESTED = "transfer_requested"  # the department's request reached the authority
    DOCUMENTS_ACCEPTED = "documents_accepted"
    HOME_VISITED = "home_visited"
    ACT_RECEIVED = "act_received"  # the inspection act reached the decision maker
    APPLIED = "applied"
    IDENTIFIED = "identified"  # recognised as a victim
    RECEIVED_BY_AUTHORITY = "received_by_authority"  # assessment sheet and application received
    DECISION_RECEIVED = "decision_received"
    POLICE_DECLINED = "police_declined"  # the person declined to apply to the police


class UnknownStep(ValueError):
    """No deadline for this (form, step) pair; the message lists the steps the form has."""


class NotInForce(ValueError):
    """The event happened before the paragraph that sets the deadline came into force."""


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    form: Form
    step: Step
    amount: int
    unit: Unit
    from_event: Event
    legal_ref: LegalRef

    @property
    def effective_from(self) -> date:
        return self.legal_ref.effective_from


@dataclass(frozen=True, slots=True)
class Deadline:
    form: Form
    step: Step
    start: date  # the event date; the term runs from the next day
    due: date  # the last day of the term
    amount: int
    unit: Unit
    legal_ref: LegalRef
    from_event: Event


_WD, _CD, _MO = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS, Unit.MONTHS
_ST, _SEMI, _HOME, _TEMP = Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME, Form.TEMPORARY_STAY
_ORDER_72 = ORDER_72_IN_FORCE

# Paragraphs checked against the Kazakh text (seed 004). One (form, step) may have several versions with
# different effective_from dates (e.g. once Order No. 163 applies from 12.07.2026); the latest in force wins.
DEADLINE_RULES: tuple[DeadlineRule, ...] = (
    # App.1 p.7: notify 2 wd after the decision; choose 10 wd after the notice; arrive 15 wd after a
    # vacancy; postponement up to 30 more calendar days; the first in the queue arrives 10 wd after the SMS;
    # a new medical card when more than one month passed since queueing. p.8: portal card 1 wd after
    # admission.
    DeadlineRule(_ST, Step.NOTIFY_RECIPIENT, 2, _WD, Event.DECISION, ref(1, "7")),
    DeadlineRule(_ST, Step.CHOOSE_ORGANISATION, 10, _WD, Event.NOTIFIED, ref(1, "7")),
    DeadlineRule(_ST, Step.ARRIVE, 15, _WD, Event.VACANCY_OFFERED, ref(1, "7")),
    DeadlineRule(_ST, Step.ARRIVE_FROM_QUEUE, 10, _WD, Event.PLACE_FREED, ref(1, "7")),
    DeadlineRule(_ST, Step.POSTPONED_ARRIVAL, 30, _CD, Event.ARRIVAL_DUE, ref(1, "7")),
    # Order No. 72 amended p.8 (the list of documents on the card), not its 1-day term: the 2023 date stays.
    DeadlineRule(_ST, Step.PORTAL_CARD, 1, _WD, Event.ADMITTED, ref(1, "8")),
    DeadlineRule(_ST, Step.MEDICAL_RECHECK, 1, _MO, Event.QUEUED, ref(1, "7")),
    # App.2 p.7 (choose 5 wd, arrive 3 wd, postponement up to 14 cd), p.8 (documents to the organisation),
    # p.11 (transfer within one locality: the authority's consent 3 wd after the request arrives).
    DeadlineRule(_SEMI, Step.NOTIFY_RECIPIENT, 2, _WD, Event.DECISION, ref(2, "7")),
    DeadlineRule(_SEMI, Step.CHOOSE_ORGANISATION, 5, _WD, Event.NOTIFIED, ref(2, "7")),
    DeadlineRule(_SEMI, Step.ARRIVE, 3, _WD, Event.VACANCY_OFFERED, ref(2, "7")),
    DeadlineRule(_SEMI, Step.POSTPONED_ARRIVAL, 14, _CD, Event.ARRIVAL_DUE, ref(2, "7")),
    DeadlineRule(_SEMI, Step.SEND_DOCUMENTS, 1, _WD, Event.ORGANISATION_CHOSEN, ref(2, "8")),
    DeadlineRule(_SEMI, Step.TRANSFER_CONSENT, 3, _WD, Event.TRANSFER_REQUESTED, ref(2, "11")),
    # App.3 p.8: visit 5 wd after the documents, act 3 wd after the visit, decision 3 wd after the act, notice
    # 1 wd after the decision, choice 5 wd after the notice; p.9: documents to the organisation 1 wd after.
    DeadlineRule(_HOME, Step.HOME_VISIT, 5, _WD, Event.DOCUMENTS_ACCEPTED, ref(3, "8")),
    DeadlineRule(_HOME, Step.INSPECTION_ACT, 3, _WD, Event.HOME_VISITED, ref(3, "8")),
    DeadlineRule(_HOME, Step.DECISION, 3, _WD, Event.ACT_RECEIVED, ref(3, "8")),
    DeadlineRule(_HOME, Step.NOTIFY_RECIPIENT, 1, _WD, Event.DECISION, ref(3, "8")),
    DeadlineRule(_HOME, Step.CHOOSE_ORGANISATION, 5, _WD, Event.NOTIFIED, ref(3, "8")),
    DeadlineRule(_HOME, Step.SEND_DOCUMENTS, 1, _WD, Event.ORGANISATION_CHOSEN, ref(3, "9")),
    # App.4: p.4-1..4-10 were added and p.8 rewritten by Order No. 72; p.4 (30 days for people from other
    # regions) is the 2023 text.
    DeadlineRule(_TEMP, Step.IDENTIFICATION, 1, _WD, Event.APPLIED, ref(4, "4-1", _ORDER_72)),
    DeadlineRule(_TEMP, Step.FORWARD_TO_AUTHORITY, 1, _WD, Event.IDENTIFIED, ref(4, "4-4", _ORDER_72)),
    DeadlineRule(_TEMP, Step.DECISION, 3, _WD, Event.RECEIVED_BY_AUTHORITY, ref(4, "4-9", _ORDER_72)),
    DeadlineRule(_TEMP, Step.SEND_DECISION, 1, _WD, Event.DECISION, ref(4, "4-9", _ORDER_72)),
    DeadlineRule(_TEMP, Step.CONTRACT, 1, _WD, Event.DECISION_RECEIVED, ref(4, "8", _ORDER_72)),
    DeadlineRule(_TEMP, Step.INFORM_POLICE, 3, _WD, Event.POLICE_DECLINED, ref(4, "4-10", _ORDER_72)),
    DeadlineRule(_TEMP, Step.OTHER_REGION_STAY, 30, _CD, Event.ADMITTED, ref(4, "4")),
)


def steps_for(form: Form) -> tuple[Step, ...]:
    """The steps that carry a deadline for `form`, in the order of the procedure."""
    return tuple(dict.fromkeys(rule.step for rule in DEADLINE_RULES if rule.form is form))


def rule_for(form: Form, step: Step, on: date) -> DeadlineRule:
    """The version of the (form, step) rule in force on `on` (the date of the event the term counts from)."""
    versions = [rule for rule in DEADLINE_RULES if rule.form is form and rule.step is step]
    if not versions:
        valid = ", ".join(steps_for(form))
        raise UnknownStep(f"step '{step}' has no deadline for form '{form}' (valid steps: {valid})")
    in_force = [rule for rule in versions if rule.effective_from <= on]
    if not in_force:
        first = min(versions, key=lambda rule: rule.effective_from)
        raise NotInForce(
            f"{first.legal_ref} applies from {first.effective_from.isoformat()}; {on.isoformat()} is earlier"
        )
    return max(in_force, key=lambda rule: rule.effective_from)


def deadline(form: Form, step: Step, start: date, calendar: WorkCalendar) -> Deadline:
    """The last day for `step` when its event happened on `start`."""
    rule = rule_for(form, step, start)
    return Deadline(
        form=form,
        step=step,
        start=start,
        due=term_end(start, rule.amount, rule.unit, calendar),
        amount=rule.amount,
        unit=rule.unit,
        legal_ref=rule.legal_ref,
        from_event=rule.from_event,
    )


def term_end(start: date, amount: int, unit: Unit, calendar: WorkCalendar) -> date:
    """The last day of a term of `amount` units that starts the day after `start`."""
    if unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(start, amount)
    if unit is Unit.CALENDAR_DAYS:
        return start + timedelta(days=amount)
    return add_months(start, amount)


# --- Stay terms: temporary-stay contracts (App.4 p.9, p.12) and temporary leave (App.1 p.14) ------------
# A term in months ends on the same day of its last month (the Civil Code rule for terms in months and
# years): a one-year contract from 10 March 2025 ends on 10 March 2026; 31 August + 6 months: 28 February.


class UnknownCategory(ValueError):
    """The category has no temporary-stay contract term (App.4 p.9 lists four)."""


class ContractExtension(StrEnum):
    INPATIENT_TREATMENT = "inpatient_treatment"  # trafficking victim treated in hospital (p.9)
    CRIMINAL_CASE_OPEN = "criminal_case_open"  # trafficking victim whose criminal case is not finished (p.9)
    UNFULFILLED_OBLIGATIONS = "unfulfilled_obligations"  # the organisation's contract duties not done (p.12)


@dataclass(frozen=True, slots=True)
class ContractTerm:
    category: Category
    max_months: int
    legal_ref: LegalRef


@dataclass(frozen=True, slots=True)
class ExtensionRule:
    extension: ContractExtension
    categories: frozenset[Category]
    max_months: int | None  # None: no fixed cap, the stay lasts while the ground lasts
    legal_ref: LegalRef


_APP4_P9 = ref(4, "9", _ORDER_72)
_TEMPORARY_STAY_CATEGORIES = frozenset(
    {
        Category.HOMELESS,
        Category.RELEASED_PRISONER,
        Category.DOMESTIC_VIOLENCE_VICTIM,
        Category.TRAFFICKING_VICTIM,
    }
)

# App.4 p.9: at most one year for the homeless and the released (or on probation), six months for victims.
CONTRACT_TERMS: tuple[ContractTerm, ...] = (
    ContractTerm(Category.HOMELESS, 12, _APP4_P9),
    ContractTerm(Category.RELEASED_PRISONER, 12, _APP4_P9),
    ContractTerm(Category.DOMESTIC_VIOLENCE_VICTIM, 6, _APP4_P9),
    ContractTerm(Category.TRAFFICKING_VICTIM, 6, _APP4_P9),
)

# Law silent: p.9 and p.12 do not say where an extension is counted from; we count it from the end of the
# contract term, the reading that gives the person the full extension the paragraph grants.
CONTRACT_EXTENSIONS: tuple[ExtensionRule, ...] = (
    ExtensionRule(ContractExtension.INPATIENT_TREATMENT, frozenset({Category.TRAFFICKING_VICTIM}), 3, _APP4_P9),
    ExtensionRule(ContractExtension.CRIMINAL_CASE_OPEN, frozenset({Category.TRAFFICKING_VICTIM}), None, _APP4_P9),
    ExtensionRule(ContractExtension.UNFULFILLED_OBLIGATIONS, _TEMPORARY_STAY_CATEGORIES, 6, ref(4, "12")),
)

# App.1 p.14: temporary leave from a stationary organisation for up to three months.


def contract_term(category: Category) -> ContractTerm:
    for term in CONTRACT_TERMS:
        if term.category is category:
            return term
    valid = ", ".join(term.category for term in CONTRACT_TERMS)
    raise UnknownCategory(f"category '{category}' has no temporary-stay contract (valid: {valid})")


def contract_term_end(category: Category, start: date) -> date:
    """The latest end of a temporary-stay contract signed on `start` (App.4 p.9)."""
    return add_months(start, contract_term(category).max_months)


def extension_limit(extension: ContractExtension, category: Category, term_end: date) -> date | None:
    """The latest date a contract ending on `term_end` may be extended to on `extension` ground.

    None means no fixed date: the stay lasts while the ground lasts (an open criminal case). A category the
    ground does not cover raises UnknownCategory.
    """
    rule = next(rule for rule in CONTRACT_EXTENSIONS if rule.extension is extension)
    if category not in rule.categories:
        raise UnknownCategory(f"{rule.legal_ref}: '{extension}' does not extend a contract for '{category}'")
    return None if rule.max_months is None else add_months(term_end, rule.max_months)
