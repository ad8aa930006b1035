"""`qamqor bench dialogue`: the figures are printed in the agreed shape and the simulated people really got through
their journey (applications opened, every pressed button found). Speed itself is never asserted here."""

from __future__ import annotations

import asyncio
import re

import aiohttp
import pytest

from core.rules.iin import parse_iin
from qamqor.bench.bot_api_stub import BotApiStub
from qamqor.bench.dialogue import (
    FIRST_CHAT_ID,
    Figures,
    HandledSignal,
    Harness,
    Press,
    Typed,
    applicant_iin,
    journey,
    scripts,
)
from qamqor.cli import main

TOKEN = "123456789:BenchTestToken"
FIGURES = r"\s+\d+ updates/s\s+p50\s+[\d.]+ ms\s+p99\s+[\d.]+ ms"


@pytest.fixture
def on_sqlite(tmp_path, monkeypatch):
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("QAMQOR_DATABASE_URL", raising=False)


def test_bench_dialogue_prints_both_apps_the_ratio_and_the_journey_check(on_sqlite, capsys):
    assert main(["bench", "dialogue", "--chats", "2", "--updates", "30", "--concurrency", "2"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "dialogue benchmark: 30 updates from 2 chats, concurrency 2, on sqlite (a throwaway database)"
    assert re.fullmatch(r"  qamqor dialogue  :" + FIGURES, lines[1])
    assert re.fullmatch(r"  bare echo        :" + FIGURES, lines[2])
    assert re.fullmatch(r"  ratio \(throughput\): \d+\.\d\d   \(aim: at least 0\.5\)", lines[3])
    # 15 updates a chat: onboarding and the new application (12 steps) complete for both people.
    assert lines[4] == "  check: 2 applications opened, 0 presses found no button"


@pytest.mark.parametrize(
    "option", ["--chats", "--updates", "--concurrency"], ids=["no-chats", "no-updates", "no-concurrency"]
)
def test_bench_dialogue_refuses_a_count_below_one(on_sqlite, capsys, option):
    assert main(["bench", "dialogue", option, "0"]) == 2
    assert "must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("chats", "updates", "shares"),
    [(3, 9, [3, 3, 3]), (3, 10, [4, 3, 3]), (4, 2, [1, 1, 0, 0])],
    ids=["even", "remainder-to-the-first-chat", "fewer-updates-than-chats"],
)
def test_updates_are_shared_out_over_the_chats(chats, updates, shares):
    assert [len(actions) for actions in scripts(chats, updates)] == shares


def test_a_journey_opens_an_application_then_repeats_the_everyday_questions():
    actions = journey(0, 26)
    assert actions[:3] == [Typed("/start"), Press("lang:ru"), Press("consent:yes")]
    assert actions[11] == Press("form:")  # the draft is opened here
    assert actions[12:19] == actions[19:26]  # then the same everyday round, again and again


def test_every_simulated_person_has_a_valid_iin_of_their_own():
    iins = [applicant_iin(index) for index in range(420)]
    assert all(parse_iin(iin).valid for iin in iins)
    assert len(set(iins)) == len(iins)


async def test_the_echo_bot_is_sent_exactly_the_updates_the_dialogue_was_sent():
    """The harness records what it posts to each chat; replayed, the echo gets the same JSON in the same order
    (button presses with the pressed message and its keyboard, which the echo bot never shows itself)."""
    keyboard = {"inline_keyboard": [[{"text": "Русский", "callback_data": "lang:ru"}]]}
    question = {"chat_id": FIRST_CHAT_ID, "text": "Тілді таңдаңыз", "reply_markup": keyboard}
    actions = [Typed("/start"), Press("lang:")]
    async with BotApiStub(TOKEN) as stub, BotApiStub(TOKEN) as echo_stub, aiohttp.ClientSession() as client:
        await client.post(f"{stub.url}/bot{TOKEN}/sendMessage", json=question)  # the dialogue asks, with a button
        dialogue = Harness(client, "", stub, HandledSignal(asyncio.get_running_loop()))
        sent = [dialogue.next_update(FIRST_CHAT_ID, action, Figures()) for action in actions]
        # The echo bot never showed that button: only the recording can give it the same press.
        echo = Harness(client, "", echo_stub, HandledSignal(asyncio.get_running_loop()), replay=dialogue.posted)
        missed = Figures()
        replayed = [echo.next_update(FIRST_CHAT_ID, action, missed) for action in actions]

    assert sent[1]["callback_query"]["message"]["reply_markup"] == keyboard
    assert replayed == sent and missed.presses_missed == 0
