"""Ask staff: the person types a question; it goes to the department's inbox (with the case, if any) and the
answer comes back to this chat."""

from __future__ import annotations

from bot.dialogue import casework, texts
from bot.dialogue.turn import CHOICE, FILE, TEXT, Input, StepDef, Turn
from bot.i18n import N_
from bot.vocabulary import SERVICE_REASONS, explain
from core.services import inbox
from core.services.errors import InvalidInput

FLOW = "ask"

QUESTION = N_("Please type your question in one message. Staff of the department will answer here, in this chat.")
SENT = N_("Sent. The answer will come here, in this chat.")
FILES_ELSEWHERE = N_('I can pass only text to staff. To send a document, use "Documents" in the main menu.')


def ask_text(turn: Turn) -> None:
    turn.choice(turn.t(QUESTION), [("menu:main", turn.t(texts.BUTTON_MENU))])


def answer_text(turn: Turn, given: Input) -> None:
    if given.kind == CHOICE:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    if given.kind == FILE:
        turn.say(FILES_ELSEWHERE)
        return
    case = casework.current_case(turn)
    try:
        inbox.ask(turn.ctx, turn.identity, given.text, case)
    except InvalidInput as problem:
        turn.text(explain(turn.lang, SERVICE_REASONS, str(problem.details.get("reason", "empty_message"))))
        return
    turn.say(SENT)
    turn.go("menu", "main")


STEPS = {"text": StepDef(ask_text, answer_text, frozenset({TEXT, CHOICE, FILE}))}
