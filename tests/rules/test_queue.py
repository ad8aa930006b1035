"""Queue order and queue rules: App.1 p.7, p.10, p.20; App.2 p.7, p.9; App.3 p.8, p.10 (rules-digest §5)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from core.rules.codes import Form, Priority
from core.rules.queue import (
    PRIORITY_RANK,
    QUEUE_ORDERING,
    Direction,
    QueueEntryView,
    QueueId,
    explain_position_change,
    needs_new_medical_examination,
    queue_order,
    queued_at_after_recertification,
    recertification_keeps_place,
    sort_key,
)

V = Priority.VETERAN
KAZAKHSTAN = timezone(timedelta(hours=5))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=KAZAKHSTAN)


T0 = at(2025, 1, 10, 9, 0)
T1 = at(2025, 1, 10, 9, 30)
T2 = at(2025, 2, 1, 8, 0)


def entry(
    entry_id: QueueId, at: datetime, priority: Priority | None = None, out_of_turn: bool = False
) -> QueueEntryView:
    return QueueEntryView(entry_id, at, priority, out_of_turn)


@pytest.mark.parametrize(
    ("entries", "order"),
    [
        pytest.param([entry(2, T1), entry(1, T0)], [1, 2], id="app1_p7_by_time_joined"),
        pytest.param([entry(1, T0), entry(2, T2, V)], [2, 1], id="app1_p10_veteran_first_though_later"),
        pytest.param([entry(1, T0, V), entry(2, T2, out_of_turn=True)], [2, 1], id="app1_p7_p20_out_of_turn_first"),
        pytest.param([entry(1, T1, V), entry(2, T0, V)], [2, 1], id="app1_p10_veterans_among_themselves_by_time"),
        pytest.param(
            [entry(1, T2, out_of_turn=True), entry(2, T0, out_of_turn=True)], [2, 1], id="out_of_turn_by_time"
        ),
        pytest.param(
            [entry(1, T2, V, out_of_turn=True), entry(2, T0, out_of_turn=True)], [1, 2], id="out_of_turn_veteran_first"
        ),
        pytest.param([entry(3, T0), entry(1, T0), entry(2, T0)], [1, 2, 3], id="equal_times_by_id"),
        pytest.param([entry(10, T0), entry(9, T0)], [9, 10], id="integer_ids_numerically"),
        pytest.param([entry("b", T0), entry("a", T0)], ["a", "b"], id="string_ids"),
        pytest.param(
            [
                entry(1, T0),
                entry(2, T1, V),
                entry(3, T2, out_of_turn=True),
                entry(4, T0, V),
                entry(5, T1),
                entry(6, T0),
            ],
            [3, 4, 2, 1, 6, 5],
            id="mixed_priorities_and_equal_times",
        ),
        pytest.param([], [], id="empty_queue"),
    ],
)
def test_queue_order(entries: list[QueueEntryView], order: list[QueueId]) -> None:
    assert queue_order(entries) == order


def test_queue_order_does_not_depend_on_input_order() -> None:
    entries = [entry(1, T0), entry(2, T0, V), entry(3, T0, out_of_turn=True), entry(4, T0)]
    assert queue_order(entries) == queue_order(list(reversed(entries))) == [3, 2, 1, 4]


def test_ordering_as_data_matches_sort_key() -> None:
    assert [(term.field, term.direction) for term in QUEUE_ORDERING] == [
        ("out_of_turn", Direction.DESC),
        ("priority_rank", Direction.ASC),
        ("queued_at", Direction.ASC),
        ("id", Direction.ASC),
    ]
    assert PRIORITY_RANK[V] < PRIORITY_RANK[None]
    assert sort_key(entry(7, T0, V, out_of_turn=True)) < sort_key(entry(1, T0, V)) < sort_key(entry(1, T0))


@pytest.mark.parametrize(
    ("queued_on", "admission_on", "needed"),
    [
        pytest.param(date(2025, 3, 10), date(2025, 4, 9), False, id="app1_p7_day_before_one_month"),
        pytest.param(date(2025, 3, 10), date(2025, 4, 10), False, id="app1_p7_exactly_one_month_is_not_more"),
        pytest.param(date(2025, 3, 10), date(2025, 4, 11), True, id="app1_p7_day_after_one_month"),
        pytest.param(date(2025, 1, 31), date(2025, 2, 28), False, id="app1_p7_31_jan_month_ends_28_feb"),
        pytest.param(date(2025, 1, 31), date(2025, 3, 1), True, id="app1_p7_31_jan_then_1_march"),
        pytest.param(date(2025, 3, 10), date(2025, 3, 10), False, id="app1_p7_same_day"),
    ],
)
def test_app1_p7_new_medical_examination_after_more_than_one_month(
    queued_on: date, admission_on: date, needed: bool
) -> None:
    assert needs_new_medical_examination(queued_on, admission_on) is needed


@pytest.mark.parametrize(
    ("form", "keeps"),
    [
        pytest.param(Form.STATIONARY, True, id="app1_p7"),
        pytest.param(Form.SEMI_STATIONARY, True, id="app2_p7"),
        pytest.param(Form.HOME, True, id="app3_p8"),
        pytest.param(Form.TEMPORARY_STAY, False, id="app4_no_queue"),
    ],
)
def test_recertification_keeps_the_earlier_place(form: Form, keeps: bool) -> None:
    reregistered = at(2025, 5, 1, 12, 0)
    assert recertification_keeps_place(form) is keeps
    assert queued_at_after_recertification(form, T0, reregistered) == (T0 if keeps else reregistered)


def test_recertified_person_stays_ahead_of_later_joiners() -> None:
    kept = queued_at_after_recertification(Form.STATIONARY, T0, at(2025, 5, 1))
    assert queue_order([entry("later", T1), entry("recertified", kept)]) == ["recertified", "later"]


ME = entry("me", T2)
QUEUE = [entry("a", T0), entry("b", T1), ME, entry("c", at(2025, 3, 1))]


@pytest.mark.parametrize(
    ("after", "positions", "reasons"),
    [
        pytest.param(QUEUE, (3, 3), (), id="nothing_changed"),
        pytest.param([entry("b", T1), ME, entry("c", at(2025, 3, 1))], (3, 2), ("ahead_left_queue",),
                     id="someone_ahead_admitted"),
        pytest.param([*QUEUE, entry("x", at(2025, 4, 1), out_of_turn=True)], (3, 4),
                     ("out_of_turn_joined_ahead",), id="app1_p7_out_of_turn_joined_ahead"),
        pytest.param([*QUEUE, entry("v", at(2025, 4, 1), V)], (3, 4), ("veteran_joined_ahead",),
                     id="app1_p10_veteran_joined_ahead"),
        pytest.param([*QUEUE, entry("r", T0)], (3, 4), ("joined_ahead",), id="app1_p7_recertified_joined_ahead"),
        pytest.param([entry("a", T0), entry("b", T1), ME, entry("c", at(2025, 3, 1), V)], (3, 4),
                     ("moved_ahead",), id="veteran_status_confirmed_for_someone_behind"),
        pytest.param([entry("a", T0), entry("b", T1), entry("me", T2, V), entry("c", at(2025, 3, 1))], (3, 1),
                     ("own_priority_changed", "moved_behind"), id="own_veteran_status_confirmed"),
        pytest.param([entry("b", T1), ME, entry("c", at(2025, 3, 1)), entry("v", T2, V)], (3, 3),
                     ("ahead_left_queue", "veteran_joined_ahead"), id="one_left_one_joined_same_place"),
        pytest.param([entry("a", T0)], (3, None), (), id="i_left_the_queue"),
    ],
)  # fmt: skip
def test_explain_position_change(
    after: list[QueueEntryView], positions: tuple[int | None, int | None], reasons: tuple[str, ...]
) -> None:
    change = explain_position_change(QUEUE, after, "me")
    assert ((change.before, change.after), change.reasons) == (positions, reasons)
