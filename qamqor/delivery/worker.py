"""The delivery worker: due outbox rows and staff answers out through the person's channel, one row at a time.

    worker = DeliveryWorker(runtime, channels)
    report = await worker.deliver_outbox()   # every row due now, batch by batch
    report = await worker.deliver_replies()  # every staff answer waiting

Database work runs in threads (the services are synchronous) and each row's result is committed on its own, so a
crash loses at most the row in flight. A cancelled worker still writes the result of a message the channel took
(the write is shielded) and gives back the rows it had not tried. `stop()` ends a pass after the current row.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot.delivery import DeliveryError, OutsideWindow, RetryLater, Unreachable
from qamqor.delivery import outbox, replies
from qamqor.delivery import outcome as oc
from qamqor.delivery.channels import QUEUED, Channel, Channels, inbox_key
from qamqor.delivery.db import transaction
from qamqor.delivery.outcome import Outcome
from qamqor.delivery.policy import (
    MAX_INLINE_WAIT_SECONDS,
    URGENT_CHECK_EVERY,
    RetryPolicy,
    is_quiet,
    quiet_ends,
    waits_for_morning,
)
from qamqor.delivery.recipients import Target
from qamqor.runtime import Runtime

log = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 120.0  # a hung channel call counts as a failed try
T = TypeVar("T")


@dataclass(slots=True)
class Report:
    """What one pass did, by outcome (sent, held, retry, failed, give_up, defer, cancel, skip)."""

    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def sent(self) -> int:
        return self.outcomes[oc.SENT]

    @property
    def total(self) -> int:
        return sum(self.outcomes.values())

    def add(self, status: str) -> None:
        self.outcomes[status] += 1


class DeliveryWorker:
    def __init__(self, runtime: Runtime, channels: Channels, *, batch_size: int | None = None) -> None:
        self.runtime = runtime
        self.channels = channels
        settings = runtime.settings
        self.batch_size = batch_size or settings.delivery.batch_size
        self.policy = RetryPolicy.from_settings(settings.delivery)
        self.staff_chat_id = settings.telegram.staff_chat_id
        self._stopping = False
        self._reply_retries: dict[int, tuple[int, datetime]] = {}  # message id -> (failed tries, next try)

    def stop(self) -> None:
        """Finish the row in flight, give back the rest of the batch, and end the pass."""
        self._stopping = True

    # --- outbox ------------------------------------------------------------------------------------------------
    async def deliver_outbox(self, *, max_rows: int | None = None) -> Report:
        report, batches = Report(), 0
        while not self._stopping and (max_rows is None or report.total < max_rows):
            limit = self.batch_size if max_rows is None else min(self.batch_size, max_rows - report.total)
            row_ids = await self._db(self._claim, limit, batches % URGENT_CHECK_EVERY == 0)
            batches += 1
            if not row_ids:
                break
            await self._deliver_batch(row_ids, report)
            if len(row_ids) < limit:
                break
        return report

    def _claim(self, limit: int, urgent_first: bool) -> list[int]:
        with transaction(self.runtime) as (session, now):
            outbox.defer_for_quiet_hours(session, now)
            return outbox.claim(session, now, limit, urgent_first=urgent_first)

    async def _deliver_batch(self, row_ids: list[int], report: Report) -> None:
        jobs = await self._db(self._prepare, row_ids)  # read and rendered together; results written row by row
        for index, job in enumerate(jobs):
            if self._stopping:
                await _finish(self._db(self._release, row_ids[index:]))
                return
            try:
                result = (
                    job.problem
                    or self._quiet_now(job)
                    or await self._send(job.target, job.replies, job.kind, job.case_id)
                )
                report.add(await _finish(self._db(self._record, job, result)))
            except asyncio.CancelledError:
                # The row in flight keeps its claim (the channel may have taken it); the others are due again now.
                await _finish(self._db(self._release, row_ids[index + 1 :]))
                raise

    def _prepare(self, row_ids: list[int]) -> list[outbox.OutboxJob]:
        with transaction(self.runtime) as (session, now):
            return [outbox.prepare(session, row_id, now, self.staff_chat_id) for row_id in row_ids]

    def _quiet_now(self, job: outbox.OutboxJob) -> Outcome | None:
        """A batch begun before 22:00 may reach a row after it: that row waits for the morning after all."""
        now = self.runtime.clock()
        if is_quiet(now) and waits_for_morning(job.urgent, job.kind):
            return Outcome(oc.DEFER, not_before=quiet_ends(now))
        return None

    def _record(self, job: outbox.OutboxJob, result: Outcome) -> str:
        with transaction(self.runtime) as (session, now):
            outbox.record(session, job, result, now, self.policy, self.staff_chat_id)
        if result.status in (oc.GIVE_UP, oc.FAILED):
            log.warning("outbox row %s (%s) not delivered: %s", job.row_id, job.kind, result.error)
        return result.status

    def _release(self, row_ids: list[int]) -> None:
        with transaction(self.runtime) as (session, now):
            outbox.release(session, row_ids, now)

    # --- staff answers -----------------------------------------------------------------------------------------
    async def deliver_replies(self, *, max_replies: int | None = None) -> Report:
        report = Report()
        while not self._stopping and (max_replies is None or report.total < max_replies):
            session = self.runtime.session_factory()
            try:
                message = await self._db(replies.next_reply, session, self._waiting_replies())
                if message is None:
                    break
                job = await self._db(replies.prepare_reply, session, message)
                result = job.problem or await self._send(
                    job.target, job.replies, replies.REPLY_NOTICE_KIND, job.case_id, template=not job.was_held
                )
                await _finish(self._db(self._record_reply, session, message, job, result))
                report.add(result.status)
            finally:
                await _finish(self._db(session.close))
        return report

    def _waiting_replies(self) -> list[int]:
        now = self.runtime.clock()
        return [message_id for message_id, (_, after) in self._reply_retries.items() if after > now]

    def _record_reply(self, session: Any, message: Any, job: replies.ReplyJob, result: Outcome) -> None:
        now = self.runtime.clock()
        tries, _ = self._reply_retries.get(job.message_id, (0, now))
        give_up = result.status == oc.FAILED and self.policy.gives_up(tries + 1)
        replies.record_reply(message, job, result, now, give_up)
        session.commit()
        if result.status in (oc.RETRY, oc.DEFER):  # the channel's wait: not a failed try
            self._reply_retries[job.message_id] = (tries, now + timedelta(seconds=result.retry_after))
        elif result.status == oc.FAILED and not give_up:
            self._reply_retries[job.message_id] = (tries + 1, now + self.policy.delay(tries + 1))
        else:
            self._reply_retries.pop(job.message_id, None)
        if result.status in (oc.GIVE_UP, oc.FAILED):
            log.warning("staff answer %s not delivered: %s", job.message_id, result.error)

    # --- one message through its channel ------------------------------------------------------------------------
    async def _send(
        self, target: Target | None, messages: list[Any], kind: str, case_id: int | None, *, template: bool = True
    ) -> Outcome:
        assert target is not None  # jobs without a target carry a problem instead
        recipient = target.recipient
        channel = self.channels.get(recipient.channel)
        if channel is None:  # a process started without that channel's settings: retried, then shown to staff
            return Outcome(oc.FAILED, error=f"no sender for the {recipient.channel} channel is configured")
        sent_to = {"identity_id": target.identity_id, "channel": recipient.channel}
        if channel.limiter is not None:
            wait = channel.limiter.delay(recipient.external_id)
            if wait > MAX_INLINE_WAIT_SECONDS:
                return Outcome(oc.DEFER, retry_after=wait)
            for _ in messages:
                await channel.limiter.acquire(recipient.external_id)
        try:
            # asyncio.timeout, not wait_for: wait_for runs the send in another task and, on Python 3.11, can swallow
            # a cancellation that arrives as the send completes (the worker would then carry on after a stop).
            async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                ids = await channel.sender.send(recipient, messages)
            if channel.receipt == QUEUED:  # the web chat: the row waits in the chat's inbox, found by this key
                ids = [inbox_key(target.identity_id)]
            return Outcome(oc.SENT, message_ids=tuple(ids), receipt=channel.receipt, **sent_to)
        except OutsideWindow:
            return await self._send_template(channel, target, kind, case_id) if template else _closed_again()
        except Exception as error:
            return _failure(channel, error)

    async def _send_template(self, channel: Channel, target: Target, kind: str, case_id: int | None) -> Outcome:
        send_template = getattr(channel.sender, "send_template", None)
        if send_template is None:
            return Outcome(oc.GIVE_UP, error=f"outside the {target.recipient.channel} window and no template to send")
        try:
            async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
                template_id = await send_template(target.recipient, kind, [str(case_id or "")])
        except Exception as error:
            return _failure(channel, error)
        return Outcome(
            oc.HELD, message_ids=(str(template_id),), identity_id=target.identity_id, channel=target.recipient.channel
        )

    @staticmethod
    async def _db(function: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(function, *args)


def _closed_again() -> Outcome:
    return Outcome(oc.HELD)  # replies.record_reply turns a second closed window into a failure for staff


def _failure(channel: Channel, error: Exception) -> Outcome:
    """A sender's error as an outcome; the texts name the problem, never the message or the person."""
    if isinstance(error, RetryLater):
        if channel.limiter is not None:
            channel.limiter.pause(error.retry_after)
        return Outcome(oc.RETRY, error=str(error), retry_after=error.retry_after)
    if isinstance(error, Unreachable):
        return Outcome(oc.GIVE_UP, error=f"unreachable: {error}")
    if isinstance(error, DeliveryError):
        return Outcome(oc.FAILED, error=str(error))
    if isinstance(error, TimeoutError):
        return Outcome(oc.FAILED, error="the channel did not answer in time")
    log.error("delivery failed unexpectedly: %s at %s", type(error).__name__, _where(error))
    return Outcome(oc.FAILED, error=f"unexpected error: {type(error).__name__}")


def _where(error: BaseException) -> str:
    """Code locations only: an exception's message may quote what it was sending, so it is not logged."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    return " <- ".join(f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" for frame in reversed(frames))


async def _finish(work: Awaitable[T]) -> T:
    """Run `work` to the end even if the caller is cancelled meanwhile (a result once sent must be written)."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await task
        raise
