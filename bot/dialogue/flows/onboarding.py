"""Onboarding: the language, what Qamqor does, and consent to process personal data (Law No. 94-V).

Nothing else works without consent. A refusal is recorded and answered politely; /start begins again.
"""

from __future__ import annotations

from bot.dialogue import texts
from bot.dialogue.turn import CHOICE, Input, StepDef, Turn
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, N_
from core.db.enums import Language
from core.services import people

FLOW = "onboarding"
# The version of the consent text below: change it whenever the text changes, so everyone is asked again.
CONSENT_TEXT_VERSION = "2026-11-v1"

# Shown before a language is chosen, so in all three at once (Kazakh first).
LANGUAGE_QUESTION = "Тілді таңдаңыз.\nВыберите язык.\nPlease choose your language."
LANGUAGE_OPTIONS = tuple((f"lang:{code}", LANGUAGE_NAMES[code]) for code in LANGUAGES)

ABOUT = N_(
    "Qamqor helps you apply for special social services: residential care, day care, home care or a temporary "
    "stay.\n"
    "Here you can apply, send documents and follow your application.\n"
    "The department's staff answer your questions here too."
)
CONSENT = N_(
    "To help you, we need your consent to collect and process personal data (Law of the Republic of "
    'Kazakhstan No. 94-V "On personal data and their protection").\n'
    "We use your IIN, name, health and disability information and documents only for your application for "
    "special social services. They are seen by the department and by the organisation you choose.\n"
    "You can withdraw your consent at any time by writing to staff.\n"
    "Do you agree?"
)
AGREE = N_("I agree")
DISAGREE = N_("I do not agree")
THANKS = N_("Thank you! Your consent is recorded.")
REFUSED = N_(
    "Understood. Without consent I cannot take an application or keep your documents. "
    "If you change your mind, send /start or press the button below."
)
REFUSED_AGAIN = N_("Without your consent I cannot help here. You can begin again at any time.")
START_AGAIN = N_("Start again")


def picked_language(choice: str) -> str | None:
    code = choice.removeprefix("lang:")
    return code if choice.startswith("lang:") and code in LANGUAGES else None


def ask_language(turn: Turn) -> None:
    turn.choice(LANGUAGE_QUESTION, LANGUAGE_OPTIONS)


def answer_language(turn: Turn, given: Input) -> None:
    code = picked_language(given.choice)
    if code is None:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    turn.identity.language = Language(code)
    turn.go(FLOW, "consent")


def ask_consent(turn: Turn) -> None:
    turn.say(ABOUT)
    turn.choice(turn.t(CONSENT), [("consent:yes", turn.t(AGREE)), ("consent:no", turn.t(DISAGREE))])


def answer_consent(turn: Turn, given: Input) -> None:
    if given.choice not in ("consent:yes", "consent:no"):
        turn.say(texts.HINT_OLD_BUTTON)
        return
    agreed = given.choice == "consent:yes"
    people.record_consent(
        turn.ctx, turn.identity, given=agreed, text_version=CONSENT_TEXT_VERSION, language=Language(turn.lang)
    )
    turn.consented = agreed
    if agreed:
        turn.say(THANKS)
        turn.go("menu", "main")
    else:
        turn.say(REFUSED)
        turn.go(FLOW, "refused")


def ask_refused(turn: Turn) -> None:
    turn.choice(turn.t(REFUSED_AGAIN), [("cmd:start", turn.t(START_AGAIN))])


def answer_refused(turn: Turn, given: Input) -> None:
    turn.say(texts.HINT_OLD_BUTTON)


STEPS = {
    "language": StepDef(ask_language, answer_language, frozenset({CHOICE})),
    "consent": StepDef(ask_consent, answer_consent, frozenset({CHOICE})),
    "refused": StepDef(ask_refused, answer_refused, frozenset({CHOICE})),
}
