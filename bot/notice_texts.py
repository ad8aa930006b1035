"""What a person reads when Qamqor writes first: outbox notices (reminders, decisions, offers), staff answers and
the alerts for the staff chat, as dialogue replies in the reader's language (catalogue part `reminders.po`).

    replies = render("choose_reminder", {"deadline": "2026-12-07", "working_days_left": 1}, "ru", lookup)

Each notice is ONE reply (a Text or a Choice), so a channel delivers it in one message and a retry never repeats
half of it. Buttons carry the dialogue's own menu ids (`menu:choose`, `menu:status`...): the dialogue opens them
from any older message, so pressing one in Telegram, WhatsApp or the web chat lands in the matching flow.
Dates in payloads are ISO strings and are shown the way the dialogue shows them (DD.MM.YYYY).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from bot.dialogue import texts
from bot.dialogue.flows.status import BUTTON_CHOOSE, REFUSED
from bot.dialogue.render import cite, day
from bot.i18n import N_, gettext, ngettext
from bot.messages import Choice, Option, Reply, Text
from bot.notice_words import GROUND_NAMES, STAFF_STEP_NAMES, arrive_left, choose_left
from bot.vocabulary import DOCUMENT_NAMES, FORM_NAMES, STEP_NAMES, label
from core.rules import deadlines
from core.rules.codes import Form, Step

STAFF_LANGUAGE = "ru"  # Law silent on the staff's language; the departments' working documents are in Russian.

HEADING = N_("Application for {name}: {form}.")
SUBMITTED = N_(
    "The department has accepted your application and documents. We will write to you here when the decision is made."
)
REFUSED_HEAD = N_("The decision on your application: services are refused.")
REASON = N_("Reason: {reason}")
APPROVED = N_("Good news: the decision is made, special social services are granted to you.")
DEPARTMENT_NOTE = N_("Note from the department: {note}")
APPROVED_NEXT = N_("Next you will choose an organisation. We will write to you here when it is time.")
CHOOSE_ORGANISATION = N_(
    "Please choose an organisation by {due}. You can do it here in the chat (the button below), on the social "
    "services portal aleumet.egov.kz or at the department."
)
QUEUED = N_(
    "There is no free place at the organisation now, so you are in its queue. Your place in the queue: "
    "{position}. We will write to you here when a free place is offered."
)
OFFER_ARRIVE = N_("A free place is offered to you at {organisation}. Please arrive by {due}.")
OFFER_HOME = N_("Your home-care organisation is {organisation}. The service should start by {due}.")
LATE_HINT = N_(
    "If illness or hospitalisation keeps you from coming on time, the arrival date can be moved once: use the "
    "button below."
)
OFFER_LAPSED = N_(
    "The arrival date has passed, so the place was given to the next person in the queue ({ref}). If you still "
    "need special social services, please ask staff."
)
OFFER_LAPSED_PLAIN = N_(
    "The arrival date has passed, so the place was given to the next person in the queue. If you still need "
    "special social services, please ask staff."
)
POSTPONED = N_("Your arrival date has been moved. Please arrive by {due}. The date can be moved only once ({ref}).")
POSTPONED_PLAIN = N_("Your arrival date has been moved. Please arrive by {due}. The date can be moved only once.")
POSTPONEMENT_DECLINED = N_(
    "The organisation did not confirm the move of your arrival date. Please arrive by {due}.\nReason: {reason}"
)
SERVICES_ENDED = N_("Special social services under this application have ended. Ground: {ground}.")
SERVICES_ENDED_DEATH = N_("Please accept our condolences. Special social services under this application have ended.")
CHOOSE_LAST_DAY = N_("Today, {due}, is the last day to choose an organisation.")
ARRIVAL_LAST_DAY = N_(
    "Today, {due}, is the last day to arrive at {organisation}. If you do not come, the place passes to the next "
    "person in the queue."
)
POSTPONEMENT_ENDING = N_(
    "Your moved arrival date ends on {due}. Please arrive at {organisation} by then: the date cannot be moved again."
)
MEDICAL_RECHECK = N_(
    "You have been in the queue since {since}, more than one month. Before admission you need a new medical "
    "examination: please get a new medical card from your clinic ({ref})."
)
MEDICAL_RECHECK_PLAIN = N_(
    "You have been in the queue since {since}, more than one month. Before admission you need a new medical "
    "examination: please get a new medical card from your clinic."
)
IPR_EXPIRING = N_(
    "Your individual habilitation and rehabilitation programme (IPR) ends on {date}. Please have it "
    "re-certified in time: your place in the queue is kept."
)
STILL_NEED_PLACE = N_(
    "You have been in the queue since {since}. Do you still need a place? If not, please tell staff, so the "
    "place goes to someone who is waiting."
)
DOCUMENT_REJECTED = N_(
    "The department could not accept the document \u201c{document}\u201d. Reason: {reason}. Please send it again."
)
STAFF_ANSWER = N_("Answer from staff:")
STAFF_STEP_DUE = N_("Case No. {case}: the deadline for \u201c{step}\u201d is {due}.")
STAFF_STEP_OVERDUE = N_("Case No. {case}: the deadline for \u201c{step}\u201d was {due} and has passed.")
STAFF_DELIVERY_FAILED = N_(
    "Case No. {case}: a notice to the applicant could not be delivered ({kind}). Reason: {error}. Please contact "
    "the applicant another way."
)


class NoticeError(ValueError):
    """The notice cannot be rendered; the message names the kind or the field, never personal data."""


class UnknownNotice(NoticeError):
    """No text exists for this kind of notice."""


class NoticeLookup(Protocol):
    """What a notice needs beyond its payload: the case it is about, names from the database."""

    case_id: int
    form: Form | None
    person_name: str

    def organisation_name(self, organisation_id: object, lang: str) -> str: ...


@dataclass(frozen=True)
class PlainLookup:
    """A lookup from plain values (tests, benchmarks, previews)."""

    case_id: int = 0
    form: Form | None = None
    person_name: str = ""
    organisations: Mapping[int, str] = field(default_factory=dict)

    def organisation_name(self, organisation_id: object, lang: str) -> str:
        return self.organisations.get(int(str(organisation_id)), "—") if str(organisation_id).isdigit() else "—"


@dataclass(frozen=True)
class _Notice:
    """One notice being rendered: its payload, the reader's language, the lookup, and the lines said so far."""

    kind: str
    payload: Mapping[str, Any]
    lang: str
    lookup: NoticeLookup
    lines: list[str] = field(default_factory=list)

    def t(self, message: str, **values: object) -> str:
        return gettext(self.lang, message, **values)

    def say(self, message: str, **values: object) -> None:
        self.lines.append(self.t(message, **values))

    def date(self, key: str) -> str:
        value = self.payload.get(key)
        try:
            return day(value if isinstance(value, date) else str(value))
        except ValueError:
            raise NoticeError(f"notice {self.kind}: '{key}' is not an ISO date") from None

    def number(self, key: str) -> int:
        value = self.payload.get(key)
        if isinstance(value, bool) or not str(value).lstrip("-").isdigit():
            raise NoticeError(f"notice {self.kind}: '{key}' is not a whole number")
        return int(str(value))

    def text(self, key: str) -> str:
        return str(self.payload.get(key) or "").strip()

    def organisation(self) -> str:
        return self.lookup.organisation_name(self.payload.get("organisation_id"), self.lang)

    def ref(self, step: Step, on_key: str) -> str | None:
        """The paragraph of `step` for the case's form ("App.1 p.7"), or None when the form has no such term."""
        form = self.lookup.form
        value = self.payload.get(on_key)
        try:
            on = date.fromisoformat(str(value))
            return cite(self.lang, deadlines.rule_for(form, step, on).legal_ref) if form else None
        except (ValueError, LookupError):
            return None


Button = tuple[str, str]
Renderer = Callable[[_Notice], list[Button]]

STATUS = ("menu:status", texts.MENU_STATUS)
ASK = ("menu:ask", texts.BUTTON_ASK_STAFF)
CHOOSE = ("menu:choose", BUTTON_CHOOSE)
LATE = ("menu:late", texts.MENU_LATE)
DOCUMENTS = ("menu:documents", texts.MENU_DOCUMENTS)
MENU = ("cmd:menu", texts.BUTTON_MENU)
# App.1-2 p.7: only residential and day care have an arrival date that illness may move.
POSTPONABLE = frozenset({Form.STATIONARY, Form.SEMI_STATIONARY})


def _submitted(n: _Notice) -> list[Button]:
    n.say(SUBMITTED)
    return [STATUS, MENU]


def _refused(n: _Notice) -> list[Button]:
    n.say(REFUSED_HEAD)
    if reason := n.text("reason"):
        n.say(REASON, reason=reason)
    n.say(REFUSED)
    return [ASK, MENU]


def _approved(n: _Notice) -> list[Button]:
    n.say(APPROVED)
    if note := n.text("reason"):
        n.say(DEPARTMENT_NOTE, note=note)
    n.say(APPROVED_NEXT)
    return [STATUS, MENU]


def _choose_organisation(n: _Notice) -> list[Button]:
    n.say(CHOOSE_ORGANISATION, due=n.date("choose_due_on"))
    return [CHOOSE, MENU]


def _queued(n: _Notice) -> list[Button]:
    n.say(QUEUED, position=n.number("position"))
    return [STATUS, MENU]


def _offer(n: _Notice) -> list[Button]:
    due, organisation = n.date("arrival_due_on"), n.organisation()
    if n.lookup.form == Form.HOME:
        n.say(OFFER_HOME, organisation=organisation, due=due)
        return [STATUS, MENU]
    n.say(OFFER_ARRIVE, organisation=organisation, due=due)
    if n.lookup.form in POSTPONABLE:
        n.say(LATE_HINT)
        return [STATUS, LATE, MENU]
    return [STATUS, MENU]


def _offer_lapsed(n: _Notice) -> list[Button]:
    ref = n.ref(Step.ARRIVE, "arrival_due_on")
    n.say(OFFER_LAPSED, ref=ref) if ref else n.say(OFFER_LAPSED_PLAIN)
    return [ASK, MENU]


def _postponed(n: _Notice) -> list[Button]:
    due = n.date("arrival_due_on")
    ref = n.ref(Step.POSTPONED_ARRIVAL, "arrival_due_on")
    n.say(POSTPONED, due=due, ref=ref) if ref else n.say(POSTPONED_PLAIN, due=due)
    return [STATUS, MENU]


def _postponement_declined(n: _Notice) -> list[Button]:
    n.say(POSTPONEMENT_DECLINED, due=n.date("arrival_due_on"), reason=n.text("reason") or "—")
    return [ASK, STATUS, MENU]


def _services_ended(n: _Notice) -> list[Button]:
    ground = n.text("ground")
    if ground == "death":
        n.say(SERVICES_ENDED_DEATH)
    else:
        n.say(SERVICES_ENDED, ground=label(n.lang, GROUND_NAMES, ground))
    return [ASK, MENU]


def _choose_reminder(n: _Notice) -> list[Button]:
    due, left = n.date("deadline"), n.number("working_days_left")
    n.lines.append(choose_left(n.lang, due, left) if left > 0 else n.t(CHOOSE_LAST_DAY, due=due))
    return [CHOOSE, MENU]


def _arrival_reminder(n: _Notice) -> list[Button]:
    due, left, organisation = n.date("deadline"), n.number("working_days_left"), n.organisation()
    if left > 0:
        n.lines.append(arrive_left(n.lang, due, left, organisation))
    else:
        n.say(ARRIVAL_LAST_DAY, due=due, organisation=organisation)
    if n.lookup.form in POSTPONABLE:
        return [STATUS, LATE, MENU]
    return [STATUS, MENU]


def _postponement_ending(n: _Notice) -> list[Button]:
    n.say(POSTPONEMENT_ENDING, due=n.date("deadline"), organisation=n.organisation())
    return [STATUS, MENU]


def _medical_recheck(n: _Notice) -> list[Button]:
    since = n.date("queued_on")
    ref = n.ref(Step.MEDICAL_RECHECK, "queued_on")
    n.say(MEDICAL_RECHECK, since=since, ref=ref) if ref else n.say(MEDICAL_RECHECK_PLAIN, since=since)
    return [ASK, MENU]


def _ipr_expiring(n: _Notice) -> list[Button]:
    n.say(IPR_EXPIRING, date=n.date("expires_on"))
    return [ASK, MENU]


def _still_need_place(n: _Notice) -> list[Button]:
    since = n.date("queued_on")
    months = n.number("months") if "months" in n.payload else 0
    line = n.t(STILL_NEED_PLACE, since=since)
    if months > 0:
        waited = ngettext(n.lang, "You have waited {n} month.", "You have waited {n} months.", months)
        line = f"{line} {waited}"
    n.lines.append(line)
    return [STATUS, ASK, MENU]


def _document_rejected(n: _Notice) -> list[Button]:
    """One line per document rejected that day (`documents`), or the single `document_code` and `reason`."""
    listed = n.payload.get("documents")
    entries = [item for item in listed if isinstance(item, dict)] if isinstance(listed, list) else []
    for item in entries or [n.payload]:
        document = label(n.lang, DOCUMENT_NAMES, str(item.get("document_code") or ""))
        n.say(DOCUMENT_REJECTED, document=document, reason=str(item.get("reason") or "—").strip())
    return [DOCUMENTS, MENU]


APPLICANT_NOTICES: dict[str, Renderer] = {
    "submitted": _submitted,
    "refused": _refused,
    "approved": _approved,
    "choose_organisation": _choose_organisation,
    "queued": _queued,
    "offer": _offer,
    "offer_lapsed": _offer_lapsed,
    "postponed": _postponed,
    "postponement_declined": _postponement_declined,
    "services_ended": _services_ended,
    "choose_reminder": _choose_reminder,
    "arrival_reminder": _arrival_reminder,
    "postponement_ending": _postponement_ending,
    "medical_recheck": _medical_recheck,
    "ipr_expiring": _ipr_expiring,
    "still_need_place": _still_need_place,
    "document_rejected": _document_rejected,
}


def _staff_step(n: _Notice, message: str) -> None:
    code = n.text("step")
    table = STAFF_STEP_NAMES if code in STAFF_STEP_NAMES else STEP_NAMES
    n.say(message, case=n.lookup.case_id, step=label(n.lang, table, code), due=n.date("deadline"))


STAFF_NOTICES: dict[str, Callable[[_Notice], None]] = {
    "staff_step_due": lambda n: _staff_step(n, STAFF_STEP_DUE),
    "staff_step_overdue": lambda n: _staff_step(n, STAFF_STEP_OVERDUE),
    "delivery_failed": lambda n: n.say(
        STAFF_DELIVERY_FAILED, case=n.lookup.case_id, kind=n.text("kind") or "—", error=n.text("error") or "—"
    ),
}
KNOWN_KINDS = frozenset(APPLICANT_NOTICES) | frozenset(STAFF_NOTICES)


def render(kind: str, payload: Mapping[str, Any], lang: str, lookup: NoticeLookup) -> list[Reply]:
    """The notice as dialogue replies in `lang`. Raises UnknownNotice / NoticeError (the worker marks it failed)."""
    notice = _Notice(kind, payload or {}, lang, lookup)
    if kind in STAFF_NOTICES:
        STAFF_NOTICES[kind](notice)
        return [Text("\n".join(notice.lines))]
    renderer = APPLICANT_NOTICES.get(kind)
    if renderer is None:
        raise UnknownNotice(f"no text for notice kind {kind!r}")
    buttons = renderer(notice)
    body = "\n".join([*_heading(notice), *notice.lines])
    return [Choice(body, tuple(Option(option_id, notice.t(message)) for option_id, message in buttons))]


def render_staff_answer(body: str, lang: str) -> list[Reply]:
    """A staff answer to the person's question, with the buttons to ask again or go to the menu."""
    text = f"{gettext(lang, STAFF_ANSWER)}\n\n{body}"
    options = tuple(Option(option_id, gettext(lang, message)) for option_id, message in (ASK, MENU))
    return [Choice(text, options)]


def _heading(n: _Notice) -> list[str]:
    """Which application the notice is about: a representative may follow several."""
    if not n.lookup.person_name or n.lookup.form is None:
        return []
    return [n.t(HEADING, name=n.lookup.person_name, form=label(n.lang, FORM_NAMES, n.lookup.form))]
