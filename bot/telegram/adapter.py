"""Telegram updates -> IncomingMessage -> the dialogue -> replies rendered back as Bot API calls.

One Dispatcher with one Router, shared by the webhook and long polling. Handlers stay thin: they translate, call
the dialogue and hand its replies to the renderer. Only private chats are served: a person's case is never
discussed in a group.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    GetUpdates,
    GetWebhookInfo,
    SendChatAction,
    SendDocument,
    SendMessage,
    SetWebhook,
    TelegramMethod,
)
from aiogram.methods.base import Response
from aiogram.types import (
    CallbackQuery,
    ErrorEvent,
    InaccessibleMessage,
    Message,
    PhotoSize,
    Update,
)

from bot.ledger import UpdateLedger
from bot.messages import Attachment, Dialogue, IncomingMessage, Reply
from bot.telegram.middlewares import CHANNEL, LedgerMiddleware, OneChatAtATime, RecordingDialogue, UpdateClaim
from bot.telegram.render import TEXT_LIMIT, OptionTokens, TelegramRenderer, telegram_length
from bot.telegram.session import JsonBodySession
from qamqor.settings import Settings

ALLOWED_UPDATES = ["message", "callback_query"]  # what the router handles; also sent with setWebhook
CHOSEN_MARK = "✓"

log = logging.getLogger(__name__)

ErrorReply = Callable[[str | None], str]
"""The apology sent when handling failed, in the person's language: (platform language code) -> text."""
FileTooLargeReply = Callable[[str | None, int], str]
"""What to say when a file is over the limit: (platform language code, limit in bytes) -> text."""


@dataclass(frozen=True, slots=True)
class TelegramDeps:
    """Everything the Telegram channel needs from the rest of Qamqor."""

    dialogue: Dialogue
    ledger: UpdateLedger
    error_reply: ErrorReply
    file_too_large_reply: FileTooLargeReply
    tokens: OptionTokens | None = field(default=None)


# aiogram reads every Bot API answer as Response[<result type>], and pydantic caches such generic classes only
# weakly: after a garbage collection each call built its class again (~3 ms of CPU per call, the largest cost of a
# webhook update in `qamqor bench dialogue`). Holding the classes of the methods we call keeps that cache warm.
_CALLED_METHODS: tuple[type[TelegramMethod[Any]], ...] = (
    SendMessage,
    SendDocument,
    EditMessageText,
    EditMessageReplyMarkup,
    AnswerCallbackQuery,
    SendChatAction,
    GetFile,
    GetMe,
    GetUpdates,
    SetWebhook,
    DeleteWebhook,
    GetWebhookInfo,
)
_RESPONSE_TYPES = tuple(Response[method.__returning__] for method in _CALLED_METHODS)  # type: ignore[name-defined]


def make_bot(settings: Settings) -> Bot:
    """A Bot talking to settings.telegram.api_base_url. Creating it opens no connection."""
    if settings.telegram.token is None:
        raise ValueError("QAMQOR_TELEGRAM__TOKEN is not set")
    session = JsonBodySession(api=TelegramAPIServer.from_base(settings.telegram.api_base_url))
    return Bot(settings.telegram.token.get_secret_value(), session=session)


def build_dispatcher(
    deps: TelegramDeps, *, max_upload_bytes: int, renderer: TelegramRenderer | None = None
) -> Dispatcher:
    dispatcher = Dispatcher(disable_fsm=True)  # the dialogue keeps its own state
    dispatcher.update.outer_middleware(OneChatAtATime())  # first: the lock is taken in arrival order
    in_turn = isinstance(deps.dialogue, RecordingDialogue)  # the update is recorded in the turn's transaction
    dispatcher.update.outer_middleware(LedgerMiddleware(deps.ledger, in_turn=in_turn))
    adapter = TelegramAdapter(deps, renderer or TelegramRenderer(deps.tokens), max_upload_bytes)
    dispatcher.include_router(adapter.router())
    return dispatcher


class TelegramAdapter:
    def __init__(self, deps: TelegramDeps, renderer: TelegramRenderer, max_upload_bytes: int) -> None:
        self.deps = deps
        self.renderer = renderer
        self.max_upload_bytes = max_upload_bytes
        self.recording = deps.dialogue if isinstance(deps.dialogue, RecordingDialogue) else None

    def router(self) -> Router:
        # The filters are coroutines, not magic filters (F.text...): aiogram runs a plain function filter in a
        # worker thread, one thread hop per filter per update, which cost more than the whole echo bot.
        router = Router(name="qamqor-telegram")
        router.message.filter(in_private_chat)
        router.callback_query.filter(pressed_in_private_chat)
        router.message.register(self.on_text, has_text)  # commands (/start, /help...) are text too
        router.message.register(self.on_document, has_document)
        router.message.register(self.on_photo, has_photo)
        router.message.register(self.on_contact, has_contact)
        router.message.register(self.on_anything_else)
        router.callback_query.register(self.on_button)
        router.errors.register(self.on_error)
        return router

    # `update_claim` comes from LedgerMiddleware when the dialogue records updates in its turn (else None), and
    # `callback_answered` from the webhook when its response already answered the button press.
    async def on_text(self, message: Message, bot: Bot, update_claim: UpdateClaim | None = None) -> None:
        await self.converse(bot, message.chat.id, incoming(message, text=message.text), update_claim)

    async def on_contact(self, message: Message, bot: Bot, update_claim: UpdateClaim | None = None) -> None:
        contact = message.contact
        assert contact is not None  # the has_contact filter
        # Only the person's own card proves their number; anyone else's counts as a number they typed.
        own = message.from_user is not None and contact.user_id == message.from_user.id
        content = {"contact_phone": contact.phone_number} if own else {"text": contact.phone_number}
        await self.converse(bot, message.chat.id, incoming(message, **content), update_claim)

    async def on_anything_else(self, message: Message, bot: Bot, update_claim: UpdateClaim | None = None) -> None:
        # A sticker, voice note, location...: an empty message lets the dialogue repeat what it needs.
        await self.converse(bot, message.chat.id, incoming(message), update_claim)

    async def on_document(self, message: Message, bot: Bot, update_claim: UpdateClaim | None = None) -> None:
        document = message.document
        assert document is not None  # the has_document filter
        name = document.file_name or "document"
        mime = document.mime_type or "application/octet-stream"
        file = IncomingFile(document.file_id, document.file_size, name, mime)
        await self.receive_file(bot, message, file, update_claim)

    async def on_photo(self, message: Message, bot: Bot, update_claim: UpdateClaim | None = None) -> None:
        photo = best_photo(message.photo or [], self.max_upload_bytes)
        file = IncomingFile(photo.file_id, photo.file_size, f"photo_{photo.file_unique_id}.jpg", "image/jpeg")
        await self.receive_file(bot, message, file, update_claim)

    async def on_button(
        self,
        callback: CallbackQuery,
        bot: Bot,
        update_claim: UpdateClaim | None = None,
        callback_answered: bool = False,
    ) -> None:
        if not callback_answered:
            await callback.answer()  # stop the spinner before anything slow
        data = callback.data or ""
        label = pressed_label(callback.message, data)
        choice = await self.renderer.resolve_choice(data)
        # A token this process forgot (restart): the label the person pressed is the next best thing.
        content = {"choice": choice} if choice is not None else {"text": label}
        chat_id = callback.message.chat.id if callback.message else callback.from_user.id
        replies = await self.think(incoming_from_button(callback, chat_id, **content), update_claim)
        if replies is None:
            return  # a press handled before: its question was marked then
        await mark_chosen(callback.message, label)  # before the replies, which answer the marked question
        await self.renderer.send(bot, chat_id, replies)

    async def receive_file(
        self, bot: Bot, message: Message, file: IncomingFile, update_claim: UpdateClaim | None
    ) -> None:
        data = await download_within(bot, file.file_id, file.declared_size, self.max_upload_bytes)
        if data is None:
            if update_claim is not None and not await update_claim.through_ledger():
                return  # refused before; no turn records this update, so the ledger does, before the reply
            language = message.from_user.language_code if message.from_user else None
            await bot.send_message(message.chat.id, self.deps.file_too_large_reply(language, self.max_upload_bytes))
            return
        attachment = Attachment(file_name=file.name, mime_type=file.mime, data=data)
        content = incoming(message, text=message.caption, attachment=attachment)
        await self.converse(bot, message.chat.id, content, update_claim)

    async def converse(
        self, bot: Bot, chat_id: int, message: IncomingMessage, update_claim: UpdateClaim | None = None
    ) -> None:
        replies = await self.think(message, update_claim)
        if replies is not None:
            await self.renderer.send(bot, chat_id, replies)

    async def think(self, message: IncomingMessage, update_claim: UpdateClaim | None) -> list[Reply] | None:
        """The dialogue's replies; None for an update that was handled before (only when the turn records it)."""
        if update_claim is not None and self.recording is not None:
            return await update_claim.through_dialogue(self.recording, message)
        return await self.deps.dialogue.handle(message)

    async def on_error(self, event: ErrorEvent, bot: Bot, update_claim: UpdateClaim | None = None) -> bool:
        """Every failure ends here: logged without personal data, and the person gets an apology (once: not for
        a redelivery of an update that was handled before)."""
        update_id = event.update.update_id
        error = event.exception
        log.error("telegram update %s failed: %s at %s", update_id, type(error).__name__, where(error))
        if update_claim is not None and update_claim.first_time is False:
            return True
        chat_id, language = chat_and_language(event.update)
        if chat_id is not None:
            try:
                await bot.send_message(chat_id, self.deps.error_reply(language))
            except Exception as apology_error:  # the apology is best effort; the original failure is logged
                log.warning("telegram update %s: apology not sent (%s)", update_id, type(apology_error).__name__)
        return True


async def in_private_chat(message: Message) -> bool:
    return message.chat.type == ChatType.PRIVATE


async def pressed_in_private_chat(callback: CallbackQuery) -> bool:
    return callback.message is not None and callback.message.chat.type == ChatType.PRIVATE


async def has_text(message: Message) -> bool:
    return bool(message.text)


async def has_document(message: Message) -> bool:
    return message.document is not None


async def has_photo(message: Message) -> bool:
    return bool(message.photo)


async def has_contact(message: Message) -> bool:
    return message.contact is not None


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A document or photo as the update describes it, before a byte is downloaded."""

    file_id: str
    declared_size: int | None
    name: str
    mime: str


def incoming(message: Message, **content: Any) -> IncomingMessage:
    user = message.from_user
    return IncomingMessage(
        channel=CHANNEL,
        external_id=str(message.chat.id),
        language_hint=user.language_code if user else None,
        display_name=user.full_name if user else None,
        **content,
    )


def incoming_from_button(callback: CallbackQuery, chat_id: int, **content: Any) -> IncomingMessage:
    user = callback.from_user
    return IncomingMessage(
        channel=CHANNEL,
        external_id=str(chat_id),
        language_hint=user.language_code,
        display_name=user.full_name,
        **content,
    )


def best_photo(sizes: Sequence[PhotoSize], max_bytes: int) -> PhotoSize:
    """The largest rendition within the limit (a readable scan beats a refusal); the largest if none fits."""
    by_size = sorted(sizes, key=lambda size: size.width * size.height)
    fitting = [size for size in by_size if size.file_size is None or size.file_size <= max_bytes]
    return (fitting or by_size)[-1]


async def download_within(bot: Bot, file_id: str, declared_size: int | None, max_bytes: int) -> bytes | None:
    """The file's bytes, or None if it is over `max_bytes`: sizes are checked before a byte is downloaded."""
    if declared_size is not None and declared_size > max_bytes:
        return None
    try:
        file = await bot.get_file(file_id)
    except TelegramBadRequest as error:
        if "too big" in error.message:  # the Bot API refuses files over 20 MB
            return None
        raise
    if file.file_size is not None and file.file_size > max_bytes:
        return None
    if not file.file_path:
        raise ValueError(f"Telegram gave no download path for file {file_id}")
    url = bot.session.api.file_url(bot.token, file.file_path)
    received = bytearray()
    async with aclosing(bot.session.stream_content(url, timeout=60)) as chunks:
        async for chunk in chunks:
            received += chunk
            if len(received) > max_bytes:  # the declared size lied or was missing
                return None
    return bytes(received)


def pressed_label(message: Message | InaccessibleMessage | None, callback_data: str) -> str | None:
    if not isinstance(message, Message) or message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            if button.callback_data == callback_data:
                return button.text
    return None


async def mark_chosen(message: Message | InaccessibleMessage | None, label: str | None) -> None:
    """Replace the buttons by the chosen answer, so the question reads as answered and cannot be re-pressed."""
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    try:
        marked = f"{message.text}\n\n{CHOSEN_MARK} {label}"
        if message.text and label and telegram_length(marked) <= TEXT_LIMIT:
            await message.edit_text(marked)  # no reply_markup: Telegram removes the keyboard
        else:
            await message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest as error:  # too old to edit, or already edited by a double tap
        log.info("telegram: buttons not updated (%s)", error.message)


def chat_and_language(update: Update) -> tuple[int | None, str | None]:
    if update.message is not None:
        user = update.message.from_user
        return update.message.chat.id, user.language_code if user else None
    if update.callback_query is not None:
        callback = update.callback_query
        chat_id = callback.message.chat.id if callback.message else callback.from_user.id
        return chat_id, callback.from_user.language_code
    return None, None


def where(error: BaseException) -> str:
    """Code locations only: an exception's message may quote what the person typed, so it is not logged."""
    frames = traceback.extract_tb(error.__traceback__)[-4:]
    return " <- ".join(f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" for frame in reversed(frames))
