"""The ends of a stay that the case itself dates: the return from temporary leave (App.1 p.14) and the end of a
temporary-stay contract (App.4 p.9). The organisation is alerted the working day before and once overdue; the
dashboard counts the working days; the alerts go when the leave ends. Days counted by hand on the KZ calendar."""

from __future__ import annotations

from datetime import date

from core.db.models import Case
from core.rules.codes import Category, DocumentCode, Form, Status, Step
from core.services import cases, decisions, documents, people, reminders, residency
from tests.services.conftest import APPLICANT, DEPARTMENT, ORGANISATION, PDF, add_organisation, make_iin
from tests.services.test_case_events import _choose, _notified
from tests.services.test_reminders import S, _live, _rows, _waiting


def _due(runtime, case_id: int, on: date) -> list[tuple[Step, int]]:
    with runtime.context() as ctx:
        return [(item.step, item.working_days_overdue) for item in reminders.steps_due(ctx, Case.id == case_id, on)]


def test_app1_p14_the_home_is_told_when_a_resident_on_leave_is_due_back(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1)
    case_id = _notified(runtime, places, date(1944, 3, 3))
    _choose(runtime, case_id, home)
    with runtime.context(ORGANISATION) as ctx:
        case = cases.get_case(ctx, case_id)
        residency.admit(ctx, case)
        # Leave from Tue 1 Dec 2026, up to three months -> back by Mon 1 Mar 2027.
        assert residency.start_leave(ctx, case, date(2026, 12, 1)) == date(2027, 3, 1)
    # Alert on Fri 26 Feb (the working day before), overdue from Tue 2 Mar.
    assert _live(runtime, case_id) == [
        ("staff_step_due", date(2027, 2, 26), S),
        ("staff_step_overdue", date(2027, 3, 2), S),
    ]
    assert _waiting(runtime, case_id, "staff_step_overdue") == [{"step": "leave_return", "deadline": "2027-03-01"}]
    assert _due(runtime, case_id, date(2027, 2, 25)) == []
    assert _due(runtime, case_id, date(2027, 2, 26)) == [(Step.LEAVE_RETURN, -1)]
    assert _due(runtime, case_id, date(2027, 3, 3)) == [(Step.LEAVE_RETURN, 2)]
    with runtime.context(ORGANISATION) as ctx:
        residency.end_leave(ctx, cases.get_case(ctx, case_id))  # back: nothing left to alert about the leave
    waiting = _waiting(runtime, case_id, "staff_step_due") + _waiting(runtime, case_id, "staff_step_overdue")
    assert [payload["step"] for payload in waiting] == ["portal_card"]  # App.1 p.8, from the admission
    assert _due(runtime, case_id, date(2027, 3, 3)) == []
    with runtime.context() as ctx:
        assert cases.get_case(ctx, case_id).leave_return_by is None


def test_app4_p9_the_shelter_is_told_before_a_contract_runs_out(runtime, places, clock):
    centre = add_organisation(runtime, places, Form.TEMPORARY_STAY, [Category.HOMELESS], free_places=3)
    with runtime.context(APPLICANT) as ctx:
        person = people.register_person(ctx, make_iin(date(1971, 6, 6)), category=Category.HOMELESS)
        case = cases.open_case(ctx, person, person, Form.TEMPORARY_STAY, Category.HOMELESS, organisation_id=centre)
        documents.attach(ctx, case, DocumentCode.APPLICATION, "application.pdf", PDF)
        case_id = case.id
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="T-9", decided_on=date(2026, 11, 23))
    with runtime.context(ORGANISATION) as ctx:
        # A contract with a homeless person runs up to a year: signed Mon 23 Nov 2026, it ends Tue 23 Nov 2027;
        # alert Mon 22 Nov, overdue from Wed 24 Nov.
        ends = decisions.sign_contract(ctx, cases.get_case(ctx, case_id), "C-1", date(2026, 11, 23))
        assert ends == date(2027, 11, 23)
        residency.admit(ctx, cases.get_case(ctx, case_id))
    assert _rows(runtime, case_id, "staff_step_overdue")[-1][:2] == (date(2027, 11, 24), "pending")
    assert _rows(runtime, case_id, "staff_step_due")[-1] == (
        date(2027, 11, 22),
        "pending",
        {"step": "contract_end", "deadline": "2027-11-23"},
    )
    assert _due(runtime, case_id, date(2027, 11, 25)) == [(Step.CONTRACT_END, 2)]
    with runtime.context(ORGANISATION) as ctx:
        case = cases.get_case(ctx, case_id)
        assert case.status == Status.ADMITTED
