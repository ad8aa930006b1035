"""The channel's database needs beyond the dialogue: a person's chosen language and delivery receipts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

import sqlalchemy as sa

from bot.whatsapp.payloads import Receipt
from core.db.enums import Channel, Language
from core.db.models import ChatIdentity
from core.services import receipts
from qamqor.runtime import Runtime

log = logging.getLogger(__name__)


def receipt_error(receipt: Receipt) -> str | None:
    """What staff read about a failed delivery: Meta's code and title (never the recipient's number)."""
    if receipt.status != receipts.FAILED:
        return None
    if receipt.error_code is None:
        return "WhatsApp: delivery failed"
    return f"WhatsApp {receipt.error_code}: {receipt.error_title or 'delivery failed'}"


class DatabaseChatStore:
    """bot.whatsapp.adapter.ChatStore over the runtime's database (sessions are synchronous: run in a thread)."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def language_of(self, wa_id: str) -> str | None:
        return await asyncio.to_thread(self._language_of, wa_id)

    async def record_receipts(self, receipts_: Sequence[Receipt]) -> None:
        if receipts_:
            await asyncio.to_thread(self._record, receipts_)

    def _language_of(self, wa_id: str) -> str | None:
        with self.runtime.context() as ctx:
            language = ctx.session.scalars(
                sa.select(ChatIdentity.language).where(
                    ChatIdentity.channel == Channel.WHATSAPP, ChatIdentity.external_id == wa_id
                )
            ).first()
            return Language(language).value if language is not None else None

    def _record(self, batch: Sequence[Receipt]) -> None:
        with self.runtime.context() as ctx:
            for receipt in batch:
                found = receipts.record_receipt(ctx, receipt.message_id, receipt.status, error=receipt_error(receipt))
                if receipt.status == receipts.FAILED:
                    log.warning(
                        "whatsapp message %s failed (%s); %d notices, %d staff answers marked",
                        receipt.message_id,
                        receipt.error_code,
                        found.outbox_rows,
                        found.inbox_messages,
                    )
