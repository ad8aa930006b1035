"""Engine, unit of work and column types: what the services can rely on, on both databases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError

from core.db.engine import make_engine, normalise_url
from core.db.enums import Channel, Language
from core.db.models import Case, ChatIdentity, Conversation, Person
from core.db.uow import ConcurrentUpdateError, UnitOfWork
from core.rules.codes import Form, Status
from tests.db.factories import add_case

UowFactory = Callable[[], UnitOfWork]
ALMATY = timezone(timedelta(hours=5))


def count_people(uow: UowFactory) -> int:
    with uow() as work:
        return int(work.session.scalar(sa.select(sa.func.count()).select_from(Person)) or 0)


def test_unit_of_work_commits_on_success(uow: UowFactory) -> None:
    with uow() as work:
        work.session.add(Person(full_name="Saved"))
    assert count_people(uow) == 1


def test_unit_of_work_rolls_back_on_exception_and_reraises(uow: UowFactory) -> None:
    with pytest.raises(RuntimeError, match="service failed"), uow() as work:
        work.session.add(Person(full_name="Never saved"))
        work.session.flush()
        raise RuntimeError("service failed")
    assert count_people(uow) == 0


def test_after_commit_callbacks_run_only_after_a_commit(uow: UowFactory) -> None:
    calls: list[str] = []
    with uow() as work:
        work.after_commit(lambda: calls.append("committed"))
        work.session.add(Person(full_name="A"))
        assert calls == []
    with pytest.raises(ValueError), uow() as work:
        work.after_commit(lambda: calls.append("rolled back"))
        raise ValueError
    assert calls == ["committed"]


def test_session_outside_the_block_is_an_error(uow: UowFactory) -> None:
    work = uow()
    with pytest.raises(RuntimeError, match="not open"):
        _ = work.session


def test_saved_values_stay_readable_after_the_block(uow: UowFactory) -> None:
    with uow() as work:
        case = add_case(work.session, form=Form.HOME)
    assert (case.form, case.status, case.version) == (Form.HOME, Status.DRAFT, 1)


def test_concurrent_update_of_a_case_is_detected(uow: UowFactory) -> None:
    with uow() as work:
        case_id = add_case(work.session).id
    with pytest.raises(ConcurrentUpdateError), uow() as mine:
        case = mine.session.get(Case, case_id)
        assert case is not None
        with uow() as theirs:  # another clerk reads the same case and saves first
            other = theirs.session.get(Case, case_id)
            assert other is not None
            other.status = Status.WITHDRAWN
        case.status = Status.SUBMITTED
    with uow() as work:
        stored = work.session.get(Case, case_id)
        assert stored is not None and (stored.status, stored.version) == (Status.WITHDRAWN, 2)


def test_conversation_in_place_change_is_saved_and_version_checked(uow: UowFactory) -> None:
    with uow() as work:
        identity = ChatIdentity(channel=Channel.WEB, external_id="w-1")
        work.session.add(identity)
        work.session.flush()
        work.session.add(Conversation(chat_identity_id=identity.id, flow="apply", step="iin"))
    with pytest.raises(ConcurrentUpdateError), uow() as work:
        conversation = work.session.scalars(sa.select(Conversation)).one()
        with uow() as racing_webhook:
            racing_webhook.session.scalars(sa.select(Conversation)).one().step = "consent"
        conversation.data["iin_attempts"] = 1  # an in-place change is tracked, so it is an UPDATE that loses
    with uow() as work:
        conversation = work.session.scalars(sa.select(Conversation)).one()
        assert (conversation.step, conversation.data, conversation.version) == ("consent", {}, 2)
        conversation.data["iin_attempts"] = 1
    with uow() as work:
        assert work.session.scalars(sa.select(Conversation.data)).one() == {"iin_attempts": 1}


def test_instants_come_back_as_the_same_instant_in_utc(uow: UowFactory) -> None:
    submitted = datetime(2026, 3, 20, 17, 30, tzinfo=ALMATY)
    with uow() as work:
        case_id = add_case(work.session, submitted_at=submitted).id
    with uow() as work:
        case = work.session.get(Case, case_id)
        assert case is not None
        assert case.submitted_at == submitted
        assert case.submitted_at.tzinfo == UTC
        assert case.created_at.tzinfo == UTC


def test_naive_datetimes_are_refused(uow: UowFactory) -> None:
    with pytest.raises(StatementError, match="naive datetime"), uow() as work:
        add_case(work.session, submitted_at=datetime(2026, 3, 20, 17, 30))  # noqa: DTZ001


def test_enum_columns_read_back_as_enum_members(uow: UowFactory) -> None:
    with uow() as work:
        work.session.add(ChatIdentity(channel="telegram", external_id="1", language="ru"))
    with uow() as work:
        identity = work.session.scalars(sa.select(ChatIdentity)).one()
        assert identity.channel is Channel.TELEGRAM and identity.language is Language.RU


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("foreign_keys", "journal_mode", "busy_timeout")
        }
    engine.dispose()
    assert pragmas == {"foreign_keys": 1, "journal_mode": "wal", "busy_timeout": 5000}


def test_making_an_engine_does_not_connect() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none")  # nothing listens there
    assert engine.url.drivername == "postgresql+psycopg"
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        pytest.param("postgresql://u@h/db", "postgresql+psycopg", id="bare-postgresql"),
        pytest.param("postgresql+psycopg://u@h/db", "postgresql+psycopg", id="psycopg"),
        pytest.param("sqlite:///data/qamqor.db", "sqlite", id="sqlite"),
    ],
)
def test_normalise_url(url: str, driver: str) -> None:
    assert normalise_url(url).drivername == driver


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported database backend 'mysql'"):
        make_engine("mysql://u@h/db")
