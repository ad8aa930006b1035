"""Telegram Bot API JSON shapes (as https://core.telegram.org/bots/api documents them) for the fake server.

Only the fields aiogram needs to parse, plus the ones a test asserts on. Dates are Unix seconds.
"""

from __future__ import annotations

import time
from typing import Any

BOT_USER: dict[str, Any] = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Qamqor",
    "username": "qamqor_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


def now() -> int:
    return int(time.time())


def person(user_id: int, *, first_name: str = "Aigerim", language_code: str | None = "ru") -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code is not None:
        user["language_code"] = language_code
    return user


def private_chat(chat_id: int, *, first_name: str = "Aigerim") -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": first_name}


def message(message_id: int, chat_id: int, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "from": sender,
        "chat": private_chat(chat_id, first_name=sender.get("first_name", "Aigerim")),
        "date": now(),
        **content,
    }


def text_content(text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0]
        content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return content


def document(file_id: str, unique_id: str, file_name: str, mime: str, size: int) -> dict[str, Any]:
    return {
        "file_id": file_id,
        "file_unique_id": unique_id,
        "file_name": file_name,
        "mime_type": mime,
        "file_size": size,
    }


def photo_size(file_id: str, unique_id: str, width: int, height: int, size: int) -> dict[str, Any]:
    return {"file_id": file_id, "file_unique_id": unique_id, "width": width, "height": height, "file_size": size}


def contact(phone_number: str, first_name: str, user_id: int | None) -> dict[str, Any]:
    shared: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
    if user_id is not None:
        shared["user_id"] = user_id
    return shared


def callback_query(query_id: str, sender: dict[str, Any], data: str, bot_message: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": query_id,
        "from": sender,
        "message": bot_message,
        "chat_instance": f"ci-{bot_message['chat']['id']}",
        "data": data,
    }


def error(code: int, description: str, **parameters: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body
