"""Applicant reminders in the outbox as a case moves, and a whole stationary timeline, on SQLite and PostgreSQL.

The expected days were counted by hand on the Kazakhstan calendar (Wednesday 16 December 2026 is Independence Day;
1 and 4 January 2027 are days off). `_live` lists the planned rows still waiting to be sent.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.db.enums import Audience, OutboxStatus, PostponementReason
from core.db.models import Outbox, Person
from core.rules.codes import Category, DocumentCode, Form
from core.rules.lifecycle import Action
from core.rules.reminders import PLANNED_KINDS
from core.services import cases, decisions, documents, people, placement, postponements, reminders, residency
from tests.services.conftest import APPLICANT, DEPARTMENT, ORGANISATION, add_organisation
from tests.services.test_case_paths import STATIONARY_UPLOADS, _apply

A, S = "applicant", "staff"
D = date


def _live(runtime, case_id) -> list[tuple[str, date, str]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(
            sa.select(Outbox).where(
                Outbox.case_id == case_id,
                Outbox.kind.in_(PLANNED_KINDS),
                Outbox.status.in_((OutboxStatus.PENDING, OutboxStatus.HELD)),
            )
        )
        return sorted((row.kind, row.due_on, row.audience.value) for row in rows)


def _rows(runtime, case_id, kind: str) -> list[tuple[date, str, dict]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(sa.select(Outbox).where(Outbox.case_id == case_id, Outbox.kind == kind))
        return sorted((row.due_on, row.status.value, dict(row.payload)) for row in rows)


def _waiting(runtime, case_id, kind: str) -> list[dict]:
    return [payload for _, status, payload in _rows(runtime, case_id, kind) if status == "pending"]


def _count(runtime) -> int:
    with runtime.context() as ctx:
        return int(ctx.session.scalar(sa.select(sa.func.count()).select_from(Outbox)) or 0)


def _mark(runtime, case_id, kind: str, due_on: date, status: OutboxStatus) -> None:
    with runtime.context() as ctx:
        row = ctx.session.scalars(
            sa.select(Outbox).where(Outbox.case_id == case_id, Outbox.kind == kind, Outbox.due_on == due_on)
        ).one()
        row.status = status


def _step(runtime, actor, case_id, action, *args, **kwargs):
    with runtime.context(actor) as ctx:
        return action(ctx, cases.get_case(ctx, case_id), *args, **kwargs)


def _notified(runtime, places, birth: date, form: Form = Form.STATIONARY, uploads=STATIONARY_UPLOADS) -> int:
    case_id = _apply(runtime, places, form, Category.ELDERLY, birth, uploads)
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="D", decided_on=ctx.today)
        decisions.notify_recipient(ctx, case)
    return case_id


def _set_ipr(runtime, case_id, expires_on: date) -> None:
    with runtime.context() as ctx:
        ctx.session.get(Person, cases.get_case(ctx, case_id).person_id).ipr_expires_on = expires_on


def test_app1_stationary_timeline_keeps_exactly_the_right_rows_after_each_step(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    case_id = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, D(1940, 3, 2), STATIONARY_UPLOADS)
    _set_ipr(runtime, case_id, D(2027, 1, 15))

    _step(runtime, DEPARTMENT, case_id, decisions.submit)
    assert _live(runtime, case_id) == []  # App.1 sets no term for the decision itself

    # Decided Mon 23 Nov 2026: notify within 2 working days -> Wed 25 Nov (App.1 p.7).
    _step(runtime, DEPARTMENT, case_id, decisions.decide, positive=True, number="D-1", decided_on=D(2026, 11, 23))
    assert _live(runtime, case_id) == [
        ("staff_step_due", D(2026, 11, 24), S),
        ("staff_step_overdue", D(2026, 11, 26), S),
    ]

    # Notified the same day: the staff alerts go; choose by Mon 7 Dec (10 wd) -> Thu 3, Fri 4, Mon 7 Dec.
    _step(runtime, DEPARTMENT, case_id, decisions.notify_recipient)
    assert _live(runtime, case_id) == [
        ("choose_reminder", D(2026, 12, 3), A),
        ("choose_reminder", D(2026, 12, 4), A),
        ("choose_reminder", D(2026, 12, 7), A),
    ]
    assert [status for _, status, _ in _rows(runtime, case_id, "staff_step_due")] == ["cancelled"]

    # Queued Mon 23 Nov (no vacancy): over a month from Thu 24 Dec (App.1 p.7, new medical card); IPR of 15 Jan
    # 2027 warned on 16 Dec and on the day; "still need a place?" after three months, 23 Feb 2027.
    _step(runtime, APPLICANT, case_id, placement.choose_organisation, home)
    assert _live(runtime, case_id) == [
        ("ipr_expiring", D(2026, 12, 16), A),
        ("ipr_expiring", D(2027, 1, 15), A),
        ("medical_recheck", D(2026, 12, 24), A),
        ("still_need_place", D(2027, 2, 23), A),
    ]

    # A place frees on Thu 10 Dec: arrive within 10 wd -> Fri 25 Dec (16 Dec skipped); the queue reminders go.
    clock.advance_to(D(2026, 12, 10))
    with runtime.context(ORGANISATION) as ctx:
        placement.free_places(ctx, home)
    assert _live(runtime, case_id) == [
        ("arrival_reminder", D(2026, 12, 23), A),
        ("arrival_reminder", D(2026, 12, 24), A),
        ("arrival_reminder", D(2026, 12, 25), A),
    ]
    assert {status for _, status, _ in _rows(runtime, case_id, "still_need_place")} == {"cancelled"}

    # Hospitalised: arrival moved to Wed 20 Jan 2027; the old reminders are cancelled, the new ones planned.
    _step(runtime, APPLICANT, case_id, placement.postpone_arrival, D(2027, 1, 20), PostponementReason.HOSPITALISATION)
    assert _live(runtime, case_id) == [
        ("arrival_reminder", D(2027, 1, 18), A),
        ("arrival_reminder", D(2027, 1, 20), A),
        ("postponement_ending", D(2027, 1, 19), A),
    ]
    assert [(due, status) for due, status, _ in _rows(runtime, case_id, "arrival_reminder")] == [
        (D(2026, 12, 23), "cancelled"),
        (D(2026, 12, 24), "cancelled"),
        (D(2026, 12, 25), "cancelled"),
        (D(2027, 1, 18), "pending"),
        (D(2027, 1, 20), "pending"),
    ]
    _mark(runtime, case_id, "arrival_reminder", D(2027, 1, 18), OutboxStatus.SENT)  # the sender delivered it

    # Admitted Mon 18 Jan 2027: arrival reminders go (the delivered one stays delivered); the portal card is due
    # within 1 working day (App.1 p.8), announced the same day.
    clock.advance_to(D(2027, 1, 18))
    _step(runtime, ORGANISATION, case_id, residency.admit)
    assert _live(runtime, case_id) == [("staff_step_due", D(2027, 1, 18), S)]
    assert [(due, status) for due, status, _ in _rows(runtime, case_id, "arrival_reminder")][3:] == [
        (D(2027, 1, 18), "sent"),
        (D(2027, 1, 20), "cancelled"),
    ]

    _step(runtime, ORGANISATION, case_id, residency.end_services, Action.DISCHARGE, "own_application", D(2027, 6, 1))
    assert _live(runtime, case_id) == []


def test_app1_p7_choosing_an_organisation_cancels_the_choice_reminders_but_not_a_delivered_one(runtime, places):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1)
    case_id = _notified(runtime, places, D(1941, 5, 5))
    _mark(runtime, case_id, "choose_reminder", D(2026, 12, 3), OutboxStatus.SENT)
    _step(runtime, APPLICANT, case_id, placement.choose_organisation, home)
    assert [(due, status) for due, status, _ in _rows(runtime, case_id, "choose_reminder")] == [
        (D(2026, 12, 3), "sent"),
        (D(2026, 12, 4), "cancelled"),
        (D(2026, 12, 7), "cancelled"),
    ]
    # A free place: arrive within 15 wd of Mon 23 Nov -> Mon 14 Dec; reminders Thu 10, Fri 11, Mon 14 Dec.
    assert _live(runtime, case_id) == [
        ("arrival_reminder", D(2026, 12, 10), A),
        ("arrival_reminder", D(2026, 12, 11), A),
        ("arrival_reminder", D(2026, 12, 14), A),
    ]
    assert _rows(runtime, case_id, "arrival_reminder")[0][2] == {
        "deadline": "2026-12-14",
        "working_days_left": 2,
        "organisation_id": home,
    }


def test_app2_semi_stationary_offer_reminders_and_documents_to_the_centre(runtime, places):
    centre = add_organisation(runtime, places, Form.SEMI_STATIONARY, [Category.ELDERLY], free_places=1)
    uploads = [DocumentCode.APPLICATION, DocumentCode.IDENTITY_DOCUMENT, DocumentCode.MEDICAL_CARD]
    case_id = _notified(runtime, places, D(1942, 2, 2), Form.SEMI_STATIONARY, uploads)
    # App.2 p.7: choose within 5 wd of Mon 23 Nov -> Mon 30 Nov; reminders Thu 26, Fri 27, Mon 30 Nov.
    assert _live(runtime, case_id) == [
        ("choose_reminder", D(2026, 11, 26), A),
        ("choose_reminder", D(2026, 11, 27), A),
        ("choose_reminder", D(2026, 11, 30), A),
    ]
    _step(runtime, APPLICANT, case_id, placement.choose_organisation, centre)
    # Arrive within 3 wd -> Thu 26 Nov (Tue 24, Wed 25, Thu 26); App.2 p.8: the department sends the decision and
    # medical card within 1 wd of the choice -> Tue 24 Nov, announced on the day of the choice.
    assert _live(runtime, case_id) == [
        ("arrival_reminder", D(2026, 11, 24), A),
        ("arrival_reminder", D(2026, 11, 25), A),
        ("arrival_reminder", D(2026, 11, 26), A),
        ("staff_step_due", D(2026, 11, 23), S),
    ]
    assert _rows(runtime, case_id, "staff_step_due")[0][2] == {"step": "send_documents", "deadline": "2026-11-24"}
    _step(runtime, ORGANISATION, case_id, residency.admit)
    assert _live(runtime, case_id) == [("staff_step_due", D(2026, 11, 23), S)]


def test_a_withdrawn_case_has_no_pending_reminder(runtime, places):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    case_id = _notified(runtime, places, D(1943, 3, 3))
    _step(runtime, APPLICANT, case_id, placement.choose_organisation, home)
    assert len(_live(runtime, case_id)) == 2  # medical_recheck and still_need_place
    _step(runtime, APPLICANT, case_id, residency.withdraw)
    assert _live(runtime, case_id) == []


def test_replanning_twice_creates_nothing_twice(runtime, places):
    case_id = _notified(runtime, places, D(1944, 4, 4))
    before = _count(runtime)
    for _ in range(2):
        with runtime.context() as ctx:
            again = reminders.replan(ctx, cases.get_case(ctx, case_id))
        assert (again.created, again.cancelled, again.updated) == (0, 0, 0)
    assert _count(runtime) == before
    with runtime.context() as ctx:
        assert reminders.sweep(ctx).created == 0


def test_sweep_plans_the_periodic_question_for_a_case_queued_long_ago(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    clock.advance_to(D(2026, 1, 12))
    case_id = _notified(runtime, places, D(1946, 6, 6))
    _step(runtime, APPLICANT, case_id, placement.choose_organisation, home)
    assert _live(runtime, case_id) == [("medical_recheck", D(2026, 2, 13), A), ("still_need_place", D(2026, 4, 12), A)]

    clock.advance_to(D(2026, 11, 23))
    with runtime.context() as ctx:
        result = reminders.sweep(ctx)
    assert (result.cases, result.created, result.cancelled) == (1, 2, 1)
    # 12 Jan + 9 months = 12 Oct (the latest that came, never sent), + 12 months = 12 Jan 2027 (the next).
    assert _rows(runtime, case_id, "still_need_place") == [
        (D(2026, 4, 12), "cancelled", {"queued_on": "2026-01-12", "months": 3}),
        (D(2026, 10, 12), "pending", {"queued_on": "2026-01-12", "months": 9}),
        (D(2027, 1, 12), "pending", {"queued_on": "2026-01-12", "months": 12}),
    ]
    with runtime.context() as ctx:
        assert reminders.sweep(ctx).created == 0


def test_sweep_walks_in_batches_and_stops_at_the_limit(runtime, places):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    ids = [_notified(runtime, places, D(1950, 1, day)) for day in (1, 2, 3)]
    _step(runtime, APPLICANT, ids[0], placement.choose_organisation, home)
    with runtime.context() as ctx:
        ctx.session.execute(sa.delete(Outbox).where(Outbox.kind.in_(PLANNED_KINDS)))  # as before this feature
    with runtime.context() as ctx:
        assert reminders.sweep(ctx, limit=2, batch_size=1).cases == 2
    assert len(_live(runtime, ids[0])) == 2 and len(_live(runtime, ids[1])) == 3 and _live(runtime, ids[2]) == []
    with runtime.context() as ctx:
        result = reminders.sweep(ctx, batch_size=2)
    assert (result.cases, result.created) == (3, 3)
    assert len(_live(runtime, ids[2])) == 3


def test_a_rejected_document_tells_the_family_why_at_once(runtime, places, clock):
    case_id = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, D(1947, 7, 7), STATIONARY_UPLOADS)
    review = documents.review
    _step(runtime, DEPARTMENT, case_id, review, DocumentCode.MEDICAL_CARD, accept=False, reason="Печать неразборчива")
    [(due, status, payload)] = _rows(runtime, case_id, "document_rejected")
    assert (due, status, payload["document_code"], payload["reason"]) == (
        D(2026, 11, 23),
        "pending",
        "medical_card",
        "Печать неразборчива",
    )
    with runtime.context() as ctx:
        row = ctx.session.scalars(sa.select(Outbox).where(Outbox.kind == "document_rejected")).one()
        assert (row.urgent, row.audience) == (True, Audience.APPLICANT)
    # A second rejection the same day joins the waiting row: both reasons reach the family.
    _step(runtime, DEPARTMENT, case_id, review, DocumentCode.IDENTITY_DOCUMENT, accept=False, reason="Срок истёк")
    [(_, _, payload)] = _rows(runtime, case_id, "document_rejected")
    assert [item["document_code"] for item in payload["documents"]] == ["medical_card", "identity_document"]
    # Once it has gone out, a third waits for the next day rather than being lost.
    _mark(runtime, case_id, "document_rejected", D(2026, 11, 23), OutboxStatus.SENT)
    _step(runtime, DEPARTMENT, case_id, review, DocumentCode.APPLICATION, accept=False, reason="Нет подписи")
    assert [(due, status) for due, status, _ in _rows(runtime, case_id, "document_rejected")] == [
        (D(2026, 11, 23), "sent"),
        (D(2026, 11, 24), "pending"),
    ]


def test_app2_p7_a_postponement_moves_the_arrival_reminders_and_a_declined_one_puts_them_back(runtime, places):
    centre = add_organisation(runtime, places, Form.SEMI_STATIONARY, [Category.ELDERLY], free_places=1)
    uploads = [DocumentCode.APPLICATION, DocumentCode.IDENTITY_DOCUMENT, DocumentCode.MEDICAL_CARD]
    case_id = _notified(runtime, places, D(1948, 8, 8), Form.SEMI_STATIONARY, uploads)
    _step(runtime, APPLICANT, case_id, placement.choose_organisation, centre)
    # Ill: arrival (Thu 26 Nov) moved to Mon 7 Dec, within +14 calendar days: Thu 3 Dec two working days before,
    # Fri 4 Dec the last day of the postponement.
    record = _step(runtime, APPLICANT, case_id, placement.postpone_arrival, D(2026, 12, 7), PostponementReason.ILLNESS)
    applicant = [row for row in _live(runtime, case_id) if row[2] == A]
    assert applicant == [
        ("arrival_reminder", D(2026, 12, 3), A),
        ("arrival_reminder", D(2026, 12, 7), A),
        ("postponement_ending", D(2026, 12, 4), A),
    ]
    assert [status for _, status, _ in _rows(runtime, case_id, "arrival_reminder")][:3] == ["cancelled"] * 3
    # The centre declines the move: the original date is back, and so are its reminders (the cancelled rows
    # revived, not duplicated), in the same transaction as the decline; a later replan finds nothing to do.
    _step(runtime, ORGANISATION, case_id, postponements.decline, record.id, "Справка не приложена")
    with runtime.context() as ctx:
        assert reminders.replan(ctx, cases.get_case(ctx, case_id)).updated == 0
    assert [row for row in _live(runtime, case_id) if row[2] == A] == [
        ("arrival_reminder", D(2026, 11, 24), A),
        ("arrival_reminder", D(2026, 11, 25), A),
        ("arrival_reminder", D(2026, 11, 26), A),
    ]


def test_app3_admission_leaves_no_queue_reminder_and_keeps_the_event_notices(runtime, places):
    service = add_organisation(runtime, places, Form.HOME, [Category.ELDERLY])
    uploads = [DocumentCode.APPLICATION, DocumentCode.IDENTITY_DOCUMENT, DocumentCode.MEDICAL_CARD]
    case_id = _apply(runtime, places, Form.HOME, Category.ELDERLY, D(1938, 8, 8), uploads)
    _set_ipr(runtime, case_id, D(2027, 3, 1))
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        decisions.record_home_visit(ctx, case, D(2026, 11, 23))
        decisions.record_inspection_act(ctx, case, "A-2", D(2026, 11, 23))
        decisions.decide(ctx, case, positive=True, number="D-4", decided_on=D(2026, 11, 23))
        decisions.notify_recipient(ctx, case)
    # Entered by the department for the person (App.3 p.8, self-service sector), so the family is told by notice.
    _step(runtime, DEPARTMENT, case_id, placement.choose_organisation, service)
    queue_kinds = {"ipr_expiring", "still_need_place", "medical_recheck"}
    # App.3 p.8: IPR of 1 Mar 2027 warned on 30 Jan and on the day; no medical recheck (App.1 only).
    assert [row for row in _live(runtime, case_id) if row[0] in queue_kinds] == [
        ("ipr_expiring", D(2027, 1, 30), A),
        ("ipr_expiring", D(2027, 3, 1), A),
        ("still_need_place", D(2027, 2, 23), A),
    ]
    with runtime.context(ORGANISATION) as ctx:
        placement.free_places(ctx, service)
        residency.admit(ctx, cases.get_case(ctx, case_id))
    assert [row for row in _live(runtime, case_id) if row[0] in queue_kinds] == []
    with runtime.context() as ctx:
        events = ctx.session.scalars(
            sa.select(Outbox.kind).where(Outbox.case_id == case_id, Outbox.status == OutboxStatus.PENDING)
        )
        assert {"queued", "offer"} <= set(events)  # replanning never cancels an event notice


def test_app3_p8_a_renewed_ipr_moves_its_expiry_reminders_at_once(runtime, places):
    service = add_organisation(runtime, places, Form.HOME, [Category.ELDERLY])
    uploads = [DocumentCode.APPLICATION, DocumentCode.IDENTITY_DOCUMENT, DocumentCode.MEDICAL_CARD]
    case_id = _apply(runtime, places, Form.HOME, Category.ELDERLY, D(1938, 8, 9), uploads)
    _set_ipr(runtime, case_id, D(2027, 3, 1))
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        decisions.record_home_visit(ctx, case, D(2026, 11, 23))
        decisions.record_inspection_act(ctx, case, "A-3", D(2026, 11, 23))
        decisions.decide(ctx, case, positive=True, number="D-5", decided_on=D(2026, 11, 23))
        decisions.notify_recipient(ctx, case)
    _step(runtime, APPLICANT, case_id, placement.choose_organisation, service)
    with runtime.context(DEPARTMENT) as ctx:
        person = ctx.session.get(Person, cases.get_case(ctx, case_id).person_id)
        people.renew_ipr(ctx, person, D(2028, 3, 1))
    # The old warnings (30 Jan and 1 Mar 2027) are cancelled; the new date is warned 30 days ahead and on the day.
    assert [row for row in _live(runtime, case_id) if row[0] == "ipr_expiring"] == [
        ("ipr_expiring", D(2028, 1, 31), A),
        ("ipr_expiring", D(2028, 3, 1), A),
    ]
