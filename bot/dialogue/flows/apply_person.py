"""New application, part 1: for whom (myself or someone I represent), the IINs checked at once, the full name.

The answers are kept in the conversation (`apply`), so /cancel loses nothing and "New application" resumes.
Re-applying with the same IIN from this chat resumes the open case; a case opened elsewhere is never shown.
"""

from __future__ import annotations

from bot.dialogue import casework, texts
from bot.dialogue.render import bullets, capitalised, day, with_progress
from bot.dialogue.turn import CHOICE, TEXT, Input, StepDef, Turn
from bot.i18n import N_
from bot.vocabulary import (
    FORM_NAMES,
    IIN_REASONS,
    RELATIONSHIP_NAMES,
    SERVICE_REASONS,
    SEX_NAMES,
    STATUS_NAMES,
    explain,
    label,
)
from core.db.enums import Relationship, Sex
from core.rules.codes import Status
from core.rules.iin import normalise_iin, parse_iin
from core.rules.lifecycle import TERMINAL_STATUSES
from core.services import cases, people

FLOW = "apply"
DRAFT_KEY = "apply"
TOTAL_STEPS = 6
STAGE_OF_STEP = {
    "who": 1,
    "relationship": 1,
    "rep_iin": 1,
    "iin": 2,
    "confirm": 2,
    "name": 3,
    "category": 4,
    "group": 4,
    "region": 5,
    "district": 5,
    "form": 6,
}

RESUME = N_("You started a new application earlier and stopped at step {n} of {total}. Shall we continue?")
CONTINUE = N_("Continue")
START_OVER = N_("Start over")
WHO = N_("Who is the application for?")
FOR_MYSELF = N_("For myself")
FOR_OTHER = N_("For someone I represent (my child, my ward)")
RELATIONSHIP = N_(
    "Who are you to this person? For a child or a person declared legally incapable, the application is made "
    "by the legal representative."
)
REP_IIN = N_(
    "Please type your own IIN (12 digits). Later you will upload a document that proves you are the legal "
    "representative."
)
IIN_SELF = N_("Please type your IIN (12 digits). I will check it at once.")
IIN_OTHER = N_("Please type the IIN of the person you represent (12 digits). I will check it at once.")
IIN_WRONG = N_("This IIN does not look right:")
IIN_TYPE_AGAIN = N_("Please check the number and type it again.")
CONFIRM = N_("From this IIN: date of birth {birth}, sex: {sex}. Is this right?")
NAME_SELF = N_("Please type your full name: surname, name and patronymic.")
NAME_OTHER = N_("Please type the full name of the person you represent: surname, name and patronymic.")
NAME_WRONG = N_("Please type the full name in letters, for example: Abenova Aigul Serikovna.")
RESUMED = N_("There is already an application for {name}: {form}, stage: {status}. Let's continue it.")
ELSEWHERE = N_(
    "There is already an open application for this IIN, made from another chat or at the department. To "
    'protect personal data I cannot show it here. Staff can help you: press "Ask staff".'
)


def draft(turn: Turn) -> dict:  # type: ignore[type-arg]
    return turn.scratch(DRAFT_KEY)


def is_self(turn: Turn) -> bool:
    return draft(turn).get("who") == "self"


def question(turn: Turn, step: str, body: str) -> str:
    """The question with its progress line; remembers the step so "New application" can resume here."""
    draft(turn)["step"] = step
    return with_progress(turn.lang, STAGE_OF_STEP[step], TOTAL_STEPS, body)


def menu_button(turn: Turn) -> tuple[str, str]:
    return ("cmd:cancel", turn.t(texts.BUTTON_MENU))


def back_button(turn: Turn) -> tuple[str, str]:
    return ("back", turn.t(texts.BUTTON_BACK))


def ask_start(turn: Turn) -> None:
    saved = draft(turn).get("step")
    if saved in STAGE_OF_STEP and saved != "who":
        turn.go(FLOW, "resume")
    else:
        turn.data[DRAFT_KEY] = {}
        turn.go(FLOW, "who")


def ask_resume(turn: Turn) -> None:
    stage = STAGE_OF_STEP.get(str(draft(turn).get("step")), 1)
    options = [("continue", turn.t(CONTINUE)), ("over", turn.t(START_OVER)), ("menu:main", turn.t(texts.BUTTON_MENU))]
    turn.choice(turn.t(RESUME, n=stage, total=TOTAL_STEPS), options)


def answer_resume(turn: Turn, given: Input) -> None:
    saved = str(draft(turn).get("step"))
    if given.choice == "continue" and saved in STAGE_OF_STEP:
        turn.go(FLOW, saved)
    elif given.choice in ("continue", "over"):
        turn.data[DRAFT_KEY] = {}
        turn.go(FLOW, "who")
    else:
        turn.say(texts.HINT_OLD_BUTTON)


def ask_who(turn: Turn) -> None:
    options = [("self", turn.t(FOR_MYSELF)), ("other", turn.t(FOR_OTHER)), menu_button(turn)]
    turn.choice(question(turn, "who", turn.t(WHO)), options)


def answer_who(turn: Turn, given: Input) -> None:
    if given.choice not in ("self", "other"):
        turn.say(texts.HINT_OLD_BUTTON)
        return
    draft(turn)["who"] = given.choice
    turn.go(FLOW, "iin" if given.choice == "self" else "relationship")


def ask_relationship(turn: Turn) -> None:
    options = [(f"rel:{code.value}", capitalised(turn.t(name))) for code, name in RELATIONSHIP_NAMES.items()]
    turn.choice(question(turn, "relationship", turn.t(RELATIONSHIP)), [*options, back_button(turn)])


def answer_relationship(turn: Turn, given: Input) -> None:
    if given.choice == "back":
        turn.go(FLOW, "who")
        return
    code = given.choice.removeprefix("rel:")
    if code not in {item.value for item in Relationship}:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    draft(turn)["relationship"] = code
    turn.go(FLOW, "rep_iin")


def ask_rep_iin(turn: Turn) -> None:
    turn.choice(question(turn, "rep_iin", turn.t(REP_IIN)), [back_button(turn), menu_button(turn)])


def answer_rep_iin(turn: Turn, given: Input) -> None:
    if given.kind == CHOICE:
        turn.go(FLOW, "relationship") if given.choice == "back" else turn.say(texts.HINT_OLD_BUTTON)
        return
    iin = checked_iin(turn, given.text)
    if iin is None:
        return
    representative = people.register_person(turn.ctx, iin)
    people.link_person(turn.ctx, turn.identity, representative)
    turn.act_as_person()
    draft(turn)["rep_person_id"] = representative.id
    turn.go(FLOW, "iin")


def checked_iin(turn: Turn, typed: str) -> str | None:
    """The IIN if valid; otherwise every reason in plain words, and None (the question is asked again)."""
    info = parse_iin(typed, on=turn.ctx.today)
    if info.valid:
        return normalise_iin(typed)
    reasons = [explain(turn.lang, IIN_REASONS, reason) for reason in info.reasons]
    turn.text(f"{turn.t(IIN_WRONG)}\n{bullets(reasons)}\n{turn.t(IIN_TYPE_AGAIN)}")
    return None


def ask_iin(turn: Turn) -> None:
    message = IIN_SELF if is_self(turn) else IIN_OTHER
    buttons = [menu_button(turn)] if is_self(turn) else [back_button(turn), menu_button(turn)]
    turn.choice(question(turn, "iin", turn.t(message)), buttons)


def answer_iin(turn: Turn, given: Input) -> None:
    if given.kind == CHOICE:
        back = given.choice == "back" and not is_self(turn)
        turn.go(FLOW, "rep_iin") if back else turn.say(texts.HINT_OLD_BUTTON)
        return
    iin = checked_iin(turn, given.text)
    if iin is None:
        return
    if not is_self(turn):
        known = people.person_by_iin(turn.ctx, iin)
        if known is not None and known.id == draft(turn).get("rep_person_id"):
            turn.say(SERVICE_REASONS["self_representation"])
            return
    if resumed_existing(turn, iin):
        return
    draft(turn)["pending_iin"] = iin
    turn.go(FLOW, "confirm")


def resumed_existing(turn: Turn, iin: str) -> bool:
    """An open case for this IIN: resume it if this chat opened it, else say it exists elsewhere."""
    person = people.person_by_iin(turn.ctx, iin)
    if person is None:
        return False
    open_cases = [case for case in cases.cases_of(turn.ctx, [person.id]) if case.status not in TERMINAL_STATUSES]
    if not open_cases:
        return False
    mine = [case for case in open_cases if case.id in casework.chat_case_ids(turn)]
    if not mine:
        turn.go(FLOW, "elsewhere")
        return True
    case = mine[0]
    casework.remember_case(turn, case)
    turn.data.pop(DRAFT_KEY, None)
    form, status = label(turn.lang, FORM_NAMES, case.form), label(turn.lang, STATUS_NAMES, case.status)
    turn.say(RESUMED, name=person.full_name or "—", form=form, status=status)
    turn.go("documents", "list") if case.status == Status.DRAFT else turn.go("status", "show")
    return True


def ask_confirm(turn: Turn) -> None:
    info = parse_iin(str(draft(turn).get("pending_iin", "")), on=turn.ctx.today)
    if not info.valid or info.birth_date is None or info.sex is None:
        turn.go(FLOW, "iin")
        return
    sex = label(turn.lang, SEX_NAMES, Sex(info.sex.value))
    body = question(turn, "confirm", turn.t(CONFIRM, birth=day(info.birth_date), sex=sex))
    turn.choice(body, [("yes", turn.t(texts.BUTTON_YES)), ("no", turn.t(texts.BUTTON_NO))])


def answer_confirm(turn: Turn, given: Input) -> None:
    if given.choice not in ("yes", "no"):
        turn.say(texts.HINT_OLD_BUTTON)
        return
    iin = str(draft(turn).pop("pending_iin", ""))
    if given.choice == "no" or not iin:
        turn.say(IIN_TYPE_AGAIN)
        turn.go(FLOW, "iin")
        return
    person = people.register_person(turn.ctx, iin)
    draft(turn)["person_id"] = person.id
    if is_self(turn):
        people.link_person(turn.ctx, turn.identity, person)
        turn.act_as_person()
    turn.go(FLOW, "name")


def ask_name(turn: Turn) -> None:
    turn.choice(question(turn, "name", turn.t(NAME_SELF if is_self(turn) else NAME_OTHER)), [menu_button(turn)])


def answer_name(turn: Turn, given: Input) -> None:
    if given.kind == CHOICE:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    name = " ".join(given.text.split())
    letters = sum(char.isalpha() for char in name)
    if letters < 2 or len(name) > 255 or any(char.isdigit() for char in name):
        turn.say(NAME_WRONG)
        return
    draft(turn)["name"] = name
    turn.go(FLOW, "category")


def ask_elsewhere(turn: Turn) -> None:
    turn.data.pop(DRAFT_KEY, None)
    options = [("menu:ask", turn.t(texts.BUTTON_ASK_STAFF)), ("menu:main", turn.t(texts.BUTTON_MENU))]
    turn.choice(turn.t(ELSEWHERE), options)


def answer_elsewhere(turn: Turn, given: Input) -> None:
    turn.say(texts.HINT_OLD_BUTTON)


_TEXT_OR_BUTTON = frozenset({TEXT, CHOICE})

STEPS = {
    "start": StepDef(ask_start, answer_elsewhere),
    "resume": StepDef(ask_resume, answer_resume),
    "who": StepDef(ask_who, answer_who),
    "relationship": StepDef(ask_relationship, answer_relationship),
    "rep_iin": StepDef(ask_rep_iin, answer_rep_iin, _TEXT_OR_BUTTON),
    "iin": StepDef(ask_iin, answer_iin, _TEXT_OR_BUTTON),
    "confirm": StepDef(ask_confirm, answer_confirm),
    "name": StepDef(ask_name, answer_name, _TEXT_OR_BUTTON),
    "elsewhere": StepDef(ask_elsewhere, answer_elsewhere),
}
