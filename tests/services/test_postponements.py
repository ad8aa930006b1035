"""The organisation reviews a moved arrival date (App.1 p.7): confirm, decline (the date goes back and the family
is told why), record a request that came outside the chat; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from core.db.enums import PostponementReason, PostponementStatus
from core.db.models import Offer, Outbox, Postponement, StatusHistory
from core.rules.codes import Category, Form, Status
from core.services import cases, placement, postponements
from core.services.errors import InvalidInput, NotAllowed, NotFound
from tests.services.conftest import APPLICANT, ORGANISATION, add_organisation
from tests.services.test_case_events import _choose, _notified


def _offered(runtime, places) -> int:
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1)
    case_id = _notified(runtime, places, date(1940, 2, 2))
    _choose(runtime, case_id, home)  # a free place: offered, arrive within 15 working days (by 14 Dec 2026)
    return case_id


def _asked_in_chat(runtime, case_id: int, until: date) -> int:
    with runtime.context(APPLICANT) as ctx:
        return int(placement.postpone_arrival(ctx, cases.get_case(ctx, case_id), until, PostponementReason.ILLNESS).id)


def test_app1_p7_declined_move_puts_the_arrival_date_back_and_tells_the_family(runtime, places, clock):
    case_id = _offered(runtime, places)
    with runtime.context() as ctx:
        original = cases.get_case(ctx, case_id).arrival_due_on
    asked = _asked_in_chat(runtime, case_id, date(2027, 1, 5))

    with runtime.context(ORGANISATION) as ctx:
        [row] = postponements.of_case(ctx, cases.get_case(ctx, case_id))
        assert postponements.awaiting_review(row)
        postponements.decline(ctx, cases.get_case(ctx, case_id), asked, "  The certificate is from 2024.  ")

    with runtime.context() as ctx:
        case = cases.get_case(ctx, case_id)
        assert (case.status, case.arrival_due_on) == (Status.OFFERED, original)
        offer = ctx.session.scalars(sa.select(Offer).where(Offer.case_id == case_id)).one()
        assert offer.arrival_due_on == original
        row = ctx.session.get(Postponement, asked)
        assert (row.status, row.decided_by) == (PostponementStatus.DECLINED, 2)
        notice = ctx.session.scalars(sa.select(Outbox).where(Outbox.kind == postponements.DECLINED_NOTICE)).one()
        assert notice.payload == {"arrival_due_on": original.isoformat(), "reason": "The certificate is from 2024."}
        last = ctx.session.scalars(sa.select(StatusHistory).order_by(StatusHistory.id.desc())).first()
        assert (last.action, last.note) == ("decline_postponement", "The certificate is from 2024.")


def test_decline_needs_a_reason_and_only_once(runtime, places, clock):
    case_id = _offered(runtime, places)
    asked = _asked_in_chat(runtime, case_id, date(2027, 1, 5))
    with runtime.context(ORGANISATION) as ctx, pytest.raises(InvalidInput):
        postponements.decline(ctx, cases.get_case(ctx, case_id), asked, "   ")
    with runtime.context(ORGANISATION) as ctx:
        postponements.confirm(ctx, cases.get_case(ctx, case_id), asked)
    with runtime.context(ORGANISATION) as ctx, pytest.raises(NotAllowed) as refused:
        postponements.decline(ctx, cases.get_case(ctx, case_id), asked, "changed my mind")
    assert refused.value.reasons == ("postponement_reviewed",)
    with runtime.context() as ctx:
        case = cases.get_case(ctx, case_id)
        assert case.arrival_due_on == date(2027, 1, 5)  # the confirmed move stands
        assert ctx.session.get(Postponement, asked).decided_by == 2


def test_law_silent_no_decline_once_the_original_date_has_passed(runtime, places, clock):
    case_id = _offered(runtime, places)
    asked = _asked_in_chat(runtime, case_id, date(2027, 1, 5))
    clock.advance_to(date(2026, 12, 15))  # the original date (14 Dec) is over: the person relied on the move
    with runtime.context(ORGANISATION) as ctx, pytest.raises(NotAllowed) as refused:
        postponements.decline(ctx, cases.get_case(ctx, case_id), asked, "no certificate")
    assert refused.value.reasons == ("original_date_passed",)


def test_another_cases_request_is_not_found(runtime, places, clock):
    case_id = _offered(runtime, places)
    other = _notified(runtime, places, date(1941, 3, 3))
    asked = _asked_in_chat(runtime, case_id, date(2027, 1, 5))
    with runtime.context(ORGANISATION) as ctx, pytest.raises(NotFound):
        postponements.confirm(ctx, cases.get_case(ctx, other), asked)


def test_staff_record_a_portal_request_within_the_rules_app1_p7(runtime, places, clock):
    case_id = _offered(runtime, places)
    with runtime.context(ORGANISATION) as ctx, pytest.raises(NotAllowed) as refused:
        postponements.record(ctx, cases.get_case(ctx, case_id), date(2027, 2, 1), PostponementReason.HOSPITALISATION)
    assert "beyond_limit" in refused.value.reasons  # more than 30 calendar days after 14 Dec
    with runtime.context(ORGANISATION) as ctx:
        row = postponements.record(
            ctx, cases.get_case(ctx, case_id), date(2027, 1, 10), PostponementReason.HOSPITALISATION
        )
        assert not postponements.awaiting_review(row)
    with runtime.context() as ctx:
        assert cases.get_case(ctx, case_id).arrival_due_on == date(2027, 1, 10)
