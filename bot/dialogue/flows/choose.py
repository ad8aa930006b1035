"""After the decision (status notified): choosing an organisation in the district. Every organisation is shown:
free places, queue length, and "not accepting now" with its reason (never hidden, never selectable).
A free place gives the arrival deadline; otherwise the person joins the queue and learns their position.
"""

from __future__ import annotations

from bot.dialogue import casework, texts, timeline
from bot.dialogue.render import bullets, day, name_in
from bot.dialogue.turn import CHOICE, Input, StepDef, Turn
from bot.i18n import N_
from bot.vocabulary import SERVICE_REASONS, STATUS_NAMES, explain, label
from core.db.models import Case, Offer, Organisation
from core.rules.codes import Form, Status, Step
from core.services import placement
from core.services.errors import Conflict, NotAllowed
from core.services.placement import OrganisationChoice

FLOW = "choose"
PICK_KEY = "organisation_id"
QUEUE_SEEN_KEY = "queue_seen"  # case id -> the moment the person last saw their queue position

NOT_NOW = N_(
    "Choosing an organisation is possible after the decision, when the department has notified you. "
    "Your application now: {status}."
)
INTRO = N_("Please choose an organisation by {due} ({ref}).")
DUE_PASSED = N_("This date has passed. You can still choose here; the department will tell you if it is accepted.")
FREE = N_("{name}: free places: {free}")
QUEUE = N_("{name}: no free places now, people in the queue: {queue}. You can join the queue.")
PAUSED = N_("{name}: not accepting now. Reason: {reason}")
PAUSED_NO_REASON = N_("the organisation did not give a reason")
NONE_FOUND = N_("I could not find an organisation for this application in your area. Please ask staff.")
CONFIRM_FREE = N_("{name} has a free place. If you choose it, you need to arrive by {due}. Choose it?")
CONFIRM_HOME = N_("{name} has a free place. The service should start by {due}. Choose it?")
CONFIRM_QUEUE = N_("{name} has no free place now: you will join its queue. Choose it?")
CHOOSE_YES = N_("Yes, choose")
OFFERED = N_("A place is held for you at {name}. Please arrive by {due}.")
OFFERED_HOME = N_("A place is held for you at {name}. The service should start by {due}.")
IF_ILL = N_('If illness or a stay in hospital prevents you from coming, press "I can\'t come on time".')
QUEUED = N_("You are in the queue of {name}. Your place: {position} of {total}.")
TAKEN = N_("Sorry, someone has just taken this place. Here is the list again.")


def ask_list(turn: Turn) -> None:
    case = casework.case_or_menu(turn)
    if case is None:
        return
    if case.status != Status.NOTIFIED:
        turn.say(NOT_NOW, status=label(turn.lang, STATUS_NAMES, case.status))
        turn.go("status", "show")
        return
    choices = organisations(turn, case)
    if not choices:
        turn.choice(
            turn.t(NONE_FOUND), [("menu:ask", turn.t(texts.BUTTON_ASK_STAFF)), ("menu:main", turn.t(texts.BUTTON_MENU))]
        )
        return
    lines = [describe(turn, choice) for choice in choices]
    header = turn.t(
        INTRO,
        due=day(case.choose_due_on),
        ref=timeline.paragraph(turn.lang, case.form, Step.CHOOSE_ORGANISATION, case.notified_on or turn.ctx.today),
    )
    # Law silent: App.1-3 p.7-8 give the term to choose but not what follows when it passes. A careful
    # department still takes the choice and decides itself, so the chat says the date passed but does not block.
    if case.choose_due_on and case.choose_due_on < turn.ctx.today:
        header += "\n" + turn.t(DUE_PASSED)
    options = [
        (f"org:{c.organisation.id}", name_in(turn.lang, c.organisation)) for c in choices if c.organisation.accepting
    ]
    turn.choice(f"{header}\n\n{bullets(lines)}", [*options, ("menu:main", turn.t(texts.BUTTON_MENU))])


def organisations(turn: Turn, case: Case) -> list[OrganisationChoice]:
    region_id, district_id = casework.area_of(turn, case)
    found = placement.organisations_for(turn.ctx, case, district_id=district_id) if district_id else []
    if not found and region_id is not None:  # nothing in the district: the region's organisations
        found = placement.organisations_for(turn.ctx, case, region_id=region_id)
    return found


def describe(turn: Turn, choice: OrganisationChoice) -> str:
    organisation, name = choice.organisation, name_in(turn.lang, choice.organisation)
    if not organisation.accepting:
        return turn.t(PAUSED, name=name, reason=organisation.paused_reason or turn.t(PAUSED_NO_REASON))
    if choice.has_free_place:
        return turn.t(FREE, name=name, free=organisation.free_places)
    return turn.t(QUEUE, name=name, queue=choice.queue_length)


def answer_list(turn: Turn, given: Input) -> None:
    case = casework.current_case(turn)
    key = given.choice.removeprefix("org:")
    picked = next((c for c in organisations(turn, case) if str(c.organisation.id) == key), None) if case else None
    if picked is None or not picked.organisation.accepting:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    turn.data[PICK_KEY] = picked.organisation.id
    turn.go(FLOW, "confirm")


def ask_confirm(turn: Turn) -> None:
    case = casework.current_case(turn)
    organisation = turn.ctx.session.get(Organisation, turn.data.get(PICK_KEY) or 0)
    if case is None or organisation is None or case.status != Status.NOTIFIED:
        turn.go(FLOW, "list")
        return
    name = name_in(turn.lang, organisation)
    free = organisation.free_places > 0 and placement.queue_length(turn.ctx, organisation.id) == 0
    if free:
        step = Step.CHOOSE_ORGANISATION if case.form == Form.HOME else Step.ARRIVE
        message = CONFIRM_HOME if case.form == Form.HOME else CONFIRM_FREE
        body = turn.t(message, name=name, due=timeline.due_after(turn.ctx, case.form, step, turn.ctx.today))
    else:
        body = turn.t(CONFIRM_QUEUE, name=name)
    turn.choice(body, [("yes", turn.t(CHOOSE_YES)), ("back", turn.t(texts.BUTTON_BACK))])


def answer_confirm(turn: Turn, given: Input) -> None:
    case = casework.current_case(turn)
    if given.choice == "back" or case is None:
        turn.go(FLOW, "list")
        return
    if given.choice != "yes":
        turn.say(texts.HINT_OLD_BUTTON)
        return
    organisation_id = int(turn.data.pop(PICK_KEY, 0) or 0)
    try:
        outcome = placement.choose_organisation(turn.ctx, case, organisation_id)
    except Conflict:
        turn.say(TAKEN)
        turn.go(FLOW, "list")
        return
    except NotAllowed as refusal:
        turn.text(explain(turn.lang, SERVICE_REASONS, refusal.reasons[0] if refusal.reasons else ""))
        turn.go(FLOW, "list")
        return
    name = casework.organisation_name(turn, organisation_id)
    if isinstance(outcome, Offer):
        message = OFFERED_HOME if case.form == Form.HOME else OFFERED
        turn.say(message, name=name, due=day(outcome.arrival_due_on))
        if case.form in (Form.STATIONARY, Form.SEMI_STATIONARY):
            turn.say(IF_ILL)
    else:
        status = placement.queue_status(turn.ctx, case)
        turn.say(QUEUED, name=name, position=status.position, total=status.total)
        turn.scratch(QUEUE_SEEN_KEY)[str(case.id)] = turn.ctx.now.isoformat()
    turn.go("menu", "main")


STEPS = {
    "list": StepDef(ask_list, answer_list, frozenset({CHOICE})),
    "confirm": StepDef(ask_confirm, answer_confirm, frozenset({CHOICE})),
}
