"""Messages that start outside a conversation turn (reminders, staff answers), for the delivery worker.

WhatsAppSender is both a bot.delivery.ChannelSender and a TemplateSender:
- send() renders replies exactly like dialogue answers, but only inside the 24-hour customer-service window: when
  the person's last message is older (or the API answers 131047), it raises OutsideWindow before anything is lost;
- send_template() sends the approved template for the notice (bot.whatsapp.templates), which may go out any time.
Rate limits raise RetryLater, numbers that cannot receive Unreachable, anything else DeliveryError; `delivered`
counts the replies that arrived before the failure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

import httpx
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError
from pywa_async.types.templates import BodyText

from bot.delivery import OutsideWindow, Recipient
from bot.messages import Reply
from bot.whatsapp.client import CHANNEL, delivery_error
from bot.whatsapp.render import WhatsAppRenderer
from bot.whatsapp.templates import body_parameters, template_for, template_language

WINDOW = timedelta(hours=24)
# A message sent in the window's last minutes may reach Meta after it closed: treat those as outside already.
WINDOW_MARGIN = timedelta(minutes=5)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def inside_window(last_inbound_at: datetime | None, now: datetime) -> bool:
    if last_inbound_at is None:
        return False
    if last_inbound_at.tzinfo is None:  # stored as UTC without a zone (SQLite)
        last_inbound_at = last_inbound_at.replace(tzinfo=UTC)
    return now - last_inbound_at < WINDOW - WINDOW_MARGIN


class WhatsAppSender:
    channel = CHANNEL

    def __init__(self, wa: WhatsApp, *, renderer: WhatsAppRenderer | None = None, clock: Clock = utc_now) -> None:
        # Share the adapter's renderer so long option ids on a reminder's buttons resolve when pressed.
        self.wa = wa
        self.renderer = renderer if renderer is not None else WhatsAppRenderer()
        self.clock = clock

    async def send(self, recipient: Recipient, replies: Sequence[Reply]) -> list[str]:
        self._check_channel(recipient)
        if not inside_window(recipient.last_inbound_at, self.clock()):
            raise OutsideWindow("the 24-hour window is closed", delivered=0)
        sent: list[str] = []
        delivered = 0
        try:
            for reply in replies:
                sent += await self.renderer.send_one(self.wa, recipient.external_id, reply, recipient.language)
                delivered += 1
        # pywa's errors are chained, not quoted: their text can carry the message being sent.
        except (WhatsAppError, httpx.HTTPError) as error:
            raise delivery_error(error, delivered=delivered) from error
        return sent

    async def send_template(self, recipient: Recipient, notice_kind: str, params: Sequence[str]) -> str:
        self._check_channel(recipient)
        template = template_for(notice_kind)
        values = body_parameters(template, params)
        try:
            sent = await self.wa.send_template(
                to=recipient.external_id,
                name=template.name,
                language=template_language(recipient.language),
                params=[BodyText.params(*values)] if values else None,  # type: ignore[arg-type]  # pywa types it oddly
            )
        except (WhatsAppError, httpx.HTTPError) as error:
            raise delivery_error(error, delivered=0) from error
        return sent.id

    def _check_channel(self, recipient: Recipient) -> None:
        if recipient.channel != CHANNEL:
            raise ValueError(f"not a WhatsApp recipient: channel {recipient.channel!r}")
