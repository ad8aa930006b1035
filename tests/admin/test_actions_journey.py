"""A stationary case from submission to admission, entirely in the panel, over real HTTP: the department officer
checks the documents, enters the application, records the decision, notifies the recipient and records their
choice of a care home with no free place (the queue); the care home's employee declares a place freed (offered
to the first in the queue) and admits the recipient. Each sees only their own. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.i18n import gettext
from core.db.enums import DocumentStatus, OfferStatus
from core.db.models import Offer, Organisation, Outbox
from core.rules.codes import DocumentCode, Status
from tests.admin import actions_world as fixtures
from tests.admin.actions_client import shown_status, status_shown, step_forms
from tests.admin.actions_world import STATIONARY_UPLOADS, case_row, document_of, document_statuses, history_actions

work_db_url, work_clock, work_runtime, world, panel, staff = (
    fixtures.work_db_url,
    fixtures.work_clock,
    fixtures.work_runtime,
    fixtures.world,
    fixtures.panel,
    fixtures.staff,
)


def ru(msgid: str, **values: object) -> str:
    """The panel's words as a Russian-speaking officer reads them."""
    return gettext("ru", msgid, **values)


def test_app1_p6_to_p8_department_and_organisation_carry_a_case_from_submission_to_admission(
    work_runtime, world, staff
):
    case_id = world.application(work_runtime)
    home_a = world.sides["a"].home_id
    officer = staff("dept_a")

    page = officer.work(case_id)
    assert page.status_code == 200
    assert status_shown(page) == shown_status(Status.DRAFT)
    assert "submit" in step_forms(page)

    # The department checks each uploaded document and accepts it.
    for code in STATIONARY_UPLOADS:
        document = document_of(work_runtime, case_id, code)
        page = officer.review(case_id, int(document.id), decision="accept")
        assert page.status_code == 200
        assert ru("The document is accepted.") in page.text
    assert set(document_statuses(work_runtime, case_id).values()) == {DocumentStatus.ACCEPTED}

    page = officer.step(case_id, "submit")  # App.1 p.6
    assert status_shown(page) == shown_status(Status.SUBMITTED)
    page = officer.step(case_id, "decide", outcome="approve", number="D-17", on="2026-11-23")  # App.1 p.7
    assert status_shown(page) == shown_status(Status.APPROVED)
    page = officer.step(case_id, "notify")
    assert status_shown(page) == shown_status(Status.NOTIFIED)
    assert "23.11.2026" in page.text or "07.12.2026" in page.text  # the choice term: 10 working days, to 7 Dec
    page = officer.step(case_id, "choose_organisation", organisation_id=str(home_a))  # no free place: the queue
    assert status_shown(page) == shown_status(Status.QUEUED)

    employee = staff("org_a")
    page = employee.work(case_id)
    assert page.status_code == 200 and status_shown(page) == shown_status(Status.QUEUED)
    assert step_forms(page) == []  # the place is not the employee's to give by hand: it comes from the queue
    page = employee.post(f"/admin/places/{home_a}", {"count": "1", "case_id": str(case_id)})
    assert status_shown(page) == shown_status(Status.OFFERED)  # App.1 p.7: the first in the queue gets the freed place
    assert "admit" in step_forms(page)
    page = employee.step(case_id, "admit")  # App.1 p.8
    assert status_shown(page) == shown_status(Status.ADMITTED)

    assert history_actions(work_runtime, case_id) == [
        "open",
        "submit",
        "approve",
        "notify",
        "join_queue",
        "offer_place",
        "admit",
    ]
    case = case_row(work_runtime, case_id)
    assert (case.status, case.organisation_id, case.decision_number) == (Status.ADMITTED, home_a, "D-17")
    with work_runtime.context() as ctx:
        offer = ctx.session.scalars(sa.select(Offer).where(Offer.case_id == case_id)).one()
        assert offer.status == OfferStatus.ACCEPTED
        kinds = set(ctx.session.scalars(sa.select(Outbox.kind).where(Outbox.case_id == case_id)))
    assert {"submitted", "approved", "choose_organisation", "queued", "offer"} <= kinds  # the family was told


def test_each_sees_only_their_own_case(work_runtime, world, staff):
    mine = world.application(work_runtime, "a", serial=1)
    theirs = world.application(work_runtime, "b", serial=2)
    officer, other_employee = staff("dept_a"), staff("org_b")
    assert officer.work(mine).status_code == 200
    assert officer.work(theirs).status_code == 404  # another district's case, by a typed-in id
    assert other_employee.work(mine).status_code == 404  # nothing at their organisation yet
    assert officer.work(999_999).status_code == 404


def test_a_free_place_is_offered_at_once_when_nobody_waits_app1_p7(work_runtime, world, staff):
    with work_runtime.context() as ctx:
        ctx.session.get(Organisation, world.sides["a"].home_id).free_places = 1
    case_id = world.application(work_runtime)
    officer = staff("dept_a")
    for step, fields in (
        ("submit", {}),
        ("decide", {"outcome": "approve", "number": "D-2", "on": "23.11.2026"}),
        ("notify", {}),
        ("choose_organisation", {"organisation_id": str(world.sides["a"].home_id)}),
    ):
        page = officer.step(case_id, step, **fields)
        assert page.status_code == 200, (step, page.text[:500])
    assert status_shown(page) == shown_status(Status.OFFERED)
    assert case_row(work_runtime, case_id).arrival_due_on.isoformat() == "2026-12-14"  # 15 working days


@pytest.mark.parametrize("code", [DocumentCode.MEDICAL_CARD])
def test_a_rejected_document_reaches_the_applicant_in_their_language(work_runtime, world, staff, code):
    case_id = world.application(work_runtime)  # the applicant writes in Kazakh
    officer = staff("dept_a")
    document = document_of(work_runtime, case_id, code)
    page = officer.review(case_id, int(document.id), decision="reject", reason_code="expired", comment="2019 ж.")
    assert page.status_code == 200
    expected = gettext("kk", "the document is out of date: please send a valid one") + ": 2019 ж."
    assert expected in page.text  # the officer sees what the family will read
    rejected = document_of(work_runtime, case_id, code)
    assert (rejected.status, rejected.rejection_reason) == (DocumentStatus.REJECTED, expected)
    with work_runtime.context() as ctx:
        notice = ctx.session.scalars(
            sa.select(Outbox).where(Outbox.case_id == case_id, Outbox.kind == "document_rejected")
        ).one()
    assert (notice.payload["document_code"], notice.payload["reason"]) == (code.value, expected)
