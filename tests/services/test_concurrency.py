"""Places freed at once, and people choosing the last free place at once, on PostgreSQL with real concurrent
transactions: nobody is offered a place twice, nobody is skipped, and no place is lost (App.1 p.7 queue order)."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.db.enums import OfferStatus
from core.db.models import Case, Offer, Organisation, Person, QueueEntry
from core.rules.codes import Category, Form, Status
from core.services import placement
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.services.conftest import ORGANISATION, Clock, add_organisation, make_iin

pytestmark = pytest.mark.postgres
_people = itertools.count()


@pytest.fixture
def migrated_url(postgres_server, postgres_migrated_template) -> Iterator[str]:  # PostgreSQL only here
    name = postgres_server.create(template=postgres_migrated_template)
    yield postgres_server.url_of(name)
    postgres_server.drop(name)


@pytest.fixture
def runtime(migrated_url: str, tmp_path: Path, clock: Clock) -> Iterator[Runtime]:
    rt = Runtime(Settings(environment="test", data_dir=tmp_path, database_url=migrated_url), clock=clock)
    yield rt
    rt.dispose()


def _queue(runtime: Runtime, organisation_id: int, size: int, *, status: Status = Status.QUEUED) -> list[int]:
    """`size` cases waiting in the organisation's queue, joined a minute apart; returns case ids in order."""
    ids = []
    with runtime.context() as ctx:
        for _ in range(size):
            serial = next(_people)
            person = Person(iin=make_iin(date(1940, 1, 1) + timedelta(days=serial), serial=serial), full_name="P")
            ctx.session.add(person)
            ctx.session.flush()
            case = Case(
                person_id=person.id,
                applicant_person_id=person.id,
                form=Form.STATIONARY,
                category=Category.ELDERLY,
                status=status,
                status_changed_at=ctx.now,
            )
            ctx.session.add(case)
            ctx.session.flush()
            if status == Status.QUEUED:
                ctx.session.add(
                    QueueEntry(
                        organisation_id=organisation_id,
                        case_id=case.id,
                        queued_at=ctx.now - timedelta(days=1) + timedelta(minutes=serial),
                    )
                )
            ids.append(case.id)
    return ids


def _at_once(workers: list[Callable[[], object]]) -> list[BaseException]:
    """Run the workers in threads released by one barrier; returns the errors they raised."""
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], object]) -> None:
        barrier.wait()
        try:
            work()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _free_one(runtime: Runtime, organisation_id: int) -> Callable[[], object]:
    def work() -> object:
        with runtime.context(ORGANISATION) as ctx:
            return placement.free_places(ctx, organisation_id)

    return work


def _offers(runtime: Runtime, organisation_id: int) -> list[int]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(
            sa.select(Offer)
            .where(Offer.organisation_id == organisation_id, Offer.status == OfferStatus.OPEN)
            .order_by(Offer.id)
        )
        return [row.case_id for row in rows]


def test_app1_p7_places_freed_at_once_go_to_the_first_in_queue_each_exactly_once(runtime, places):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    waiting = _queue(runtime, home, 10)
    errors = _at_once([_free_one(runtime, home) for _ in range(6)])
    assert errors == []
    offered = _offers(runtime, home)
    assert sorted(offered) == sorted(waiting[:6])  # the first six in queue order, nobody skipped
    assert len(set(offered)) == 6  # nobody offered twice
    with runtime.context() as ctx:
        assert ctx.session.get(Organisation, home).free_places == 0  # no place lost or invented
        active = ctx.session.scalars(
            sa.select(QueueEntry.case_id).where(QueueEntry.organisation_id == home, QueueEntry.active == sa.true())
        )
        assert sorted(active) == sorted(waiting[6:])


def test_app1_p7_two_people_choosing_the_last_free_place_one_offer_one_queue(runtime, places):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1)
    choosers = _queue(runtime, home, 2, status=Status.NOTIFIED)

    def choose(case_id: int) -> Callable[[], object]:
        def work() -> object:
            with runtime.context(ORGANISATION) as ctx:
                return placement.choose_organisation(ctx, ctx.session.get(Case, case_id), home)

        return work

    assert _at_once([choose(case_id) for case_id in choosers]) == []
    with runtime.context() as ctx:
        statuses = sorted(ctx.session.get(Case, case_id).status for case_id in choosers)
        assert statuses == [Status.OFFERED, Status.QUEUED]
        assert ctx.session.get(Organisation, home).free_places == 0


def test_app1_p7_staff_freeing_and_a_family_joining_at_once_keep_the_queue_consistent(runtime, places):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    waiting = _queue(runtime, home, 3)
    [late] = _queue(runtime, home, 1, status=Status.NOTIFIED)

    def join() -> object:
        with runtime.context(ORGANISATION) as ctx:
            return placement.choose_organisation(ctx, ctx.session.get(Case, late), home)

    assert _at_once([_free_one(runtime, home), _free_one(runtime, home), join]) == []
    assert sorted(_offers(runtime, home)) == sorted(waiting[:2])
    with runtime.context() as ctx:
        assert ctx.session.get(Case, late).status == Status.QUEUED
