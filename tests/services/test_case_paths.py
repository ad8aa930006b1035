"""A scripted case of each form walks its whole path through the services, on SQLite and PostgreSQL, with the
deadlines the rules give (dates counted by hand on the Kazakhstan calendar) and an audit trail of every step."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.db.enums import AuditActorKind, IdentificationOutcome, PostponementReason
from core.db.models import AuditLog, Case, Organisation, StatusHistory
from core.rules.codes import Category, DocumentCode, Form, Status
from core.rules.lifecycle import Action
from core.services import cases, decisions, documents, people, placement, residency
from core.services.errors import NotAllowed
from tests.services.conftest import (
    APPLICANT,
    AUTHORITY,
    DEPARTMENT,
    ORGANISATION,
    PDF,
    PNG,
    add_organisation,
    make_iin,
)


def _apply(runtime, places, form, category, birth, uploads, **person):
    with runtime.context(APPLICANT) as ctx:
        person_row = people.register_person(ctx, make_iin(birth), full_name="Aigerim Test", category=category, **person)
        case = cases.open_case(ctx, person_row, person_row, form, category, department_id=places.department_id)
        for code in uploads:
            documents.attach(ctx, case, code, f"{code}.pdf", PDF)
        return case.id


def _status(runtime, case_id) -> Status:
    with runtime.context() as ctx:
        return cases.get_case(ctx, case_id).status


def _history(runtime, case_id) -> list[tuple[str, str, str | None]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(
            sa.select(StatusHistory).where(StatusHistory.case_id == case_id).order_by(StatusHistory.id)
        )
        return [(row.action, row.actor_kind.value, row.actor_id) for row in rows]


def _audit_actions(runtime, case_id) -> list[tuple[str, AuditActorKind]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(
            sa.select(AuditLog)
            .where(AuditLog.entity == "case", AuditLog.entity_id == str(case_id))
            .order_by(AuditLog.id)
        )
        return [(row.action, row.actor_kind) for row in rows]


STATIONARY_UPLOADS = [
    DocumentCode.APPLICATION,
    DocumentCode.IDENTITY_DOCUMENT,
    DocumentCode.MEDICAL_CARD,
    DocumentCode.OUTPATIENT_EXTRACT,
]


def test_app1_stationary_whole_path_queue_offer_postponement_admission_discharge(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=0)
    case_id = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, date(1940, 3, 2), STATIONARY_UPLOADS)

    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        assert documents.progress(ctx, case).complete
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="D-1", decided_on=date(2026, 11, 23))
        # App.1 p.7: choose within 10 working days of the notification (Mon 23 Nov 2026 -> Mon 7 Dec 2026).
        assert decisions.notify_recipient(ctx, case) == date(2026, 12, 7)

    with runtime.context(APPLICANT) as ctx:
        entry = placement.choose_organisation(ctx, cases.get_case(ctx, case_id), home)
        assert entry.__class__.__name__ == "QueueEntry"
        assert placement.queue_status(ctx, cases.get_case(ctx, case_id)).position == 1
    assert _status(runtime, case_id) == Status.QUEUED

    clock.advance_to(date(2026, 12, 10))  # Thursday; 16 December (Independence Day) falls inside the term
    with runtime.context(ORGANISATION) as ctx:
        [offer] = placement.free_places(ctx, home)
        # App.1 p.7: first in the queue arrives within 10 working days (11..24 Dec, skipping 16 Dec).
        assert offer.arrival_due_on == date(2026, 12, 25)

    with runtime.context(APPLICANT) as ctx:
        record = placement.postpone_arrival(
            ctx, cases.get_case(ctx, case_id), date(2027, 1, 20), PostponementReason.HOSPITALISATION
        )
        assert record.new_due_on == date(2027, 1, 20)  # within +30 calendar days (by 24 Jan 2027)
    with runtime.context(APPLICANT) as ctx, pytest.raises(NotAllowed) as refused:
        placement.postpone_arrival(ctx, cases.get_case(ctx, case_id), date(2027, 1, 22), PostponementReason.ILLNESS)
    assert "already_postponed" in refused.value.reasons  # App.1 p.7: once

    clock.advance_to(date(2027, 1, 18))
    with runtime.context(ORGANISATION) as ctx:
        residency.admit(ctx, cases.get_case(ctx, case_id))
    with runtime.context(ORGANISATION) as ctx:
        residency.end_services(ctx, cases.get_case(ctx, case_id), Action.DISCHARGE, "own_application", date(2027, 6, 1))
        assert ctx.session.get(Organisation, home).free_places == 1  # the place is free again, queue empty

    assert _status(runtime, case_id) == Status.DISCHARGED
    actions = [action for action, _, _ in _history(runtime, case_id)]
    assert actions == [
        "open",
        "submit",
        "approve",
        "notify",
        "join_queue",
        "offer_place",
        "postpone_arrival",
        "admit",
        "discharge",
    ]
    audit = _audit_actions(runtime, case_id)
    assert [a for a, _ in audit] == actions
    assert audit[1][1] == AuditActorKind.STAFF and audit[0][1] == AuditActorKind.PERSON


def test_app2_semi_stationary_free_place_gives_offer_with_3_working_days(runtime, places, clock):
    centre = add_organisation(runtime, places, Form.SEMI_STATIONARY, [Category.CHILD_PSYCHONEURO], free_places=2)
    case_id = _apply(
        runtime,
        places,
        Form.SEMI_STATIONARY,
        Category.CHILD_PSYCHONEURO,
        date(2022, 5, 1),
        [
            DocumentCode.APPLICATION,
            DocumentCode.IDENTITY_DOCUMENT,
            DocumentCode.MEDICAL_CARD,
            DocumentCode.REPRESENTATIVE_PROOF,
        ],
    )
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="D-2", decided_on=clock.now.date())
        assert decisions.notify_recipient(ctx, case) == date(2026, 11, 30)  # App.2 p.7: 5 working days
    with runtime.context(APPLICANT) as ctx:
        offer = placement.choose_organisation(ctx, cases.get_case(ctx, case_id), centre)
        assert offer.arrival_due_on == date(2026, 11, 26)  # App.2 p.7: arrive within 3 working days
    with runtime.context(APPLICANT) as ctx, pytest.raises(NotAllowed) as refused:
        placement.postpone_arrival(ctx, cases.get_case(ctx, case_id), date(2026, 12, 20), PostponementReason.ILLNESS)
    assert "beyond_limit" in refused.value.reasons  # App.2 p.7: at most +14 calendar days (10 Dec)
    with runtime.context(ORGANISATION) as ctx:
        residency.admit(ctx, cases.get_case(ctx, case_id))
        residency.end_services(
            ctx, cases.get_case(ctx, case_id), Action.TERMINATE, "rules_broken_over_3_times", date(2027, 2, 1)
        )
    # App.2 p.14: restoration only after one calendar year.
    clock.advance_to(date(2027, 6, 1))
    with runtime.context(APPLICANT) as ctx, pytest.raises(NotAllowed) as barred:
        person = people.person_by_iin(ctx, make_iin(date(2022, 5, 1)))
        cases.open_case(ctx, person, person, Form.SEMI_STATIONARY, Category.CHILD_PSYCHONEURO)
    assert barred.value.reasons == ("readmission_barred",)
    assert barred.value.details["allowed_from"] == date(2028, 2, 2)


def test_app3_home_care_visit_act_decision_then_queue(runtime, places, clock):
    service = add_organisation(runtime, places, Form.HOME, [Category.DISABLED_ADULT], free_places=0)
    case_id = _apply(
        runtime,
        places,
        Form.HOME,
        Category.DISABLED_ADULT,
        date(1980, 7, 7),
        [DocumentCode.APPLICATION, DocumentCode.IDENTITY_DOCUMENT, DocumentCode.MEDICAL_CARD],
        disability_group="1",
    )
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        with pytest.raises(NotAllowed) as early:
            decisions.decide(ctx, case, positive=True, number="D-3", decided_on=clock.now.date())
        assert "record_home_visit" in early.value.details["allowed"]  # App.3 p.8: visit first
        decisions.record_home_visit(ctx, case, date(2026, 11, 25))
        decisions.record_inspection_act(ctx, case, "A-17", date(2026, 11, 26))
        decisions.decide(ctx, case, positive=True, number="D-3", decided_on=date(2026, 11, 27))
        assert decisions.notify_recipient(ctx, case) == date(2026, 11, 30)  # App.3 p.8: choose within 5 wd
    with runtime.context(APPLICANT) as ctx:
        placement.choose_organisation(ctx, cases.get_case(ctx, case_id), service)
    with runtime.context(ORGANISATION) as ctx:
        placement.free_places(ctx, service)
        residency.admit(ctx, cases.get_case(ctx, case_id))
    assert _status(runtime, case_id) == Status.ADMITTED
    assert [a for a, _, _ in _history(runtime, case_id)][1:5] == [
        "submit",
        "record_home_visit",
        "record_inspection_act",
        "approve",
    ]


def test_app4_victim_identified_forwarded_decided_contract_six_months(runtime, places, clock):
    centre = add_organisation(runtime, places, Form.TEMPORARY_STAY, [Category.DOMESTIC_VIOLENCE_VICTIM], free_places=3)
    with runtime.context(APPLICANT) as ctx:
        person = people.register_person(
            ctx, make_iin(date(1995, 1, 15), female=True), category=Category.DOMESTIC_VIOLENCE_VICTIM
        )
        case = cases.open_case(
            ctx, person, person, Form.TEMPORARY_STAY, Category.DOMESTIC_VIOLENCE_VICTIM, organisation_id=centre
        )
        documents.attach(ctx, case, DocumentCode.APPLICATION, "application.jpg", PNG)
        case_id = case.id
    with runtime.context(ORGANISATION) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        with pytest.raises(NotAllowed):
            decisions.decide(ctx, case, positive=True, number="X", decided_on=clock.now.date())
        decisions.identify_victim(ctx, case, IdentificationOutcome.RECOGNISED, clock.now.date())
        decisions.forward_to_authority(ctx, case)
    with runtime.context(AUTHORITY) as ctx:
        decisions.decide(ctx, cases.get_case(ctx, case_id), positive=True, number="R-9", decided_on=clock.now.date())
    with runtime.context(ORGANISATION) as ctx:
        case = cases.get_case(ctx, case_id)
        # App.4 p.9: a contract of at most six months for victims.
        assert decisions.sign_contract(ctx, case, "C-1", date(2026, 11, 24)) == date(2027, 5, 24)
        residency.admit(ctx, case)
    assert _status(runtime, case_id) == Status.ADMITTED


def test_reapplying_with_the_same_iin_finds_the_person_and_the_open_case(runtime, places):
    first = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, date(1940, 3, 2), [])
    second = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, date(1940, 3, 2), [])
    assert first == second
    with runtime.context() as ctx:
        assert ctx.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1


def test_app1_p6_submission_refused_until_the_checklist_is_complete(runtime, places):
    case_id = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, date(1940, 3, 2), [DocumentCode.APPLICATION])
    with runtime.context(DEPARTMENT) as ctx, pytest.raises(NotAllowed) as refused:
        decisions.submit(ctx, cases.get_case(ctx, case_id))
    assert refused.value.reasons == ("documents_incomplete",)
    assert set(refused.value.details["missing"]) >= {"identity_document", "medical_card"}
