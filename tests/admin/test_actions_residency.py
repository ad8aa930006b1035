"""The organisation's steps in the panel, over real HTTP, on SQLite and PostgreSQL: reviewing a moved arrival date
(App.1 p.7), the no-show, temporary leave (p.14), transfer (p.16), discharge and expulsion on a ground of the
standard with its paragraph (p.13, p.21); and the department's suspension of the decision (p.7)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from bot.i18n import gettext
from core.db.enums import PostponementReason, PostponementStatus
from core.db.models import Organisation, Outbox, Postponement
from core.rules.codes import Status
from core.services import cases, placement
from tests.admin import actions_world as fixtures
from tests.admin.actions_client import shown_status, status_shown, step_forms, text_of
from tests.admin.actions_world import APPLICANT, advance, case_row, status_of

work_db_url, work_clock, work_runtime, world, panel, staff = (
    fixtures.work_db_url,
    fixtures.work_clock,
    fixtures.work_runtime,
    fixtures.world,
    fixtures.panel,
    fixtures.staff,
)


def ru(msgid: str, **values: object) -> str:
    return gettext("ru", msgid, **values)


def test_app1_p7_the_home_declines_a_move_asked_in_the_chat_and_the_date_goes_back(work_runtime, world, staff):
    case_id = world.application(work_runtime)
    advance(work_runtime, world, case_id, Status.OFFERED)
    original = case_row(work_runtime, case_id).arrival_due_on  # 10 working days from 23 Nov 2026: 7 Dec
    with work_runtime.context(APPLICANT) as ctx:
        asked = placement.postpone_arrival(
            ctx, cases.get_case(ctx, case_id), date(2026, 12, 20), PostponementReason.ILLNESS
        ).id
    employee = staff("org_a")
    page = employee.work(case_id)
    assert f'id="postponement-{asked}"' in page.text and ru("Decline the move") in text_of(page)

    refused = employee.post(f"/admin/case/{case_id}/postponement/{asked}", {"decision": "decline", "reason": ""})
    assert refused.status_code == 422
    assert ru("Please give the reason for declining: the applicant will read it.") in text_of(refused)
    page = employee.post(
        f"/admin/case/{case_id}/postponement/{asked}",
        {"decision": "decline", "reason": "Справка не подтверждает болезнь."},
    )
    assert page.status_code == 200
    assert ru("The move is declined; the arrival date is back to {due}.", due=original.strftime("%d.%m.%Y")) in (
        text_of(page)
    )
    assert case_row(work_runtime, case_id).arrival_due_on == original
    with work_runtime.context() as ctx:
        assert ctx.session.get(Postponement, asked).status == PostponementStatus.DECLINED
        notice = ctx.session.scalars(
            sa.select(Outbox).where(Outbox.case_id == case_id, Outbox.kind == "postponement_declined")
        ).one()
        assert notice.payload["reason"] == "Справка не подтверждает болезнь."
    # Staff enter a request that came through the portal (once only: the rules bound it, App.1 p.7).
    page = employee.step(case_id, "postpone", reason="hospitalisation", until="2026-12-30")
    assert page.status_code == 200 and case_row(work_runtime, case_id).arrival_due_on == date(2026, 12, 30)
    page = employee.step(case_id, "postpone", reason="illness", until="2027-01-03")
    assert page.status_code == 409 and ru("The arrival date has already been moved once (App.1-2 p.7).") in (
        text_of(page)
    )


def test_app1_p7_no_show_once_the_term_has_passed(work_runtime, world, work_clock, staff):
    case_id = world.application(work_runtime)
    advance(work_runtime, world, case_id, Status.OFFERED)
    waiting = world.application(work_runtime, serial=2)
    advance(work_runtime, world, waiting, Status.QUEUED)
    employee = staff("org_a")
    page = employee.step(case_id, "no_show")
    assert page.status_code == 409 and "07.12.2026" in page.text  # the term runs until 7 Dec
    work_clock.advance_to(date(2026, 12, 8))
    employee = staff("org_a")  # a new working day, a new session
    page = employee.step(case_id, "no_show")
    assert status_shown(page) == shown_status(Status.QUEUED)  # back at the end of the queue
    assert status_of(work_runtime, waiting) == Status.OFFERED  # the place passed to the next


def test_app1_p14_p16_p13_leave_transfer_and_discharge_on_a_ground(work_runtime, world, staff):
    case_id = world.application(work_runtime)
    advance(work_runtime, world, case_id, Status.ADMITTED)
    with work_runtime.context() as ctx:
        ctx.session.get(Organisation, world.sides["b"].home_id).free_places = 1
    employee = staff("org_a")
    page = employee.work(case_id)
    assert {"start_leave", "transfer", "discharge", "expel"} <= set(step_forms(page))
    assert ru("App.{appendix} p.{paragraph}", appendix=1, paragraph="13.1") in text_of(
        page
    )  # each ground, its paragraph
    assert ru("App.{appendix} p.{paragraph}", appendix=1, paragraph="21.3") in text_of(page)

    page = employee.step(case_id, "start_leave", kind="personal", on="2026-11-23")
    assert status_shown(page) == shown_status(Status.ON_LEAVE)
    page = employee.step(case_id, "end_leave")
    assert status_shown(page) == shown_status(Status.ADMITTED)
    page = employee.step(case_id, "transfer", organisation_id=str(world.sides["b"].home_id))
    assert status_shown(page) == shown_status(Status.ADMITTED)
    assert case_row(work_runtime, case_id).organisation_id == world.sides["b"].home_id
    page = employee.work(case_id)  # home A still reads the history of a case it served, but acts no more
    assert page.status_code == 200 and step_forms(page) == []
    assert employee.step(case_id, "discharge", ground="own_application", on="2026-11-23").status_code == 403

    other_home = staff("org_b")
    page = other_home.step(case_id, "discharge", ground="own_application", on="2026-11-23")
    assert status_shown(page) == shown_status(Status.DISCHARGED)
    case = case_row(work_runtime, case_id)
    assert (case.end_ground, case.ended_on) == ("own_application", date(2026, 11, 23))


def test_app1_p21_expulsion_with_a_ground_bars_nothing_else(work_runtime, world, staff):
    case_id = world.application(work_runtime)
    advance(work_runtime, world, case_id, Status.ADMITTED)
    employee = staff("org_a")
    page = employee.step(case_id, "expel", ground="absent_over_2_days", on="2026-11-23")
    assert status_shown(page) == shown_status(Status.EXPELLED)
    assert step_forms(page) == []  # reopening is not a panel step
    assert status_of(work_runtime, case_id) == Status.EXPELLED


def test_app1_p7_the_department_suspends_and_restores_the_decision(work_runtime, world, staff):
    case_id = world.application(work_runtime)
    advance(work_runtime, world, case_id, Status.OFFERED)
    officer = staff("dept_a")
    page = officer.work(case_id)
    assert "suspend" in step_forms(page) and "admit" not in step_forms(page)
    page = officer.step(case_id, "suspend", ground="medical_contraindication")
    assert status_shown(page) == shown_status(Status.SUSPENDED)
    page = officer.step(case_id, "restore")
    assert status_shown(page) == shown_status(Status.QUEUED)
