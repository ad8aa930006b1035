"""The JSON body of POST /chat/api/messages: exactly one of {"text": "..."} or {"choice": "<option id>"}."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.web.guards import ChatError
from bot.web.page import MAX_TEXT_CHARS

MAX_CHOICE_CHARS = 200
MAX_JSON_BODY_BYTES = 64 * 1024
_FIELDS = ("text", "choice")
# Control characters other than tab and newline carry no meaning in a chat and break some stores (NUL).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class MessagePayload:
    text: str | None = None
    choice: str | None = None


def _invalid(message: str) -> ChatError:
    return ChatError(422, "invalid_message", message)


def parse_message_payload(body: bytes) -> MessagePayload:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ChatError(400, "bad_json", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise _invalid('Send a JSON object: {"text": "..."} or {"choice": "<option id>"}.')
    unknown = sorted(key for key in data if key not in _FIELDS)
    if unknown:
        raise _invalid(f"Unknown field(s): {', '.join(unknown)}. Send only 'text' or 'choice'.")
    if len(data) != 1:
        raise _invalid("Send exactly one of 'text' or 'choice'.")
    field, value = next(iter(data.items()))
    if not isinstance(value, str):
        raise _invalid(f"'{field}' must be a string.")
    cleaned = _clean(value, field)
    if field == "text":
        return MessagePayload(text=cleaned)
    return MessagePayload(choice=cleaned)


def _clean(value: str, field: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(f"'{field}' contains characters that are not valid Unicode.") from None
    cleaned = _CONTROL_CHARS.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not cleaned:
        raise _invalid(f"'{field}' is empty.")
    limit = MAX_TEXT_CHARS if field == "text" else MAX_CHOICE_CHARS
    if len(cleaned) > limit:
        raise _invalid(f"'{field}' is too long (at most {limit} characters).")
    return cleaned
