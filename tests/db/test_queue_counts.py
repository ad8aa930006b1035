"""The queue position counters (migration 0003): the triggers keep `queue_day_count` equal to a recount of the
active entries, whatever writes the queue, and the fast position equals the plain COUNT for every entry
(App.1 p.7, p.10 queue order: out of turn, then first priority, then the time of joining)."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from core.db import migrate
from core.db.engine import make_engine
from core.db.models import Case, QueueDayCount, QueueEntry
from core.db.models.queue import QUEUE_ORDER_INDEX, priority_rank
from core.db.queue_queries import (
    FAST_ENTRIES_AHEAD,
    active_queue,
    fast_entries_ahead_parameters,
    queue_length,
    queue_position,
    slow_queue_position,
)
from core.db.uow import UnitOfWork
from core.rules.codes import Form, Priority, Status
from tests.db.factories import add_case, add_organisation, add_person, add_queue_entry
from tests.db.test_queue_index import fill_queues

UowFactory = Callable[[], UnitOfWork]
ALMATY = timezone(timedelta(hours=5))
# Just before UTC midnight: in Almaty this is already the next day, so a local-date bucket would be wrong.
NEAR_MIDNIGHT = datetime(2026, 3, 1, 23, 58, tzinfo=UTC)


def stored_counts(session: Session) -> dict[tuple[int, int, str], int]:
    rows = session.execute(sa.select(QueueDayCount)).scalars()
    return {(row.organisation_id, row.priority_rank, str(row.day)): row.entries for row in rows}


def recount(session: Session) -> dict[tuple[int, int, str], int]:
    """The counts computed from scratch in Python from the active entries (UTC days)."""
    found: dict[tuple[int, int, str], int] = {}
    for entry in session.scalars(sa.select(QueueEntry).where(QueueEntry.active == sa.true())):
        key = (entry.organisation_id, entry.priority_rank, str(entry.queued_at.astimezone(UTC).date()))
        found[key] = found.get(key, 0) + 1
    return found


def assert_positions_agree(session: Session, organisation_ids: list[int]) -> int:
    checked = 0
    for organisation_id in organisation_ids:
        queue = active_queue(session, organisation_id, limit=10_000)
        for expected, entry in enumerate(queue, start=1):
            assert (queue_position(session, entry), slow_queue_position(session, entry)) == (expected, expected)
            checked += 1
        assert queue_length(session, organisation_id) == len(queue)
    return checked


def random_moment(rng: random.Random) -> datetime:
    moment = NEAR_MIDNIGHT + timedelta(days=rng.randint(-3, 3), minutes=rng.choice([0, 1, 2, 5, 90, 600]))
    return moment.astimezone(rng.choice([UTC, ALMATY]))  # how the caller writes it must not matter


def random_step(session: Session, rng: random.Random, organisation_ids: list[int]) -> None:
    """One of: join, leave, priority or out-of-turn change, re-certified earlier place, move, delete, re-join."""
    active = list(session.scalars(sa.select(QueueEntry).where(QueueEntry.active == sa.true())))
    action = rng.choice(["join", "join", "leave", "priority", "out_of_turn", "queued_at", "move", "delete", "rejoin"])
    if action == "join" or not active:
        add_queue_entry(
            session,
            rng.choice(organisation_ids),
            random_moment(rng),
            priority=rng.choice([None, Priority.VETERAN]),
            out_of_turn=rng.random() < 0.2,
        )
        return
    entry = rng.choice(active)
    if action == "leave":
        entry.active, entry.left_at, entry.left_reason = False, NEAR_MIDNIGHT, "withdrawn"
    elif action == "priority":
        entry.priority = None if entry.priority else Priority.VETERAN
    elif action == "out_of_turn":
        entry.out_of_turn = not entry.out_of_turn
    elif action == "queued_at":
        entry.queued_at = random_moment(rng)
    elif action == "move":
        entry.organisation_id = rng.choice(organisation_ids)
    elif action == "delete":
        session.delete(entry)
    else:
        rejoin_a_left_entry(session)
    session.flush()


def rejoin_a_left_entry(session: Session) -> None:
    """A row that left becomes active again (its case waits nowhere else in the meantime)."""
    for left in session.scalars(sa.select(QueueEntry).where(QueueEntry.active == sa.false())):
        waiting = sa.select(QueueEntry.id).where(QueueEntry.case_id == left.case_id, QueueEntry.active == sa.true())
        if session.scalars(waiting).first() is None:
            left.active, left.left_at, left.left_reason = True, None, None
            return


def test_counters_equal_a_recount_after_random_joins_leaves_and_priority_changes(uow: UowFactory) -> None:
    rng = random.Random(263)
    with uow() as work:
        organisation_ids = [add_organisation(work.session).id for _ in range(3)]
    checked = 0
    for _ in range(8):  # several transactions, each of many steps, checked after each commit
        with uow() as work:
            for _ in range(30):
                random_step(work.session, rng, organisation_ids)
        with uow() as work:
            assert stored_counts(work.session) == recount(work.session)
            checked += assert_positions_agree(work.session, organisation_ids)
    assert checked > 100  # the walk really built queues to compare


def test_counters_follow_bulk_sql_updates_and_deletes(uow: UowFactory) -> None:
    with uow() as work:
        organisation_id = add_organisation(work.session).id
        other_id = add_organisation(work.session).id
        cases = [add_case(work.session).id for _ in range(40)]
        work.session.execute(
            sa.insert(QueueEntry.__table__),  # type: ignore[attr-defined]
            [
                {
                    "organisation_id": organisation_id,
                    "case_id": case_id,
                    "queued_at": NEAR_MIDNIGHT + timedelta(hours=n),
                    "priority": Priority.VETERAN if n % 4 == 0 else None,
                    "out_of_turn": False,
                    "priority_rank": priority_rank(False, Priority.VETERAN if n % 4 == 0 else None),
                    "active": True,
                }
                for n, case_id in enumerate(cases)
            ],
        )
    with uow() as work:
        table = QueueEntry.__table__  # type: ignore[attr-defined]
        work.session.execute(sa.update(table).where(table.c.id % 3 == 0).values(active=False))
        work.session.execute(sa.update(table).where(table.c.id % 5 == 0).values(organisation_id=other_id))
        work.session.execute(sa.delete(table).where(table.c.id % 7 == 0))
    with uow() as work:
        assert stored_counts(work.session) == recount(work.session)
        assert_positions_agree(work.session, [organisation_id, other_id])


def test_an_emptied_day_leaves_no_counter_row(uow: UowFactory) -> None:
    with uow() as work:
        organisation_id = add_organisation(work.session).id
        entry = add_queue_entry(work.session, organisation_id, NEAR_MIDNIGHT)
        assert stored_counts(work.session) == {(organisation_id, 3, "2026-03-01"): 1}
        entry.active = False
        work.session.flush()
        assert stored_counts(work.session) == {}


def test_position_in_a_long_queue_with_every_rank_app1_p7_p10(uow: UowFactory) -> None:
    with uow() as work:
        organisation_id = add_organisation(work.session).id
        for n in range(60):
            add_queue_entry(
                work.session,
                organisation_id,
                NEAR_MIDNIGHT + timedelta(minutes=97 * n),
                out_of_turn=n % 11 == 0,
                priority=Priority.VETERAN if n % 6 == 0 else None,
            )
    with uow() as work:
        assert assert_positions_agree(work.session, [organisation_id]) == 60


def _case_at_0002(session: Session) -> int:
    """A case row with only columns revision 0002 has: the model is at head, so the ORM would write newer ones."""
    person_id = add_person(session).id
    now = datetime.now(UTC)
    values = {"person_id": person_id, "applicant_person_id": person_id, "form": Form.STATIONARY}
    values |= {"status": Status.QUEUED, "status_changed_at": now, "created_at": now, "updated_at": now}
    return int(session.scalars(sa.insert(Case).returning(Case.id), [{**values, "version": 1, "language": "kk"}]).one())


def test_migration_counts_the_entries_already_waiting(db_url: str) -> None:
    """Upgrading a database that already has a queue (revision 0002) fills the counters from it."""
    migrate.upgrade(db_url, "0002")
    engine = make_engine(db_url)
    try:
        with Session(engine) as session:
            organisation_id = add_organisation(session).id
            for n in range(12):
                moment = NEAR_MIDNIGHT + timedelta(hours=5 * n)
                entry = add_queue_entry(session, organisation_id, moment, case_id=_case_at_0002(session))
                entry.active = n % 4 != 0
            session.commit()
        migrate.upgrade(db_url)
        with Session(engine) as session:
            assert stored_counts(session) == recount(session)
            assert sum(stored_counts(session).values()) == 9
            assert assert_positions_agree(session, [organisation_id]) == 9
    finally:
        engine.dispose()


def test_fast_position_reads_the_counter_key_and_the_queue_index(db_engine: sa.Engine, uow: UowFactory) -> None:
    """Index range scans only (long queues in many organisations, statistics fresh), never a scan of a table."""
    entry = fill_queues(uow, organisations=20, per_organisation=400)
    with db_engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        explain = "EXPLAIN" if connection.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
        sql = FAST_ENTRIES_AHEAD.params(**fast_entries_ahead_parameters(entry)).compile(
            dialect=connection.dialect, compile_kwargs={"literal_binds": True}
        )
        plan = " | ".join(str(row[-1]) for row in connection.exec_driver_sql(f"{explain} {sql}"))
    assert QUEUE_ORDER_INDEX in plan, plan
    assert "pk_queue_day_count" in plan or "sqlite_autoindex_queue_day_count" in plan, plan
    assert "Seq Scan" not in plan and "SCAN queue" not in plan, plan


@pytest.mark.postgres
def test_concurrent_joins_and_leaves_keep_the_counters_right_on_postgres(postgres_url: str) -> None:
    """Eight writers join and leave the same organisation's queue on the same days at once (row locks on the
    counter rows must serialise them without losing an increment or a decrement)."""
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with Session(engine) as session:
            organisation_id = add_organisation(session).id
            case_ids = [add_case(session).id for _ in range(8 * 15)]
            session.commit()
        barrier = threading.Barrier(8)
        errors: list[BaseException] = []

        def writer(worker: int) -> None:
            rng = random.Random(worker)
            try:
                barrier.wait()
                for n in range(15):
                    with Session(engine) as session:
                        moment = NEAR_MIDNIGHT + timedelta(minutes=rng.choice([0, 1, 3]))
                        entry = add_queue_entry(session, organisation_id, moment, case_id=case_ids[worker * 15 + n])
                        if n % 3 == 0:
                            entry.active = False
                        session.commit()
            except BaseException as error:  # reported by the main thread
                errors.append(error)

        threads = [threading.Thread(target=writer, args=(worker,)) for worker in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        with Session(engine) as session:
            assert stored_counts(session) == recount(session)
            assert sum(stored_counts(session).values()) == 8 * 10
            assert_positions_agree(session, [organisation_id])
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_truncating_the_queue_empties_the_counters_on_postgres(postgres_url: str) -> None:
    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    try:
        with Session(engine) as session:
            add_queue_entry(session, add_organisation(session).id, NEAR_MIDNIGHT)
            session.commit()
            assert stored_counts(session) != {}
            session.execute(sa.text("TRUNCATE queue_entry"))
            session.commit()
            assert stored_counts(session) == {}
    finally:
        engine.dispose()


def test_downgrade_removes_the_counters_and_their_triggers(db_url: str) -> None:
    migrate.upgrade(db_url)
    migrate.downgrade(db_url, "0002")
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            assert "queue_day_count" not in sa.inspect(connection).get_table_names()
            if connection.dialect.name == "postgresql":
                leftover = "SELECT count(*) FROM pg_proc WHERE proname LIKE :name"
            else:
                leftover = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE :name"
            assert connection.execute(sa.text(leftover), {"name": "queue_day_count%"}).scalar() == 0
        with Session(engine) as session:  # the queue still works without them
            add_queue_entry(session, add_organisation(session).id, NEAR_MIDNIGHT, case_id=_case_at_0002(session))
            session.commit()
    finally:
        engine.dispose()
