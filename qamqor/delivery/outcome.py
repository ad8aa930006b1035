"""What happened to one message, decided the same way for every channel and for both notices and staff answers.

The worker turns a sender's answer (or its bot.delivery error) into an Outcome; the outbox and reply stores write
it to their row. Error texts are for staff and name the channel's problem, never the message or the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    error: str | None = None
    message_ids: tuple[str, ...] = ()
    retry_after: float = 0.0  # RETRY: the channel's own wait; DEFER: seconds until the next attempt
    not_before: datetime | None = None  # DEFER: the moment to try again (quiet hours)
    receipt: str = "sent"  # SENT: the delivery_status to record ("queued": the web page has yet to fetch it)
    identity_id: int | None = None  # the chat it went to (None: the staff chat)
    channel: str | None = None


SENT = "sent"  # the channel took every reply
HELD = "held"  # outside WhatsApp's window: a template went out, the full text waits for the person to write
RETRY = "retry"  # rate limited: try again after retry_after, not counted as a failed attempt
FAILED = "failed"  # a transient failure: retried with backoff, then failed for good
GIVE_UP = "give_up"  # failed for good now (blocked bot, no chat, unknown kind)
DEFER = "defer"  # not tried now (quiet hours, a long rate-limit wait): next attempt later, nothing counted
CANCEL = "cancel"  # nothing to send to (no staff chat configured)
SKIP = "skip"  # the row changed meanwhile (cancelled, sent by someone else): leave it alone
