"""Illness postponement of arrival: App.1 p.7 (once, +30 calendar days), App.2 p.7 (once, +14)."""

from __future__ import annotations

from datetime import date

import pytest

from core.calendar_kz import kazakhstan_calendar
from core.rules.codes import Form, Step
from core.rules.deadlines import deadline
from core.rules.postponement import PostponementReason, assess_postponement

ST, SEMI, HOME, TEMP = Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME, Form.TEMPORARY_STAY
ST_DUE = date(2026, 4, 15)  # 15 working days after a vacancy offered on 20 March 2026
SEMI_DUE = date(2025, 5, 13)  # 3 working days after a vacancy offered on 6 May 2025
R = PostponementReason


@pytest.mark.parametrize(
    ("form", "due", "until", "previous", "allowed", "latest", "reasons"),
    [
        pytest.param(ST, ST_DUE, date(2026, 5, 1), 0, True, date(2026, 5, 15), (),
                     id="app1_p7_first_request_within_30_days_allowed"),
        pytest.param(ST, ST_DUE, date(2026, 5, 15), 0, True, date(2026, 5, 15), (),
                     id="app1_p7_exactly_30_days_allowed"),
        pytest.param(ST, ST_DUE, date(2026, 5, 16), 0, False, date(2026, 5, 15), (R.BEYOND_LIMIT,),
                     id="app1_p7_31_days_beyond_limit"),
        pytest.param(ST, ST_DUE, date(2026, 4, 20), 1, False, ST_DUE, (R.ALREADY_POSTPONED,),
                     id="app1_p7_second_request_refused_once_only"),
        pytest.param(ST, ST_DUE, ST_DUE, 0, False, date(2026, 5, 15), (R.NOT_AFTER_DUE_DATE,),
                     id="app1_p7_same_day_as_due_is_not_a_postponement"),
        pytest.param(ST, ST_DUE, date(2026, 4, 1), 1, False, ST_DUE, (R.ALREADY_POSTPONED, R.NOT_AFTER_DUE_DATE),
                     id="app1_p7_every_applicable_reason_listed"),
        pytest.param(SEMI, SEMI_DUE, date(2025, 5, 27), 0, True, date(2025, 5, 27), (),
                     id="app2_p7_first_request_14_days_allowed"),
        pytest.param(SEMI, SEMI_DUE, date(2025, 5, 28), 0, False, date(2025, 5, 27), (R.BEYOND_LIMIT,),
                     id="app2_p7_15_days_beyond_limit"),
        pytest.param(SEMI, SEMI_DUE, date(2025, 5, 20), 2, False, SEMI_DUE, (R.ALREADY_POSTPONED,),
                     id="app2_p7_second_request_refused_once_only"),
        pytest.param(HOME, date(2026, 4, 15), date(2026, 4, 20), 0, False, date(2026, 4, 15),
                     (R.FORM_HAS_NO_POSTPONEMENT,), id="app3_home_has_no_postponement"),
        pytest.param(TEMP, date(2026, 4, 15), date(2026, 4, 20), 0, False, date(2026, 4, 15),
                     (R.FORM_HAS_NO_POSTPONEMENT,), id="app4_temporary_stay_has_no_postponement"),
    ],
)  # fmt: skip
def test_assess_postponement(
    form: Form,
    due: date,
    until: date,
    previous: int,
    allowed: bool,
    latest: date,
    reasons: tuple[str, ...],
) -> None:
    decision = assess_postponement(form, due, until, previous)
    assert decision.allowed is allowed
    assert decision.latest == latest
    assert decision.reasons == reasons


@pytest.mark.parametrize(
    ("form", "legal_ref", "next_admitted"),
    [
        pytest.param(ST, "App.1 p.7", False, id="app1_p7_place_is_held"),
        pytest.param(SEMI, "App.2 p.7", True, id="app2_p7_next_in_queue_admitted_meanwhile"),
    ],
)
def test_granted_postponement_cites_its_paragraph(form: Form, legal_ref: str, next_admitted: bool) -> None:
    decision = assess_postponement(form, date(2026, 4, 15), date(2026, 4, 20), 0)
    assert str(decision.legal_ref) == legal_ref
    assert decision.next_in_queue_admitted is next_admitted


def test_no_paragraph_is_cited_where_the_form_has_no_postponement() -> None:
    assert assess_postponement(HOME, date(2026, 4, 15), date(2026, 4, 20), 0).legal_ref is None


@pytest.mark.parametrize(
    ("form", "due"),
    [
        pytest.param(ST, ST_DUE, id="app1_p7_latest_equals_postponed_arrival_deadline"),
        pytest.param(SEMI, SEMI_DUE, id="app2_p7_latest_equals_postponed_arrival_deadline"),
    ],
)
def test_latest_matches_the_postponed_arrival_deadline(form: Form, due: date) -> None:
    calendar = kazakhstan_calendar(range(2024, 2028))
    expected = deadline(form, Step.POSTPONED_ARRIVAL, due, calendar).due
    assert assess_postponement(form, due, due, 0).latest == expected


def test_negative_previous_count_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        assess_postponement(ST, ST_DUE, date(2026, 4, 20), -1)
