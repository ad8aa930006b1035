"""Which platform updates were already handled, so an update delivered twice is answered once.

Telegram re-sends a webhook update when our answer was slow or lost, and long polling can repeat the last batch
after a restart. Channel adapters ask the ledger before handling; the first caller for an id wins.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol


class UpdateLedger(Protocol):
    """Remembers handled update ids per channel. A database-backed version uses the `processed_update` table."""

    async def first_time(self, channel: str, update_id: str) -> bool:
        """Record the id and answer True if nobody recorded it before; False for a repeat delivery."""
        ...


class InMemoryUpdateLedger:
    """A bounded in-process ledger: right for tests and one-process polling, forgets on restart.

    Only the most recent `max_entries` ids are kept; platforms re-deliver within minutes, not after thousands
    of newer updates, so the oldest ids can safely be forgotten.
    """

    def __init__(self, max_entries: int = 10_000) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self._max_entries = max_entries
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    async def first_time(self, channel: str, update_id: str) -> bool:
        # No await between the check and the insert: concurrent callers on one event loop cannot both win.
        key = (channel, update_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self._max_entries:
            self._seen.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._seen)
