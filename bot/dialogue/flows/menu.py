"""The main menu, reachable from anywhere: its buttons work even when pressed in an older message."""

from __future__ import annotations

from bot.dialogue import casework, texts
from bot.dialogue.turn import CHOICE, Input, StepDef, Turn
from bot.vocabulary import FORM_NAMES, label
from core.rules.codes import Status

FLOW = "menu"

# menu:<target> -> (flow, step) it opens. "apply" decides itself whether to resume a draft.
TARGETS = {
    "main": (FLOW, "main"),
    "status": ("status", "show"),
    "documents": ("documents", "list"),
    "late": ("postpone", "reason"),
    "ask": ("ask", "text"),
    "choose": ("choose", "list"),
    "switch": (FLOW, "switch"),
    "apply": ("apply", "start"),
}


def navigate(turn: Turn, choice: str) -> bool:
    """Open what a menu:* button names; False if it names nothing we know."""
    target = TARGETS.get(choice.removeprefix("menu:"))
    if target is None:
        return False
    turn.go(*target)
    return True


def ask_main(turn: Turn) -> None:
    options = []
    open_cases = casework.open_chat_cases(turn)
    if any(case.status == Status.NOTIFIED for case in open_cases):
        options.append(("menu:choose", turn.t(texts.MENU_CHOOSE)))
    options += [("menu:apply", turn.t(texts.MENU_APPLY)), ("menu:status", turn.t(texts.MENU_STATUS))]
    # Only what can be done now: documents once there is an application, "I can't come on time" once a place is
    # offered (the arrival date is what moves, App.1-2 p.7). The buttons still work when pressed in an old message.
    if open_cases:
        options.append(("menu:documents", turn.t(texts.MENU_DOCUMENTS)))
    if any(case.status == Status.OFFERED for case in open_cases):
        options.append(("menu:late", turn.t(texts.MENU_LATE)))
    options.append(("menu:ask", turn.t(texts.MENU_ASK)))
    if len(open_cases) > 1:
        options.append(("menu:switch", turn.t(texts.MENU_SWITCH)))
    options += [("cmd:language", texts.MENU_LANGUAGE), ("cmd:help", turn.t(texts.MENU_HELP))]
    turn.choice(turn.t(texts.MENU_TITLE), options)


def answer_main(turn: Turn, given: Input) -> None:
    turn.say(texts.HINT_OLD_BUTTON)


def ask_switch(turn: Turn) -> None:
    cases = casework.open_chat_cases(turn)
    if len(cases) < 2:
        turn.go(FLOW, "main")
        return
    options = [
        (f"case:{case.id}", f"{casework.person_name(turn, case)}: {label(turn.lang, FORM_NAMES, case.form)}")
        for case in cases
    ]
    turn.choice(turn.t(texts.SWITCH_TITLE), [*options, ("menu:main", turn.t(texts.BUTTON_MENU))])


def answer_switch(turn: Turn, given: Input) -> None:
    wanted = given.choice.removeprefix("case:")
    case = next((case for case in casework.open_chat_cases(turn) if str(case.id) == wanted), None)
    if case is None:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    casework.remember_case(turn, case)
    turn.say(texts.SWITCHED, name=casework.person_name(turn, case))
    turn.go("status", "show")


STEPS = {
    "main": StepDef(ask_main, answer_main, frozenset({CHOICE})),
    "switch": StepDef(ask_switch, answer_switch, frozenset({CHOICE})),
}
