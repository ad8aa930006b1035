"""The dispatcher's outer middlewares: one update of a chat at a time, and each update handled once.

An update is recorded as handled (in the `processed_update` table, through the ledger) at most once. With a
dialogue that can record it itself (`RecordingDialogue`, i.e. DialogueEngine), that happens inside the transaction
of the turn the update causes: the update counts as handled exactly when the turn's state is committed, and one
transaction per update is saved. Updates that reach no turn (a refused file, a message nobody answers) are recorded
through the ledger instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.ledger import UpdateLedger
from bot.messages import IncomingMessage, Reply

CHANNEL = "telegram"

log = logging.getLogger(__name__)


@runtime_checkable
class RecordingDialogue(Protocol):
    """A dialogue that records a platform update as handled in the same transaction as the turn it causes."""

    async def handle_update(self, message: IncomingMessage, update_id: str) -> list[Reply] | None:
        """The replies, or None when the update was handled before (then nothing is said or changed)."""
        ...


class UpdateClaim:
    """One update's id on its way to being recorded as handled: by the dialogue's turn or by the ledger."""

    def __init__(self, update_id: str, ledger: UpdateLedger) -> None:
        self.update_id = update_id
        self._ledger = ledger
        self.first_time: bool | None = None  # None until recorded (or found recorded before)

    async def through_ledger(self) -> bool:
        """Record the update through the ledger, if nothing recorded it yet; False if it was handled before."""
        if self.first_time is None:
            self.first_time = await self._ledger.first_time(CHANNEL, self.update_id)
        return self.first_time

    async def through_dialogue(self, dialogue: RecordingDialogue, message: IncomingMessage) -> list[Reply] | None:
        """The dialogue's turn, recording the update in its transaction; None if it was handled before.
        At most one turn per update: a handler either converses or answers without the dialogue."""
        replies = await dialogue.handle_update(message, self.update_id)
        self.first_time = replies is not None
        if replies is None:
            log.info("telegram update %s already handled; skipped", self.update_id)
        return replies


class OneChatAtATime(BaseMiddleware):
    """Updates from one chat are handled one at a time, in arrival order; different chats run in parallel.

    Without it a text sent right after a photo would reach the dialogue first (the photo is still downloading).
    """

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}  # updates using each lock, so idle locks are dropped

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        chat = data.get("event_chat")  # set by aiogram's UserContextMiddleware
        if chat is None:
            return await handler(event, data)
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._holders[chat.id] = self._holders.get(chat.id, 0) + 1
        try:
            async with lock:
                return await handler(event, data)
        finally:
            self._holders[chat.id] -= 1
            if not self._holders[chat.id]:
                del self._holders[chat.id], self._locks[chat.id]


class LedgerMiddleware(BaseMiddleware):
    """Drops an update whose id was already handled (Telegram re-delivers on slow or lost answers).

    With `in_turn`, handlers get an `update_claim` (UpdateClaim) and the dialogue's turn records the update; an
    update no turn recorded is recorded through the ledger once its handler is done. Otherwise the ledger records
    it before any handler runs.
    """

    def __init__(self, ledger: UpdateLedger, *, in_turn: bool = False) -> None:
        self.ledger = ledger
        self.in_turn = in_turn

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        claim = UpdateClaim(str(event.update_id), self.ledger)
        if not self.in_turn:
            if not await claim.through_ledger():
                log.info("telegram update %s already handled; skipped", event.update_id)
                return None
            return await handler(event, data)
        data["update_claim"] = claim
        try:
            return await handler(event, data)
        finally:
            await claim.through_ledger()  # a no-op when the turn recorded it
