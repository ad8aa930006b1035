"""/language at any moment: pick Kazakh, Russian or English, then carry on exactly where the person was."""

from __future__ import annotations

from bot.dialogue import texts
from bot.dialogue.flows.onboarding import LANGUAGE_OPTIONS, LANGUAGE_QUESTION, picked_language
from bot.dialogue.turn import CHOICE, Input, StepDef, Turn
from bot.i18n import N_
from core.db.enums import Language

FLOW = "language"
RETURN_KEY = "return_to"
LANGUAGE_SET = N_("Done: I will write in English.")


def start(turn: Turn) -> None:
    flow, step = turn.where
    if flow != FLOW and flow is not None and step is not None:
        turn.data[RETURN_KEY] = [flow, step]
    turn.go(FLOW, "choose")


def ask_choose(turn: Turn) -> None:
    turn.choice(LANGUAGE_QUESTION, LANGUAGE_OPTIONS)


def answer_choose(turn: Turn, given: Input) -> None:
    code = picked_language(given.choice)
    if code is None:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    turn.identity.language = Language(code)
    turn.say(LANGUAGE_SET)
    back = turn.data.pop(RETURN_KEY, None)
    if isinstance(back, list) and len(back) == 2 and back != ["onboarding", "language"]:
        turn.go(str(back[0]), str(back[1]))
    else:
        turn.go("menu", "main") if turn.consented else turn.go("onboarding", "consent")


STEPS = {"choose": StepDef(ask_choose, answer_choose, frozenset({CHOICE}))}
