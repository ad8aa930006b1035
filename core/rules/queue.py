"""Queue order for a place in an organisation (rules-digest §5; App.1 p.7, p.10, p.20; App.2 p.9; App.3 p.10).

Order: out of turn first (App.1 p.7: orphans turning 18 moving to an adult stationary organisation; App.1 p.20:
residents newly recognised as disabled), then first priority (veterans and families of fallen servicemen,
App.1 p.10, App.2 p.9, App.3 p.10), then the time of joining the queue; equal times are broken by id so the
order never depends on how rows happen to be stored. The ordering is also exposed as data (`QUEUE_ORDERING`)
so the database's ORDER BY mirrors it exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from core.rules.codes import Form, Priority
from core.rules.dates import add_months
from core.rules.legal import LegalRef, ref

QueueId = int | str


@dataclass(frozen=True, slots=True)
class QueueEntryView:
    """What ordering needs to know about one queued person. All `queued_at` values in one queue must be
    either timezone-aware or all naive (they are compared with each other)."""

    id: QueueId
    queued_at: datetime
    priority: Priority | None
    out_of_turn: bool


class Direction(StrEnum):
    ASC = "asc"
    DESC = "desc"


@dataclass(frozen=True, slots=True)
class OrderTerm:
    """One ORDER BY term: a column of the queue entry and its direction. `priority_rank` is PRIORITY_RANK
    applied to `priority` (in SQL: CASE priority WHEN 'veteran' THEN 0 ELSE 1 END)."""

    field: str
    direction: Direction
    legal_ref: LegalRef | None  # None: not law, only determinism


# Lower rank goes first; no priority (None) ranks after every priority.
PRIORITY_RANK: dict[Priority | None, int] = {Priority.VETERAN: 0, None: 1}

# Reading: "кезектен тыс" (out of turn) places a person outside the queue, so ahead of "бірінші кезекте" (first
# priority) entries, which are still in it. Law silent: how out-of-turn entries order among themselves; we apply
# the same priority-then-time order. App.1 p.20 is reworded by Order No. 163 from 12.07.2026 (text not in the seed).
QUEUE_ORDERING: tuple[OrderTerm, ...] = (
    OrderTerm("out_of_turn", Direction.DESC, ref(1, "7")),  # True before False
    OrderTerm("priority_rank", Direction.ASC, ref(1, "10")),
    OrderTerm("queued_at", Direction.ASC, ref(1, "7")),
    OrderTerm("id", Direction.ASC, None),
)

FIRST_PRIORITY_REFS = {Form.STATIONARY: ref(1, "10"), Form.SEMI_STATIONARY: ref(2, "9"), Form.HOME: ref(3, "10")}
OUT_OF_TURN_REFS = (ref(1, "7"), ref(1, "20"))


def sort_key(entry: QueueEntryView) -> tuple[int, int, datetime, tuple[int, int, str]]:
    """The Python mirror of QUEUE_ORDERING (ints sort before strings among ids, ints numerically)."""
    return (
        0 if entry.out_of_turn else 1,
        PRIORITY_RANK[entry.priority],
        entry.queued_at,
        _id_key(entry.id),
    )


def _id_key(entry_id: QueueId) -> tuple[int, int, str]:
    if isinstance(entry_id, int):
        return (0, entry_id, "")
    return (1, 0, entry_id)


def queue_order(entries: Iterable[QueueEntryView]) -> list[QueueId]:
    """Ids in the order places are offered: the first gets the SMS when a place frees (App.1 p.7)."""
    return [entry.id for entry in sorted(entries, key=sort_key)]


# --- App.1 p.7: more than one month in the queue means a new medical examination at admission ---------------

MEDICAL_RECHECK_AFTER_MONTHS = 1
MEDICAL_RECHECK_REF = ref(1, "7")


def needs_new_medical_examination(queued_on: date, admission_on: date) -> bool:
    """True when admission comes more than one month after joining the queue (App.1 p.7).

    Reading: "бір айдан астам" (more than one month) — admission exactly one calendar month later (same day
    number, or the month's last day when that day does not exist) still uses the old card; the day after does not.
    """
    return admission_on > add_months(queued_on, MEDICAL_RECHECK_AFTER_MONTHS)


# --- IPR expired while queued: re-certification keeps the earlier place (App.1 p.7, App.2 p.7, App.3 p.8)
# ----

RECERTIFICATION_KEEPS_PLACE: dict[Form, LegalRef] = {
    Form.STATIONARY: ref(1, "7"),
    Form.SEMI_STATIONARY: ref(2, "7"),
    Form.HOME: ref(3, "8"),
}


def recertification_keeps_place(form: Form) -> bool:
    """Whether re-registering after re-certification keeps the earlier queue place; temporary stay has no queue."""
    return form in RECERTIFICATION_KEEPS_PLACE


def queued_at_after_recertification(form: Form, original: datetime, reregistered_at: datetime) -> datetime:
    """The `queued_at` an entry carries after the person re-registers once the IPR was renewed."""
    return original if recertification_keeps_place(form) else reregistered_at


# --- Why did my position change? --------------------------------------------------------------------------

AHEAD_LEFT_QUEUE = "ahead_left_queue"  # admitted, withdrew or removed: the chat cannot tell which
OUT_OF_TURN_JOINED_AHEAD = "out_of_turn_joined_ahead"
VETERAN_JOINED_AHEAD = "veteran_joined_ahead"
JOINED_AHEAD = "joined_ahead"  # e.g. re-registered after re-certification with an earlier place
MOVED_AHEAD = "moved_ahead"  # already queued behind, now ahead (e.g. first priority confirmed later)
MOVED_BEHIND = "moved_behind"  # was ahead, now behind (e.g. priority withdrawn)
OWN_PRIORITY_CHANGED = "own_priority_changed"  # the person's own out-of-turn or first-priority status changed


@dataclass(frozen=True, slots=True)
class PositionChange:
    """1-based positions (None when not in that queue) and the reason codes, in a fixed order."""

    entry_id: QueueId
    before: int | None
    after: int | None
    reasons: tuple[str, ...]


def explain_position_change(
    before: Sequence[QueueEntryView], after: Sequence[QueueEntryView], entry_id: QueueId
) -> PositionChange:
    """Compare two snapshots of one queue and say why `entry_id` moved (no reasons if it was not in both)."""
    order_before, order_after = queue_order(before), queue_order(after)
    change = PositionChange(entry_id, _position(order_before, entry_id), _position(order_after, entry_id), ())
    if change.before is None or change.after is None:
        return change
    ahead_before = set(order_before[: change.before - 1])
    ahead_after = set(order_after[: change.after - 1])
    still_queued, known_before = set(order_after), set(order_before)
    after_by_id = {entry.id: entry for entry in after}
    reasons: set[str] = set()
    if _rank(before, entry_id) != _rank(after, entry_id):
        reasons.add(OWN_PRIORITY_CHANGED)
    if ahead_before - still_queued:
        reasons.add(AHEAD_LEFT_QUEUE)
    if (ahead_before & still_queued) - ahead_after:
        reasons.add(MOVED_BEHIND)
    for other in ahead_after - ahead_before:
        reasons.add(MOVED_AHEAD if other in known_before else _joined_reason(after_by_id[other]))
    return PositionChange(
        entry_id, change.before, change.after, tuple(code for code in _REASON_ORDER if code in reasons)
    )


def _rank(entries: Sequence[QueueEntryView], entry_id: QueueId) -> tuple[bool, Priority | None]:
    entry = next(entry for entry in entries if entry.id == entry_id)
    return (entry.out_of_turn, entry.priority)


_REASON_ORDER = (
    OWN_PRIORITY_CHANGED,
    AHEAD_LEFT_QUEUE,
    OUT_OF_TURN_JOINED_AHEAD,
    VETERAN_JOINED_AHEAD,
    JOINED_AHEAD,
    MOVED_AHEAD,
    MOVED_BEHIND,
)


def _joined_reason(entry: QueueEntryView) -> str:
    if entry.out_of_turn:
        return OUT_OF_TURN_JOINED_AHEAD
    if entry.priority is Priority.VETERAN:
        return VETERAN_JOINED_AHEAD
    return JOINED_AHEAD


def _position(order: list[QueueId], entry_id: QueueId) -> int | None:
    return order.index(entry_id) + 1 if entry_id in order else None
