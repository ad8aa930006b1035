"""One turn of the dialogue: what the person did (`Input`), and what the flows use to answer (`Turn`).

A flow is a set of steps. Each step can `ask` its question and take the person's `answer`; after every
answer the engine asks the question of the step the conversation is now in, so a wrong answer simply gets a
short hint followed by the same question again, and a right one the next question.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.dialogue.state import State
from bot.i18n import gettext
from bot.messages import Attachment, Choice, IncomingMessage, Option, Reply, RequestFile, Text
from core.db.enums import Language
from core.db.models import ChatIdentity
from core.rules.codes import Actor
from core.services.context import ActorRef, ServiceContext
from core.services.files import ACCEPTED_TYPES

TEXT, CHOICE, FILE, EMPTY, CONTACT = "text", "choice", "file", "empty", "contact"
OPTIONS_KEY = "_options"  # the buttons last shown, so a typed label or number counts as pressing it


@dataclass(frozen=True, slots=True)
class Input:
    kind: str  # TEXT, CHOICE, FILE, EMPTY or CONTACT
    text: str = ""
    choice: str = ""
    attachment: Attachment | None = None

    @classmethod
    def of(cls, message: IncomingMessage) -> Input:
        if message.choice:
            return cls(CHOICE, choice=message.choice)
        if message.attachment is not None:
            return cls(FILE, attachment=message.attachment)
        if message.text and message.text.strip():
            return cls(TEXT, text=message.text.strip())
        if message.contact_phone:
            return cls(CONTACT, text=message.contact_phone)
        return cls(EMPTY)  # a sticker, a voice note, a location...


@dataclass(slots=True)
class Turn:
    ctx: ServiceContext
    identity: ChatIdentity
    state: State
    replies: list[Reply] = field(default_factory=list)
    consented: bool = False

    @property
    def lang(self) -> str:
        return Language(self.identity.language).value

    @property
    def data(self) -> dict[str, Any]:
        return self.state.data

    @property
    def where(self) -> tuple[str | None, str | None]:
        return self.state.flow, self.state.step

    def scratch(self, name: str) -> dict[str, Any]:
        """The named part of the conversation data (created empty), e.g. the answers of a flow."""
        part = self.data.get(name)
        if not isinstance(part, dict):
            part = self.data[name] = {}
        return part

    def t(self, message: str, **values: object) -> str:
        return gettext(self.lang, message, **values)

    def text(self, body: str) -> None:
        self.replies.append(Text(body))

    def say(self, message: str, **values: object) -> None:
        self.replies.append(Text(self.t(message, **values)))

    def choice(self, body: str, options: Sequence[tuple[str, str]]) -> None:
        """A question with buttons; the buttons are remembered so typing a label or its number works too."""
        self.replies.append(Choice(body, tuple(Option(id_, label) for id_, label in options)))
        self.data[OPTIONS_KEY] = [[id_, label] for id_, label in options]

    def request_file(self, body: str) -> None:
        self.replies.append(RequestFile(body, accept=ACCEPTED_TYPES, max_bytes=self.ctx.files.max_bytes))

    def go(self, flow: str, step: str) -> None:
        self.state.flow, self.state.step = flow, step

    def act_as_person(self) -> None:
        """From now on the services record this chat's person as the actor (audit log, status history)."""
        person_id = self.identity.person_id
        self.ctx = self.ctx.acting_as(ActorRef(Actor.APPLICANT, str(person_id) if person_id else None))


@dataclass(frozen=True, slots=True)
class StepDef:
    """`ask` puts the question; `answer` takes an input of one of the kinds in `accepts` (others get a hint)."""

    ask: Callable[[Turn], None]
    answer: Callable[[Turn, Input], None]
    accepts: frozenset[str] = frozenset({CHOICE})


def options_shown(turn: Turn) -> list[tuple[str, str]]:
    shown = turn.data.get(OPTIONS_KEY) or []
    return [(str(pair[0]), str(pair[1])) for pair in shown if isinstance(pair, list) and len(pair) == 2]


def typed_choice(turn: Turn, typed: str) -> str | None:
    """The button a typed text stands for: its label (any case) or its number in the list, else None."""
    shown = options_shown(turn)
    wanted = typed.strip().casefold()
    for id_, label in shown:
        if label.casefold() == wanted:
            return id_
    if wanted.isdigit() and 1 <= int(wanted) <= len(shown):
        return shown[int(wanted) - 1][0]
    return None
