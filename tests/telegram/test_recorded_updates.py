"""A dialogue that records each update in its own turn (as DialogueEngine does, in the turn's transaction): the
webhook hands it the update id instead of asking the ledger first; what a turn never sees still goes through the
ledger. Either way a redelivered update is answered once. The real engine's side is in tests/e2e."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.ledger import InMemoryUpdateLedger
from bot.messages import IncomingMessage, Reply
from bot.telegram import TelegramDeps
from qamqor.settings import Settings
from tests.fakes import FakeTelegram
from tests.telegram.conftest import CHAT, MAX_UPLOAD_BYTES
from tests.telegram.scripted import ScriptedDialogue, apology, too_large
from tests.telegram.test_webhook import post, serve, settle


class RecordingDialogue(ScriptedDialogue):
    """The scripted dialogue, recording the update id at the end of its turn into the ledger's store, as the
    engine claims it at the end of the turn's transaction in the table the database ledger uses: a turn that
    finds it recorded is rolled back and says nothing; a turn that fails records nothing."""

    def __init__(self, ledger: InMemoryUpdateLedger) -> None:
        super().__init__()
        self.ledger = ledger

    async def handle_update(self, message: IncomingMessage, update_id: str) -> list[Reply] | None:
        replies = await self.handle(message)
        return replies if await self.ledger.first_time("telegram", update_id) else None


@pytest.fixture
def ledger() -> InMemoryUpdateLedger:
    return InMemoryUpdateLedger()


@pytest.fixture
def recording(ledger: InMemoryUpdateLedger) -> RecordingDialogue:
    return RecordingDialogue(ledger)


@pytest.fixture
def webhook(telegram_settings: Settings, recording: RecordingDialogue, ledger: InMemoryUpdateLedger) -> Iterator[str]:
    server, _ = serve(telegram_settings, TelegramDeps(recording, ledger, apology, too_large))
    with server:
        yield server.url + "/telegram/webhook"


def test_the_turn_records_the_update_and_a_redelivery_is_answered_once(
    webhook: str, fake_telegram: FakeTelegram, recording: RecordingDialogue, ledger: InMemoryUpdateLedger
):
    update = fake_telegram.text_update(CHAT, "hello")

    post(webhook, update)
    fake_telegram.wait_for_message_blocking(CHAT, contains="You said: hello")
    post(webhook, update)
    settle()

    # Had the webhook recorded the update before the turn, the turn would have found it recorded and said nothing.
    assert fake_telegram.texts_to(CHAT) == ["You said: hello (language ru)"]
    assert len(ledger) == 1


def test_a_redelivered_press_marks_the_question_and_answers_once(
    webhook: str, fake_telegram: FakeTelegram, recording: RecordingDialogue
):
    post(webhook, fake_telegram.text_update(CHAT, "buttons"))
    question = fake_telegram.wait_for_message_blocking(CHAT, contains="Do you live alone?")
    press = fake_telegram.callback_update(CHAT, "alone_yes", question.message_id)

    post(webhook, press)
    fake_telegram.wait_for_message_blocking(CHAT, contains="You chose alone_yes")
    post(webhook, press)
    settle()

    assert question.text == "Do you live alone?\n\n✓ Yes" and question.button_labels == []
    assert len(fake_telegram.calls("editMessageText")) == 1
    assert fake_telegram.texts_to(CHAT)[-1:] == ["You chose alone_yes"]
    assert fake_telegram.texts_to(CHAT).count("You chose alone_yes") == 1


def test_a_refused_file_is_recorded_by_the_ledger_and_refused_once(
    webhook: str, fake_telegram: FakeTelegram, recording: RecordingDialogue, ledger: InMemoryUpdateLedger
):
    big = fake_telegram.document_update(CHAT, "scan.pdf", "application/pdf", b"%PDF" + b"x" * MAX_UPLOAD_BYTES)

    post(webhook, big)
    fake_telegram.wait_for_message_blocking(CHAT, contains="larger than")
    post(webhook, big)
    settle()

    assert fake_telegram.texts_to(CHAT) == [too_large("ru", MAX_UPLOAD_BYTES)]
    assert recording.received == [] and len(ledger) == 1  # the dialogue never saw it


def test_an_update_that_failed_outside_a_completed_turn_is_recorded_and_apologised_for_once(
    webhook: str, fake_telegram: FakeTelegram, recording: RecordingDialogue, ledger: InMemoryUpdateLedger
):
    update = fake_telegram.text_update(CHAT, "boom")

    post(webhook, update)
    fake_telegram.wait_for_message_blocking(CHAT, contains=apology("ru"))
    post(webhook, update)
    settle()

    assert fake_telegram.texts_to(CHAT) == [apology("ru")]  # the apology once, as before this change
    assert len(ledger) == 1


def test_a_group_message_no_turn_sees_is_still_recorded(
    webhook: str, fake_telegram: FakeTelegram, recording: RecordingDialogue, ledger: InMemoryUpdateLedger
):
    update = fake_telegram.text_update(-100500, "hello everyone")
    update["message"]["chat"] = {"id": -100500, "type": "group", "title": "A group"}

    post(webhook, update)
    settle()

    assert recording.received == [] and fake_telegram.messages_to(-100500) == []
    assert len(ledger) == 1
