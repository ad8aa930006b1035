"""Document checklists: App.1 p.5, p.7, p.9; App.2 p.5; App.3 p.5; App.4 p.3, p.4, p.4-2, p.4-5, p.4-6, p.8."""

from __future__ import annotations

from datetime import date

import pytest

from core.rules.checklists import ChecklistItem, checklist
from core.rules.codes import Category, DocumentCode, Form, ProvidedBy, Stage

ON = date(2025, 6, 1)
ADULT = date(1950, 1, 1)
CHILD = date(2015, 1, 1)
D = DocumentCode


def codes(items: tuple[ChecklistItem, ...], stage: Stage, provided_by: ProvidedBy) -> list[str]:
    return [item.code.value for item in items if item.stage == stage and item.provided_by == provided_by]


def item(items: tuple[ChecklistItem, ...], code: DocumentCode, stage: Stage = Stage.APPLICATION) -> ChecklistItem:
    (found,) = [i for i in items if i.code == code and i.stage == stage]
    return found


STATE_ST_SEMI_ADULT = ["identity", "disability", "ipr_measures", "court_incapacity", "pension_age", "veteran_status"]
STATE_ST_SEMI_CHILD = ["identity", "disability", "ipr_measures", "pension_age", "veteran_status"]
STATE_HOME = ["identity", "residence_registration", "disability", "ipr_measures", "pension_age", "veteran_status"]


@pytest.mark.parametrize(
    ("form", "category", "born", "representative", "bring", "state", "admission"),
    [
        pytest.param(
            Form.STATIONARY, Category.ELDERLY, ADULT, False,
            ["application", "identity_document", "medical_card", "outpatient_extract", "court_incapacity_decision"],
            STATE_ST_SEMI_ADULT,
            ["identity_document", "court_incapacity_decision", "medical_card"],
            id="app1_p5_p9_elderly_applies_alone",
        ),
        pytest.param(
            Form.STATIONARY, Category.ADULT_PSYCHONEURO, date(1990, 1, 1), True,
            ["application", "representative_proof", "identity_document", "medical_card", "outpatient_extract",
             "court_incapacity_decision"],
            STATE_ST_SEMI_ADULT,
            ["identity_document", "court_incapacity_decision", "medical_card"],
            id="app1_p5_p9_adult_psychoneuro_through_guardian",
        ),
        pytest.param(
            Form.STATIONARY, Category.CHILD_PSYCHONEURO, CHILD, False,
            ["application", "representative_proof", "identity_document", "medical_card", "outpatient_extract"],
            STATE_ST_SEMI_CHILD,
            ["birth_certificate", "vaccination_card", "medical_card"],
            id="app1_p5_p9_child_always_through_representative",
        ),
        pytest.param(
            Form.SEMI_STATIONARY, Category.CHILD_MUSCULOSKELETAL, CHILD, True,
            ["application", "medical_petition", "representative_proof", "identity_document", "medical_card"],
            STATE_ST_SEMI_CHILD,
            [],
            id="app2_p5_child_with_parent",
        ),
        pytest.param(
            Form.SEMI_STATIONARY, Category.DISABLED_ADULT, date(1980, 1, 1), False,
            ["application", "medical_petition", "identity_document", "medical_card", "court_incapacity_decision"],
            STATE_ST_SEMI_ADULT,
            [],
            id="app2_p5_disabled_adult_alone",
        ),
        pytest.param(
            Form.HOME, Category.CHILD_PSYCHONEURO, CHILD, True,
            ["application", "medical_petition", "representative_proof", "identity_document", "medical_card",
             "pmpc_conclusion"],
            STATE_HOME,
            [],
            id="app3_p5_child_with_pmpc_conclusion",
        ),
        pytest.param(
            Form.HOME, Category.ELDERLY, ADULT, False,
            ["application", "medical_petition", "identity_document", "medical_card"],
            STATE_HOME,
            [],
            id="app3_p5_elderly_no_court_decision_no_pmpc",
        ),
        pytest.param(
            Form.HOME, Category.ELDERLY, ADULT, True,
            ["application", "medical_petition", "representative_proof", "identity_document", "medical_card"],
            STATE_HOME,
            [],
            id="app3_p5_elderly_through_representative",
        ),
    ],
)  # fmt: skip
def test_app1_3_checklist_per_form_category_and_representative(
    form: Form,
    category: Category,
    born: date,
    representative: bool,
    bring: list[str],
    state: list[str],
    admission: list[str],
) -> None:
    items = checklist(form, category, born, ON, representative)
    assert codes(items, Stage.APPLICATION, ProvidedBy.APPLICANT) == bring
    assert codes(items, Stage.APPLICATION, ProvidedBy.STATE) == state
    assert codes(items, Stage.ADMISSION, ProvidedBy.APPLICANT) == admission
    assert codes(items, Stage.APPLICATION, ProvidedBy.ORGANISATION) == []


@pytest.mark.parametrize(
    ("category", "born", "representative", "bring", "organisation_fills"),
    [
        pytest.param(Category.HOMELESS, ADULT, False, ["application", "referral", "identity_document"], [],
                     id="app4_p3_p4_homeless"),
        pytest.param(Category.RELEASED_PRISONER, date(1985, 1, 1), False,
                     ["application", "referral", "identity_document"], [], id="app4_p3_released_prisoner"),
        pytest.param(Category.DOMESTIC_VIOLENCE_VICTIM, date(1990, 1, 1), True,
                     ["application", "referral", "representative_proof", "identity_document"], ["assessment_sheet"],
                     id="app4_p4_2_p4_6_dv_victim_with_her_children"),
        pytest.param(Category.TRAFFICKING_VICTIM, date(1999, 1, 1), False,
                     ["application", "referral", "identity_document"], ["assessment_sheet"],
                     id="app4_p4_5_trafficking_victim"),
        pytest.param(Category.HOMELESS, date(2010, 1, 1), False,
                     ["application", "referral", "representative_proof", "identity_document"], [],
                     id="app4_p4_6_minor_comes_with_representative"),
    ],
)  # fmt: skip
def test_app4_checklist_per_category(
    category: Category, born: date, representative: bool, bring: list[str], organisation_fills: list[str]
) -> None:
    items = checklist(Form.TEMPORARY_STAY, category, born, ON, representative)
    assert codes(items, Stage.APPLICATION, ProvidedBy.APPLICANT) == bring
    assert codes(items, Stage.APPLICATION, ProvidedBy.ORGANISATION) == organisation_fills
    assert codes(items, Stage.APPLICATION, ProvidedBy.STATE) == []
    assert codes(items, Stage.ADMISSION, ProvidedBy.ORGANISATION) == ["contract"]


@pytest.mark.parametrize(
    ("form", "code", "stage", "condition", "alternatives", "legal_ref"),
    [
        pytest.param(Form.STATIONARY, D.APPLICATION, Stage.APPLICATION, None, (), "App.1 p.5.1",
                     id="app1_p5_1_application_no_alternative"),
        pytest.param(Form.SEMI_STATIONARY, D.APPLICATION, Stage.APPLICATION, None, (D.MEDICAL_PETITION,),
                     "App.2 p.5.1", id="app2_p5_1_application_or_petition"),
        pytest.param(Form.HOME, D.MEDICAL_PETITION, Stage.APPLICATION, "instead_of_application", (D.APPLICATION,),
                     "App.3 p.5.1", id="app3_p5_1_petition_instead_of_application"),
        pytest.param(Form.STATIONARY, D.OUTPATIENT_EXTRACT, Stage.APPLICATION, None, (), "App.1 p.5.3",
                     id="app1_p5_3_outpatient_extract_with_card"),
        pytest.param(Form.STATIONARY, D.COURT_INCAPACITY_DECISION, Stage.APPLICATION,
                     "only_if_court_decision_exists_and_not_in_systems", (), "App.1 p.5",
                     id="app1_p5_court_decision_only_if_missing_from_systems"),
        pytest.param(Form.SEMI_STATIONARY, D.COURT_INCAPACITY, Stage.APPLICATION, "only_if_court_decision_exists",
                     (), "App.2 p.5", id="app2_p5_court_decision_fetched"),
        pytest.param(Form.HOME, D.PENSION_AGE, Stage.APPLICATION, "only_for_persons_of_pension_age", (),
                     "App.3 p.5", id="app3_p5_pension_age_fetched"),
        pytest.param(Form.STATIONARY, D.IDENTITY_DOCUMENT, Stage.ADMISSION, None, (), "App.1 p.9",
                     id="app1_p9_identity_original"),
        pytest.param(Form.STATIONARY, D.COURT_INCAPACITY_DECISION, Stage.ADMISSION, "only_if_court_decision_exists",
                     (), "App.1 p.9", id="app1_p9_court_decision_original_if_any"),
        pytest.param(Form.STATIONARY, D.MEDICAL_CARD, Stage.ADMISSION, "only_if_more_than_one_month_in_queue", (),
                     "App.1 p.7", id="app1_p7_new_medical_card_after_a_month"),
        pytest.param(Form.TEMPORARY_STAY, D.REFERRAL, Stage.APPLICATION, "instead_of_application",
                     (D.APPLICATION,), "App.4 p.3", id="app4_p3_referral_instead_of_application"),
        pytest.param(Form.TEMPORARY_STAY, D.IDENTITY_DOCUMENT, Stage.APPLICATION, "only_if_available", (),
                     "App.4 p.4", id="app4_p4_admitted_without_documents"),
        pytest.param(Form.TEMPORARY_STAY, D.CONTRACT, Stage.ADMISSION, None, (), "App.4 p.8",
                     id="app4_p8_contract"),
    ],
)  # fmt: skip
def test_item_condition_alternatives_and_legal_ref(
    form: Form,
    code: DocumentCode,
    stage: Stage,
    condition: str | None,
    alternatives: tuple[DocumentCode, ...],
    legal_ref: str,
) -> None:
    category = Category.HOMELESS if form == Form.TEMPORARY_STAY else Category.ELDERLY
    found = item(checklist(form, category, ADULT, ON, False), code, stage)
    assert (found.conditional, found.condition) == (condition is not None, condition)
    assert (found.alternatives, str(found.legal_ref)) == (alternatives, legal_ref)


@pytest.mark.parametrize(
    ("category", "condition", "legal_ref"),
    [
        pytest.param(Category.DOMESTIC_VIOLENCE_VICTIM, None, "App.4 p.4-2", id="app4_p4_2_dv_always_assessed"),
        pytest.param(Category.TRAFFICKING_VICTIM, "unless_recognised_victim_in_pretrial_investigation", "App.4 p.4-5",
                     id="app4_p4_5_trafficking_not_if_pretrial_victim"),
    ],
)  # fmt: skip
def test_app4_assessment_sheet_filled_by_organisation(
    category: Category, condition: str | None, legal_ref: str
) -> None:
    found = item(checklist(Form.TEMPORARY_STAY, category, ADULT, ON, False), D.ASSESSMENT_SHEET)
    assert (found.provided_by, found.condition, str(found.legal_ref)) == (ProvidedBy.ORGANISATION, condition, legal_ref)


@pytest.mark.parametrize(
    ("on", "adult"),
    [pytest.param(date(2033, 12, 31), False, id="day_before_18th"), pytest.param(date(2034, 1, 1), True, id="on_18th")],
)
def test_app1_p5_court_decision_from_the_18th_birthday(on: date, adult: bool) -> None:
    items = checklist(Form.STATIONARY, Category.ADULT_PSYCHONEURO, date(2016, 1, 1), on, True)
    present = {i.code for i in items}
    assert (D.COURT_INCAPACITY_DECISION in present, D.COURT_INCAPACITY in present) == (adult, adult)
    assert (D.BIRTH_CERTIFICATE in present, D.VACCINATION_CARD in present) == (not adult, not adult)


@pytest.mark.parametrize(
    ("form", "category", "born", "representative", "condition", "legal_ref"),
    [
        pytest.param(Form.SEMI_STATIONARY, Category.ADULT_PSYCHONEURO, ADULT, True, None, "App.2 p.5.1",
                     id="app2_p5_1_guardian_proves_representation"),
        pytest.param(Form.HOME, Category.CHILD_PSYCHONEURO, CHILD, False, None, "App.3 p.5.1",
                     id="app3_p5_1_minor_needs_proof_even_without_flag"),
        pytest.param(Form.TEMPORARY_STAY, Category.DOMESTIC_VIOLENCE_VICTIM, ADULT, True, "only_if_available",
                     "App.4 p.4-6", id="app4_p4_6_proof_only_if_available"),
    ],
)  # fmt: skip
def test_representative_proof(
    form: Form, category: Category, born: date, representative: bool, condition: str | None, legal_ref: str
) -> None:
    found = item(checklist(form, category, born, ON, representative), D.REPRESENTATIVE_PROOF)
    assert (found.provided_by, found.condition, str(found.legal_ref)) == (ProvidedBy.APPLICANT, condition, legal_ref)


def test_no_representative_proof_for_an_adult_applying_alone() -> None:
    items = checklist(Form.STATIONARY, Category.DISABLED_ADULT, ADULT, ON, False)
    assert D.REPRESENTATIVE_PROOF not in {i.code for i in items}


@pytest.mark.parametrize(
    ("form", "code", "reworded"),
    [
        pytest.param(Form.STATIONARY, D.APPLICATION, True, id="app1_form_1_reworded_by_order_163"),
        pytest.param(Form.SEMI_STATIONARY, D.APPLICATION, False, id="app2_form_1_not_flagged"),
        pytest.param(Form.HOME, D.APPLICATION, True, id="app3_form_1_reworded_by_order_163"),
        pytest.param(Form.SEMI_STATIONARY, D.DISABILITY, True, id="app2_p5_part2_lookups_reworded"),
        pytest.param(Form.STATIONARY, D.COURT_INCAPACITY_DECISION, True, id="app1_p5_part3_reworded"),
        pytest.param(Form.STATIONARY, D.MEDICAL_CARD, False, id="app1_p5_3_medical_card_not_flagged"),
    ],
)
def test_provisions_reworded_from_12_july_2026_are_flagged(form: Form, code: DocumentCode, reworded: bool) -> None:
    found = item(checklist(form, Category.ELDERLY, ADULT, ON, False), code)
    assert found.reworded_from == (date(2026, 7, 12) if reworded else None)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(date(2025, 3, 16), [], id="before_order_72"),
        pytest.param(date(2025, 3, 17), ["assessment_sheet", "contract"], id="order_72_in_force"),
    ],
)
def test_app4_order_72_rows_apply_from_its_entry_into_force(on: date, expected: list[str]) -> None:
    items = checklist(Form.TEMPORARY_STAY, Category.DOMESTIC_VIOLENCE_VICTIM, ADULT, on, False)
    assert [i.code.value for i in items if i.provided_by == ProvidedBy.ORGANISATION] == expected


def test_application_stage_comes_before_admission() -> None:
    stages = [i.stage for i in checklist(Form.STATIONARY, Category.CHILD_PSYCHONEURO, CHILD, ON, True)]
    assert stages == sorted(stages, key=lambda stage: stage != Stage.APPLICATION)
    assert stages[-1] == Stage.ADMISSION


def test_effective_from_matches_the_legal_ref() -> None:
    for found in checklist(Form.TEMPORARY_STAY, Category.TRAFFICKING_VICTIM, ADULT, ON, True):
        assert found.effective_from == found.legal_ref.effective_from


def test_birth_date_after_on_date_is_rejected() -> None:
    with pytest.raises(ValueError, match="after"):
        checklist(Form.HOME, Category.ELDERLY, date(2025, 6, 2), ON, False)
