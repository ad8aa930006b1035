"""The engine itself: state kept in the database (a restart resumes), one retry on a concurrent update, an
apology with the main menu when a step fails (and a log without personal data), the replies for adapters."""

from __future__ import annotations

import logging
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

import bot.dialogue.engine as engine_module
from bot.dialogue import DialogueEngine, error_reply, error_text, file_too_large_text, flows
from bot.dialogue.turn import TEXT, StepDef
from bot.messages import Choice, IncomingMessage, Text
from core.db.models import ChatIdentity, Conversation
from core.db.uow import ConcurrentUpdateError
from qamqor.runtime import Runtime
from tests.dialogue.conftest import Chat, make_iin, onboard


def at_name_step(chat: Chat, iin: str) -> None:
    onboard(chat, "English")
    chat.press("New application")
    chat.press("For myself")
    chat.send(iin)
    chat.press("Yes")


def test_restart_mid_flow_resumes_from_the_database(engine, runtime, area, clock):
    chat = Chat(engine)
    onboard(chat, "English")
    chat.press("New application")
    chat.press("For myself")
    runtime.dispose()
    restarted = Runtime(runtime.settings, clock=clock)  # a new process: new engine, pool and runtime, same DB
    try:
        again = Chat(DialogueEngine(restarted))
        assert "From this IIN: date of birth 01.01.1950" in again.send(make_iin(date(1950, 1, 1)))
    finally:
        restarted.dispose()


def test_cancel_keeps_the_draft_and_new_application_resumes_it(engine, area):
    chat = Chat(engine)
    at_name_step(chat, make_iin(date(1950, 1, 1)))
    chat.send("Karimov Daulet")
    cancelled = chat.send("/cancel")
    assert cancelled.startswith("Stopped. Nothing is lost: what you entered is kept in your draft application.")
    assert "Main menu. What would you like to do?" in cancelled
    resume = chat.press("New application")
    assert "You started a new application earlier and stopped at step 4 of 6. Shall we continue?" in resume
    assert "Step 4 of 6\nWhich of these fits best?" in chat.press("Continue")
    chat.press("older person")
    chat.press("Almaty")
    chat.press("Almaly")
    assert "Documents for Karimov Daulet: home care." in chat.press("Home care")


def test_cancel_outside_a_draft_and_in_the_menu(engine, area):
    chat = Chat(engine)
    onboard(chat, "English")
    assert chat.send("/cancel").startswith("There is nothing to stop now.")
    chat.press("Ask staff")
    assert chat.press("Main menu").startswith("Main menu")  # the menu button is always there
    chat.press("Ask staff")
    assert chat.send("/cancel").startswith("Stopped. Nothing has changed in your application.")


def test_reapplying_with_the_same_iin_resumes_the_case(engine, area):
    chat = Chat(engine)
    iin = make_iin(date(1950, 1, 1))
    at_name_step(chat, iin)
    chat.send("Karimov Daulet")
    chat.press("older person")
    chat.press("Almaty")
    chat.press("Almaly")
    chat.press("Home care")
    chat.press("Main menu")
    chat.press("New application")
    chat.press("For myself")
    resumed = chat.send(iin)
    assert (
        "There is already an application for Karimov Daulet: home care, stage: application being prepared. "
        "Let's continue it."
    ) in resumed
    assert "Documents for Karimov Daulet: home care." in resumed


def test_someone_elses_iin_never_shows_their_case(engine, area):
    owner = Chat(engine, external_id="owner")
    iin = make_iin(date(1950, 1, 1))
    at_name_step(owner, iin)
    owner.send("Karimov Daulet")
    owner.press("older person")
    owner.press("Almaty")
    owner.press("Almaly")
    owner.press("Home care")
    stranger = Chat(engine, external_id="stranger")
    onboard(stranger, "English")
    stranger.press("New application")
    stranger.press("For myself")
    answer = stranger.send(iin)
    assert "To protect personal data I cannot show it here." in answer
    assert "Karimov" not in answer and "home care" not in answer
    assert list(stranger.options()) == ["Ask staff", "Main menu"]


def test_a_failing_step_apologises_shows_the_menu_and_logs_no_iin(engine, area, monkeypatch, caplog):
    iin = make_iin(date(1950, 1, 1))

    def broken(turn, given):
        raise RuntimeError(f"cannot save the name for {iin}, phone +7 701 123 45 67")

    step = flows.STEPS[("apply", "name")]
    monkeypatch.setitem(flows.STEPS, ("apply", "name"), StepDef(step.ask, broken, frozenset({TEXT})))
    chat = Chat(engine)
    at_name_step(chat, iin)
    with caplog.at_level(logging.ERROR, logger="bot.dialogue.engine"):
        answer = chat.send("Karimov Daulet")
    assert answer.startswith("Sorry, something went wrong on our side. Please try again in a minute.")
    assert "Main menu. What would you like to do?" in answer
    logged = caplog.text
    assert "apply/name" in logged and "RuntimeError" in logged
    assert iin not in logged and "123 45 67" not in logged and "Karimov" not in logged
    assert iin[-4:] in logged  # masked, still tells two people apart
    assert chat.press("New application")  # and the chat goes on


@pytest.mark.parametrize(
    "race",
    [
        pytest.param(ConcurrentUpdateError("the conversation row changed"), id="conversation-version"),
        pytest.param(IntegrityError("INSERT", {}, Exception("unique")), id="first-messages-create-the-chat"),
    ],
)
def test_a_concurrent_update_is_retried_once(engine, area, monkeypatch, race):
    calls = {"n": 0}
    real_save = engine_module.save_state

    def racing_save(ctx, conversation, state):
        calls["n"] += 1
        if calls["n"] == 1:
            raise race
        real_save(ctx, conversation, state)

    chat = Chat(engine)
    onboard(chat, "English")
    monkeypatch.setattr(engine_module, "save_state", racing_save)
    answer = chat.press("New application")
    assert calls["n"] == 2
    assert answer.count("Who is the application for?") == 1 and "Sorry" not in answer


def test_two_concurrent_updates_in_a_row_get_the_apology(engine, area, monkeypatch):
    chat = Chat(engine)
    onboard(chat, "English")

    def always_racing(ctx, conversation, state):
        raise ConcurrentUpdateError("the conversation row changed")

    monkeypatch.setattr(engine_module, "save_state", always_racing)
    assert chat.press("New application").startswith("Sorry, something went wrong")


@pytest.mark.parametrize("db_backend", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_a_real_concurrent_update_is_detected_and_retried_on_postgresql(engine, runtime, area, monkeypatch):
    """Another turn of the same chat commits between our read and our write: the version check catches it."""
    chat = Chat(engine)
    onboard(chat, "English")
    real_load = engine_module.load_conversation
    raced = {"done": False}

    def load_then_race(ctx, identity):
        conversation = real_load(ctx, identity)
        if not raced["done"]:
            raced["done"] = True
            with runtime.context() as other:
                row = other.session.get(Conversation, conversation.id)
                row.data = {**row.data, "raced": True}
        return conversation

    monkeypatch.setattr(engine_module, "load_conversation", load_then_race)
    answer = chat.press("New application")
    assert answer.count("Who is the application for?") == 1 and "Sorry" not in answer
    with runtime.context() as ctx:
        row = ctx.session.scalars(sa.select(Conversation)).one()
        assert row.data.get("raced") is True and row.step == "who"  # both changes kept, none lost


async def test_handle_is_async_and_works_for_the_web_channel(engine, area, runtime):
    replies = await engine.handle(IncomingMessage(channel="web", external_id="w" * 43, text="hello"))
    assert isinstance(replies[-1], Choice) and [o.label for o in replies[-1].options] == [
        "Қазақша",
        "Русский",
        "English",
    ]
    with runtime.context() as ctx:
        assert ctx.session.scalars(sa.select(ChatIdentity.channel)).one() == "web"


@pytest.mark.parametrize(
    ("hint", "apology", "menu"),
    [
        pytest.param("kk", "Кешіріңіз, біз жақта бір ақау шықты.", "Басты мәзір", id="kk"),
        pytest.param("ru-RU", "Извините, у нас что-то пошло не так.", "Главное меню", id="ru"),
        pytest.param("en_GB", "Sorry, something went wrong on our side.", "Main menu", id="en"),
        pytest.param(None, "Кешіріңіз", "Басты мәзір", id="unknown-is-kazakh"),
    ],
)
def test_error_reply_for_adapters(hint, apology, menu):
    reply = error_reply(hint)
    assert len(reply) == 1 and isinstance(reply[0], Choice)
    assert reply[0].text.startswith(apology) and reply[0].options[0].label == menu
    assert reply[0].options[0].id == "cmd:menu"
    assert error_text(hint).startswith(apology)


def test_file_too_large_text_names_the_limit():
    assert file_too_large_text("ru", 20 * 1024 * 1024).startswith("Этот файл слишком большой. Предел — 20 МБ.")
    assert file_too_large_text("en", 512 * 1024).startswith("This file is too large. The limit is 0.5 MB.")


def test_text_messages_are_never_empty(engine, area):
    chat = Chat(engine)
    for message in ("/start", "/help", "/status", "/cancel", "/language", "/menu"):
        chat.send(message)
        assert all(reply.text.strip() for reply in chat.replies if isinstance(reply, Text | Choice))
