"""Which events reach the family as a notice: a step the person took themselves in the chat was answered there in the
same turn, so it writes no notice; the same step entered by staff on their behalf, or an event the person did not
cause, does."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.db.enums import PostponementReason
from core.db.models import Outbox
from core.rules.codes import Category, Form
from core.services import cases, placement
from tests.services.conftest import APPLICANT, DEPARTMENT, ORGANISATION, add_organisation
from tests.services.test_case_events import _notified


def _kinds(runtime, case_id: int) -> list[str]:
    with runtime.context() as ctx:
        return list(ctx.session.scalars(sa.select(Outbox.kind).where(Outbox.case_id == case_id).order_by(Outbox.id)))


def _choose(runtime, actor, case_id: int, organisation_id: int) -> None:
    with runtime.context(actor) as ctx:
        placement.choose_organisation(ctx, cases.get_case(ctx, case_id), organisation_id)


def test_a_choice_made_in_the_chat_is_not_repeated_by_notice_but_one_entered_by_staff_is(runtime, places):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    by_chat, by_staff = (_notified(runtime, places, date(1940, 3, n)) for n in (2, 3))
    _choose(runtime, APPLICANT, by_chat, home)
    _choose(runtime, DEPARTMENT, by_staff, home)  # at the department's self-service sector (App.1 p.7)
    assert "queued" not in _kinds(runtime, by_chat)
    assert "queued" in _kinds(runtime, by_staff)


def test_a_place_freed_later_is_always_told_and_an_own_postponement_is_not(runtime, places, clock):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY])
    case_id = _notified(runtime, places, date(1940, 4, 2))
    _choose(runtime, APPLICANT, case_id, home)
    with runtime.context(ORGANISATION) as ctx:
        placement.free_places(ctx, home)  # the person did nothing: the offer must reach them
    assert _kinds(runtime, case_id).count("offer") == 1
    with runtime.context(APPLICANT) as ctx:
        case = cases.get_case(ctx, case_id)
        placement.postpone_arrival(ctx, case, date(2026, 12, 30), PostponementReason.ILLNESS)
    assert "postponed" not in _kinds(runtime, case_id)  # the chat confirmed the new date as it was asked
