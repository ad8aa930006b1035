"""A fake Telegram Bot API on loopback, for driving the real aiogram bot in tests.

    with FakeTelegram() as fake:                       # serves http://127.0.0.1:<port>
        settings.telegram.api_base_url = fake.url      # aiogram calls <url>/bot<token>/<method>
        fake.push_text(42, "/start")                   # what the person does...
        await fake.wait_for_message(42, contains="Hi") # ...and what the person sees

It checks the token, keeps getUpdates' offset semantics (long poll capped at `poll_cap_seconds` so tests stay
fast), enforces the limits a real server enforces (4096-character texts, 64-byte callback data, 1024-character
captions, 20 MB getFile), records every call, and can answer with 429 or 403 on demand.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.fakes import telegram_objects as tg
from tests.fakes.telegram_server import TOKEN, ApiError, BotApiServer, Call, SentMessage, StoredFile

__all__ = ["TOKEN", "Call", "FakeTelegram", "SentMessage"]


class FakeTelegram(BotApiServer):
    """The fake server plus what a person does (push_*, press) and sees (messages_to, wait_for_message)."""

    # --- what the person does --------------------------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> int:
        with self._lock:
            self._updates.append(update)
        return int(update["update_id"])

    def push_text(self, chat_id: int, text: str, **who: Any) -> int:
        return self.push(self.text_update(chat_id, text, **who))

    def push_callback(self, chat_id: int, data: str, message_id: int, **who: Any) -> str:
        update = self.callback_update(chat_id, data, message_id, **who)
        self.push(update)
        return str(update["callback_query"]["id"])

    def press(self, chat_id: int, label: str, **who: Any) -> str:
        """Press the button labelled `label` on the newest message that shows it."""
        for sent in reversed(self.messages_to(chat_id)):
            for row in sent.buttons:
                for text, data in row:
                    if text == label:
                        return self.push_callback(chat_id, data, sent.message_id, **who)
        raise AssertionError(f"no button {label!r} in chat {chat_id}; buttons: {self._all_labels(chat_id)}")

    def push_document(self, chat_id: int, file_name: str, mime: str, data: bytes, **extra: Any) -> int:
        return self.push(self.document_update(chat_id, file_name, mime, data, **extra))

    def push_photo(self, chat_id: int, data: bytes, *, caption: str | None = None, **who: Any) -> int:
        return self.push(self.photo_update(chat_id, data, caption=caption, **who))

    def push_contact(self, chat_id: int, phone_number: str, *, own: bool = True, **who: Any) -> int:
        sender = tg.person(chat_id, **who)
        shared = tg.contact(phone_number, sender["first_name"], chat_id if own else None)
        return self.push(self._message_update(chat_id, sender, contact=shared))

    def push_message(self, chat_id: int, *, chat_type: str = "private", **content: Any) -> int:
        """Any other message (a sticker, a location...), optionally in a group rather than a private chat."""
        update = self._message_update(chat_id, tg.person(abs(chat_id)), **content)
        if chat_type != "private":
            update["message"]["chat"] = {"id": chat_id, "type": chat_type, "title": "A group"}
        return self.push(update)

    # --- update JSON without queueing (for webhook tests) -----------------------------------------------------
    def text_update(self, chat_id: int, text: str, **who: Any) -> dict[str, Any]:
        return self._message_update(chat_id, tg.person(chat_id, **who), **tg.text_content(text))

    def callback_update(self, chat_id: int, data: str, message_id: int, **who: Any) -> dict[str, Any]:
        sent = self._find(chat_id, message_id) or SentMessage(chat_id, message_id, "?")
        query = tg.callback_query(str(next(self._ids)), tg.person(chat_id, **who), data, sent.as_json())
        return {"update_id": next(self._update_ids), "callback_query": query}

    def document_update(
        self,
        chat_id: int,
        file_name: str,
        mime: str,
        data: bytes,
        *,
        declared_size: int | None = None,
        caption: str | None = None,
        **who: Any,
    ) -> dict[str, Any]:
        stored = self._store_file(data, "documents", file_name, declared_size)
        content: dict[str, Any] = {
            "document": tg.document(stored.file_id, stored.unique_id, file_name, mime, stored.size)
        }
        if caption:
            content["caption"] = caption
        return self._message_update(chat_id, tg.person(chat_id, **who), **content)

    def photo_update(self, chat_id: int, data: bytes, *, caption: str | None = None, **who: Any) -> dict[str, Any]:
        thumb = self._store_file(b"thumbnail-bytes", "photos", "thumb.jpg", None)
        full = self._store_file(data, "photos", "photo.jpg", None)
        sizes = [
            tg.photo_size(thumb.file_id, thumb.unique_id, 90, 67, thumb.size),
            tg.photo_size(full.file_id, full.unique_id, 1280, 960, full.size),
        ]
        content: dict[str, Any] = {"photo": sizes, **({"caption": caption} if caption else {})}
        return self._message_update(chat_id, tg.person(chat_id, **who), **content)

    # --- what the person sees, and what the bot called ---------------------------------------------------------
    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if method is None or call.method.lower() == method.lower()]

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        with self._lock:
            return [sent for sent in self._messages if sent.chat_id == chat_id]

    def texts_to(self, chat_id: int) -> list[str]:
        return [sent.text or "" for sent in self.messages_to(chat_id) if sent.document is None]

    def documents_to(self, chat_id: int) -> list[SentMessage]:
        return [sent for sent in self.messages_to(chat_id) if sent.document is not None]

    def answered_callbacks(self) -> list[str]:
        return [str(call.params.get("callback_query_id")) for call in self.calls("answerCallbackQuery")]

    async def wait_for_message(self, chat_id: int, contains: str = "", timeout: float = 5.0) -> SentMessage:
        deadline = time.monotonic() + timeout
        while (found := self._first_containing(chat_id, contains)) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"no message containing {contains!r}; chat {chat_id} saw {self.texts_to(chat_id)}")
            await asyncio.sleep(0.01)
        return found

    def wait_for_message_blocking(self, chat_id: int, contains: str = "", timeout: float = 5.0) -> SentMessage:
        deadline = time.monotonic() + timeout
        while (found := self._first_containing(chat_id, contains)) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"no message containing {contains!r}; chat {chat_id} saw {self.texts_to(chat_id)}")
            time.sleep(0.01)
        return found

    async def wait_for_call(self, method: str, timeout: float = 5.0) -> Call:
        deadline = time.monotonic() + timeout
        while not (found := self.calls(method)):
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot never called {method}")
            await asyncio.sleep(0.01)
        return found[-1]

    # --- failures on demand ------------------------------------------------------------------------------------
    def fail_next(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 Too Many Requests."""
        error = ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        with self._lock:
            self._failures.setdefault(method.lower(), []).extend([error] * times)

    def block_chat(self, chat_id: int) -> None:
        """The person blocked the bot: every send to this chat gets 403."""
        with self._lock:
            self._blocked.add(chat_id)

    def _first_containing(self, chat_id: int, contains: str) -> SentMessage | None:
        return next((m for m in self.messages_to(chat_id) if contains in (m.text or "")), None)

    def _all_labels(self, chat_id: int) -> list[str]:
        return [label for sent in self.messages_to(chat_id) for label in sent.button_labels]

    def _message_update(self, chat_id: int, sender: dict[str, Any], **content: Any) -> dict[str, Any]:
        return {"update_id": next(self._update_ids), "message": tg.message(next(self._ids), chat_id, sender, **content)}

    def _store_file(self, data: bytes, folder: str, name: str, declared_size: int | None) -> StoredFile:
        number = next(self._ids)
        suffix = name.rsplit(".", 1)[-1] if "." in name else "bin"
        size = len(data) if declared_size is None else declared_size
        stored = StoredFile(f"file-{number}", f"uniq-{number}", f"{folder}/file_{number}.{suffix}", data, size)
        with self._lock:
            self._files[stored.file_id] = stored
        return stored
