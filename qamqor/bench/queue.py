"""`qamqor bench queue`: how fast queue position and offer-to-next are with a long queue.

Runs on a throwaway database of the configured kind (a temporary SQLite file, or a temporary database on the
configured PostgreSQL server, dropped afterwards), so the real data is never touched. Prints p50/p95 in ms.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from core.db.engine import make_engine
from core.db.migrate import upgrade
from core.db.models import Case, Organisation, Person, QueueEntry, Region
from core.db.queue_queries import queue_position
from core.rules.codes import Category, Form, Status
from core.services import placement
from qamqor.runtime import Runtime
from qamqor.settings import Settings


@contextmanager
def scratch_database(configured_url: str) -> Iterator[str]:
    url = make_url(configured_url)
    if url.get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    name = f"qamqor_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def fill_queue(runtime: Runtime, entries: int) -> int:
    """One organisation with `entries` people waiting (bulk inserted); returns its id."""
    now = datetime.now(UTC)
    with runtime.context() as ctx:
        region = Region(code="bench", name_kk="b", name_ru="b", name_en="b")
        ctx.session.add(region)
        ctx.session.flush()
        organisation = Organisation(
            name_kk="b",
            name_ru="b",
            name_en="b",
            form=Form.STATIONARY,
            region_id=region.id,
            capacity=entries,
            free_places=0,
        )
        ctx.session.add(organisation)
        ctx.session.flush()
        org_id = int(organisation.id)
    rng = random.Random(263)
    batch = 5000
    for start in range(0, entries, batch):
        size = min(batch, entries - start)
        with runtime.context() as ctx:
            people = ctx.session.scalars(
                sa.insert(Person).returning(Person.id),
                [{"full_name": "Bench", "created_at": now, "updated_at": now}] * size,
            )
            person_ids = list(people)
            case_rows = [
                {
                    "person_id": pid,
                    "applicant_person_id": pid,
                    "form": Form.STATIONARY,
                    "category": Category.ELDERLY,
                    "status": Status.QUEUED,
                    "status_changed_at": now,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    "language": "kk",
                }
                for pid in person_ids
            ]
            case_ids = list(ctx.session.scalars(sa.insert(Case).returning(Case.id), case_rows))
            veteran = [rng.random() < 0.03 for _ in case_ids]
            ctx.session.execute(
                sa.insert(QueueEntry),
                [
                    {
                        "organisation_id": org_id,
                        "case_id": cid,
                        "queued_at": now - timedelta(minutes=entries - start - i),
                        "priority": "veteran" if veteran[i] else None,
                        "out_of_turn": False,
                        "priority_rank": 2 if veteran[i] else 3,
                        "active": True,
                    }
                    for i, cid in enumerate(case_ids)
                ],
            )
    return org_id


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def timed(operation: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        operation()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def run(settings: Settings, entries: int, samples: int) -> dict[str, float]:
    with scratch_database(settings.effective_database_url) as url:
        upgrade(url)
        runtime = Runtime(settings.model_copy(update={"database_url": url}))
        try:
            return _measure(runtime, entries, samples)
        finally:
            runtime.dispose()


def _refresh_statistics(runtime: Runtime) -> None:
    """What the database's own maintenance does after a bulk load (autovacuum / ANALYZE), so plans are realistic.

    On PostgreSQL that includes the position counters: the load updated their few rows ~100k times (inside
    5000-row transactions, so nothing could be pruned yet), far past autovacuum's threshold for them.
    """
    if runtime.engine.dialect.name == "postgresql":
        with runtime.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE queue_entry, queue_day_count"))
    else:
        with runtime.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))


def _measure(runtime: Runtime, entries: int, samples: int) -> dict[str, float]:
    started = time.perf_counter()
    org_id = fill_queue(runtime, entries)
    fill_seconds = time.perf_counter() - started
    _refresh_statistics(runtime)
    with runtime.context() as ctx:
        ids = list(ctx.session.scalars(sa.select(QueueEntry.id).where(QueueEntry.organisation_id == org_id)))
    picks = random.Random(7).sample(ids, min(samples, len(ids)))
    iterator = iter(picks)

    def position() -> None:
        with runtime.context() as ctx:
            queue_position(ctx.session, ctx.session.get(QueueEntry, next(iterator)))

    def offer_next() -> None:
        with runtime.context() as ctx:
            placement.free_places(ctx, org_id)

    position_ms = timed(position, len(picks))
    offer_ms = timed(offer_next, min(samples, entries))
    p50_pos, p95_pos = percentiles(position_ms)
    p50_offer, p95_offer = percentiles(offer_ms)
    return {
        "fill_seconds": fill_seconds,
        "position_p50": p50_pos,
        "position_p95": p95_pos,
        "offer_p50": p50_offer,
        "offer_p95": p95_offer,
    }
