""" "I can't come on time" (status offered): illness or hospitalisation, the new date (bounded by the rules, the
latest allowed date shown), a medical certificate, then placement.postpone_arrival. Once only (App.1-2 p.7).

The certificate has no checklist code: the file is kept in the file store (content-addressed) and its address
stays in the conversation; the postponement is recorded with certificate_document_id=None.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from bot.dialogue import casework, texts
from bot.dialogue.render import capitalised, cite, day, megabytes
from bot.dialogue.turn import CHOICE, FILE, TEXT, Input, StepDef, Turn
from bot.i18n import N_
from bot.vocabulary import (
    POSTPONEMENT_REASON_NAMES,
    POSTPONEMENT_REFUSALS,
    SERVICE_REASONS,
    STATUS_NAMES,
    explain,
    label,
)
from core.db.enums import PostponementReason, PostponementStatus
from core.db.models import Case, Postponement
from core.rules import postponement
from core.rules.codes import Status
from core.services import placement
from core.services.errors import InvalidInput, NotAllowed

FLOW = "postpone"
DRAFT_KEY = "postpone"

NOT_NOW = N_(
    "This is for when a place is offered to you and illness or a stay in hospital prevents you from arriving on "
    "time. Your application now: {status}."
)
REASON = N_("What prevents you from coming by {due}?")
NEW_DATE = N_(
    "Please type the new arrival date as day.month.year.\nThe latest date allowed is {latest} ({ref}). "
    "The date can be moved only once."
)
DATE_WRONG = N_("I could not read this date. Please type it as day.month.year, for example {example}.")
CERTIFICATE = N_(
    "Please send a photo or a PDF of the medical certificate (from the doctor or the hospital).\n"
    "JPEG, PNG or PDF, up to {limit}."
)
CERTIFICATE_LATER = N_('If you do not have it yet, press "I will bring it later".')
LATER = N_("I will bring it later")
BRING_LATER = N_("Please bring the certificate to the organisation when you arrive.")
MOVED = N_("Done: your arrival date is now {due}. Organisation: {organisation}.")
NEXT_ADMITTED = N_("Meanwhile the day-care centre may admit the next person in the queue ({ref}).")
NOT_MOVED = N_("The arrival date was not moved.")
CERTIFICATE_KEPT = N_("Thank you! The certificate is received.")

_DATE = re.compile(r"\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*")


def offered_case(turn: Turn) -> Case | None:
    case = casework.case_or_menu(turn)
    if case is None:
        return None
    if case.status != Status.OFFERED or case.arrival_due_on is None:
        turn.say(NOT_NOW, status=label(turn.lang, STATUS_NAMES, case.status))
        turn.go("status", "show")
        return None
    return case


def due_of(case: Case) -> date:
    """The arrival date in force (offered_case has made sure there is one)."""
    if case.arrival_due_on is None:
        raise ValueError("an offered case without an arrival date")
    return case.arrival_due_on


def approved_before(turn: Turn, case: Case) -> int:
    statement = (
        sa.select(sa.func.count())
        .select_from(Postponement)
        .where(Postponement.case_id == case.id, Postponement.status == PostponementStatus.APPROVED)
    )
    return int(turn.ctx.session.scalar(statement) or 0)


def ask_reason(turn: Turn) -> None:
    case = offered_case(turn)
    if case is None:
        return
    options = [(f"reason:{code.value}", capitalised(turn.t(name))) for code, name in POSTPONEMENT_REASON_NAMES.items()]
    turn.choice(turn.t(REASON, due=day(due_of(case))), [*options, ("menu:main", turn.t(texts.BUTTON_MENU))])


def answer_reason(turn: Turn, given: Input) -> None:
    case = offered_case(turn)
    code = given.choice.removeprefix("reason:")
    if case is None:
        return
    if code not in {item.value for item in PostponementReason}:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    turn.data[DRAFT_KEY] = {"reason": code}
    decision = postponement.assess_postponement(case.form, due_of(case), due_of(case), approved_before(turn, case))
    if not {"already_postponed", "form_has_no_postponement"} & set(decision.reasons):
        turn.go(FLOW, "date")
        return
    # A request that cannot succeed is still recorded (staff see it) and answered with the reason at once.
    request(turn, case, due_of(case))


def ask_date(turn: Turn) -> None:
    case = offered_case(turn)
    if case is None:
        return
    decision = postponement.assess_postponement(case.form, due_of(case), due_of(case), approved_before(turn, case))
    ref = cite(turn.lang, decision.legal_ref) if decision.legal_ref else ""
    body = turn.t(NEW_DATE, latest=day(decision.latest), ref=ref)
    turn.choice(body, [("menu:main", turn.t(texts.BUTTON_MENU))])


def parse_day(text: str) -> date | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    try:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        return None


def answer_date(turn: Turn, given: Input) -> None:
    case = offered_case(turn)
    if case is None:
        return
    if given.kind == CHOICE:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    wanted = parse_day(given.text)
    if wanted is None:
        turn.say(DATE_WRONG, example=day(due_of(case)))
        return
    decision = postponement.assess_postponement(case.form, due_of(case), wanted, approved_before(turn, case))
    if not decision.allowed:
        turn.text(refusal_text(turn, decision.reasons, case, decision.latest, decision.legal_ref))
        return
    turn.scratch(DRAFT_KEY)["until"] = wanted.isoformat()
    turn.go(FLOW, "certificate")


def refusal_text(turn: Turn, reasons: tuple[str, ...], case: Case, latest: object, legal_ref: object) -> str:
    """The first reason that matters, in plain words (already_postponed says everything on its own)."""
    order = ["form_has_no_postponement", "already_postponed", "not_after_due_date", "beyond_limit"]
    reason = next((code for code in order if code in reasons), reasons[0] if reasons else "")
    ref = cite(turn.lang, legal_ref) if legal_ref else ""  # type: ignore[arg-type]
    latest_day = day(latest) if isinstance(latest, date | str) and latest else ""
    return explain(turn.lang, POSTPONEMENT_REFUSALS, reason, ref=ref, due=day(due_of(case)), latest=latest_day)


def ask_certificate(turn: Turn) -> None:
    if offered_case(turn) is None:
        return
    turn.request_file(turn.t(CERTIFICATE, limit=megabytes(turn.lang, turn.ctx.files.max_bytes)))
    turn.choice(turn.t(CERTIFICATE_LATER), [("later", turn.t(LATER)), ("menu:main", turn.t(texts.BUTTON_MENU))])


# Law silent: App.1-2 p.7 name illness or hospitalisation but no proof. A careful organisation asks for a
# medical certificate but does not let a missing scan cost the place: the person may bring it on arrival.
def answer_certificate(turn: Turn, given: Input) -> None:
    case = offered_case(turn)
    if case is None:
        return
    if given.kind == CHOICE and given.choice != "later":
        turn.say(texts.HINT_OLD_BUTTON)
        return
    if given.kind == FILE and given.attachment is not None:
        try:
            stored = turn.ctx.files.store(given.attachment.data)
        except InvalidInput as problem:
            reason = str(problem.details.get("reason", ""))
            turn.text(explain(turn.lang, SERVICE_REASONS, reason, limit=megabytes(turn.lang, turn.ctx.files.max_bytes)))
            return
        turn.scratch(DRAFT_KEY)["certificate"] = stored.relative_path
        turn.say(CERTIFICATE_KEPT)
    else:
        turn.say(BRING_LATER)
    until = date.fromisoformat(str(turn.scratch(DRAFT_KEY).get("until")))
    request(turn, case, until)


def request(turn: Turn, case: Case, until: date) -> None:
    """Ask the services to move the date; a refusal is recorded by them and explained here."""
    draft = turn.scratch(DRAFT_KEY)
    reason = PostponementReason(draft.get("reason", PostponementReason.ILLNESS.value))
    certificates = turn.scratch("certificates")
    if draft.get("certificate"):
        certificates[str(case.id)] = draft["certificate"]
    try:
        placement.postpone_arrival(turn.ctx, case, until, reason, certificate_document_id=None)
    except NotAllowed as refusal:
        latest = refusal.details.get("latest")
        legal_ref = refusal.details.get("legal_ref") or None
        turn.text(refusal_text(turn, refusal.reasons, case, latest, legal_ref))
        turn.say(NOT_MOVED)
        turn.data.pop(DRAFT_KEY, None)
        turn.go("menu", "main")
        return
    turn.say(MOVED, due=day(until), organisation=casework.organisation_name(turn, case.organisation_id))
    rule = postponement.postponement_rule(case.form)
    if rule is not None and rule.next_in_queue_admitted:
        turn.say(NEXT_ADMITTED, ref=cite(turn.lang, rule.legal_ref))
    turn.data.pop(DRAFT_KEY, None)
    turn.go("menu", "main")


STEPS = {
    "reason": StepDef(ask_reason, answer_reason, frozenset({CHOICE})),
    "date": StepDef(ask_date, answer_date, frozenset({TEXT, CHOICE})),
    "certificate": StepDef(ask_certificate, answer_certificate, frozenset({FILE, CHOICE})),
}
