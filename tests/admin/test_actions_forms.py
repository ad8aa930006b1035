"""The other forms' own steps in the panel, over real HTTP, on SQLite and PostgreSQL: home care's visit and housing
and living conditions inspection act before the decision (App.3 p.8), and a shelter's victim identification,
forwarding to the authorised body, the authority's decision and the contract (App.4 p.4-1..4-9, p.8)."""

from __future__ import annotations

from core.rules.codes import Category, DocumentCode, Form, Status
from tests.admin import actions_world as fixtures
from tests.admin.actions_client import shown_status, status_shown, step_forms
from tests.admin.actions_world import case_row, history_actions

work_db_url, work_clock, work_runtime, world, panel, staff = (
    fixtures.work_db_url,
    fixtures.work_clock,
    fixtures.work_runtime,
    fixtures.world,
    fixtures.panel,
    fixtures.staff,
)
HOME_UPLOADS = (DocumentCode.APPLICATION, DocumentCode.IDENTITY_DOCUMENT, DocumentCode.MEDICAL_CARD)


def test_app3_p8_home_visit_and_inspection_act_come_before_the_decision(work_runtime, world, staff):
    service = world.organisation(work_runtime, "a", Form.HOME, Category.ELDERLY, free=1)
    case_id = world.application(work_runtime, form=Form.HOME, uploads=HOME_UPLOADS)
    officer = staff("dept_a")
    officer.work(case_id)
    assert status_shown(officer.step(case_id, "submit")) == shown_status(Status.SUBMITTED)
    page = officer.work(case_id)
    assert step_forms(page) == ["record_home_visit"]  # no decision before the visit and the act
    page = officer.step(case_id, "record_home_visit", on="2026-11-23")
    assert status_shown(page) == shown_status(Status.HOME_VISITED)
    page = officer.step(case_id, "record_inspection_act", number="", on="2026-11-23")
    assert page.status_code == 422  # the act needs its number
    page = officer.step(case_id, "record_inspection_act", number="А-114", on="2026-11-23")
    assert status_shown(page) == shown_status(Status.INSPECTED)
    page = officer.step(case_id, "decide", outcome="approve", number="D-3", on="2026-11-23")
    assert status_shown(page) == shown_status(Status.APPROVED)
    officer.step(case_id, "notify")
    page = officer.step(case_id, "choose_organisation", organisation_id=str(service))
    assert status_shown(page) == shown_status(Status.OFFERED)
    page = staff("boss").step(case_id, "admit")  # an admin may take the organisation's step
    assert status_shown(page) == shown_status(Status.ADMITTED)
    case = case_row(work_runtime, case_id)
    assert (case.inspection_act_number, case.home_visit_on.isoformat()) == ("А-114", "2026-11-23")


def test_app4_shelter_identifies_forwards_and_the_authority_decides_then_the_contract(work_runtime, world, staff):
    shelter = world.organisation(work_runtime, "a", Form.TEMPORARY_STAY, Category.TRAFFICKING_VICTIM, free=3)
    world.staff_of(work_runtime, "shelter_a", shelter)
    case_id = world.application(
        work_runtime,
        form=Form.TEMPORARY_STAY,
        category=Category.TRAFFICKING_VICTIM,
        uploads=(DocumentCode.APPLICATION,),
        organisation_id=shelter,
    )
    shelter_staff, officer, boss = staff("shelter_a"), staff("dept_a"), staff("boss")
    assert officer.step(case_id, "submit").status_code == 403  # App.4 p.3: the shelter enters the application
    assert status_shown(shelter_staff.step(case_id, "submit")) == shown_status(Status.SUBMITTED)
    page = shelter_staff.step(case_id, "identify_victim", outcome="recognised", on="2026-11-23")  # p.4-1
    assert status_shown(page) == shown_status(Status.IDENTIFIED)
    page = shelter_staff.step(case_id, "forward_to_authority")  # p.4-4
    assert status_shown(page) == shown_status(Status.FORWARDED)
    assert "decide" not in step_forms(page)
    assert shelter_staff.step(case_id, "decide", outcome="approve", on="2026-11-23").status_code == 403  # p.4-9
    page = boss.step(case_id, "decide", outcome="approve", number="УО-7", on="2026-11-23")
    assert status_shown(page) == shown_status(Status.APPROVED)
    page = shelter_staff.step(case_id, "sign_contract", number="Ш-12", on="2026-11-23")  # p.8
    assert status_shown(page) == shown_status(Status.CONTRACT_SIGNED)
    page = shelter_staff.step(case_id, "admit")
    assert status_shown(page) == shown_status(Status.ADMITTED)
    case = case_row(work_runtime, case_id)
    assert case.contract_ends_on is not None and case.contract_ends_on.isoformat() == "2027-05-23"  # 6 months, p.9
    assert history_actions(work_runtime, case_id)[1:] == [
        "submit",
        "identify_victim",
        "forward_to_authority",
        "approve",
        "sign_contract",
        "admit",
    ]


def test_app4_p4_4_a_person_not_recognised_is_refused(work_runtime, world, staff):
    shelter = world.organisation(work_runtime, "a", Form.TEMPORARY_STAY, Category.DOMESTIC_VIOLENCE_VICTIM)
    world.staff_of(work_runtime, "shelter_a", shelter)
    case_id = world.application(
        work_runtime,
        form=Form.TEMPORARY_STAY,
        category=Category.DOMESTIC_VIOLENCE_VICTIM,
        uploads=(DocumentCode.APPLICATION,),
        organisation_id=shelter,
    )
    shelter_staff = staff("shelter_a")
    shelter_staff.step(case_id, "submit")
    page = shelter_staff.step(case_id, "identify_victim", outcome="not_recognised", on="2026-11-23")
    assert status_shown(page) == shown_status(Status.REFUSED)
