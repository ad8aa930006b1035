"""The case lifecycle per form: which action moves a case from which status to which (rules-digest §4, §6).

`TRANSITIONS` is data: rows of (form, action, the statuses it may start from, the status it leads to), each
with who performs it (`Actor`), what the service must have checked or recorded first (`Requirement`) and where
the law says so (`legal_ref`, printed `App.N p.X`; `p.X.Y` is sub-paragraph Y of paragraph X). At most one row
matches a (form, status, action), so every move is unambiguous (checked at import).

Services validate every status change with `transition(form, status, action)`, which returns the row or raises
`TransitionNotAllowed` listing the allowed actions, and then run their side effects. Deadlines live in
`deadlines`; the grounds for discharge, termination, expulsion and suspension (and readmission bars) in
`grounds`; rows whose paragraph Order No. 163 rewords are marked by `amendments` (`Transition.flagged`).

Paragraph numbers are checked against the Kazakh text (seeds/004): each appendix numbers its own paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from core.rules.amendments import flags_for, is_flagged
from core.rules.codes import Actor, Form, Status
from core.rules.legal import ORDER_72_IN_FORCE, ORDER_263_IN_FORCE, LegalRef, ref


class Action(StrEnum):
    """Stable action codes (CLI, database, audit log). Never rename one."""

    SUBMIT = "submit"
    RECORD_HOME_VISIT = "record_home_visit"
    RECORD_INSPECTION_ACT = "record_inspection_act"
    IDENTIFY_VICTIM = "identify_victim"
    FORWARD_TO_AUTHORITY = "forward_to_authority"
    APPROVE = "approve"
    REFUSE = "refuse"
    NOTIFY = "notify"
    OFFER_PLACE = "offer_place"
    JOIN_QUEUE = "join_queue"
    NO_SHOW = "no_show"
    POSTPONE_ARRIVAL = "postpone_arrival"
    SIGN_CONTRACT = "sign_contract"
    ADMIT = "admit"
    START_LEAVE = "start_leave"
    END_LEAVE = "end_leave"
    SUSPEND = "suspend"
    RESTORE = "restore"
    TRANSFER = "transfer"
    DISCHARGE = "discharge"
    TERMINATE = "terminate"
    EXPEL = "expel"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


class Requirement(StrEnum):
    """What must hold (and be recorded on the case) before a transition is applied."""

    DOCUMENTS_COMPLETE = "documents_complete"  # the checklist of `checklists` is complete
    APPLICATION_OR_REFERRAL = "application_or_referral"  # App.4 p.3: own application or written referral
    INSPECTION_ACT = "inspection_act"  # the housing and living conditions act (App.3 3-қосымша)
    RECOGNISED_AS_VICTIM = "recognised_as_victim"  # assessment sheet, or victim in a pre-trial case (p.4-5)
    NOT_VICTIM_CATEGORY = "not_victim_category"  # homeless or released: no identification step
    DECISION_POSITIVE = "decision_positive"
    DECISION_NEGATIVE = "decision_negative"
    DECISION_RECEIVED = "decision_received"
    ORGANISATION_CHOSEN = "organisation_chosen"
    VACANCY = "vacancy"
    NO_VACANCY = "no_vacancy"
    ARRIVAL_DEADLINE_MISSED = "arrival_deadline_missed"
    ILLNESS_OR_HOSPITALISATION = "illness_or_hospitalisation"
    POSTPONEMENT_ALLOWED = "postponement_allowed"  # not postponed before (`postponement`): once only
    ARRIVED = "arrived"
    NO_MEDICAL_CONTRAINDICATION = "no_medical_contraindication"
    LOST_HOME_IN_OTHER_REGION = "lost_home_in_other_region"  # App.4 p.4
    WRITTEN_APPLICATION = "written_application"
    LEAVE_CONDITIONS = "leave_conditions"  # the conditions of the `LeaveKind` (see LEAVE_LIMITS)
    TRANSFER_AGREED = "transfer_agreed"  # the consent or agreement the paragraph names
    VACANCY_AT_RECEIVER = "vacancy_at_receiver"
    GROUND_CODE = "ground_code"  # a ground from `grounds` for this form and kind
    HEAD_ORDER = "head_order"  # order (App.3: decision) of the organisation's head
    MEDICAL_DOCUMENT_NO_CONTRAINDICATION = "medical_document_no_contraindication"
    GOOD_REASON_PREVENTED_NOTICE = "good_reason_prevented_notice"


class TransitionNotAllowed(ValueError):
    """The action is not allowed from the case's status for its form. `allowed` lists what is."""

    def __init__(self, form: Form, status: Status, action: str, allowed: tuple[Action, ...]) -> None:
        self.form, self.status, self.action, self.allowed = form, status, action, allowed
        if allowed:
            options = ", ".join(allowed)
        elif status in TERMINAL_STATUSES:
            options = "none (the case is closed)"
        else:
            options = f"none (a {form} case is never in this status)"
        super().__init__(f"a {form} case in status '{status}' cannot '{action}'; allowed: {options}")


@dataclass(frozen=True, slots=True)
class Transition:
    form: Form
    action: Action
    from_statuses: tuple[Status, ...]
    to_status: Status
    actor: Actor
    requirements: tuple[Requirement, ...]
    legal_ref: LegalRef
    note: str = ""  # what staff and the services must know that the codes do not say

    @property
    def effective_from(self) -> date:
        return self.legal_ref.effective_from

    @property
    def flagged(self) -> bool:
        """True when Order No. 163 rewords (part of) the cited paragraph: re-check once its text is known."""
        return is_flagged(self.legal_ref)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready values (CLI, web API)."""
        return {
            "form": self.form.value,
            "action": self.action.value,
            "from": [status.value for status in self.from_statuses],
            "to": self.to_status.value,
            "actor": self.actor.value,
            "requirements": [requirement.value for requirement in self.requirements],
            "legal_ref": str(self.legal_ref),
            "effective_from": self.effective_from.isoformat(),
            "flagged": self.flagged,
            "flags": [flag.citation for flag in flags_for(self.legal_ref)],
            "note": self.note,
        }


PRE_ADMISSION_STATUSES: frozenset[Status] = frozenset(
    {
        Status.DRAFT,
        Status.SUBMITTED,
        Status.HOME_VISITED,
        Status.INSPECTED,
        Status.IDENTIFIED,
        Status.FORWARDED,
        Status.APPROVED,
        Status.NOTIFIED,
        Status.QUEUED,
        Status.OFFERED,
        Status.CONTRACT_SIGNED,
    }
)  # SUSPENDED is not listed: it follows admission except in stationary, where it is the p.7 decision hold.

# The case is closed. The only way out is `reopen` from EXPELLED when a good reason prevented notice of an
# absence (App.1 p.21, App.4 p.18); anything else is a new case, gated by `grounds.readmission_check`.
TERMINAL_STATUSES: frozenset[Status] = frozenset(
    {Status.REFUSED, Status.DISCHARGED, Status.TERMINATED, Status.EXPELLED, Status.WITHDRAWN}
)

# Paragraphs added or given new wording by Order No. 72: rows citing them apply from its entry into force.
_ORDER_72_WORDING = frozenset(
    {(1, "3"), (2, "3"), (3, "3"), (2, "4"), (4, "8"), (4, "9")} | {(4, f"4-{n}") for n in range(1, 11)}
)


class _Row(NamedTuple):
    action: str
    from_statuses: str  # "notified|queued"
    to_status: str
    actor: str
    paragraph: str
    requirements: str = ""  # space-separated Requirement codes
    note: str = ""


def _legal(form: Form, paragraph: str) -> LegalRef:
    order_72 = (form.appendix, paragraph.split(".")[0]) in _ORDER_72_WORDING
    return ref(form.appendix, paragraph, ORDER_72_IN_FORCE if order_72 else ORDER_263_IN_FORCE)


def _build(form: Form, rows: tuple[_Row, ...]) -> tuple[Transition, ...]:
    """Typed rows from the compact table; a typo in a code fails at import with ValueError."""
    return tuple(
        Transition(
            form=form,
            action=Action(row.action),
            from_statuses=tuple(Status(code) for code in row.from_statuses.split("|")),
            to_status=Status(row.to_status),
            actor=Actor(row.actor),
            requirements=tuple(Requirement(code) for code in row.requirements.split()),
            legal_ref=_legal(form, row.paragraph),
            note=row.note,
        )
        for row in rows
    )


_BEFORE_ADMISSION = "draft|submitted|approved|notified|queued|offered"
_END = "ground_code head_order"
_NO_SHOW = "the place passes to the next in the queue; the person goes back to the END of the queue"
# Law silent on withdrawal before admission: services are given on the person's own application (App.1-3 p.5,
# App.4 p.3), so a careful department lets the applicant (or legal representative) withdraw it at any stage
# before admission; after admission, ending is a discharge or termination on application (a ground).
# Law silent on the person who did not come (App.1 p.7, App.2 p.7 say only that the place passes to the next):
# a careful department keeps the person, whose need has not gone away, and puts them back at the END of the
# queue (queued again from the day of the no-show), so nobody who waited is overtaken. They may withdraw.

# fmt: off
# Columns: action, from statuses, to status, actor, paragraph of the form's appendix, requirements, note.
STATIONARY = _build(Form.STATIONARY, (
    _Row("submit", "draft", "submitted", "department", "6", "documents_complete"),
    _Row("approve", "submitted", "approved", "department", "3", "decision_positive"),
    _Row("refuse", "submitted", "refused", "department", "3", "decision_negative"),
    _Row("notify", "approved", "notified", "department", "7"),
    _Row("offer_place", "notified|queued", "offered", "system", "7", "organisation_chosen vacancy"),
    _Row("join_queue", "notified", "queued", "applicant", "7", "organisation_chosen no_vacancy"),
    _Row("no_show", "offered", "queued", "organisation", "7", "arrival_deadline_missed", _NO_SHOW),
    _Row("postpone_arrival", "offered", "offered", "applicant", "7",
         "illness_or_hospitalisation postponement_allowed",
         "once, by up to 30 calendar days; notice through the portal signed with an e-signature"),
    # p.7: more than one month in the queue -> a new medical card; a contraindication suspends the decision.
    # Law silent on the offered place meanwhile: a place cannot stand empty through open-ended treatment, so
    # restoring puts the person back in the queue with the EARLIER queue date (as p.7 does after an IPR
    # re-certification), first in line for the next place.
    _Row("suspend", "offered", "suspended", "department", "7", "ground_code"),
    _Row("restore", "suspended", "queued", "department", "7", "medical_document_no_contraindication",
         "back in the queue with the earlier queue date"),
    _Row("admit", "offered", "admitted", "organisation", "8", "arrived no_medical_contraindication",
         "originals handed over (p.9); the portal card within 1 working day of admission (p.8)"),
    _Row("start_leave", "admitted", "on_leave", "organisation", "14", "leave_conditions"),
    _Row("end_leave", "on_leave", "admitted", "organisation", "14"),
    _Row("transfer", "admitted", "admitted", "organisation", "16", "transfer_agreed head_order",
         "another region: agreement of both regions' authorised bodies (p.16); head's order (p.23)"),
    _Row("discharge", "admitted|on_leave", "discharged", "organisation", "13", _END),
    _Row("expel", "admitted|on_leave", "expelled", "organisation", "21", _END),
    _Row("reopen", "expelled", "admitted", "organisation", "21.3", "good_reason_prevented_notice",
         "only after expulsion for absence (absent_over_2_days): readmitted immediately"),
    _Row("withdraw", _BEFORE_ADMISSION + "|suspended", "withdrawn", "applicant", "5.1"),
))

SEMI_STATIONARY = _build(Form.SEMI_STATIONARY, (
    _Row("submit", "draft", "submitted", "department", "6", "documents_complete"),
    _Row("approve", "submitted", "approved", "department", "3", "decision_positive"),
    _Row("refuse", "submitted", "refused", "department", "3", "decision_negative"),
    _Row("notify", "approved", "notified", "department", "7"),
    _Row("offer_place", "notified|queued", "offered", "system", "7", "organisation_chosen vacancy"),
    _Row("join_queue", "notified", "queued", "applicant", "7", "organisation_chosen no_vacancy"),
    _Row("no_show", "offered", "queued", "organisation", "7", "arrival_deadline_missed", _NO_SHOW),
    _Row("postpone_arrival", "offered", "offered", "applicant", "7",
         "illness_or_hospitalisation postponement_allowed",
         "once, by up to 14 calendar days; meanwhile the organisation admits the next in the queue"),
    _Row("admit", "offered", "admitted", "organisation", "7", "arrived"),
    _Row("suspend", "admitted", "suspended", "organisation", "15", "ground_code head_order"),
    _Row("restore", "suspended", "admitted", "organisation", "15", "medical_document_no_contraindication"),
    _Row("transfer", "admitted", "admitted", "organisation", "11",
         "written_application transfer_agreed vacancy_at_receiver",
         "same locality; the authorised body consents within 3 working days when there are vacancies"),
    _Row("terminate", "admitted|suspended", "terminated", "organisation", "13", _END),
    _Row("withdraw", _BEFORE_ADMISSION, "withdrawn", "applicant", "5.1"),
))

# Law silent for home care on arrival, no-show and postponement: nobody travels, the organisation comes to the
# home, so those rows do not exist; an offered place leads straight to admission (or withdrawal).
HOME = _build(Form.HOME, (
    _Row("submit", "draft", "submitted", "department", "6", "documents_complete"),
    _Row("record_home_visit", "submitted", "home_visited", "department", "8"),
    _Row("record_inspection_act", "home_visited", "inspected", "department", "8", "inspection_act"),
    _Row("approve", "inspected", "approved", "department", "8", "decision_positive"),
    _Row("refuse", "inspected", "refused", "department", "8", "decision_negative"),
    _Row("notify", "approved", "notified", "department", "8"),
    _Row("offer_place", "notified|queued", "offered", "system", "8", "organisation_chosen vacancy"),
    _Row("join_queue", "notified", "queued", "applicant", "8", "organisation_chosen no_vacancy"),
    _Row("admit", "offered", "admitted", "organisation", "9"),
    _Row("suspend", "admitted", "suspended", "organisation", "17", "ground_code head_order"),
    _Row("restore", "suspended", "admitted", "organisation", "17", "medical_document_no_contraindication"),
    _Row("terminate", "admitted|suspended", "terminated", "organisation", "15", _END),
    _Row("withdraw", "draft|submitted|home_visited|inspected|approved|notified|queued|offered", "withdrawn",
         "applicant", "5.1"),
))

# Law silent on who decides for the homeless and the released (p.3 names only the application or referral;
# p.4-9 the authority's decision for victims): the organisation decides on the application, since p.8 makes
# its contract the basis of admission. Law silent on refusing a person not recognised as a trafficking victim
# (p.4-4 names domestic violence only) or outside every p.2 category: the same refusal applies (the person may
# still apply again, e.g. as homeless).
TEMPORARY_STAY = _build(Form.TEMPORARY_STAY, (
    _Row("submit", "draft", "submitted", "organisation", "3", "application_or_referral"),
    _Row("identify_victim", "submitted", "identified", "organisation", "4-1", "recognised_as_victim"),
    _Row("refuse", "submitted", "refused", "organisation", "4-4", "decision_negative",
         "not recognised as a victim (p.4-4), or in none of the p.2 categories"),
    _Row("forward_to_authority", "identified", "forwarded", "organisation", "4-4"),
    _Row("approve", "forwarded", "approved", "authority", "4-9", "decision_positive"),
    _Row("refuse", "forwarded", "refused", "authority", "4-9", "decision_negative"),
    _Row("approve", "submitted", "approved", "organisation", "3", "not_victim_category decision_positive"),
    _Row("sign_contract", "approved", "contract_signed", "organisation", "8", "decision_received"),
    _Row("admit", "contract_signed", "admitted", "organisation", "8"),
    # p.4: people from other regions who lost their home, with or without documents, are admitted at once
    # for up to 30 calendar days (deadlines: other_region_stay), then sent to their former region.
    _Row("admit", "submitted", "admitted", "organisation", "4", "lost_home_in_other_region",
         "up to 30 calendar days, then transfer to the organisation at the former place of residence"),
    _Row("start_leave", "admitted", "on_leave", "organisation", "14", "leave_conditions",
         "study at an education organisation, up to one year; returns for further rehabilitation"),
    _Row("end_leave", "on_leave", "admitted", "organisation", "14"),
    # Model contract (2-қосымша §7): services stop while the recipient is in a health organisation, where
    # p.16 sends them; p.9 keeps a trafficking victim's contract running through inpatient treatment.
    _Row("suspend", "admitted", "suspended", "organisation", "16", "ground_code head_order"),
    _Row("restore", "suspended", "admitted", "organisation", "16"),
    _Row("transfer", "admitted", "admitted", "organisation", "17", "transfer_agreed head_order",
         "another region: agreement of both organisations (p.17); head's order (p.19)"),
    _Row("discharge", "admitted|suspended|on_leave", "discharged", "organisation", "13", _END),
    _Row("expel", "admitted|suspended|on_leave", "expelled", "organisation", "18", _END),
    _Row("reopen", "expelled", "admitted", "organisation", "18.3", "good_reason_prevented_notice",
         "only after expulsion for absence (absent_over_3_days): police detention or a stay in hospital"),
    _Row("withdraw", "draft|submitted|identified|forwarded|approved|contract_signed", "withdrawn",
         "applicant", "3"),
))
# fmt: on

TRANSITIONS: tuple[Transition, ...] = STATIONARY + SEMI_STATIONARY + HOME + TEMPORARY_STAY


def _index(rows: tuple[Transition, ...]) -> dict[tuple[Form, Status, Action], Transition]:
    index: dict[tuple[Form, Status, Action], Transition] = {}
    for row in rows:
        for status in row.from_statuses:
            key = (row.form, status, row.action)
            if key in index:
                raise ValueError(f"two rows for {row.form} {status} {row.action}: the table must be unambiguous")
            index[key] = row
    return index


_BY_KEY = _index(TRANSITIONS)


def allowed_actions(form: Form, status: Status) -> tuple[Transition, ...]:
    """The transitions a `form` case in `status` may take, in the order of the procedure."""
    return tuple(row for row in TRANSITIONS if row.form == form and status in row.from_statuses)


def transition(form: Form, status: Status, action: Action | str) -> Transition:
    """The row for this move, or TransitionNotAllowed naming the actions that are allowed."""
    found = _find(form, status, action)
    if found is None:
        allowed = tuple(dict.fromkeys(row.action for row in allowed_actions(form, status)))
        raise TransitionNotAllowed(form, status, str(action), allowed)
    return found


def can(form: Form, status: Status, action: Action | str) -> bool:
    return _find(form, status, action) is not None


def _find(form: Form, status: Status, action: Action | str) -> Transition | None:
    try:
        return _BY_KEY.get((form, status, Action(action)))
    except ValueError:  # not an action code at all: simply not allowed
        return None


def statuses_for(form: Form) -> tuple[Status, ...]:
    """Every status a `form` case can be in, in the order of the Status enum."""
    used = {status for row in TRANSITIONS if row.form == form for status in (*row.from_statuses, row.to_status)}
    return tuple(status for status in Status if status in used)
