"""Who may receive each form: App.1 p.2, App.2 p.2, App.3 p.2, App.4 p.2 (rules-digest §2)."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules.codes import Category, DisabilityGroup, Form
from core.rules.eligibility import assess_eligibility, eligible_forms

ON = date(2025, 6, 1)
G1, G2, G3 = DisabilityGroup.GROUP_1, DisabilityGroup.GROUP_2, DisabilityGroup.GROUP_3
DISABILITY_FORMS = (Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME)
DISABILITY_CATEGORIES = (
    Category.CHILD_PSYCHONEURO,
    Category.CHILD_MUSCULOSKELETAL,
    Category.ADULT_PSYCHONEURO,
    Category.DISABLED_ADULT,
    Category.ELDERLY,
)
SHELTER_CATEGORIES = (
    Category.HOMELESS,
    Category.RELEASED_PRISONER,
    Category.DOMESTIC_VIOLENCE_VICTIM,
    Category.TRAFFICKING_VICTIM,
)


def reasons_of(
    form: Form, category: Category, born: date, on: date, group: DisabilityGroup | None = None
) -> tuple[str, ...]:
    decision = assess_eligibility(form, category, born, on, group)
    assert decision.eligible == (not decision.reasons)
    return decision.reasons


BORN = date(2022, 3, 15)  # 18 months on 2023-09-15, 3rd birthday 2025-03-15, 18th birthday 2040-03-15
LEAP = date(2024, 2, 29)  # turns a year older on 28 February in common years (core.rules.dates)


@pytest.mark.parametrize(
    ("form", "category", "born", "on", "reasons"),
    [
        # App.1 p.2.1-2.2: children from 3 (inclusive) to 18 (exclusive).
        pytest.param(Form.STATIONARY, Category.CHILD_PSYCHONEURO, BORN, date(2025, 3, 14), ("below_min_age",),
                     id="app1_p2_1_day_before_3rd_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_PSYCHONEURO, BORN, date(2025, 3, 15), (),
                     id="app1_p2_1_on_3rd_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_PSYCHONEURO, BORN, date(2040, 3, 14), (),
                     id="app1_p2_1_day_before_18th_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_PSYCHONEURO, BORN, date(2040, 3, 15), ("above_max_age",),
                     id="app1_p2_1_on_18th_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_MUSCULOSKELETAL, BORN, date(2025, 3, 14), ("below_min_age",),
                     id="app1_p2_2_day_before_3rd_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_MUSCULOSKELETAL, BORN, date(2025, 3, 15), (),
                     id="app1_p2_2_on_3rd_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_MUSCULOSKELETAL, BORN, date(2040, 3, 15), ("above_max_age",),
                     id="app1_p2_2_on_18th_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_PSYCHONEURO, BORN, date(2024, 3, 15), ("below_min_age",),
                     id="app1_p2_1_two_years_is_too_young_for_stationary"),
        # App.2 p.2.1-2.2 and App.3 p.2.1-2.2: children from 1.5 years = 18 completed months.
        pytest.param(Form.SEMI_STATIONARY, Category.CHILD_PSYCHONEURO, BORN, date(2023, 9, 14), ("below_min_age",),
                     id="app2_p2_1_day_before_18_months"),
        pytest.param(Form.SEMI_STATIONARY, Category.CHILD_PSYCHONEURO, BORN, date(2023, 9, 15), (),
                     id="app2_p2_1_exactly_18_months"),
        pytest.param(Form.SEMI_STATIONARY, Category.CHILD_MUSCULOSKELETAL, BORN, date(2040, 3, 14), (),
                     id="app2_p2_2_day_before_18th_birthday"),
        pytest.param(Form.SEMI_STATIONARY, Category.CHILD_MUSCULOSKELETAL, BORN, date(2040, 3, 15), ("above_max_age",),
                     id="app2_p2_2_on_18th_birthday"),
        pytest.param(Form.HOME, Category.CHILD_PSYCHONEURO, BORN, date(2023, 9, 14), ("below_min_age",),
                     id="app3_p2_1_day_before_18_months"),
        pytest.param(Form.HOME, Category.CHILD_MUSCULOSKELETAL, BORN, date(2023, 9, 15), (),
                     id="app3_p2_2_exactly_18_months"),
        pytest.param(Form.HOME, Category.CHILD_PSYCHONEURO, BORN, date(2040, 3, 15), ("above_max_age",),
                     id="app3_p2_1_on_18th_birthday"),
        # App.1-3 p.2.3: psychoneurological adults "over 18" read as from the 18th birthday.
        pytest.param(Form.STATIONARY, Category.ADULT_PSYCHONEURO, BORN, date(2040, 3, 14), ("below_min_age",),
                     id="app1_p2_3_day_before_18th_birthday"),
        pytest.param(Form.STATIONARY, Category.ADULT_PSYCHONEURO, BORN, date(2040, 3, 15), (),
                     id="app1_p2_3_on_18th_birthday"),
        pytest.param(Form.SEMI_STATIONARY, Category.ADULT_PSYCHONEURO, BORN, date(2040, 3, 15), (),
                     id="app2_p2_3_on_18th_birthday"),
        pytest.param(Form.HOME, Category.ADULT_PSYCHONEURO, BORN, date(2040, 3, 14), ("below_min_age",),
                     id="app3_p2_3_day_before_18th_birthday"),
        pytest.param(Form.HOME, Category.ADULT_PSYCHONEURO, date(1940, 1, 1), ON, (), id="app3_p2_3_no_upper_age"),
        # 29 February births: the birthday falls on 28 February in common years.
        pytest.param(Form.STATIONARY, Category.CHILD_PSYCHONEURO, LEAP, date(2042, 2, 27), (),
                     id="app1_p2_1_leap_born_day_before_18th_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_PSYCHONEURO, LEAP, date(2042, 2, 28), ("above_max_age",),
                     id="app1_p2_1_leap_born_18_on_28_february"),
        pytest.param(Form.STATIONARY, Category.ADULT_PSYCHONEURO, LEAP, date(2042, 2, 28), (),
                     id="app1_p2_3_leap_born_adult_on_28_february"),
        pytest.param(Form.STATIONARY, Category.CHILD_MUSCULOSKELETAL, LEAP, date(2027, 2, 27), ("below_min_age",),
                     id="app1_p2_2_leap_born_day_before_3rd_birthday"),
        pytest.param(Form.STATIONARY, Category.CHILD_MUSCULOSKELETAL, LEAP, date(2027, 2, 28), (),
                     id="app1_p2_2_leap_born_3_on_28_february"),
        pytest.param(Form.HOME, Category.CHILD_PSYCHONEURO, LEAP, date(2025, 8, 28), ("below_min_age",),
                     id="app3_p2_1_leap_born_day_before_18_months"),
        pytest.param(Form.HOME, Category.CHILD_PSYCHONEURO, LEAP, date(2025, 8, 29), (),
                     id="app3_p2_1_leap_born_18_months_on_29_august"),
        # A birth date after the date asked about is refused before any age rule.
        pytest.param(Form.HOME, Category.ELDERLY, date(2025, 6, 2), ON, ("birth_date_after_on_date",),
                     id="birth_date_after_on_date"),
    ],
)  # fmt: skip
def test_age_bounds(form: Form, category: Category, born: date, on: date, reasons: tuple[str, ...]) -> None:
    assert reasons_of(form, category, born, on, G1) == reasons


@pytest.mark.parametrize("form", DISABILITY_FORMS)
@pytest.mark.parametrize(
    ("group", "reasons"),
    [
        pytest.param(G1, (), id="group_1"),
        pytest.param(G2, (), id="group_2"),
        pytest.param(G3, ("disability_group_required",), id="group_3_refused"),
        pytest.param(None, ("disability_group_required",), id="no_group_refused"),
    ],
)
def test_app1_3_p2_4_disabled_adult_needs_group_1_or_2(
    form: Form, group: DisabilityGroup | None, reasons: tuple[str, ...]
) -> None:
    assert reasons_of(form, Category.DISABLED_ADULT, date(1980, 1, 1), ON, group) == reasons


@pytest.mark.parametrize("group", [G1, G2, G3, None], ids=["group_1", "group_2", "group_3", "no_group_given"])
@pytest.mark.parametrize("category", [Category.CHILD_PSYCHONEURO, Category.ADULT_PSYCHONEURO])
def test_app1_3_p2_any_disability_group_for_the_diagnosis_categories(
    category: Category, group: DisabilityGroup | None
) -> None:
    born = date(2015, 1, 1) if category == Category.CHILD_PSYCHONEURO else date(1990, 1, 1)
    decision = assess_eligibility(Form.SEMI_STATIONARY, category, born, ON, group)
    assert decision.eligible
    assert "disability_confirmed_by_state" in decision.conditions


def test_app1_3_p2_4_disabled_adult_has_no_age_bound() -> None:
    assert reasons_of(Form.HOME, Category.DISABLED_ADULT, date(2008, 1, 1), ON, G1) == ()


@pytest.mark.parametrize("form", DISABILITY_FORMS)
def test_app1_3_p2_5_elderly_eligible_on_condition_the_department_confirms(form: Form) -> None:
    decision = assess_eligibility(form, Category.ELDERLY, date(1950, 1, 1), ON)
    assert (decision.eligible, str(decision.legal_ref)) == (True, f"App.{form.appendix} p.2.5")
    assert decision.conditions == ("old_age_inability_to_self_care_confirmed", "pension_age_confirmed_by_state")


@pytest.mark.parametrize("category", SHELTER_CATEGORIES)
@pytest.mark.parametrize("born", [date(1960, 3, 3), date(2005, 1, 1)], ids=["age_65", "age_20"])
def test_app4_p2_shelter_categories_have_no_age_bound(category: Category, born: date) -> None:
    decision = assess_eligibility(Form.TEMPORARY_STAY, category, born, ON)
    assert (decision.eligible, str(decision.legal_ref)) == (True, "App.4 p.2")


@pytest.mark.parametrize(
    ("category", "conditions"),
    [
        pytest.param(Category.HOMELESS, (), id="homeless"),
        pytest.param(Category.RELEASED_PRISONER, (), id="released_prisoner"),
        pytest.param(Category.DOMESTIC_VIOLENCE_VICTIM, ("recognised_as_victim",), id="app4_p4_4_dv_identified"),
        pytest.param(
            Category.TRAFFICKING_VICTIM,
            ("recognised_as_victim_or_pretrial_victim",),
            id="app4_p4_5_trafficking_identified_or_pretrial",
        ),
    ],
)
def test_app4_p4_conditions_per_shelter_category(category: Category, conditions: tuple[str, ...]) -> None:
    assert assess_eligibility(Form.TEMPORARY_STAY, category, date(1990, 1, 1), ON).conditions == conditions


@pytest.mark.parametrize(
    ("born", "minor"),
    [pytest.param(date(2007, 6, 2), True, id="day_before_18th"), pytest.param(date(2007, 6, 1), False, id="on_18th")],
)
def test_app4_p4_6_p4_8_minor_only_with_legal_representative(born: date, minor: bool) -> None:
    decision = assess_eligibility(Form.TEMPORARY_STAY, Category.HOMELESS, born, ON)
    assert decision.eligible
    assert ("minor_only_with_legal_representative" in decision.conditions) is minor


@pytest.mark.parametrize("category", DISABILITY_CATEGORIES)
def test_app4_p2_disability_categories_not_served_by_temporary_stay(category: Category) -> None:
    decision = assess_eligibility(Form.TEMPORARY_STAY, category, date(1950, 1, 1), ON, G1)
    assert (decision.reasons, str(decision.legal_ref)) == (("category_not_served",), "App.4 p.2")


@pytest.mark.parametrize("form", DISABILITY_FORMS)
@pytest.mark.parametrize("category", SHELTER_CATEGORIES)
def test_app1_3_p2_shelter_categories_not_served(form: Form, category: Category) -> None:
    decision = assess_eligibility(form, category, date(1980, 1, 1), ON, G1)
    assert (decision.reasons, str(decision.legal_ref)) == (("category_not_served",), f"App.{form.appendix} p.2")


@pytest.mark.parametrize(
    ("form", "category", "legal_ref"),
    [
        (form, category, f"App.{form.appendix} p.2.{number}")
        for form in DISABILITY_FORMS
        for number, category in enumerate(DISABILITY_CATEGORIES, start=1)
    ],
)
def test_app1_3_p2_each_category_cites_its_subparagraph(form: Form, category: Category, legal_ref: str) -> None:
    assert str(assess_eligibility(form, category, date(1990, 1, 1), ON, G1).legal_ref) == legal_ref


@pytest.mark.parametrize(
    ("form", "category", "on", "eligible"),
    [
        pytest.param(Form.STATIONARY, Category.ELDERLY, date(2023, 6, 30), False, id="order_263_day_before_force"),
        pytest.param(Form.STATIONARY, Category.ELDERLY, date(2023, 7, 1), True, id="order_263_in_force"),
        pytest.param(Form.TEMPORARY_STAY, Category.HOMELESS, date(2025, 3, 16), False, id="app4_p2_before_order_72"),
        pytest.param(Form.TEMPORARY_STAY, Category.HOMELESS, date(2025, 3, 17), True, id="app4_p2_order_72_wording"),
    ],
)
def test_rules_apply_only_from_their_effective_date(form: Form, category: Category, on: date, eligible: bool) -> None:
    decision = assess_eligibility(form, category, date(1950, 1, 1), on)
    assert (decision.eligible, decision.reasons) == (eligible, () if eligible else ("rule_not_in_force",))


def test_eligible_forms_gives_every_form_with_its_reason() -> None:
    two_years_old = date(2023, 5, 1)
    decisions = eligible_forms(Category.CHILD_PSYCHONEURO, two_years_old, ON)
    assert {form: decision.reasons for form, decision in decisions.items()} == {
        Form.STATIONARY: ("below_min_age",),
        Form.SEMI_STATIONARY: (),
        Form.HOME: (),
        Form.TEMPORARY_STAY: ("category_not_served",),
    }
    assert list(decisions) == list(Form)


def test_refused_decision_lists_no_conditions() -> None:
    decision = assess_eligibility(Form.STATIONARY, Category.CHILD_PSYCHONEURO, date(2024, 1, 1), ON)
    assert (decision.eligible, decision.conditions) == (False, ())
