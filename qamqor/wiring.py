"""Wiring of the channels to the one dialogue: used by the app factory and by `qamqor telegram polling`."""

from __future__ import annotations

import asyncio

from bot.dialogue.engine import DialogueEngine, error_text, file_too_large_text
from bot.telegram import TelegramDeps
from core.db.enums import Channel
from core.db.idempotency import claim_update
from qamqor.runtime import Runtime
from qamqor.settings import Settings


class DatabaseUpdateLedger:
    """Handled update ids in the `processed_update` table: a redelivery is ignored even after a restart and
    across several app processes (the unique key decides who handles it)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def first_time(self, channel: str, update_id: str) -> bool:
        return await asyncio.to_thread(self._claim, channel, update_id)

    def _claim(self, channel: str, update_id: str) -> bool:
        # A plain connection, not a service context: one INSERT needs no ORM session, calendar or actor.
        with self.runtime.engine.begin() as connection:
            return claim_update(connection, Channel(channel), update_id)


def telegram_deps(settings: Settings, runtime: Runtime | None = None) -> TelegramDeps:
    runtime = runtime or Runtime(settings)
    return TelegramDeps(
        dialogue=DialogueEngine(runtime),
        ledger=DatabaseUpdateLedger(runtime),
        error_reply=error_text,
        file_too_large_reply=file_too_large_text,
    )
