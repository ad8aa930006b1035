"""When a notice may go out: quiet hours in Almaty, retries with backoff, and how long a claim on a row lasts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from core.rules.reminders import PLANNED_KINDS
from core.services.context import ALMATY
from qamqor.settings import DeliverySettings

# The rule: no non-urgent message between 22:00 and 08:00 in Asia/Almaty.
QUIET_FROM = time(22, 0)
QUIET_UNTIL = time(8, 0)
# A claimed row is invisible to other workers this long; a worker that dies leaves it to the next after that.
CLAIM_SECONDS = 300
# A long pass looks for urgent rows ahead of the backlog on its first batch and every this many batches after.
URGENT_CHECK_EVERY = 10
# A rate-limit wait longer than this is not slept through: the row is put back with its next attempt set.
MAX_INLINE_WAIT_SECONDS = 2.0


# Law silent on night-time notices. Urgent news (an offer, a refusal, services ended) goes out whenever it happens;
# a planned reminder or staff alert becomes due at 00:00 of its day, and waking a family (or the staff chat) at
# midnight for a countdown helps nobody, so planned kinds wait for 08:00 even when urgent.
PLANNED = frozenset(PLANNED_KINDS)


def waits_for_morning(urgent: bool, kind: str) -> bool:
    return not urgent or kind in PLANNED


def is_quiet(now: datetime) -> bool:
    local = now.astimezone(ALMATY).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def quiet_ends(now: datetime) -> datetime:
    """The next 08:00 in Almaty after `now` (the same morning after midnight, the next one before it)."""
    local = now.astimezone(ALMATY)
    morning = datetime.combine(local.date(), QUIET_UNTIL, ALMATY)
    if local.time() >= QUIET_UNTIL:
        morning += timedelta(days=1)
    return morning


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 8
    first_delay: float = 30.0
    cap: float = 3600.0

    @classmethod
    def from_settings(cls, settings: DeliverySettings) -> RetryPolicy:
        return cls(settings.max_attempts, settings.backoff_seconds, settings.backoff_cap_seconds)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure: first_delay, doubled each time, at most `cap`."""
        return timedelta(seconds=min(self.cap, self.first_delay * 2 ** max(0, attempts - 1)))

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts
