"""Statutory deadlines, one row per (form, step), and the stay terms of App.1 p.14 and App.4 p.9, p.12.

Every expected date was counted by hand on the Kazakhstan calendar: the term starts the day after the event;
the holidays that move the answer are named in the id.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from core.calendar_kz import kazakhstan_calendar
from core.rules import deadlines
from core.rules.codes import Category, Form, Step
from core.rules.deadlines import (
    DEADLINE_RULES,
    ContractExtension,
    Event,
    NotInForce,
    Unit,
    UnknownCategory,
    UnknownStep,
    contract_term_end,
    deadline,
    extension_limit,
    steps_for,
)
from core.rules.leave import leave_return_by
from core.rules.legal import ORDER_72_IN_FORCE, ref
from core.rules.queue import needs_new_medical_examination

KZ = kazakhstan_calendar(range(2024, 2028))
ST, SEMI, HOME, TEMP = Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME, Form.TEMPORARY_STAY

# (form, step, event date, due date, legal ref as printed)
ROWS = [
    pytest.param(ST, Step.NOTIFY_RECIPIENT, date(2026, 3, 20), date(2026, 3, 27), "App.1 p.7",
                 id="app1_p7_notify_2wd_over_nauryz_2026"),
    pytest.param(ST, Step.CHOOSE_ORGANISATION, date(2026, 4, 27), date(2026, 5, 14), "App.1 p.7",
                 id="app1_p7_choose_10wd_over_may1_may7_may11"),
    pytest.param(ST, Step.ARRIVE, date(2026, 3, 20), date(2026, 4, 15), "App.1 p.7",
                 id="app1_p7_arrival_15_working_days"),
    pytest.param(ST, Step.ARRIVE_FROM_QUEUE, date(2026, 12, 24), date(2027, 1, 12), "App.1 p.7",
                 id="app1_p7_arrive_from_queue_10wd_over_new_year_2027"),
    pytest.param(ST, Step.POSTPONED_ARRIVAL, date(2026, 4, 15), date(2026, 5, 15), "App.1 p.7",
                 id="app1_p7_postponed_arrival_30_calendar_days"),
    pytest.param(ST, Step.PORTAL_CARD, date(2026, 5, 8), date(2026, 5, 12), "App.1 p.8",
                 id="app1_p8_portal_card_1wd_over_victory_day_observed"),
    pytest.param(ST, Step.MEDICAL_RECHECK, date(2026, 1, 31), date(2026, 2, 28), "App.1 p.7",
                 id="app1_p7_medical_recheck_jan31_plus_1_month"),
    pytest.param(SEMI, Step.NOTIFY_RECIPIENT, date(2024, 12, 31), date(2025, 1, 6), "App.2 p.7",
                 id="app2_p7_notify_2wd_new_year_and_working_sunday_2025"),
    pytest.param(SEMI, Step.CHOOSE_ORGANISATION, date(2025, 3, 19), date(2025, 3, 31), "App.2 p.7",
                 id="app2_p7_choose_5wd_over_nauryz_2025"),
    pytest.param(SEMI, Step.ARRIVE, date(2025, 5, 6), date(2025, 5, 13), "App.2 p.7",
                 id="app2_p7_arrival_3wd_over_may7_may9"),
    pytest.param(SEMI, Step.POSTPONED_ARRIVAL, date(2025, 5, 13), date(2025, 5, 27), "App.2 p.7",
                 id="app2_p7_postponed_arrival_14_calendar_days"),
    pytest.param(SEMI, Step.SEND_DOCUMENTS, date(2025, 6, 5), date(2025, 6, 9), "App.2 p.8",
                 id="app2_p8_send_documents_1wd_over_eid_2025"),
    pytest.param(SEMI, Step.TRANSFER_CONSENT, date(2025, 8, 28), date(2025, 9, 3), "App.2 p.11",
                 id="app2_p11_transfer_consent_3wd_over_constitution_day_observed"),
    pytest.param(HOME, Step.HOME_VISIT, date(2025, 12, 31), date(2026, 1, 12), "App.3 p.8",
                 id="app3_p8_home_visit_5wd_over_new_year_and_christmas"),
    pytest.param(HOME, Step.INSPECTION_ACT, date(2026, 3, 6), date(2026, 3, 12), "App.3 p.8",
                 id="app3_p8_inspection_act_3wd_over_womens_day_observed"),
    pytest.param(HOME, Step.DECISION, date(2026, 10, 22), date(2026, 10, 28), "App.3 p.8",
                 id="app3_p8_decision_3wd_over_republic_day_observed"),
    pytest.param(HOME, Step.NOTIFY_RECIPIENT, date(2026, 12, 15), date(2026, 12, 17), "App.3 p.8",
                 id="app3_p8_notify_1wd_over_independence_day"),
    pytest.param(HOME, Step.CHOOSE_ORGANISATION, date(2026, 7, 1), date(2026, 7, 9), "App.3 p.8",
                 id="app3_p8_choose_5wd_over_capital_day"),
    pytest.param(HOME, Step.SEND_DOCUMENTS, date(2026, 12, 31), date(2027, 1, 5), "App.3 p.9",
                 id="app3_p9_send_documents_1wd_over_new_year_2027"),
    pytest.param(TEMP, Step.IDENTIFICATION, date(2025, 3, 20), date(2025, 3, 26), "App.4 p.4-1",
                 id="app4_p4_1_identification_1wd_over_nauryz_2025"),
    pytest.param(TEMP, Step.FORWARD_TO_AUTHORITY, date(2025, 10, 24), date(2025, 10, 28), "App.4 p.4-4",
                 id="app4_p4_4_forward_1wd_over_republic_day_observed"),
    pytest.param(TEMP, Step.DECISION, date(2025, 12, 12), date(2025, 12, 18), "App.4 p.4-9",
                 id="app4_p4_9_decision_3wd_over_independence_day"),
    pytest.param(TEMP, Step.SEND_DECISION, date(2025, 7, 4), date(2025, 7, 8), "App.4 p.4-9",
                 id="app4_p4_9_send_decision_1wd_over_capital_day_observed"),
    pytest.param(TEMP, Step.CONTRACT, date(2026, 1, 6), date(2026, 1, 8), "App.4 p.8",
                 id="app4_p8_contract_1wd_over_orthodox_christmas"),
    pytest.param(TEMP, Step.INFORM_POLICE, date(2026, 5, 6), date(2026, 5, 13), "App.4 p.4-10",
                 id="app4_p4_10_inform_police_3wd_over_may7_may11"),
    pytest.param(TEMP, Step.OTHER_REGION_STAY, date(2026, 12, 15), date(2027, 1, 14), "App.4 p.4",
                 id="app4_p4_other_region_stay_30_calendar_days"),
]  # fmt: skip


@pytest.mark.parametrize(("form", "step", "start", "due", "legal_ref"), ROWS)
def test_statutory_deadline(form: Form, step: Step, start: date, due: date, legal_ref: str) -> None:
    result = deadline(form, step, start, KZ)
    assert (result.form, result.step, result.start) == (form, step, start)
    assert result.due == due
    assert str(result.legal_ref) == legal_ref


def test_every_row_of_the_table_has_a_test_row() -> None:
    tested = {(row.values[0], row.values[1]) for row in ROWS}
    assert tested == {(rule.form, rule.step) for rule in DEADLINE_RULES}


@pytest.mark.parametrize(
    ("form", "step", "amount", "unit", "from_event"),
    [
        pytest.param(ST, Step.ARRIVE, 15, Unit.WORKING_DAYS, Event.VACANCY_OFFERED, id="app1_p7_arrive"),
        pytest.param(ST, Step.ARRIVE_FROM_QUEUE, 10, Unit.WORKING_DAYS, Event.PLACE_FREED, id="app1_p7_queue"),
        pytest.param(ST, Step.MEDICAL_RECHECK, 1, Unit.MONTHS, Event.QUEUED, id="app1_p7_recheck"),
        pytest.param(SEMI, Step.POSTPONED_ARRIVAL, 14, Unit.CALENDAR_DAYS, Event.ARRIVAL_DUE, id="app2_p7_post"),
        pytest.param(HOME, Step.DECISION, 3, Unit.WORKING_DAYS, Event.ACT_RECEIVED, id="app3_p8_decision"),
        pytest.param(TEMP, Step.INFORM_POLICE, 3, Unit.WORKING_DAYS, Event.POLICE_DECLINED, id="app4_p4_10"),
    ],
)
def test_deadline_carries_amount_unit_and_event(
    form: Form, step: Step, amount: int, unit: Unit, from_event: Event
) -> None:
    result = deadline(form, step, date(2026, 6, 1), KZ)
    assert (result.amount, result.unit, result.from_event) == (amount, unit, from_event)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), id="app1_p7_jan31_plus_1_month_is_feb28"),
        pytest.param(date(2024, 1, 31), date(2024, 2, 29), id="app1_p7_jan31_plus_1_month_leap_year_feb29"),
        pytest.param(date(2026, 3, 31), date(2026, 4, 30), id="app1_p7_mar31_plus_1_month_is_apr30"),
        pytest.param(date(2026, 12, 15), date(2027, 1, 15), id="app1_p7_month_across_new_year"),
    ],
)
def test_app1_p7_medical_recheck_month_arithmetic(start: date, due: date) -> None:
    assert deadline(ST, Step.MEDICAL_RECHECK, start, KZ).due == due


@pytest.mark.parametrize(
    ("queued", "admitted", "needed"),
    [
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), False, id="app1_p7_exactly_one_month_no_recheck"),
        pytest.param(date(2026, 1, 31), date(2026, 3, 1), True, id="app1_p7_more_than_one_month_recheck"),
        pytest.param(date(2026, 5, 10), date(2026, 5, 20), False, id="app1_p7_ten_days_no_recheck"),
    ],
)
def test_app1_p7_needs_medical_recheck(queued: date, admitted: date, needed: bool) -> None:
    assert needs_new_medical_examination(queued, admitted) is needed


@pytest.mark.parametrize(
    ("form", "steps"),
    [
        pytest.param(
            ST,
            ("notify_recipient", "choose_organisation", "arrive", "arrive_from_queue", "postponed_arrival",
             "portal_card", "medical_recheck"),
            id="app1_stationary",
        ),
        pytest.param(
            SEMI,
            ("notify_recipient", "choose_organisation", "arrive", "postponed_arrival", "send_documents",
             "transfer_consent"),
            id="app2_semi_stationary",
        ),
        pytest.param(
            HOME,
            ("home_visit", "inspection_act", "decision", "notify_recipient", "choose_organisation",
             "send_documents"),
            id="app3_home",
        ),
        pytest.param(
            TEMP,
            ("identification", "forward_to_authority", "decision", "send_decision", "contract", "inform_police",
             "other_region_stay"),
            id="app4_temporary_stay",
        ),
    ],
)  # fmt: skip
def test_steps_for_form_in_procedure_order(form: Form, steps: tuple[str, ...]) -> None:
    assert steps_for(form) == steps


@pytest.mark.parametrize(
    ("form", "step", "listed"),
    [
        pytest.param(HOME, Step.ARRIVE, "home_visit", id="app3_home_has_no_arrival_term"),
        pytest.param(TEMP, Step.NOTIFY_RECIPIENT, "inform_police", id="app4_has_no_notify_term"),
        pytest.param(SEMI, Step.ARRIVE_FROM_QUEUE, "transfer_consent", id="app2_has_no_queue_sms_term"),
    ],
)
def test_unknown_step_names_the_valid_steps(form: Form, step: Step, listed: str) -> None:
    with pytest.raises(UnknownStep, match=f"'{step}'.*'{form}'.*{listed}"):
        deadline(form, step, date(2026, 6, 1), KZ)


def test_app4_p4_1_not_in_force_before_order_72() -> None:
    with pytest.raises(NotInForce, match=re.escape("App.4 p.4-1 applies from 2025-03-17")):
        deadline(TEMP, Step.IDENTIFICATION, date(2025, 3, 14), KZ)
    assert deadline(TEMP, Step.IDENTIFICATION, ORDER_72_IN_FORCE, KZ).due == date(2025, 3, 18)


def test_a_newer_version_of_a_row_applies_from_its_effective_date(monkeypatch: pytest.MonkeyPatch) -> None:
    current = next(rule for rule in DEADLINE_RULES if (rule.form, rule.step) == (ST, Step.ARRIVE))
    newer = replace(current, amount=20, legal_ref=ref(1, "7", date(2026, 7, 12)))
    monkeypatch.setattr(deadlines, "DEADLINE_RULES", (*DEADLINE_RULES, newer))
    assert deadline(ST, Step.ARRIVE, date(2026, 7, 10), KZ).amount == 15
    assert deadline(ST, Step.ARRIVE, date(2026, 7, 12), KZ).amount == 20


@pytest.mark.parametrize(
    ("category", "start", "end"),
    [
        pytest.param(Category.HOMELESS, date(2025, 3, 10), date(2026, 3, 10), id="app4_p9_homeless_one_year"),
        pytest.param(Category.RELEASED_PRISONER, date(2025, 12, 31), date(2026, 12, 31), id="app4_p9_released_1y"),
        pytest.param(
            Category.DOMESTIC_VIOLENCE_VICTIM, date(2025, 8, 31), date(2026, 2, 28), id="app4_p9_dv_6m_to_feb28"
        ),
        pytest.param(Category.TRAFFICKING_VICTIM, date(2025, 4, 15), date(2025, 10, 15), id="app4_p9_trafficking_6m"),
    ],
)
def test_app4_p9_contract_term_end(category: Category, start: date, end: date) -> None:
    assert contract_term_end(category, start) == end


def test_app4_p9_no_contract_term_for_care_home_categories() -> None:
    with pytest.raises(UnknownCategory, match="elderly"):
        contract_term_end(Category.ELDERLY, date(2025, 4, 15))


@pytest.mark.parametrize(
    ("extension", "category", "term_end", "limit"),
    [
        pytest.param(
            ContractExtension.INPATIENT_TREATMENT, Category.TRAFFICKING_VICTIM, date(2025, 10, 15),
            date(2026, 1, 15), id="app4_p9_trafficking_treatment_up_to_3_months",
        ),
        pytest.param(
            ContractExtension.CRIMINAL_CASE_OPEN, Category.TRAFFICKING_VICTIM, date(2025, 10, 15), None,
            id="app4_p9_trafficking_open_case_no_fixed_cap",
        ),
        pytest.param(
            ContractExtension.UNFULFILLED_OBLIGATIONS, Category.HOMELESS, date(2026, 3, 10), date(2026, 9, 10),
            id="app4_p12_unfulfilled_obligations_up_to_6_months",
        ),
        pytest.param(
            ContractExtension.UNFULFILLED_OBLIGATIONS, Category.DOMESTIC_VIOLENCE_VICTIM, date(2026, 2, 28),
            date(2026, 8, 28), id="app4_p12_applies_to_victims_too",
        ),
    ],
)  # fmt: skip
def test_app4_contract_extension_limit(
    extension: ContractExtension, category: Category, term_end: date, limit: date | None
) -> None:
    assert extension_limit(extension, category, term_end) == limit


def test_app4_p9_treatment_extension_is_for_trafficking_victims_only() -> None:
    with pytest.raises(UnknownCategory, match=re.escape("App.4 p.9")):
        extension_limit(ContractExtension.INPATIENT_TREATMENT, Category.DOMESTIC_VIOLENCE_VICTIM, date(2026, 2, 28))


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(date(2025, 3, 10), date(2025, 6, 10), id="app1_p14_leave_up_to_3_months"),
        pytest.param(date(2025, 11, 30), date(2026, 2, 28), id="app1_p14_leave_ends_feb28_across_new_year"),
    ],
)
def test_app1_p14_temporary_leave_end(start: date, end: date) -> None:
    assert leave_return_by(Form.STATIONARY, start) == end
