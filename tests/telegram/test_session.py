"""Bot API requests go as JSON (a file upload as multipart): what Telegram receives is the same either way."""

from __future__ import annotations

import json

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendMessage
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.session import JsonBodySession
from tests.fakes import TOKEN


def body(method: SendMessage | SendDocument | AnswerCallbackQuery) -> str | None:
    session = JsonBodySession()
    return session.json_body(Bot(TOKEN, session=session), method)


def test_a_message_with_buttons_is_one_json_object_with_the_keyboard_nested():
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Иә", callback_data="yes")]])
    sent = body(SendMessage(chat_id=424242, text="Өтінішті жіберу керек пе?", reply_markup=keyboard))

    assert sent is not None
    assert json.loads(sent) == {
        "chat_id": 424242,
        "text": "Өтінішті жіберу керек пе?",
        "reply_markup": {"inline_keyboard": [[{"text": "Иә", "callback_data": "yes"}]]},
    }


def test_empty_parameters_are_left_out_as_in_aiogram_s_form():
    sent = body(AnswerCallbackQuery(callback_query_id="77", text=None, show_alert=False))

    assert sent is not None and json.loads(sent) == {"callback_query_id": "77"}


def test_a_file_upload_is_left_to_multipart():
    upload = BufferedInputFile(b"%PDF-1.4\n%%EOF\n", filename="application.pdf")

    assert body(SendDocument(chat_id=424242, document=upload, caption="Your application")) is None
