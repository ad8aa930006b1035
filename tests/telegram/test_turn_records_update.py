"""The real engine records a Telegram update in the transaction of the turn it causes (SQLite and PostgreSQL): the
update counts as handled exactly when the turn's state is committed, so a redelivery changes and says nothing, and
an update whose turn never committed is handled when it comes again (nothing is lost)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

import bot.dialogue.engine as engine_module
from bot.dialogue import DialogueEngine, flows
from bot.dialogue.turn import CHOICE, StepDef
from bot.messages import Choice, IncomingMessage
from core.db.models import Conversation, ProcessedUpdate
from core.db.uow import ConcurrentUpdateError
from qamqor.runtime import Runtime
from tests.dialogue import conftest as dialogue

# The dialogue tests' fixtures: the engine over a migrated database (SQLite and PostgreSQL), and its clock.
clock, runtime, engine = dialogue.clock, dialogue.runtime, dialogue.engine

CHAT = "424242"


def start(text: str | None = "/start", choice: str | None = None) -> IncomingMessage:
    return IncomingMessage("telegram", CHAT, text=text, choice=choice, language_hint="en")


def recorded(rt: Runtime) -> list[tuple[str, str]]:
    with rt.context() as ctx:
        rows = ctx.session.execute(sa.select(ProcessedUpdate.channel, ProcessedUpdate.update_id)).all()
        return [(str(channel), update_id) for channel, update_id in rows]


def conversation(rt: Runtime) -> tuple[str | None, int]:
    with rt.context() as ctx:
        row = ctx.session.scalars(sa.select(Conversation)).one()
        return row.step, row.version


def test_a_redelivered_update_changes_and_says_nothing(engine: DialogueEngine, runtime: Runtime):
    first = engine.handle_update_sync(start(), "501")
    assert first is not None and isinstance(first[-1], Choice)  # the language question
    assert recorded(runtime) == [("telegram", "501")]
    before = conversation(runtime)

    assert engine.handle_update_sync(start(), "501") is None

    assert conversation(runtime) == before  # the second turn was rolled back: not even the version moved
    assert recorded(runtime) == [("telegram", "501")]


def test_an_update_whose_turn_never_committed_is_handled_when_it_comes_again(
    engine: DialogueEngine, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
):
    def always_racing(*_: object) -> None:
        raise ConcurrentUpdateError("the conversation row changed")

    monkeypatch.setattr(engine_module, "save_state", always_racing)
    apology = engine.handle_update_sync(start(), "502")  # both tries and the recovery fail to save
    assert apology is not None and apology[0].text.startswith("Sorry")
    assert recorded(runtime) == []

    monkeypatch.undo()
    again = engine.handle_update_sync(start(), "502")
    assert again is not None and isinstance(again[-1], Choice)
    assert recorded(runtime) == [("telegram", "502")]


def test_the_apology_for_a_failed_step_is_the_update_s_answer_and_is_not_repeated(
    engine: DialogueEngine, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
):
    engine.handle_update_sync(start(), "503")

    def broken(turn: object, given: object) -> None:
        raise RuntimeError("the language step broke")

    step = flows.STEPS[("onboarding", "language")]
    monkeypatch.setitem(flows.STEPS, ("onboarding", "language"), StepDef(step.ask, broken, frozenset({CHOICE})))
    pressed = start(text=None, choice="lang:en")
    apology = engine.handle_update_sync(pressed, "504")
    assert apology is not None and apology[0].text.startswith("Sorry")

    assert engine.handle_update_sync(pressed, "504") is None
    assert sorted(recorded(runtime)) == [("telegram", "503"), ("telegram", "504")]


def test_without_an_update_id_nothing_is_recorded(engine: DialogueEngine, runtime: Runtime):
    assert engine.handle_sync(start())
    assert engine.handle_sync(start())  # the same message twice is two messages: both answered

    assert recorded(runtime) == []


async def test_turns_of_many_chats_at_once_all_answer_and_all_record(engine: DialogueEngine, runtime: Runtime):
    chats = [str(424000 + number) for number in range(8)]
    messages = [IncomingMessage("telegram", chat, text="/start", language_hint="en") for chat in chats]

    answers = await asyncio.gather(*(engine.handle_update(message, f"6{n}") for n, message in enumerate(messages)))

    assert all(answer is not None and isinstance(answer[-1], Choice) for answer in answers)
    assert sorted(recorded(runtime)) == [("telegram", f"6{n}") for n in range(8)]
