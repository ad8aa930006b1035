"""Every flow's steps, by (flow, step). A flow is one module; its steps name each other as strings."""

from __future__ import annotations

from bot.dialogue.flows import (
    apply_person,
    apply_service,
    ask,
    choose,
    documents,
    language,
    menu,
    onboarding,
    postpone,
    status,
)
from bot.dialogue.turn import StepDef

_MODULES = (
    (onboarding.FLOW, onboarding.STEPS),
    (language.FLOW, language.STEPS),
    (menu.FLOW, menu.STEPS),
    (apply_person.FLOW, apply_person.STEPS),
    (apply_person.FLOW, apply_service.STEPS),  # one flow, two modules
    (documents.FLOW, documents.STEPS),
    (choose.FLOW, choose.STEPS),
    (status.FLOW, status.STEPS),
    (postpone.FLOW, postpone.STEPS),
    (ask.FLOW, ask.STEPS),
)

STEPS: dict[tuple[str, str], StepDef] = {(flow, name): step for flow, steps in _MODULES for name, step in steps.items()}

# Flows that may run before consent is given.
BEFORE_CONSENT = frozenset({onboarding.FLOW, language.FLOW})


def step(flow: str | None, name: str | None) -> StepDef | None:
    if flow is None or name is None:
        return None
    return STEPS.get((flow, name))
