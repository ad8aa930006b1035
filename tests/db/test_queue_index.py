"""Queue order (rules-digest §5) is answered by the index ix_queue_entry_order, not by sorting in Python."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from functools import partial

import pytest
import sqlalchemy as sa

from core.db import migrate
from core.db.engine import make_engine, make_session_factory
from core.db.models import QueueEntry
from core.db.models.queue import QUEUE_ORDER_INDEX, priority_rank
from core.db.queue_queries import (
    active_queue,
    entries_ahead_statement,
    first_in_queue,
    first_in_queue_statement,
    queue_position,
)
from core.db.uow import UnitOfWork
from core.rules.codes import Priority
from tests.db.factories import add_case, add_organisation, add_queue_entry

UowFactory = Callable[[], UnitOfWork]
ALMATY = timezone(timedelta(hours=5))
DAY_ONE = datetime(2026, 1, 5, 9, 0, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("out_of_turn", "priority", "rank"),
    [
        pytest.param(True, Priority.VETERAN, 0, id="app1_p7_out_of_turn_veteran"),
        pytest.param(True, None, 1, id="app1_p7_out_of_turn"),
        pytest.param(False, Priority.VETERAN, 2, id="app1_p10_veteran_first_priority"),
        pytest.param(False, None, 3, id="general_queue"),
    ],
)
def test_priority_rank(out_of_turn: bool, priority: Priority | None, rank: int) -> None:
    assert priority_rank(out_of_turn, priority) == rank


def test_app1_p7_p10_queue_order_and_positions(uow: UowFactory) -> None:
    with uow() as work:
        organisation = add_organisation(work.session)
        other = add_organisation(work.session)
        joined = {
            # name: (queued_at, out_of_turn, priority); times in Almaty and UTC mixed on purpose
            "early_general": (DAY_ONE, False, None),
            "late_general": (DAY_ONE.astimezone(UTC) + timedelta(minutes=1), False, None),
            "veteran": (DAY_ONE + timedelta(days=3), False, Priority.VETERAN),
            "out_of_turn": (DAY_ONE + timedelta(days=9), True, None),
        }
        ids = {}
        for name, (queued_at, out_of_turn, priority) in joined.items():
            entry = add_queue_entry(
                work.session, organisation.id, queued_at, out_of_turn=out_of_turn, priority=priority
            )
            ids[entry.id] = name
        gone = add_queue_entry(work.session, organisation.id, DAY_ONE - timedelta(days=30))
        gone.active = False
        add_queue_entry(work.session, other.id, DAY_ONE - timedelta(days=30))  # another organisation's queue

    with uow() as work:
        ordered = [ids[entry.id] for entry in active_queue(work.session, organisation.id)]
        first = first_in_queue(work.session, organisation.id)
        positions = {ids[e.id]: queue_position(work.session, e) for e in active_queue(work.session, organisation.id)}
    assert ordered == ["out_of_turn", "veteran", "early_general", "late_general"]
    assert first is not None and ids[first.id] == "out_of_turn"
    assert positions == {"out_of_turn": 1, "veteran": 2, "early_general": 3, "late_general": 4}


def test_same_moment_is_broken_by_id(uow: UowFactory) -> None:
    with uow() as work:
        organisation_id = add_organisation(work.session).id
        first = add_queue_entry(work.session, organisation_id, DAY_ONE)
        second = add_queue_entry(work.session, organisation_id, DAY_ONE)
        assert queue_position(work.session, first) == 1
        assert queue_position(work.session, second) == 2


def test_empty_queue_has_no_first(uow: UowFactory) -> None:
    with uow() as work:
        assert first_in_queue(work.session, add_organisation(work.session).id) is None


def test_priority_rank_is_kept_in_step_on_update(uow: UowFactory) -> None:
    with uow() as work:
        entry = add_queue_entry(work.session, add_organisation(work.session).id, DAY_ONE)
        entry.priority = Priority.VETERAN
        work.session.flush()
        assert entry.priority_rank == 2


@contextmanager
def migrated(url: str) -> Iterator[tuple[sa.Engine, UowFactory]]:
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        yield engine, partial(UnitOfWork, make_session_factory(engine))
    finally:
        engine.dispose()


def fill_queues(uow: UowFactory, organisations: int, per_organisation: int) -> QueueEntry:
    """Many organisations with long queues (so a sequential scan would be the planner's worst choice).

    Returns an active entry from the middle of the middle organisation's queue.
    """
    with uow() as work:
        organisation_ids = [add_organisation(work.session).id for _ in range(organisations)]
        case_ids = [add_case(work.session).id for _ in range(per_organisation)]
        rows = [
            {
                "organisation_id": organisation_id,
                "case_id": case_id,
                "queued_at": DAY_ONE + timedelta(minutes=n),
                "priority": Priority.VETERAN if n % 7 == 0 else None,
                "out_of_turn": False,
                "priority_rank": priority_rank(False, Priority.VETERAN if n % 7 == 0 else None),
                "active": n % 5 != 0,
            }
            for organisation_id in organisation_ids
            for n, case_id in enumerate(case_ids)
        ]
        work.session.execute(sa.insert(QueueEntry.__table__), rows)  # type: ignore[attr-defined]
        middle = organisation_ids[len(organisation_ids) // 2]
        statement = first_in_queue_statement(middle).offset(per_organisation // 3)
        return work.session.scalars(statement).one()


def plans(connection: sa.Connection, entry: QueueEntry) -> list[str]:
    """The query plans of "first in queue" and "entries ahead of X", as the database prints them."""
    explain = "EXPLAIN" if connection.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    found = []
    for statement in (first_in_queue_statement(entry.organisation_id), entries_ahead_statement(entry)):
        sql = statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
        rows = connection.exec_driver_sql(f"{explain} {sql}").all()
        found.append(" | ".join(str(row[-1]) for row in rows))
    return found


@pytest.mark.postgres
def test_first_in_queue_and_position_use_the_index_on_postgres(postgres_url: str) -> None:
    with migrated(postgres_url) as (engine, uow):
        entry = fill_queues(uow, organisations=40, per_organisation=500)
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE queue_entry")
            found = plans(connection, entry)
    for plan in found:
        assert QUEUE_ORDER_INDEX in plan, plan
        assert "Seq Scan" not in plan and "Sort" not in plan, plan


def test_first_in_queue_and_position_use_the_index_on_sqlite(sqlite_url: str) -> None:
    with migrated(sqlite_url) as (engine, uow):
        entry = fill_queues(uow, organisations=10, per_organisation=200)
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            found = plans(connection, entry)
    for plan in found:
        assert QUEUE_ORDER_INDEX in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # no sorting step for ORDER BY
