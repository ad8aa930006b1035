"""/status: for each application of this chat, the stage, the next deadline, and the place in the queue with
why it moved since the person last looked (placement.queue_status since the moment kept in the conversation).
"""

from __future__ import annotations

from bot.dialogue import casework, texts, timeline
from bot.dialogue.flows.choose import QUEUE_SEEN_KEY
from bot.dialogue.render import day
from bot.dialogue.turn import CHOICE, Input, StepDef, Turn
from bot.i18n import N_, ngettext
from bot.vocabulary import FORM_NAMES, STATUS_NAMES, label
from core.db.models import Case
from core.rules.codes import Form, Status, Step
from core.rules.lifecycle import TERMINAL_STATUSES
from core.services import documents, placement
from core.services.errors import NotFound

FLOW = "status"
MAX_SHOWN = 5

HEADER = N_("Application for {name}: {form}.\nStage: {status}.")
NEXT_DRAFT = N_("Documents: {done} of {total}. When they are all here, send the application.")
NEXT_REVIEW = N_("The department is reviewing your application.")
NEXT_HOME_VISIT = N_("A specialist visits your home by {due} ({ref}).")
NEXT_NOTIFY = N_("The department notifies you of the decision by {due} ({ref}).")
NEXT_CHOOSE = N_("Please choose an organisation by {due}.")
NEXT_ARRIVE = N_("Organisation: {organisation}. Please arrive by {due}.")
NEXT_START = N_("Organisation: {organisation}. The service should start by {due}.")
QUEUE_PLACE = N_("Queue of {organisation}: your place is {position} of {total}.")
NO_CHANGE = N_("No change since you last looked.")
REFUSED = N_("If you want to know the reasons or do not agree, please ask staff.")
NOTHING = N_("You have no applications yet.")
BUTTON_CHOOSE = N_("Choose an organisation")


def ask_show(turn: Turn) -> None:
    cases = casework.chat_cases(turn)[:MAX_SHOWN]
    if not cases:
        turn.choice(
            turn.t(NOTHING), [("menu:apply", turn.t(texts.MENU_APPLY)), ("menu:main", turn.t(texts.BUTTON_MENU))]
        )
        return
    blocks = [describe(turn, case) for case in cases]
    turn.choice("\n\n".join(blocks), actions(turn, cases))


def describe(turn: Turn, case: Case) -> str:
    header = turn.t(
        HEADER,
        name=casework.person_name(turn, case),
        form=label(turn.lang, FORM_NAMES, case.form),
        status=label(turn.lang, STATUS_NAMES, case.status),
    )
    details = next_step(turn, case)
    return "\n".join([header, *details])


def next_step(turn: Turn, case: Case) -> list[str]:
    """What the person waits for or must do next, with its date."""
    status, form = case.status, case.form
    if status == Status.DRAFT:
        progress = documents.progress(turn.ctx, case)
        return [turn.t(NEXT_DRAFT, done=progress.done, total=progress.total)]
    if status == Status.SUBMITTED and form == Form.HOME and case.submitted_at:
        submitted_on = case.submitted_at.date()
        due = timeline.due_after(turn.ctx, form, Step.HOME_VISIT, submitted_on)
        return [
            turn.t(NEXT_HOME_VISIT, due=due, ref=timeline.paragraph(turn.lang, form, Step.HOME_VISIT, submitted_on))
        ]
    if status in (Status.SUBMITTED, Status.HOME_VISITED, Status.INSPECTED, Status.IDENTIFIED, Status.FORWARDED):
        return [turn.t(NEXT_REVIEW)]
    if status == Status.APPROVED and case.decided_on and form != Form.TEMPORARY_STAY:
        due = timeline.due_after(turn.ctx, form, Step.NOTIFY_RECIPIENT, case.decided_on)
        ref = timeline.paragraph(turn.lang, form, Step.NOTIFY_RECIPIENT, case.decided_on)
        return [turn.t(NEXT_NOTIFY, due=due, ref=ref)]
    if status == Status.NOTIFIED:
        return [turn.t(NEXT_CHOOSE, due=day(case.choose_due_on))]
    if status == Status.OFFERED:
        message = NEXT_START if form == Form.HOME else NEXT_ARRIVE
        organisation = casework.organisation_name(turn, case.organisation_id)
        return [turn.t(message, organisation=organisation, due=day(case.arrival_due_on))]
    if status == Status.QUEUED:
        return queue_lines(turn, case)
    if status == Status.REFUSED:
        return [turn.t(REFUSED)]
    return []


def queue_lines(turn: Turn, case: Case) -> list[str]:
    seen = turn.scratch(QUEUE_SEEN_KEY)
    since = casework.parse_moment(seen.get(str(case.id)))
    try:
        where = placement.queue_status(turn.ctx, case, since=since)
    except NotFound:
        return []
    seen[str(case.id)] = turn.ctx.now.isoformat()
    organisation = casework.organisation_name(turn, where.organisation_id)
    lines = [turn.t(QUEUE_PLACE, organisation=organisation, position=where.position, total=where.total)]
    if where.moved_up_because_left:
        lines.append(
            ngettext(
                turn.lang,
                "Since you last looked, {n} person ahead of you got a place or left the queue.",
                "Since you last looked, {n} people ahead of you got a place or left the queue.",
                where.moved_up_because_left,
            )
        )
    if where.moved_down_because_priority:
        lines.append(
            ngettext(
                turn.lang,
                "Since you last looked, {n} person with a first-priority right (for example a veteran) joined ahead "
                "of you.",
                "Since you last looked, {n} people with a first-priority right (for example veterans) joined ahead "
                "of you.",
                where.moved_down_because_priority,
            )
        )
    if since is not None and not (where.moved_up_because_left or where.moved_down_because_priority):
        lines.append(turn.t(NO_CHANGE))
    return lines


def actions(turn: Turn, cases: list[Case]) -> list[tuple[str, str]]:
    current = casework.current_case(turn)
    options = []
    if current is not None and current.status == Status.NOTIFIED:
        options.append(("menu:choose", turn.t(BUTTON_CHOOSE)))
    if current is not None and current.status == Status.DRAFT:
        options.append(("menu:documents", turn.t(texts.MENU_DOCUMENTS)))
    if (
        current is not None
        and current.status == Status.OFFERED
        and current.form in (Form.STATIONARY, Form.SEMI_STATIONARY)
    ):
        options.append(("menu:late", turn.t(texts.MENU_LATE)))
    if len([case for case in cases if case.status not in TERMINAL_STATUSES]) > 1:
        options.append(("menu:switch", turn.t(texts.MENU_SWITCH)))
    options += [("menu:ask", turn.t(texts.BUTTON_ASK_STAFF)), ("menu:main", turn.t(texts.BUTTON_MENU))]
    return options


def answer_show(turn: Turn, given: Input) -> None:
    turn.say(texts.HINT_OLD_BUTTON)


STEPS = {"show": StepDef(ask_show, answer_show, frozenset({CHOICE}))}
