"""Channel-neutral replies rendered as Telegram Bot API calls: one renderer for update handlers and the sender.

Text is sent plain (no parse mode), so nothing a person or the dialogue writes can be read as markup.
"""

from __future__ import annotations

import base64
import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

from aiogram import Bot
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Choice, DocumentOut, Option, Reply, RequestFile, Text

TEXT_LIMIT = 4096  # sendMessage text, in UTF-16 code units
CAPTION_LIMIT = 1024  # sendDocument caption
CALLBACK_DATA_LIMIT = 64  # bytes
TOKEN_PREFIX = "~"  # marks callback data that stands for a longer option id

ChatId = int | str

_SEPARATORS = ("\n\n", "\n", " ")  # paragraph, line, word: the gentlest split that fits wins


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut a long text into messages of at most `limit`, on paragraph boundaries where possible."""
    if not text.strip():
        return []
    if telegram_length(text) <= limit:
        return [text]
    return [chunk for chunk in _pack(text, limit, level=0) if chunk.strip()]


def _pack(text: str, limit: int, level: int) -> list[str]:
    if level == len(_SEPARATORS):
        return _hard_cut(text, limit)
    separator = _SEPARATORS[level]
    chunks: list[str] = []
    current = ""
    for piece in text.split(separator):
        candidate = current + separator + piece if current else piece
        if telegram_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if telegram_length(piece) <= limit:
            current = piece
        else:
            *whole, current = _pack(piece, limit, level + 1) or [""]
            chunks.extend(whole)
    if current:
        chunks.append(current)
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    """A single word longer than a message: cut between characters, never inside a surrogate pair."""
    chunks: list[str] = []
    current, length = "", 0
    for char in text:
        width = telegram_length(char)
        if length + width > limit:
            chunks.append(current)
            current, length = "", 0
        current += char
        length += width
    chunks.append(current)
    return chunks


def buttons_per_row(labels: Sequence[str]) -> int:
    """Short labels (Yes/No, numbers) share a row; anything longer gets its own so it is not truncated."""
    longest = max((len(label) for label in labels), default=0)
    if longest <= 10:
        return 3
    if longest <= 18:
        return 2
    return 1


class OptionTokens(Protocol):
    """Maps option ids too long for callback data (64 bytes) to short tokens and back."""

    async def token_for(self, option_id: str) -> str: ...

    async def resolve(self, token: str) -> str | None: ...


class InMemoryOptionTokens:
    """Tokens kept in this process (bounded). A token is a hash of the id, so re-sending one question reuses it."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._max_entries = max_entries
        self._ids: OrderedDict[str, str] = OrderedDict()

    async def token_for(self, option_id: str) -> str:
        digest = hashlib.sha256(option_id.encode()).digest()
        token = TOKEN_PREFIX + base64.urlsafe_b64encode(digest).decode()[:22]
        self._ids[token] = option_id
        self._ids.move_to_end(token)
        if len(self._ids) > self._max_entries:
            self._ids.popitem(last=False)
        return token

    async def resolve(self, token: str) -> str | None:
        return self._ids.get(token)


def needs_token(option_id: str) -> bool:
    # Ids starting with the prefix are tokenised too, so a real id can never be mistaken for a token.
    size = len(option_id.encode())
    return size == 0 or size > CALLBACK_DATA_LIMIT or option_id.startswith(TOKEN_PREFIX)


class TelegramRenderer:
    """Sends replies to one chat; resolves pressed buttons back to option ids."""

    def __init__(self, tokens: OptionTokens | None = None) -> None:
        self.tokens: OptionTokens = tokens if tokens is not None else InMemoryOptionTokens()

    async def send(self, bot: Bot, chat_id: ChatId, replies: Sequence[Reply]) -> None:
        for reply in replies:
            await self.send_one(bot, chat_id, reply)

    async def send_one(self, bot: Bot, chat_id: ChatId, reply: Reply) -> None:
        if isinstance(reply, Choice):
            await self._send_choice(bot, chat_id, reply)
        elif isinstance(reply, Text | RequestFile):
            await self._send_text(bot, chat_id, reply.text)
        elif isinstance(reply, DocumentOut):
            await self._send_document(bot, chat_id, reply)
        else:  # pragma: no cover - a new Reply type must be rendered here before it is used
            raise TypeError(f"cannot render {type(reply).__name__} on Telegram")

    async def resolve_choice(self, callback_data: str) -> str | None:
        """The option id behind a pressed button, or None for a token this process no longer knows."""
        if callback_data.startswith(TOKEN_PREFIX):
            return await self.tokens.resolve(callback_data)
        return callback_data

    async def keyboard(self, options: Sequence[Option]) -> InlineKeyboardMarkup:
        per_row = buttons_per_row([option.label for option in options])
        buttons = [
            InlineKeyboardButton(text=option.label, callback_data=await self._callback_data(option.id))
            for option in options
        ]
        rows = [buttons[start : start + per_row] for start in range(0, len(buttons), per_row)]
        return InlineKeyboardMarkup(inline_keyboard=rows)

    async def _callback_data(self, option_id: str) -> str:
        return await self.tokens.token_for(option_id) if needs_token(option_id) else option_id

    async def _send_text(self, bot: Bot, chat_id: ChatId, text: str) -> None:
        for chunk in split_text(text):
            await bot.send_message(chat_id, chunk)

    async def _send_choice(self, bot: Bot, chat_id: ChatId, choice: Choice) -> None:
        # The buttons go under the last part, right where the person finishes reading the question.
        *leading, last = split_text(choice.text) or [choice.text]
        for chunk in leading:
            await bot.send_message(chat_id, chunk)
        await bot.send_message(chat_id, last, reply_markup=await self.keyboard(choice.options))

    async def _send_document(self, bot: Bot, chat_id: ChatId, document: DocumentOut) -> None:
        fits = telegram_length(document.caption) <= CAPTION_LIMIT
        upload = BufferedInputFile(document.data, filename=document.file_name)
        await bot.send_document(chat_id, upload, caption=(document.caption or None) if fits else None)
        if not fits:
            await self._send_text(bot, chat_id, document.caption)
