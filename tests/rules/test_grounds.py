"""End and suspension grounds per form (core.rules.grounds), and the one-calendar-year readmission bars.

Bars: App.1 p.22, App.2 p.14, App.3 p.16, App.4 p.18. A year counts from the day after the case ended and ends on
the same date a year later, so readmission is allowed from the day after that (29 February: 1 March).
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from core.rules.codes import Form
from core.rules.grounds import (
    GROUNDS,
    Ground,
    GroundKind,
    ReadmissionNotApplicable,
    UnknownGround,
    ground,
    grounds_for,
    grounds_for_action,
    readmission_allowed_from,
    readmission_check,
)
from core.rules.lifecycle import TRANSITIONS, Action, Requirement
from qamqor.cli import main
from tests.rules.test_amendments import needs_seed, seed_paragraph_opening, seed_subparagraphs

ST, SEMI, HOME, TEMP = Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME, Form.TEMPORARY_STAY
DIS, TER, EXP, SUS = GroundKind.DISCHARGE, GroundKind.TERMINATION, GroundKind.EXPULSION, GroundKind.SUSPENSION

# (form, code, kind, legal ref, readmission bar ref or None)
EXPECTED = [
    pytest.param(ST, "own_application", DIS, "App.1 p.13.1", None, id="app1_p13_1_own_application"),
    pytest.param(ST, "disability_removed", DIS, "App.1 p.13.2", None, id="app1_p13_2_disability_removed"),
    pytest.param(ST, "came_of_age", DIS, "App.1 p.13.3", None, id="app1_p13_3_child_came_of_age"),
    pytest.param(ST, "paid_contract_breach", DIS, "App.1 p.13.4", None, id="app1_p13_4_paid_contract_breach"),
    pytest.param(ST, "death", DIS, "App.1 p.13.5", None, id="app1_p13_5_death"),
    pytest.param(ST, "rules_broken_over_3_times", EXP, "App.1 p.21.1", "App.1 p.22", id="app1_p21_1_rules_broken"),
    pytest.param(ST, "limited_capacity_alcohol_drugs", EXP, "App.1 p.21.2", "App.1 p.22",
                 id="app1_p21_2_limited_capacity"),
    pytest.param(ST, "absent_over_2_days", EXP, "App.1 p.21.3", None, id="app1_p21_3_absent_over_2_days"),
    pytest.param(ST, "medical_contraindication", SUS, "App.1 p.7", None, id="app1_p7_decision_suspended"),
    pytest.param(SEMI, "own_application", TER, "App.2 p.13.1", None, id="app2_p13_1_own_application"),
    pytest.param(SEMI, "rehabilitation_plan_completed", TER, "App.2 p.13.2", None, id="app2_p13_2_plan_completed"),
    pytest.param(SEMI, "disability_removed", TER, "App.2 p.13.3", None, id="app2_p13_3_disability_removed"),
    pytest.param(SEMI, "receives_other_form", TER, "App.2 p.13.4", None, id="app2_p13_4_stationary_or_home"),
    pytest.param(SEMI, "rules_broken_over_3_times", TER, "App.2 p.13.5", "App.2 p.14", id="app2_p13_5_rules_broken"),
    pytest.param(SEMI, "paid_contract_breach", TER, "App.2 p.13.6", None, id="app2_p13_6_paid_contract_breach"),
    pytest.param(SEMI, "death", TER, "App.2 p.13.7", None, id="app2_p13_7_death"),
    pytest.param(SEMI, "medical_contraindication", SUS, "App.2 p.15", None, id="app2_p15_suspension"),
    pytest.param(HOME, "own_application", TER, "App.3 p.15.1", None, id="app3_p15_1_own_application"),
    pytest.param(HOME, "disability_removed", TER, "App.3 p.15.2", None, id="app3_p15_2_disability_removed"),
    pytest.param(HOME, "receives_other_form", TER, "App.3 p.15.3", None, id="app3_p15_3_stationary_or_semi"),
    pytest.param(HOME, "moved_locality", TER, "App.3 p.15.4", None, id="app3_p15_4_moved_locality"),
    pytest.param(HOME, "insults_to_social_worker", TER, "App.3 p.15.5", "App.3 p.16", id="app3_p15_5_insults"),
    pytest.param(HOME, "paid_contract_breach", TER, "App.3 p.15.6", None, id="app3_p15_6_paid_contract_breach"),
    pytest.param(HOME, "death", TER, "App.3 p.15.7", None, id="app3_p15_7_death"),
    pytest.param(HOME, "education_organisation_services", TER, "App.3 p.15.8", None,
                 id="app3_p15_8_education_organisation"),
    pytest.param(HOME, "medical_contraindication", SUS, "App.3 p.17", None, id="app3_p17_suspension"),
    pytest.param(TEMP, "own_application", DIS, "App.4 p.13.1", None, id="app4_p13_1_own_application"),
    pytest.param(TEMP, "has_housing_and_means", DIS, "App.4 p.13.2", None, id="app4_p13_2_housing_and_means"),
    pytest.param(TEMP, "contract_breach", DIS, "App.4 p.13.3", None, id="app4_p13_3_contract_dissolved"),
    pytest.param(TEMP, "contract_expired", DIS, "App.4 p.13.3", None, id="app4_p13_3_contract_expired"),
    pytest.param(TEMP, "contract_fulfilled_early", DIS, "App.4 p.13.4", None, id="app4_p13_4_fulfilled_early"),
    pytest.param(TEMP, "death", DIS, "App.4 p.13.5", None, id="app4_p13_5_death"),
    pytest.param(TEMP, "moved_to_stationary", DIS, "App.4 p.15", None, id="app4_p15_moved_to_stationary"),
    pytest.param(TEMP, "rules_broken_over_3_times", EXP, "App.4 p.18.1", "App.4 p.18", id="app4_p18_1_rules_broken"),
    pytest.param(TEMP, "medical_contraindication", EXP, "App.4 p.18.2", None, id="app4_p18_2_contraindication"),
    pytest.param(TEMP, "absent_over_3_days", EXP, "App.4 p.18.3", "App.4 p.18", id="app4_p18_3_absent_over_3_days"),
    pytest.param(TEMP, "false_information", EXP, "App.4 p.18.4", "App.4 p.18", id="app4_p18_4_false_information"),
    pytest.param(TEMP, "contract_not_fulfilled", EXP, "App.4 p.18.5", "App.4 p.18", id="app4_p18_5_contract_unmet"),
    pytest.param(TEMP, "in_health_organisation", SUS, "App.4 p.16", None, id="app4_p16_in_health_organisation"),
]  # fmt: skip


@pytest.mark.parametrize(("form", "code", "kind", "legal_ref", "bar"), EXPECTED)
def test_ground(form: Form, code: str, kind: GroundKind, legal_ref: str, bar: str | None) -> None:
    row = ground(form, code)
    assert (row.kind, str(row.legal_ref)) == (kind, legal_ref)
    assert (None if row.readmission_bar is None else str(row.readmission_bar.legal_ref)) == bar
    assert row.readmission_bar is None or row.readmission_bar.calendar_years == 1
    assert row.summary and row.as_dict()["code"] == code


def test_every_ground_is_expected_and_nothing_else() -> None:
    assert [(row.form, row.code.value) for row in GROUNDS] == [(p.values[0], p.values[1]) for p in EXPECTED]


@pytest.mark.parametrize(
    ("form", "kind", "count"),
    [
        pytest.param(ST, DIS, 5, id="app1_p13_five_discharge_grounds"),
        pytest.param(ST, EXP, 3, id="app1_p21_three_expulsion_grounds"),
        pytest.param(ST, TER, 0, id="app1_no_termination"),
        pytest.param(SEMI, TER, 7, id="app2_p13_seven_termination_grounds"),
        pytest.param(SEMI, SUS, 1, id="app2_p15_one_suspension_ground"),
        pytest.param(HOME, TER, 8, id="app3_p15_eight_termination_grounds"),
        pytest.param(HOME, EXP, 0, id="app3_no_expulsion"),
        pytest.param(TEMP, DIS, 7, id="app4_p13_five_and_p13_3_split_and_p15"),
        pytest.param(TEMP, EXP, 5, id="app4_p18_five_expulsion_grounds"),
        pytest.param(TEMP, None, 13, id="app4_all_grounds"),
    ],
)
def test_grounds_for(form: Form, kind: GroundKind | None, count: int) -> None:
    rows = grounds_for(form, kind)
    assert len(rows) == count
    assert all(row.form is form and (kind is None or row.kind is kind) for row in rows)


@pytest.mark.parametrize(
    ("form", "action", "count"),
    [
        pytest.param(ST, "discharge", 5, id="app1_p13_discharge_takes_p13_grounds"),
        pytest.param(ST, "expel", 3, id="app1_p21_expel_takes_p21_grounds"),
        pytest.param(ST, "suspend", 1, id="app1_p7_suspend_decision_medical"),
        pytest.param(SEMI, "terminate", 7, id="app2_p13_terminate_takes_p13_grounds"),
        pytest.param(HOME, "terminate", 8, id="app3_p15_terminate_takes_p15_grounds"),
        pytest.param(TEMP, "expel", 5, id="app4_p18_expel_takes_p18_grounds"),
        pytest.param(TEMP, "admit", 0, id="admit_takes_no_ground"),
    ],
)
def test_grounds_for_action(form: Form, action: str, count: int) -> None:
    assert len(grounds_for_action(form, action)) == count


@pytest.mark.parametrize("form", list(Form), ids=lambda form: f"{form}_lifecycle_and_grounds_agree")
def test_every_ground_kind_has_its_action_and_back(form: Form) -> None:
    needing_ground = {
        row.action for row in TRANSITIONS if row.form is form and Requirement.GROUND_CODE in row.requirements
    }
    kinds_with_action = {action for action in needing_ground if grounds_for_action(form, action)}
    assert kinds_with_action == needing_ground
    assert {row.kind for row in grounds_for(form)} == {GroundKind(ACTION_KIND[a]) for a in needing_ground}
    reopens = any(row.form is form and row.action is Action.REOPEN for row in TRANSITIONS)
    assert reopens == any(row.good_reason_readmits_immediately for row in grounds_for(form))


ACTION_KIND = {"discharge": "discharge", "terminate": "termination", "expel": "expulsion", "suspend": "suspension"}


@pytest.mark.parametrize(
    ("form", "code", "message"),
    [
        pytest.param(HOME, "came_of_age", "no ground 'came_of_age' for home (valid: own_application, "
                     "disability_removed, receives_other_form, moved_locality, insults_to_social_worker, "
                     "paid_contract_breach, death, education_organisation_services, medical_contraindication)",
                     id="app3_came_of_age_is_stationary_only"),
        pytest.param(ST, "bad_behaviour", "no ground 'bad_behaviour' for stationary (valid: own_application,",
                     id="unknown_code"),
    ],
)  # fmt: skip
def test_unknown_ground_names_the_valid_codes(form: Form, code: str, message: str) -> None:
    with pytest.raises(UnknownGround) as raised:
        ground(form, code)
    assert str(raised.value).startswith(message)


# (form, code, ended on, checked on, allowed, allowed from, legal ref of the answer)
READMISSION = [
    pytest.param(ST, "rules_broken_over_3_times", date(2025, 3, 10), date(2026, 3, 10), False, date(2026, 3, 11),
                 "App.1 p.22", id="app1_p22_barred_on_the_anniversary"),
    pytest.param(ST, "rules_broken_over_3_times", date(2025, 3, 10), date(2026, 3, 11), True, date(2026, 3, 11),
                 "App.1 p.22", id="app1_p22_allowed_the_day_after_one_calendar_year"),
    pytest.param(ST, "limited_capacity_alcohol_drugs", date(2025, 3, 10), date(2025, 9, 1), False,
                 date(2026, 3, 11), "App.1 p.22", id="app1_p22_limited_capacity_within_the_year"),
    pytest.param(ST, "rules_broken_over_3_times", date(2024, 2, 29), date(2025, 2, 28), False, date(2025, 3, 1),
                 "App.1 p.22", id="app1_p22_expelled_29_february_barred_28_february"),
    pytest.param(ST, "rules_broken_over_3_times", date(2024, 2, 29), date(2025, 3, 1), True, date(2025, 3, 1),
                 "App.1 p.22", id="app1_p22_expelled_29_february_allowed_1_march"),
    pytest.param(SEMI, "rules_broken_over_3_times", date(2027, 2, 28), date(2028, 2, 29), True, date(2028, 2, 29),
                 "App.2 p.14", id="app2_p14_ended_28_february_allowed_29_february_of_leap_year"),
    pytest.param(SEMI, "rules_broken_over_3_times", date(2025, 12, 31), date(2026, 12, 31), False,
                 date(2027, 1, 1), "App.2 p.14", id="app2_p14_more_than_one_calendar_year"),
    pytest.param(HOME, "insults_to_social_worker", date(2025, 6, 30), date(2026, 7, 1), True, date(2026, 7, 1),
                 "App.3 p.16", id="app3_p16_insults_one_calendar_year"),
    pytest.param(HOME, "insults_to_social_worker", date(2025, 6, 30), date(2026, 6, 30), False, date(2026, 7, 1),
                 "App.3 p.16", id="app3_p16_insults_barred_on_the_anniversary"),
    pytest.param(TEMP, "rules_broken_over_3_times", date(2025, 1, 15), date(2026, 1, 15), False,
                 date(2026, 1, 16), "App.4 p.18", id="app4_p18_1_new_contract_after_a_year"),
    pytest.param(TEMP, "absent_over_3_days", date(2025, 1, 15), date(2025, 2, 1), False, date(2026, 1, 16),
                 "App.4 p.18", id="app4_p18_3_absent_without_good_reason_barred"),
    pytest.param(TEMP, "false_information", date(2025, 1, 15), date(2026, 1, 16), True, date(2026, 1, 16),
                 "App.4 p.18", id="app4_p18_4_false_information_after_a_year"),
    pytest.param(TEMP, "contract_not_fulfilled", date(2025, 1, 15), date(2025, 1, 15), False, date(2026, 1, 16),
                 "App.4 p.18", id="app4_p18_5_contract_not_fulfilled_same_day"),
    pytest.param(TEMP, "medical_contraindication", date(2025, 1, 15), date(2025, 1, 16), True, None,
                 "App.4 p.18.2", id="app4_p18_2_contraindication_no_bar"),
    pytest.param(ST, "absent_over_2_days", date(2025, 1, 15), date(2025, 1, 15), True, None, "App.1 p.21.3",
                 id="app1_p21_3_absence_general_basis_no_bar"),
    pytest.param(ST, "own_application", date(2025, 1, 15), date(2025, 1, 20), True, None, "App.1 p.13.1",
                 id="app1_p13_1_own_application_no_bar"),
    pytest.param(SEMI, "own_application", date(2025, 1, 15), date(2025, 1, 20), True, None, "App.2 p.14",
                 id="app2_p14_restoration_by_chapter_2"),
    pytest.param(HOME, "moved_locality", date(2025, 1, 15), date(2025, 1, 20), True, None, "App.3 p.16",
                 id="app3_p16_restoration_by_chapter_2"),
]  # fmt: skip


@pytest.mark.parametrize(("form", "code", "ended_on", "on", "allowed", "allowed_from", "legal_ref"), READMISSION)
def test_readmission_check(
    form: Form, code: str, ended_on: date, on: date, allowed: bool, allowed_from: date | None, legal_ref: str
) -> None:
    check = readmission_check(form, code, ended_on, on)
    assert (check.allowed, check.allowed_from, str(check.legal_ref)) == (allowed, allowed_from, legal_ref)
    assert readmission_allowed_from(form, code, ended_on) == allowed_from


@pytest.mark.parametrize(
    ("form", "code", "legal_ref"),
    [
        pytest.param(ST, "absent_over_2_days", "App.1 p.21.3", id="app1_p21_3_good_reason_readmitted_at_once"),
        pytest.param(TEMP, "absent_over_3_days", "App.4 p.18.3", id="app4_p18_3_police_or_hospital_at_once"),
    ],
)
def test_readmission_immediate_when_a_good_reason_prevented_notice(form: Form, code: str, legal_ref: str) -> None:
    check = readmission_check(form, code, date(2025, 1, 15), date(2025, 1, 16), good_reason_prevented_notice=True)
    assert (check.allowed, check.allowed_from, str(check.legal_ref)) == (True, None, legal_ref)


def test_readmission_good_reason_only_for_absence() -> None:
    with pytest.raises(ValueError, match=re.escape("App.4 p.18.4: 'false_information' is not an absence")):
        readmission_check(
            TEMP, "false_information", date(2025, 1, 15), date(2025, 2, 1), good_reason_prevented_notice=True
        )


@pytest.mark.parametrize(
    ("form", "code", "message"),
    [
        pytest.param(ST, "death", "App.1 p.13.5: services ended on the recipient's death", id="app1_p13_5_death"),
        pytest.param(SEMI, "medical_contraindication", "App.2 p.15: 'medical_contraindication' suspends services",
                     id="app2_p15_suspension_is_restored_not_readmitted"),
    ],
)  # fmt: skip
def test_readmission_not_applicable(form: Form, code: str, message: str) -> None:
    with pytest.raises(ReadmissionNotApplicable, match=re.escape(message)):
        readmission_check(form, code, date(2025, 1, 15), date(2026, 2, 1))


def test_readmission_check_date_before_the_end_is_an_error() -> None:
    with pytest.raises(ValueError, match="the check date 2025-01-14 is before services ended"):
        readmission_check(ST, "own_application", date(2025, 1, 15), date(2025, 1, 14))


@pytest.mark.parametrize(
    ("form", "code", "field", "expected"),
    [
        pytest.param(ST, "limited_capacity_alcohol_drugs", "readmission_condition",
                     "a court decision lifting the limitation (p.21.2 part 2)", id="app1_p21_2_court_lifts_limit"),
        pytest.param(HOME, "insults_to_social_worker", "evidence", "written statements of witnesses",
                     id="app3_p15_5_witnesses"),
        pytest.param(TEMP, "rules_broken_over_3_times", "evidence", "written statements of witnesses",
                     id="app4_p18_grounds_1_and_3_witnesses"),
        pytest.param(TEMP, "false_information", "evidence", "", id="app4_p18_4_no_witnesses_required"),
    ],
)  # fmt: skip
def test_ground_conditions(form: Form, code: str, field: str, expected: str) -> None:
    assert getattr(ground(form, code), field) == expected


@needs_seed
@pytest.mark.parametrize("row", GROUNDS, ids=lambda row: f"{row.form}_{row.code}_{row.legal_ref}")
def test_cited_paragraph_exists_in_its_appendix(row: Ground) -> None:
    paragraph, _, sub = row.legal_ref.paragraph.partition(".")
    opening = seed_paragraph_opening(row.legal_ref.appendix, paragraph)
    assert opening.startswith(f"{paragraph}.") and "Алып тасталды" not in opening
    assert not sub or sub in seed_subparagraphs(row.legal_ref.appendix, paragraph)


def test_cli_rules_grounds_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "grounds", "--form", "stationary", "--kind", "expulsion", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["code"], row["legal_ref"], row["readmission_bar"]) for row in rows] == [
        ("rules_broken_over_3_times", "App.1 p.21.1", "App.1 p.22"),
        ("limited_capacity_alcohol_drugs", "App.1 p.21.2", "App.1 p.22"),
        ("absent_over_2_days", "App.1 p.21.3", None),
    ]


def test_cli_rules_grounds_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "grounds", "--form", "home", "--kind", "suspension"]) == 0
    out = capsys.readouterr().out
    assert out.split()[:3] == ["medical_contraindication", "suspension", "App.3"]
    assert main(["rules", "grounds", "--form", "home", "--kind", "expulsion"]) == 0
    assert capsys.readouterr().out == "no expulsion grounds for home\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["--form", "shelter"], "--form: unknown value 'shelter'", id="unknown_form"),
        pytest.param(["--form", "home", "--kind", "eviction"], "--kind: unknown value 'eviction' (expected one of: "
                     "discharge, termination, expulsion, suspension)", id="unknown_kind"),
    ],
)  # fmt: skip
def test_cli_rules_grounds_bad_input_exits_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "grounds", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"qamqor: error: {message}") and err.count("\n") == 1
