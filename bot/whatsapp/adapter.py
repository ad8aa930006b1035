"""WhatsApp messages -> IncomingMessage -> the dialogue -> replies rendered back as Cloud API calls.

Messages of one sender are handled one at a time, in the order they arrived (a text sent right after a photo must
not overtake it while the photo downloads); different senders run in parallel. A message id (wamid) seen before
is skipped: Meta re-sends a notification whose 200 came late.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import traceback
from collections.abc import Awaitable, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pywa_async.client import WhatsApp

from bot.i18n import normalise_language
from bot.ledger import UpdateLedger
from bot.messages import Attachment, Dialogue, IncomingMessage
from bot.whatsapp.client import CHANNEL
from bot.whatsapp.payloads import InboundMessage, Receipt
from bot.whatsapp.render import WhatsAppRenderer

log = logging.getLogger(__name__)

ErrorReply = Callable[[str | None], str]
"""The apology sent when handling failed, in the person's language: (language code) -> text."""
FileTooLargeReply = Callable[[str | None, int], str]
"""What to say when a file is over the limit: (language code, limit in bytes) -> text."""

IGNORED_KINDS = frozenset({"reaction", "system"})  # an emoji on our message, "number changed": nothing to answer


class ChatStore(Protocol):
    """What the channel needs from the database besides the dialogue (bot.whatsapp.store has the real one)."""

    async def language_of(self, wa_id: str) -> str | None:
        """The language this person chose in the dialogue (kk, ru, en), None before the first message."""
        ...

    async def record_receipts(self, receipts: Sequence[Receipt]) -> None:
        """Keep delivery statuses on the outbox and staff messages they belong to."""
        ...


class InMemoryChatStore:
    """Languages set by hand and receipts kept in a list: for channel tests with a scripted dialogue."""

    def __init__(self, languages: dict[str, str] | None = None) -> None:
        self.languages = dict(languages or {})
        self.receipts: list[Receipt] = []

    async def language_of(self, wa_id: str) -> str | None:
        return self.languages.get(wa_id)

    async def record_receipts(self, receipts: Sequence[Receipt]) -> None:
        self.receipts += receipts


@dataclass(frozen=True, slots=True)
class WhatsAppDeps:
    """Everything the WhatsApp channel needs from the rest of Qamqor."""

    dialogue: Dialogue
    ledger: UpdateLedger
    store: ChatStore
    error_reply: ErrorReply
    file_too_large_reply: FileTooLargeReply


class OneSenderAtATime:
    """A lock per sender, taken in arrival order; idle locks are dropped."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._holders: dict[str, int] = {}

    async def run(self, sender: str, work: Callable[[], Awaitable[None]]) -> None:
        lock = self._locks.setdefault(sender, asyncio.Lock())
        self._holders[sender] = self._holders.get(sender, 0) + 1
        try:
            async with lock:
                await work()
        finally:
            self._holders[sender] -= 1
            if not self._holders[sender]:
                del self._holders[sender], self._locks[sender]


class WhatsAppAdapter:
    def __init__(self, wa: WhatsApp, deps: WhatsAppDeps, renderer: WhatsAppRenderer, *, max_upload_bytes: int) -> None:
        self.wa = wa
        self.deps = deps
        self.renderer = renderer
        self.max_upload_bytes = max_upload_bytes
        self._senders = OneSenderAtATime()

    async def handle(self, message: InboundMessage) -> None:
        """Answer one message, after the sender's earlier ones; never raises (failures are logged)."""
        await self._senders.run(message.wa_id, lambda: self._handle_once(message))

    async def record(self, receipts: Sequence[Receipt]) -> None:
        try:
            await self.deps.store.record_receipts(receipts)
        except Exception as error:
            log.error("whatsapp: %d delivery statuses not recorded: %s at %s", len(receipts), *failure(error))

    async def _handle_once(self, message: InboundMessage) -> None:
        try:
            if not await self.deps.ledger.first_time(CHANNEL, message.message_id):
                log.info("whatsapp message %s already handled; skipped", message.message_id)
                return
            if message.kind in IGNORED_KINDS:
                return
            incoming = await self.incoming(message)
            if incoming is not None:
                await self.converse(incoming)
        except Exception as error:
            log.error("whatsapp message %s failed: %s at %s", message.message_id, *failure(error))
            await self._apologise(message.wa_id)

    async def incoming(self, message: InboundMessage) -> IncomingMessage | None:
        """The message as the dialogue reads it; None when a file was refused (the person was told why)."""
        content: dict[str, Any] = {}
        if message.reply_id is not None:
            choice = await self.renderer.resolve_choice(message.reply_id)
            # A token this process forgot (restart): the label the person chose is the next best thing.
            content = {"choice": choice} if choice is not None else {"text": message.reply_title}
        elif message.media is not None:
            attachment = await self.download(message)
            if attachment is None:
                await self._refuse_file(message.wa_id)
                return None
            content = {"attachment": attachment, "text": message.caption}
        elif message.contact_phone is not None:
            # Only the person's own card proves their number; anyone else's counts as a number they typed.
            own = message.contact_wa_id == message.wa_id
            content = {"contact_phone": message.contact_phone} if own else {"text": message.contact_phone}
        elif message.text is not None:
            content = {"text": message.text}
        return IncomingMessage(CHANNEL, message.wa_id, display_name=message.display_name, **content)

    async def converse(self, message: IncomingMessage) -> None:
        replies = await self.deps.dialogue.handle(message)
        lang = normalise_language(await self.deps.store.language_of(message.external_id))
        await self.renderer.send(self.wa, message.external_id, replies, lang)

    async def download(self, message: InboundMessage) -> Attachment | None:
        media = message.media
        assert media is not None
        data = await download_within(self.wa, media.media_id, self.max_upload_bytes)
        if data is None:
            return None
        return Attachment(file_name=file_name_of(message), mime_type=media.mime_type, data=data)

    async def _refuse_file(self, wa_id: str) -> None:
        language = await self.deps.store.language_of(wa_id)
        text = self.deps.file_too_large_reply(language, self.max_upload_bytes)
        await self.wa.send_message(to=wa_id, text=text)

    async def _apologise(self, wa_id: str) -> None:
        try:
            language = await self.deps.store.language_of(wa_id)
            await self.wa.send_message(to=wa_id, text=self.deps.error_reply(language))
        except Exception as error:  # the apology is best effort; the original failure is logged
            log.warning("whatsapp: apology not sent (%s)", type(error).__name__)


async def download_within(wa: WhatsApp, media_id: str, max_bytes: int) -> bytes | None:
    """The media's bytes, or None if over `max_bytes`: the size the API reports is checked before downloading,
    and the download stops as soon as it passes the limit (in case the size was wrong)."""
    info = await wa.get_media_url(media_id)
    if info.file_size is not None and int(info.file_size) > max_bytes:
        return None
    received = bytearray()
    async with aclosing(wa.stream_media(info.url)) as chunks:
        async for chunk in chunks:
            received += chunk
            if len(received) > max_bytes:
                return None
    return bytes(received)


def file_name_of(message: InboundMessage) -> str:
    media = message.media
    assert media is not None
    if media.file_name:
        return Path(media.file_name).name or "document"
    extension = mimetypes.guess_extension(media.mime_type.split(";")[0].strip()) or ".bin"
    prefix = "photo" if message.kind == "image" else "document"
    return f"{prefix}_{media.media_id}{extension}"


def failure(error: BaseException) -> tuple[str, str]:
    """The error's type and where it was raised: enough to find the bug, never what the person wrote."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return type(error).__name__, where
