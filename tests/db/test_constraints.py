"""What the database itself refuses: duplicates, unknown codes, dangling references, inconsistent queue ranks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from core.db.enums import Channel, DocumentStatus
from core.db.idempotency import claim_update
from core.db.models import ChatIdentity, Document, Outbox, Person, ProcessedUpdate, StaffUser
from core.db.uow import UnitOfWork
from core.rules.codes import DocumentCode
from tests.db.factories import add_case, add_organisation, add_person, add_queue_entry

IIN = "900101300017"
UowFactory = Callable[[], UnitOfWork]


def commit_both(uow: UowFactory, first: object, second: object) -> None:
    """Save `first`, then try `second` in its own unit of work (which the test expects to fail or pass)."""
    with uow() as work:
        work.session.add(first)
    with uow() as work:
        work.session.add(second)


def test_person_iin_is_unique(uow: UowFactory) -> None:
    with pytest.raises(IntegrityError):
        commit_both(uow, Person(iin=IIN, full_name="A"), Person(iin=IIN, full_name="B"))


def test_app4_p4_people_without_documents_may_all_lack_an_iin(uow: UowFactory) -> None:
    commit_both(uow, Person(iin=None, full_name="A"), Person(iin=None, full_name="B"))
    with uow() as work:
        assert work.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 2


def test_person_iin_must_have_twelve_characters(uow: UowFactory) -> None:
    with pytest.raises(IntegrityError), uow() as work:
        work.session.add(Person(iin="12345", full_name="A"))


def test_chat_identity_is_unique_per_channel_and_external_id(uow: UowFactory) -> None:
    with pytest.raises(IntegrityError):
        commit_both(
            uow,
            ChatIdentity(channel=Channel.TELEGRAM, external_id="42"),
            ChatIdentity(channel=Channel.TELEGRAM, external_id="42"),
        )


def test_the_same_external_id_on_another_channel_is_another_identity(uow: UowFactory) -> None:
    commit_both(
        uow,
        ChatIdentity(channel=Channel.TELEGRAM, external_id="42"),
        ChatIdentity(channel=Channel.WHATSAPP, external_id="42"),
    )


def test_outbox_has_one_row_per_case_kind_and_due_date(uow: UowFactory) -> None:
    with uow() as work:
        case_id = add_case(work.session).id
    first = Outbox(case_id=case_id, kind="arrival_due", due_on=date(2026, 12, 1))
    with pytest.raises(IntegrityError):
        commit_both(uow, first, Outbox(case_id=case_id, kind="arrival_due", due_on=date(2026, 12, 1)))
    with uow() as work:  # another day is another reminder
        work.session.add(Outbox(case_id=case_id, kind="arrival_due", due_on=date(2026, 12, 2)))


def test_processed_update_is_unique_per_channel(uow: UowFactory) -> None:
    with pytest.raises(IntegrityError):
        commit_both(
            uow,
            ProcessedUpdate(channel=Channel.TELEGRAM, update_id="1001"),
            ProcessedUpdate(channel=Channel.TELEGRAM, update_id="1001"),
        )


def test_claim_update_is_true_once_then_false_without_breaking_the_transaction(uow: UowFactory) -> None:
    with uow() as work:
        assert claim_update(work.session, Channel.WHATSAPP, "wamid.1") is True
    with uow() as work:
        assert claim_update(work.session, Channel.WHATSAPP, "wamid.1") is False
        assert claim_update(work.session, Channel.TELEGRAM, "wamid.1") is True  # the transaction still works


def test_a_checklist_item_appears_once_per_case(uow: UowFactory) -> None:
    with uow() as work:
        case_id = add_case(work.session).id
    with pytest.raises(IntegrityError):
        commit_both(
            uow,
            Document(case_id=case_id, code=DocumentCode.MEDICAL_CARD),
            Document(case_id=case_id, code=DocumentCode.MEDICAL_CARD, status=DocumentStatus.UPLOADED),
        )


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        pytest.param("case", "status", "lost", id="case-status"),
        pytest.param("case", "form", "hotel", id="case-form"),
        pytest.param("document", "code", "selfie", id="document-code"),
    ],
)
def test_hand_written_sql_cannot_store_an_unknown_code(uow: UowFactory, table: str, column: str, value: str) -> None:
    with uow() as work:
        case = add_case(work.session)
        work.session.add(Document(case_id=case.id, code=DocumentCode.APPLICATION))
    target = sa.table(table, sa.column(column))
    with pytest.raises(IntegrityError), uow() as work:
        work.session.execute(sa.update(target).values({column: value}))


def test_the_orm_refuses_an_unknown_code_before_the_database_sees_it(uow: UowFactory) -> None:
    with pytest.raises(StatementError, match="'hotel' is not a valid Form"), uow() as work:
        add_case(work.session, form="hotel")


def test_foreign_keys_are_enforced(uow: UowFactory) -> None:
    with pytest.raises(IntegrityError), uow() as work:
        add_case(work.session, person_id=999_999)


def test_a_department_account_needs_its_department(uow: UowFactory) -> None:
    with pytest.raises(IntegrityError), uow() as work:
        work.session.add(StaffUser(login="aigerim", password_hash="x", role="department"))


def test_free_places_cannot_exceed_capacity(uow: UowFactory) -> None:
    with pytest.raises(IntegrityError), uow() as work:
        add_organisation(work.session, capacity=5, free_places=6)


def test_queue_rank_cannot_disagree_with_out_of_turn_and_priority(uow: UowFactory) -> None:
    with uow() as work:
        organisation_id = add_organisation(work.session).id
        add_queue_entry(work.session, organisation_id)
    with pytest.raises(IntegrityError), uow() as work:
        work.session.execute(sa.text("UPDATE queue_entry SET priority_rank = 0"))


def test_a_case_waits_once_in_the_same_queue(uow: UowFactory) -> None:
    with uow() as work:
        organisation_id = add_organisation(work.session).id
        case_id = add_case(work.session).id
        left = add_queue_entry(work.session, organisation_id, case_id=case_id)
        left.active = False  # an old entry that left the queue does not count
        add_queue_entry(work.session, organisation_id, case_id=case_id)
    with pytest.raises(IntegrityError), uow() as work:
        add_queue_entry(work.session, organisation_id, case_id=case_id)


def test_a_person_cannot_represent_themselves(uow: UowFactory) -> None:
    from core.db.models import Representation

    with pytest.raises(IntegrityError), uow() as work:
        person = add_person(work.session)
        work.session.add(Representation(representative_id=person.id, represented_id=person.id, relationship="parent"))
