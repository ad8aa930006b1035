"""Every case step of the panel is refused, with nothing changed, for the wrong role (403), for a case of another
district or organisation (404, as if it did not exist) and without the CSRF token (403); a step the rules refuse
comes back as the same page with the reason in the officer's language and what they typed, never a 500.
Over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from admin.actions import StepRefused, run_on_case
from admin.actions_errors import explain
from admin.i18n import set_language
from admin.middleware import RUNTIME_SCOPE_KEY
from admin.principal import Principal
from bot.i18n import gettext
from core.db.enums import DocumentStatus, StaffRole
from core.rules.codes import Actor, DocumentCode, Status
from core.services import cases, decisions
from core.services.context import ActorRef
from tests.admin import actions_world as fixtures
from tests.admin.actions_client import shown_status, status_shown, text_of
from tests.admin.actions_world import accept_all_documents, advance, case_row, document_of, history_actions, status_of

work_db_url, work_clock, work_runtime, world, panel, staff = (
    fixtures.work_db_url,
    fixtures.work_clock,
    fixtures.work_runtime,
    fixtures.world,
    fixtures.panel,
    fixtures.staff,
)

STEP_FIELDS = {
    "decide": {"outcome": "approve", "number": "D-9", "on": "2026-11-23"},
    "choose_organisation": {"organisation_id": "1"},
    "discharge": {"ground": "own_application", "on": "2026-11-23"},
    "expel": {"ground": "rules_broken_over_3_times", "on": "2026-11-23"},
    "start_leave": {"kind": "personal", "on": "2026-11-23"},
    "transfer": {"organisation_id": "2"},
    "postpone": {"reason": "illness", "until": "2026-12-20"},
}

# (who, step, the case's stage, status code). A case in a stage is handled by department A and sits at home A.
REFUSED = [
    ("org_a", "decide", Status.QUEUED, 403),  # a department's step, on a case the home can see
    ("org_a", "notify", Status.QUEUED, 403),
    ("org_a", "choose_organisation", Status.QUEUED, 403),
    ("org_a", "submit", Status.DRAFT, 404),  # the home does not see a case that has not chosen it
    ("dept_b", "submit", Status.DRAFT, 404),  # another district's department, by a typed-in case id
    ("dept_b", "decide", Status.DRAFT, 404),
    ("dept_a", "admit", Status.OFFERED, 403),  # the home's step, on a case the department can see
    ("dept_a", "no_show", Status.OFFERED, 403),
    ("dept_a", "postpone", Status.OFFERED, 403),
    ("dept_a", "discharge", Status.ADMITTED, 403),
    ("dept_a", "expel", Status.ADMITTED, 403),
    ("dept_a", "start_leave", Status.ADMITTED, 403),
    ("dept_a", "transfer", Status.ADMITTED, 403),
    ("org_b", "admit", Status.OFFERED, 404),  # another organisation
    ("org_b", "discharge", Status.ADMITTED, 404),
    ("dept_a", "no_such_step", Status.DRAFT, 404),
]


def _case_at(runtime, world, stage: Status) -> int:
    case_id = world.application(runtime)
    if stage != Status.DRAFT:
        advance(runtime, world, case_id, stage)
    return case_id


@pytest.mark.parametrize(("login", "step", "stage", "expected"), REFUSED)
def test_step_refused_for_the_wrong_role_or_scope_changes_nothing(
    work_runtime, world, staff, login, step, stage, expected
):
    case_id = _case_at(work_runtime, world, stage)
    before = history_actions(work_runtime, case_id)
    client = staff(login)
    response = client.step(case_id, step, **STEP_FIELDS.get(step, {}))
    assert response.status_code == expected
    assert status_of(work_runtime, case_id) == stage
    assert history_actions(work_runtime, case_id) == before


@pytest.mark.parametrize(
    ("login", "step", "stage"), [("dept_a", "submit", Status.DRAFT), ("org_a", "admit", Status.OFFERED)]
)
def test_step_without_the_csrf_token_is_refused(work_runtime, world, staff, login, step, stage):
    case_id = _case_at(work_runtime, world, stage)
    client = staff(login)
    client.work(case_id)
    response = client.step(case_id, step, csrf=False)
    assert response.status_code == 403
    assert status_of(work_runtime, case_id) == stage


def test_document_review_refused_outside_the_office_and_scope(work_runtime, world, staff):
    queued = _case_at(work_runtime, world, Status.QUEUED)
    other = world.application(work_runtime, "b", serial=2)
    document = document_of(work_runtime, queued, DocumentCode.MEDICAL_CARD)
    foreign = document_of(work_runtime, other, DocumentCode.MEDICAL_CARD)
    employee, officer = staff("org_a"), staff("dept_a")
    employee.work(queued)
    assert employee.review(queued, int(document.id), decision="accept").status_code == 403  # the department's job
    assert officer.review(other, int(foreign.id), decision="reject", comment="x").status_code == 404
    assert officer.review(queued, int(foreign.id), decision="reject", comment="x").status_code == 404  # forged pair
    assert officer.review(queued, int(document.id), decision="accept", csrf=False).status_code == 403
    assert document_of(work_runtime, other, DocumentCode.MEDICAL_CARD).status == DocumentStatus.UPLOADED


def ru(msgid: str, **values: object) -> str:
    return gettext("ru", msgid, **values)


def test_a_refusal_without_a_reason_comes_back_with_what_was_typed(work_runtime, world, staff):
    case_id = world.application(work_runtime)
    officer = staff("dept_a")
    officer.work(case_id)
    officer.step(case_id, "submit")
    page = officer.step(case_id, "decide", outcome="refuse", number="R-9/2026", on="2026-11-23", reason="")
    assert page.status_code == 422
    assert ru("A refusal must give its reason: the applicant will read it.") in text_of(page)
    assert 'value="R-9/2026"' in text_of(page) and 'value="refuse" checked' in text_of(page)
    assert status_of(work_runtime, case_id) == Status.SUBMITTED
    page = officer.step(case_id, "decide", outcome="approve", number="1", on="2026-12-01")
    assert page.status_code == 422 and ru("The date cannot be in the future.") in text_of(page)


def test_the_rules_refusals_are_explained_not_500(work_runtime, world, staff):
    case_id = world.application(work_runtime)
    officer = staff("dept_a")
    document = document_of(work_runtime, case_id, DocumentCode.APPLICATION)
    officer.review(case_id, int(document.id), decision="reject", reason_code="unsigned")
    page = officer.step(case_id, "submit")  # App.1 p.6: the checklist must be complete
    assert page.status_code == 409
    assert ru("The document checklist is not complete: {done} of {total} required documents.", done=3, total=4) in (
        text_of(page)
    )
    page = officer.step(case_id, "notify")  # not from a draft
    assert page.status_code == 409
    assert ru("This step is not possible in the case's current status.") in text_of(page)
    assert status_of(work_runtime, case_id) == Status.DRAFT


def test_a_forged_organisation_or_ground_is_refused_like_an_empty_field(work_runtime, world, staff):
    case_id = world.application(work_runtime)
    advance(work_runtime, world, case_id, Status.ADMITTED)
    employee = staff("org_a")
    employee.work(case_id)
    # A ground of day care (App.2 p.13.2) is not a ground of residential care: not among the options.
    page = employee.step(case_id, "discharge", ground="rehabilitation_plan_completed", on="2026-11-23")
    assert page.status_code == 422 and ru("Please choose one of the options.") in text_of(page)
    page = employee.step(case_id, "transfer", organisation_id="999999")
    assert page.status_code == 422
    assert status_of(work_runtime, case_id) == Status.ADMITTED


def test_a_second_officer_repeating_a_step_gets_the_page_not_a_second_step(work_runtime, world, staff):
    case_id = world.application(work_runtime)
    first, second = staff("dept_a"), staff("boss")
    first.work(case_id)
    second.work(case_id)  # both have the workspace of the draft open
    assert status_shown(first.step(case_id, "submit")) == shown_status(Status.SUBMITTED)
    page = second.step(case_id, "submit")
    assert page.status_code == 409
    assert ru("This step is not possible in the case's current status.") in text_of(page)
    assert history_actions(work_runtime, case_id).count("submit") == 1


def test_a_change_made_meanwhile_in_another_transaction_is_a_conflict_not_a_500(work_runtime, world):
    """Two offices on one case at the same moment: the version the officer's step read is gone by the time it
    writes (optimistic locking on case.version); the step is refused and nothing of it is kept."""
    case_id = world.application(work_runtime)
    accept_all_documents(work_runtime, case_id)
    officer = Principal(1, "dept_a", StaffRole.DEPARTMENT, world.sides["a"].department_id, None, "ru")
    request = Request({"type": "http", "headers": [], RUNTIME_SCOPE_KEY: work_runtime})

    def step(ctx, case):
        with work_runtime.context(ActorRef(Actor.DEPARTMENT, "2")) as meanwhile:
            decisions.submit(meanwhile, cases.get_case(meanwhile, case_id))
        case.decision_number = "typed meanwhile"  # written on the version read before the other commit
        ctx.session.flush()
        return "done"

    with pytest.raises(StepRefused) as refused:
        run_on_case(request, officer, case_id, "ru", step)
    assert refused.value.status_code == 409
    set_language("ru")
    assert explain(refused.value.error) == ru(
        "Someone changed this case at the same time. Reload the page and try again."
    )
    case = case_row(work_runtime, case_id)
    assert (case.status, case.decision_number) == (Status.SUBMITTED, None)
