"""The other steps of the path: no-show, withdrawal, transfer, leave, suspension, document review, the inbox,
IPR re-certification and the queue explanation, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from core.db.enums import DocumentStatus, OfferStatus
from core.db.models import ChatIdentity, Offer, Organisation
from core.rules.codes import Category, DocumentCode, Form, Status
from core.rules.lifecycle import Action
from core.services import cases, decisions, documents, inbox, people, placement, residency
from core.services.errors import InvalidInput, NotAllowed
from core.services.files import FileStore
from tests.services.conftest import APPLICANT, DEPARTMENT, ORGANISATION, PDF, add_organisation, make_iin
from tests.services.test_case_paths import STATIONARY_UPLOADS, _apply, _status


def _notified(runtime, places, birth: date, **person) -> int:
    case_id = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, birth, STATIONARY_UPLOADS, **person)
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="D", decided_on=ctx.today)
        decisions.notify_recipient(ctx, case)
    return case_id


def _choose(runtime, case_id, organisation_id):
    with runtime.context(APPLICANT) as ctx:
        return placement.choose_organisation(ctx, cases.get_case(ctx, case_id), organisation_id)


def test_app1_p7_no_show_passes_the_place_to_the_next_and_keeps_the_person_at_the_end(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    first, second = (_notified(runtime, places, date(1940, 1, n)) for n in (2, 3))
    _choose(runtime, first, home)
    clock.tick(60)
    _choose(runtime, second, home)
    with runtime.context(ORGANISATION) as ctx:
        placement.free_places(ctx, home)
    with runtime.context(ORGANISATION) as ctx, pytest.raises(NotAllowed):
        placement.no_show(ctx, cases.get_case(ctx, first))  # the 10 working days are still running
    clock.advance_to(date(2026, 12, 9))  # after the 10 wd from 23 Nov (due 7 Dec)
    with runtime.context(ORGANISATION) as ctx:
        [offer] = placement.no_show(ctx, cases.get_case(ctx, first))
        assert offer.case_id == second
    with runtime.context() as ctx:
        assert cases.get_case(ctx, first).status == Status.QUEUED
        assert placement.queue_status(ctx, cases.get_case(ctx, first)).position == 1  # alone, at the end
        lapsed = ctx.session.scalars(sa.select(Offer).where(Offer.case_id == first)).one()
        assert lapsed.status == OfferStatus.LAPSED


def test_withdrawal_releases_the_held_place_to_the_next_in_queue(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1)
    first, second = (_notified(runtime, places, date(1941, 1, n)) for n in (2, 3))
    _choose(runtime, first, home)  # takes the free place
    _choose(runtime, second, home)  # queued
    with runtime.context(APPLICANT) as ctx:
        residency.withdraw(ctx, cases.get_case(ctx, first))
    assert _status(runtime, first) == Status.WITHDRAWN
    assert _status(runtime, second) == Status.OFFERED


def test_queue_position_explains_why_it_moved(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    ids = [_notified(runtime, places, date(1942, 1, n)) for n in (2, 3, 4)]
    for case_id in ids:
        _choose(runtime, case_id, home)
        clock.tick(60)
    looked_at = clock.now
    clock.tick(60)
    with runtime.context(ORGANISATION) as ctx:
        placement.free_places(ctx, home)  # the first gets a place: the third moves up
    veteran = _notified(runtime, places, date(1930, 5, 9), is_veteran=True)
    _choose(runtime, veteran, home)  # App.1 p.10: first priority, joins ahead
    with runtime.context() as ctx:
        status = placement.queue_status(ctx, cases.get_case(ctx, ids[2]), since=looked_at)
    assert (status.position, status.total) == (3, 3)
    assert status.moved_up_because_left == 1
    assert status.moved_down_because_priority == 1


def test_app1_p7_ipr_recertification_keeps_the_queue_place(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    ids = [_notified(runtime, places, date(1943, 1, n)) for n in (2, 3)]
    for case_id in ids:
        _choose(runtime, case_id, home)
        clock.tick(60)
    with runtime.context(DEPARTMENT) as ctx:
        person = people.person_by_iin(ctx, make_iin(date(1943, 1, 2)))
        people.renew_ipr(ctx, person, date(2028, 1, 1))
    with runtime.context() as ctx:
        assert placement.queue_status(ctx, cases.get_case(ctx, ids[0])).position == 1


def test_app1_p14_p16_leave_transfer_and_suspension(runtime, places, clock):
    first = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1)
    second = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1, name="Other")
    case_id = _notified(runtime, places, date(1944, 1, 2))
    _choose(runtime, case_id, first)
    with runtime.context(ORGANISATION) as ctx:
        case = cases.get_case(ctx, case_id)
        residency.admit(ctx, case)
        assert residency.start_leave(ctx, case, date(2026, 12, 1)) == date(2027, 3, 1)  # up to three months
        residency.end_leave(ctx, case)
        residency.transfer(ctx, case, second)
    with runtime.context() as ctx:
        case = cases.get_case(ctx, case_id)
        assert case.organisation_id == second
        assert ctx.session.get(Organisation, first).free_places == 1  # freed at the first home
        assert ctx.session.get(Organisation, second).free_places == 0
    with runtime.context(ORGANISATION) as ctx, pytest.raises(InvalidInput) as wrong:
        residency.end_services(ctx, cases.get_case(ctx, case_id), Action.EXPEL, "own_application", ctx.today)
    assert wrong.value.details["reason"] == "ground_kind_mismatch"  # own application is a discharge ground


def test_document_rejection_keeps_the_reason_and_a_new_upload_replaces_it(runtime, places):
    case_id = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, date(1945, 1, 2), STATIONARY_UPLOADS)
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        with pytest.raises(InvalidInput):
            documents.review(ctx, case, DocumentCode.MEDICAL_CARD, accept=False, reason="  ")
        documents.review(ctx, case, DocumentCode.MEDICAL_CARD, accept=False, reason="The stamp is unreadable")
        progress = documents.progress(ctx, case)
        assert not progress.complete and progress.done == progress.total - 1
        [rejected] = [s for s in progress.items if s.status == DocumentStatus.REJECTED]
        assert rejected.rejection_reason == "The stamp is unreadable"
    with runtime.context(APPLICANT) as ctx:
        case = cases.get_case(ctx, case_id)
        documents.attach(ctx, case, DocumentCode.MEDICAL_CARD, "card.pdf", PDF + b"v2")
        assert documents.progress(ctx, case).complete


def test_uploads_are_checked_by_content_and_size(tmp_path):
    store = FileStore(tmp_path, max_bytes=100)
    with pytest.raises(InvalidInput) as too_big:
        store.store(PDF + b"x" * 200)
    assert too_big.value.details["reason"] == "file_too_large"
    with pytest.raises(InvalidInput) as wrong:
        store.store(b"MZ\x90\x00 an executable named photo.jpg")
    assert wrong.value.details["reason"] == "file_type_not_accepted"
    stored = store.store(PDF)
    assert stored.mime_type == "application/pdf" and store.read(stored.relative_path) == PDF


def test_inbox_question_and_staff_answer_waiting_for_delivery(runtime, places):
    case_id = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, date(1946, 1, 2), [])
    with runtime.context(APPLICANT) as ctx:
        identity = people.chat_identity(ctx, "telegram", "555")
        question = inbox.ask(ctx, identity, "When will the decision be made?", cases.get_case(ctx, case_id))
        with pytest.raises(InvalidInput):
            inbox.ask(ctx, identity, "   ")
    with runtime.context(DEPARTMENT) as ctx:
        answer = inbox.reply(ctx, inbox.get_message(ctx, question.id), "Within 10 working days.", staff_user_id=1)
        [pending] = inbox.pending_replies(ctx)
        assert pending.id == answer.id and pending.body == "Within 10 working days."
        assert ctx.session.get(ChatIdentity, identity.id).external_id == "555"
        assert inbox.get_message(ctx, question.id).read_at is not None


def test_choosing_a_paused_organisation_is_refused_with_its_reason(runtime, places, clock):
    paused = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], accepting=False)
    case_id = _notified(runtime, places, date(1947, 1, 2))
    with pytest.raises(NotAllowed) as refused:
        _choose(runtime, case_id, paused)
    assert refused.value.reasons == ("organisation_not_accepting",)
    assert clock.now - timedelta(days=1) < clock.now  # the clock did not move: nothing else happened


def test_a_scanned_pdf_with_bytes_before_its_header_is_accepted_by_the_store_as_by_the_page(tmp_path):
    from bot.web.uploads import sniff_mime_type

    scanned = b"\x00\x00scanner preamble\n" + PDF
    assert sniff_mime_type(scanned) == "application/pdf"
    assert FileStore(tmp_path, max_bytes=1000).store(scanned).mime_type == "application/pdf"
