"""Rate limits of a channel, in process: a token bucket for the whole bot and one per chat (GCRA form).

Telegram allows about 30 messages per second per bot and one per second per chat (20 per minute in a group).
`acquire(chat)` reserves the next moment both buckets allow and sleeps until then; `pause(seconds)` honours a
429's retry_after for everyone. The clock and the sleep are injected, so tests never really sleep.

The buckets live in this process: with the scheduler's lease only one process delivers at a time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
BOT = ""  # the bucket key of the whole bot
_PRUNE_ABOVE = 10_000  # chat buckets kept before idle ones are dropped


class RateLimiter:
    def __init__(
        self,
        per_second: float,
        per_chat_per_second: float,
        *,
        group_per_second: float | None = 20 / 60,
        monotonic: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if per_second <= 0 or per_chat_per_second <= 0:
            raise ValueError("rates must be positive")
        self._bot_interval = 1.0 / per_second
        # No bursts: evenly spaced messages keep every one-second window within the limit (a burst of a second's
        # worth followed by the steady rate would put nearly twice the limit into the first second).
        self._bot_tolerance = 0.0
        self._chat_interval = 1.0 / per_chat_per_second
        self._group_interval = 1.0 / group_per_second if group_per_second else self._chat_interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._due: dict[str, float] = {}  # key -> theoretical arrival time of the next message

    def _rules(self, chat: str) -> list[tuple[str, float, float]]:
        # Telegram's group and channel chat ids are negative.
        interval = self._group_interval if chat.startswith("-") else self._chat_interval
        return [(BOT, self._bot_interval, self._bot_tolerance), (f"chat:{chat}", interval, 0.0)]

    def delay(self, chat: str) -> float:
        """Seconds until a message to `chat` may go without breaking a limit (0: now)."""
        now = self._monotonic()
        start = max([now] + [self._due.get(key, now) - tolerance for key, _, tolerance in self._rules(chat)])
        return start - now

    async def acquire(self, chat: str) -> float:
        """Reserve the next allowed moment for one message to `chat` and wait for it; returns the wait."""
        now = self._monotonic()
        rules = self._rules(chat)
        start = max([now] + [self._due.get(key, now) - tolerance for key, _, tolerance in rules])
        for key, interval, _ in rules:
            self._due[key] = max(self._due.get(key, now), start) + interval
        self._prune(now)
        wait = start - now
        if wait > 0:
            await self._sleep(wait)
        return wait

    def pause(self, seconds: float) -> None:
        """A 429 said wait: nothing goes out before `seconds` from now (Telegram does not say whether it was the
        chat's limit or the bot's, so the whole bot waits)."""
        until = self._monotonic() + seconds
        self._due[BOT] = max(self._due.get(BOT, until), until + self._bot_tolerance)

    def _prune(self, now: float) -> None:
        if len(self._due) > _PRUNE_ABOVE:
            self._due = {key: due for key, due in self._due.items() if key == BOT or due > now}
