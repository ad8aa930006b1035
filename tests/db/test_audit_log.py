"""The audit log is append-only in the database itself, and never holds a full IIN (rules-digest §7)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from core.db.enums import AuditActorKind
from core.db.masking import mask_iin, mask_iins
from core.db.models import AuditLog
from core.db.uow import UnitOfWork

IIN = "900101300017"
UowFactory = Callable[[], UnitOfWork]


def add_entry(uow: UowFactory, **fields: object) -> int:
    with uow() as work:
        entry = AuditLog(actor_kind=AuditActorKind.STAFF, actor_id="7", action="update", entity="person", **fields)
        work.session.add(entry)
        work.session.flush()
        assert entry.id is not None
        return entry.id


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE audit_log SET action = 'tampered'", id="update"),
        pytest.param("DELETE FROM audit_log", id="delete"),
    ],
)
def test_audit_log_rejects_changes(uow: UowFactory, statement: str) -> None:
    add_entry(uow)
    with pytest.raises(DBAPIError, match="audit_log is append-only"), uow() as work:
        work.session.execute(sa.text(statement))
    with uow() as work:
        assert work.session.scalars(sa.select(AuditLog.action)).all() == ["update"]


def test_audit_log_rejects_changes_through_the_orm(uow: UowFactory) -> None:
    entry_id = add_entry(uow)
    with pytest.raises(DBAPIError, match="append-only"), uow() as work:
        entry = work.session.get(AuditLog, entry_id)
        assert entry is not None
        entry.action = "tampered"


@pytest.mark.postgres
def test_audit_log_rejects_truncate_on_postgres(postgres_url: str) -> None:
    from core.db import migrate
    from core.db.engine import make_engine

    migrate.upgrade(postgres_url)
    engine = make_engine(postgres_url)
    with pytest.raises(DBAPIError, match="append-only: TRUNCATE rejected"), engine.begin() as connection:
        connection.exec_driver_sql("TRUNCATE audit_log")
    engine.dispose()


def test_audit_payloads_never_store_a_full_iin(uow: UowFactory, db_engine: sa.Engine) -> None:
    before = {"iin": IIN, "note": f"applicant ЖСН {IIN} called", "children": [{"iin": IIN}]}
    add_entry(uow, entity_id="1", before=before, after={"iin": None, IIN: "key"})
    with db_engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT before, after FROM audit_log").one()
    raw = f"{stored[0]} {stored[1]}"
    assert IIN not in raw
    assert raw.count("********0017") == 4


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        pytest.param("900101300017", "********0017", id="iin"),
        pytest.param("90010130001", "90010130001", id="eleven-digits-not-an-iin"),
        pytest.param("9001013000170", "9001013000170", id="thirteen-digits-not-an-iin"),
        pytest.param("ЖСН 900101300017.", "ЖСН ********0017.", id="inside-text"),
        pytest.param("+77011234567", "+77011234567", id="phone-kept"),
        pytest.param(900101300017, "********0017", id="integer"),
        pytest.param(True, True, id="boolean"),
        pytest.param(None, None, id="null"),
    ],
)
def test_rules_digest_7_iin_is_masked(value: object, masked: object) -> None:
    assert mask_iins(value) == masked


def test_mask_iin_leaves_other_text_alone() -> None:
    assert mask_iin("abc") == "abc"
