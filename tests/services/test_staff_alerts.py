"""Staff alerts: each statutory step of a department, organisation or authority announced the working day before
its last day and again once it is overdue, and the dashboard's count of working days, on SQLite and PostgreSQL.

The expected days were counted by hand on the Kazakhstan calendar (Wednesday 16 December 2026 is Independence Day;
1 and 4 January 2027 are days off).
"""

from __future__ import annotations

from datetime import date

from core.db.enums import IdentificationOutcome
from core.db.models import Case
from core.rules.codes import Category, DocumentCode, Form, Status, Step
from core.services import cases, decisions, documents, people, reminders, residency
from tests.services.conftest import APPLICANT, AUTHORITY, DEPARTMENT, ORGANISATION, PDF, PNG, add_organisation, make_iin
from tests.services.test_case_paths import STATIONARY_UPLOADS, _apply
from tests.services.test_reminders import D, S, _live, _rows, _step, _waiting


def test_app3_home_care_visit_act_decision_alerts_follow_the_case(runtime, places):
    uploads = [DocumentCode.APPLICATION, DocumentCode.IDENTITY_DOCUMENT, DocumentCode.MEDICAL_CARD]
    case_id = _apply(runtime, places, Form.HOME, Category.ELDERLY, D(1939, 4, 4), uploads)
    _step(runtime, DEPARTMENT, case_id, decisions.submit)
    # Visit within 5 wd of Mon 23 Nov -> Mon 30 Nov: alert Fri 27 Nov, overdue Tue 1 Dec.
    assert _live(runtime, case_id) == [
        ("staff_step_due", D(2026, 11, 27), S),
        ("staff_step_overdue", D(2026, 12, 1), S),
    ]
    # Visited Wed 25 Nov: the act within 3 wd -> Mon 30 Nov: the same two days, now for the act (rows revived).
    _step(runtime, DEPARTMENT, case_id, decisions.record_home_visit, D(2026, 11, 25))
    assert _live(runtime, case_id) == [
        ("staff_step_due", D(2026, 11, 27), S),
        ("staff_step_overdue", D(2026, 12, 1), S),
    ]
    assert _rows(runtime, case_id, "staff_step_overdue") == [
        (D(2026, 12, 1), "pending", {"step": "inspection_act", "deadline": "2026-11-30"})
    ]
    # Act on Thu 26 Nov: decision within 3 wd -> Tue 1 Dec: alert Mon 30 Nov, overdue Wed 2 Dec.
    _step(runtime, DEPARTMENT, case_id, decisions.record_inspection_act, "A-1", D(2026, 11, 26))
    assert _live(runtime, case_id) == [
        ("staff_step_due", D(2026, 11, 30), S),
        ("staff_step_overdue", D(2026, 12, 2), S),
    ]
    # Decided Fri 27 Nov: notify within 1 wd -> Mon 30 Nov: alert on the decision day, overdue Tue 1 Dec.
    _step(runtime, DEPARTMENT, case_id, decisions.decide, positive=True, number="D-3", decided_on=D(2026, 11, 27))
    assert _live(runtime, case_id) == [
        ("staff_step_due", D(2026, 11, 27), S),
        ("staff_step_overdue", D(2026, 12, 1), S),
    ]
    _step(runtime, DEPARTMENT, case_id, decisions.notify_recipient)
    assert [kind for kind, _, _ in _live(runtime, case_id)] == ["choose_reminder"] * 3


def test_app4_victim_identification_forwarding_decision_and_contract_alerts(runtime, places):
    centre = add_organisation(runtime, places, Form.TEMPORARY_STAY, [Category.DOMESTIC_VIOLENCE_VICTIM], free_places=3)
    with runtime.context(APPLICANT) as ctx:
        person = people.register_person(
            ctx, make_iin(D(1995, 1, 15), female=True), category=Category.DOMESTIC_VIOLENCE_VICTIM
        )
        case = cases.open_case(
            ctx, person, person, Form.TEMPORARY_STAY, Category.DOMESTIC_VIOLENCE_VICTIM, organisation_id=centre
        )
        documents.attach(ctx, case, DocumentCode.APPLICATION, "application.jpg", PNG)
        case_id = case.id
    _step(runtime, ORGANISATION, case_id, decisions.submit)
    # App.4 p.4-1: identification within 1 wd of Mon 23 Nov -> Tue 24 Nov.
    assert _waiting(runtime, case_id, "staff_step_overdue") == [{"step": "identification", "deadline": "2026-11-24"}]
    _step(runtime, ORGANISATION, case_id, decisions.identify_victim, IdentificationOutcome.RECOGNISED, D(2026, 11, 23))
    assert _live(runtime, case_id) == [
        ("staff_step_due", D(2026, 11, 23), S),
        ("staff_step_overdue", D(2026, 11, 25), S),
    ]
    _step(runtime, ORGANISATION, case_id, decisions.forward_to_authority)
    # App.4 p.4-9: the authority decides within 3 wd of receiving it (Mon 23 Nov) -> Thu 26 Nov.
    assert _live(runtime, case_id) == [
        ("staff_step_due", D(2026, 11, 25), S),
        ("staff_step_overdue", D(2026, 11, 27), S),
    ]
    _step(runtime, AUTHORITY, case_id, decisions.decide, positive=True, number="R-9", decided_on=D(2026, 11, 23))
    assert _waiting(runtime, case_id, "staff_step_overdue") == [{"step": "contract", "deadline": "2026-11-24"}]
    _step(runtime, ORGANISATION, case_id, decisions.sign_contract, "C-1", D(2026, 11, 23))
    _step(runtime, ORGANISATION, case_id, residency.admit)
    # Admitted with a contract: no other-region term (App.4 p.4); its end is (App.4 p.9: six months for a victim,
    # to Sun 23 May 2027): alert Fri 21 May, overdue from Mon 24 May.
    assert _live(runtime, case_id) == [("staff_step_due", D(2027, 5, 21), S), ("staff_step_overdue", D(2027, 5, 24), S)]
    assert _waiting(runtime, case_id, "staff_step_due") == [{"step": "contract_end", "deadline": "2027-05-23"}]


def test_steps_due_counts_working_days_overdue_across_independence_day(runtime, places, clock):
    clock.advance_to(D(2026, 12, 14))
    case_id = _apply(runtime, places, Form.STATIONARY, Category.ELDERLY, D(1945, 5, 5), STATIONARY_UPLOADS)
    _step(runtime, DEPARTMENT, case_id, decisions.submit)
    # Decided Mon 14 Dec: notify within 2 wd -> Thu 17 Dec (Wed 16 Dec is Independence Day).
    _step(runtime, DEPARTMENT, case_id, decisions.decide, positive=True, number="D", decided_on=D(2026, 12, 14))

    def due(on: date, where=None) -> list[tuple[int, Step, date, int]]:
        with runtime.context() as ctx:
            found = reminders.steps_due(ctx, where, on)
        return [(item.case_id, item.step, item.deadline, item.working_days_overdue) for item in found]

    notify = (case_id, Step.NOTIFY_RECIPIENT, D(2026, 12, 17))
    assert due(D(2026, 12, 14)) == []  # two working days ahead
    assert due(D(2026, 12, 15)) == [(*notify, -1)]  # due the next working day (16 Dec is off)
    assert due(D(2026, 12, 17)) == [(*notify, 0)]
    assert due(D(2026, 12, 18)) == [(*notify, 1)]
    assert due(D(2026, 12, 21)) == [(*notify, 2)]  # Fri 18, Mon 21
    assert due(D(2026, 12, 21), Case.department_id == places.department_id + 1) == []  # another department's view
    with runtime.context() as ctx:
        [item] = reminders.steps_due(ctx, Case.department_id == places.department_id, D(2026, 12, 21))
    assert (item.form, item.status, item.department_id, item.legal_ref) == (
        Form.STATIONARY,
        Status.APPROVED,
        places.department_id,
        "App.1 p.7",
    )
    _step(runtime, DEPARTMENT, case_id, decisions.notify_recipient)
    assert due(D(2026, 12, 21)) == []  # done


def test_app4_p4_staff_see_the_end_of_the_30_day_stay_of_a_person_from_another_region(runtime, places):
    centre = add_organisation(runtime, places, Form.TEMPORARY_STAY, [Category.HOMELESS], free_places=3)
    with runtime.context(ORGANISATION) as ctx:
        person = people.register_person(ctx, make_iin(D(1970, 2, 2)), category=Category.HOMELESS)
        case = cases.open_case(ctx, person, person, Form.TEMPORARY_STAY, Category.HOMELESS, organisation_id=centre)
        documents.attach(ctx, case, DocumentCode.APPLICATION, "application.pdf", PDF)
        decisions.submit(ctx, case)
        residency.admit(ctx, case)  # p.4: at once, no contract
        case_id = case.id
    # Admitted Mon 23 Nov 2026: up to 30 calendar days -> Wed 23 Dec; alert Tue 22 Dec, overdue Thu 24 Dec.
    assert _live(runtime, case_id) == [
        ("staff_step_due", D(2026, 12, 22), S),
        ("staff_step_overdue", D(2026, 12, 24), S),
    ]

    def overdue(on: date) -> list[int]:
        with runtime.context() as ctx:
            return [item.working_days_overdue for item in reminders.steps_due(ctx, Case.id == case_id, on)]

    # 24, 25, 28, 29, 30, 31 Dec and Tue 5 Jan 2027 (1 and 4 January are days off): 7 working days late.
    assert (overdue(D(2026, 12, 21)), overdue(D(2026, 12, 22)), overdue(D(2027, 1, 5))) == ([], [-1], [7])
