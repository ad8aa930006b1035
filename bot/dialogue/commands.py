"""Global commands, anywhere in any flow: /start, /help, /status, /language, /cancel, /menu, typed or pressed
(buttons send "cmd:<name>"). A few plain words work too ("меню", "көмек", "help")."""

from __future__ import annotations

from bot.dialogue import texts
from bot.dialogue.flows import language
from bot.dialogue.turn import CHOICE, TEXT, Input, Turn

KNOWN = frozenset({"start", "help", "status", "language", "cancel", "menu"})
UNKNOWN = "unknown"
WORDS = {
    "menu": "menu",
    "меню": "menu",
    "мәзір": "menu",
    "start": "start",
    "старт": "start",
    "бастау": "start",
    "help": "help",
    "помощь": "help",
    "көмек": "help",
    "cancel": "cancel",
    "отмена": "cancel",
    "тоқтату": "cancel",
    "status": "status",
    "статус": "status",
    "language": "language",
    "язык": "language",
    "тіл": "language",
}
# Flows whose answers become part of a draft application: stopping them keeps the draft.
DRAFT_FLOWS = frozenset({"apply", "documents"})


def parse(given: Input) -> str | None:
    """The command an input stands for, UNKNOWN for an unknown /command, None when it is not a command."""
    if given.kind == CHOICE and given.choice.startswith("cmd:"):
        name = given.choice.removeprefix("cmd:")
        return name if name in KNOWN else UNKNOWN
    if given.kind != TEXT:
        return None
    if given.text.startswith("/"):
        # "/start@QamqorBot payload" (Telegram groups and deep links) is /start.
        name = given.text[1:].split()[0].split("@")[0].lower() if given.text[1:].strip() else ""
        return name if name in KNOWN else UNKNOWN
    return WORDS.get(given.text.casefold())


def run(turn: Turn, command: str) -> None:
    """Carry out a command. Afterwards the engine asks the question of wherever the conversation now is."""
    if command == "start":
        turn.go("menu", "main") if turn.consented else turn.go("onboarding", "language")
    elif command == "help":
        turn.say(texts.HELP)
    elif command == "language":
        language.start(turn)
    elif not turn.consented:
        turn.say(texts.HINT_CONSENT_FIRST)
    elif command == "status":
        turn.go("status", "show")
    elif command == "menu":
        turn.go("menu", "main")
    elif command == "cancel":
        cancel(turn)
    else:
        turn.say(texts.HINT_UNKNOWN_COMMAND)


def cancel(turn: Turn) -> None:
    flow = turn.state.flow
    if flow in (None, "menu"):
        turn.say(texts.NOTHING_TO_CANCEL)
    else:
        turn.say(texts.CANCELLED if flow in DRAFT_FLOWS else texts.CANCELLED_PLAIN)
    turn.go("menu", "main")
