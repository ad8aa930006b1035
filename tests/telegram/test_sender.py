"""Outbound sends (staff replies, reminders): bot.delivery's ChannelSender for Telegram, the same rendering as the
dialogue, and Telegram's failures as the contract's errors (RetryLater, Unreachable, DeliveryError)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.delivery import ChannelSender, DeliveryError, Recipient, RetryLater, Unreachable
from bot.messages import Choice, DocumentOut, Option, Outgoing, Text
from bot.telegram import PollingRunner, TelegramBlocked, TelegramRetryLater, TelegramSender, make_bot
from qamqor.settings import Settings
from tests.fakes import FakeTelegram
from tests.telegram.conftest import CHAT
from tests.telegram.scripted import LONG_OPTION_ID, ScriptedDialogue

PERSON = Recipient("telegram", str(CHAT), "ru")
REMINDER = [
    Text("Reminder: bring the medical conclusion."),
    Choice("Will you come on Monday?", (Option("visit_yes", "Yes"), Option("visit_no", "No"))),
]


@pytest.fixture
async def sender(telegram_settings: Settings) -> AsyncIterator[TelegramSender]:
    bot = make_bot(telegram_settings)
    yield TelegramSender(bot)
    await bot.session.close()


async def test_sender_shows_texts_and_buttons_like_a_dialogue_reply_and_returns_their_ids(
    sender: TelegramSender, fake_telegram: FakeTelegram
):
    ids = await sender.send(PERSON, REMINDER)

    sent = fake_telegram.messages_to(CHAT)
    assert [message.text for message in sent] == ["Reminder: bring the medical conclusion.", "Will you come on Monday?"]
    assert sent[1].button_labels == ["Yes", "No"]
    assert ids == [str(message.message_id) for message in sent]


def test_sender_is_the_delivery_contracts_channel_sender(sender: TelegramSender):
    contract: ChannelSender = sender
    assert contract.channel == "telegram"
    assert (TelegramRetryLater, TelegramBlocked) == (RetryLater, Unreachable)  # the old names still import


async def test_sender_429_raises_retry_later_with_retry_after(sender: TelegramSender, fake_telegram: FakeTelegram):
    fake_telegram.fail_next("sendMessage", retry_after=7)

    with pytest.raises(RetryLater) as raised:
        await sender.send(PERSON, REMINDER)

    assert (raised.value.retry_after, raised.value.delivered) == (7, 0)
    assert fake_telegram.messages_to(CHAT) == []


async def test_sender_429_midway_counts_what_was_delivered(sender: TelegramSender, fake_telegram: FakeTelegram):
    fake_telegram.fail_next("sendMessage", retry_after=3)
    document = DocumentOut("reminder.pdf", "application/pdf", b"%PDF-1.4", caption="Your reminder")

    with pytest.raises(RetryLater) as raised:
        await sender.send(PERSON, [document, *REMINDER])

    assert raised.value.delivered == 1  # a retry resumes with replies[1:], the file is not sent twice
    assert [sent.text for sent in fake_telegram.messages_to(CHAT)] == ["Your reminder"]


async def test_sender_blocked_bot_raises_unreachable(sender: TelegramSender, fake_telegram: FakeTelegram):
    fake_telegram.block_chat(CHAT)

    with pytest.raises(Unreachable) as raised:
        await sender.send(PERSON, REMINDER)

    assert raised.value.delivered == 0
    assert "Reminder" not in str(raised.value)  # the error never quotes the message


async def test_sender_bad_request_raises_delivery_error(sender: TelegramSender):
    with pytest.raises(DeliveryError) as raised:
        await sender.send(PERSON, [Choice("", (Option("a", "A"),))])  # the Bot API refuses an empty text

    assert not isinstance(raised.value, RetryLater | Unreachable)
    assert raised.value.delivered == 0


async def test_sender_refuses_another_channels_recipient(sender: TelegramSender, fake_telegram: FakeTelegram):
    with pytest.raises(ValueError, match="whatsapp"):
        await sender.deliver(Outgoing("whatsapp", "77011234567", [Text("hi")]))
    with pytest.raises(ValueError, match="web"):
        await sender.send(Recipient("web", str(CHAT), "kk"), [Text("hi")])
    assert fake_telegram.calls("sendMessage") == []


async def test_sender_deliver_sends_to_the_external_id(sender: TelegramSender, fake_telegram: FakeTelegram):
    await sender.deliver(Outgoing("telegram", str(CHAT), [Text("Your case was accepted.")]))

    assert fake_telegram.texts_to(CHAT) == ["Your case was accepted."]


async def test_long_option_on_a_reminder_resolves_when_pressed(
    polling: PollingRunner, fake_telegram: FakeTelegram, dialogue: ScriptedDialogue
):
    question = Choice("Which service?", (Option(LONG_OPTION_ID, "Home care"),))

    await polling.sender.send(PERSON, [question])
    fake_telegram.press(CHAT, "Home care")

    await fake_telegram.wait_for_message(CHAT, contains="You chose service:home_care:")
    assert dialogue.received[-1].choice == LONG_OPTION_ID
