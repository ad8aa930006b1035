"""What the family brings, what the state fetches, and what is signed at admission (rules-digest §3).

Sources: App.1 p.5, p.7, p.9; App.2 p.5; App.3 p.5; App.4 p.3, p.4, p.4-2, p.4-5, p.4-6, p.8, 1-1- and
2-қосымша. Each row is one document for a set of forms, with who provides it, at which stage, for whom (age,
category), under which condition and with which alternatives. `checklist` filters the rows for one person.

The checklist does not judge eligibility (see `eligibility`): it lists the documents for the form asked about.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from core.rules.codes import Category, DocumentCode, Form, ProvidedBy, Stage
from core.rules.dates import age_in_years
from core.rules.legal import ORDER_72_IN_FORCE, LegalRef, ref

# Order No. 163 of 30.04.2026 gives new wording, from this date, to App.1-3 p.5 part 2 (the IIN lookups) and
# part 3 (the court decision when the systems lack it), and to the application forms of App.1, App.3, App.4.
# The new text is not in the seed: rows it touches carry `reworded_from` so staff see they must be re-checked.
ORDER_163_REWORDS_FROM = date(2026, 7, 12)
ADULT_AGE_YEARS = 18

# Condition codes (stable strings): the item is needed only when this holds.
INSTEAD_OF_APPLICATION = "instead_of_application"
ONLY_IF_COURT_DECISION_EXISTS_AND_NOT_IN_SYSTEMS = "only_if_court_decision_exists_and_not_in_systems"
ONLY_IF_COURT_DECISION_EXISTS = "only_if_court_decision_exists"
ONLY_FOR_PERSONS_OF_PENSION_AGE = "only_for_persons_of_pension_age"
ONLY_IF_MORE_THAN_ONE_MONTH_IN_QUEUE = "only_if_more_than_one_month_in_queue"
ONLY_IF_AVAILABLE = "only_if_available"
UNLESS_RECOGNISED_VICTIM_IN_PRETRIAL_INVESTIGATION = "unless_recognised_victim_in_pretrial_investigation"


class AgeScope(StrEnum):
    ANY = "any"
    CHILDREN = "children"  # under 18 on the date asked about
    ADULTS = "adults"  # 18 or older (eligibility explains the reading of "он сегіз жастан асқан")


DISABILITY_FORMS = frozenset({Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME})
STATIONARY_AND_SEMI = frozenset({Form.STATIONARY, Form.SEMI_STATIONARY})
VICTIMS = frozenset({Category.DOMESTIC_VIOLENCE_VICTIM, Category.TRAFFICKING_VICTIM})


@dataclass(frozen=True, slots=True)
class ChecklistRule:
    code: DocumentCode
    form: Form
    stage: Stage
    provided_by: ProvidedBy
    legal_ref: LegalRef
    ages: AgeScope = AgeScope.ANY
    categories: frozenset[Category] | None = None  # None: every category
    condition: str | None = None
    alternatives: tuple[DocumentCode, ...] = ()
    note: str | None = None
    reworded_from: date | None = None


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One line of the checklist the family sees (or, for `provided_by=state`, "we check this ourselves")."""

    code: DocumentCode
    stage: Stage
    provided_by: ProvidedBy
    conditional: bool
    condition: str | None
    alternatives: tuple[DocumentCode, ...]
    legal_ref: LegalRef
    effective_from: date
    note: str | None
    reworded_from: date | None = None


def _application_rows(form: Form) -> tuple[ChecklistRule, ...]:
    """App.1-3 p.5 part 1: what the applicant brings to the department at the place of residence."""
    n = form.appendix
    petition_allowed = form in (Form.SEMI_STATIONARY, Form.HOME)  # "...өтініші немесе медициналық ұйымның қолдаухаты"
    form_reworded = ORDER_163_REWORDS_FROM if form in (Form.STATIONARY, Form.HOME) else None
    rows = [
        ChecklistRule(
            DocumentCode.APPLICATION,
            form,
            Stage.APPLICATION,
            ProvidedBy.APPLICANT,
            ref(n, "5.1"),
            alternatives=(DocumentCode.MEDICAL_PETITION,) if petition_allowed else (),
            note="on_form_1",
            reworded_from=form_reworded,
        ),
    ]
    if petition_allowed:
        rows.append(
            ChecklistRule(
                DocumentCode.MEDICAL_PETITION,
                form,
                Stage.APPLICATION,
                ProvidedBy.APPLICANT,
                ref(n, "5.1"),
                condition=INSTEAD_OF_APPLICATION,
                alternatives=(DocumentCode.APPLICATION,),
                note="from_medical_organisation",
            )
        )
    rows.append(
        ChecklistRule(
            DocumentCode.IDENTITY_DOCUMENT,
            form,
            Stage.APPLICATION,
            ProvidedBy.APPLICANT,
            ref(n, "5.2"),
            note="with_iin_or_digital_document",
        )
    )
    # p.5 part 4 (App.1, App.2): copies are shown with originals and returned, except the medical card.
    card_note = "on_form_2_kept_by_department" if form in STATIONARY_AND_SEMI else "on_form_2"
    rows.append(
        ChecklistRule(
            DocumentCode.MEDICAL_CARD, form, Stage.APPLICATION, ProvidedBy.APPLICANT, ref(n, "5.3"), note=card_note
        )
    )
    if form == Form.STATIONARY:
        rows.append(
            ChecklistRule(
                DocumentCode.OUTPATIENT_EXTRACT,
                form,
                Stage.APPLICATION,
                ProvidedBy.APPLICANT,
                ref(1, "5.3"),
                note="with_medical_card_from_outpatient_card_or_case_history",
            )
        )
    if form == Form.HOME:
        rows.append(
            ChecklistRule(
                DocumentCode.PMPC_CONCLUSION,
                form,
                Stage.APPLICATION,
                ProvidedBy.APPLICANT,
                ref(3, "5.4"),
                ages=AgeScope.CHILDREN,
                note="copy",
            )
        )
    if form in STATIONARY_AND_SEMI:
        # Reading: "он сегіз жастан асқан адамдар үшін" is read by age (18 or older), not only for the
        # adult_psychoneuro category the phrase defines: an elderly person may also have been declared
        # incapable, and the item is conditional, so asking every adult costs the family nothing.
        rows.append(
            ChecklistRule(
                DocumentCode.COURT_INCAPACITY_DECISION,
                form,
                Stage.APPLICATION,
                ProvidedBy.APPLICANT,
                ref(n, "5"),
                ages=AgeScope.ADULTS,
                condition=ONLY_IF_COURT_DECISION_EXISTS_AND_NOT_IN_SYSTEMS,
                note="copy",
                reworded_from=ORDER_163_REWORDS_FROM,
            )
        )
    return tuple(rows)


def _state_rows(form: Form) -> tuple[ChecklistRule, ...]:
    """App.1-3 p.5 part 2: fetched by IIN through the e-government gateway; the family brings nothing."""
    n = form.appendix

    def fetched(
        code: DocumentCode, ages: AgeScope = AgeScope.ANY, condition: str | None = None, note: str | None = None
    ) -> ChecklistRule:
        return ChecklistRule(
            code,
            form,
            Stage.APPLICATION,
            ProvidedBy.STATE,
            ref(n, "5"),
            ages=ages,
            condition=condition,
            note=note,
            reworded_from=ORDER_163_REWORDS_FROM,
        )

    rows = [fetched(DocumentCode.IDENTITY)]
    if form == Form.HOME:
        rows.append(fetched(DocumentCode.RESIDENCE_REGISTRATION))
    rows += [fetched(DocumentCode.DISABILITY), fetched(DocumentCode.IPR_MEASURES)]
    if form in STATIONARY_AND_SEMI:
        rows.append(
            fetched(DocumentCode.COURT_INCAPACITY, ages=AgeScope.ADULTS, condition=ONLY_IF_COURT_DECISION_EXISTS)
        )
    rows += [
        fetched(DocumentCode.PENSION_AGE, condition=ONLY_FOR_PERSONS_OF_PENSION_AGE),
        fetched(DocumentCode.VETERAN_STATUS, note="first_priority_if_confirmed"),
    ]
    return tuple(rows)


def _stationary_admission(
    code: DocumentCode, paragraph: str, ages: AgeScope, note: str, condition: str | None = None
) -> ChecklistRule:
    """An original the family hands to the stationary organisation at admission."""
    return ChecklistRule(
        code,
        Form.STATIONARY,
        Stage.ADMISSION,
        ProvidedBy.APPLICANT,
        ref(1, paragraph),
        ages=ages,
        condition=condition,
        note=note,
    )


_ADULTS, _CHILDREN = AgeScope.ADULTS, AgeScope.CHILDREN
# Law silent: App.1 p.9 lists the originals the legal representative hands over for children, children with
# musculoskeletal disorders and "persons over 18" (the adult_psychoneuro category); it says nothing of
# elderly or disabled adults who come on their own. The organisation must still identify everyone it admits,
# so we list the same originals by age for every category.
_STATIONARY_ADMISSION_ROWS = (
    _stationary_admission(DocumentCode.IDENTITY_DOCUMENT, "9", _ADULTS, "original_with_iin"),
    _stationary_admission(
        DocumentCode.COURT_INCAPACITY_DECISION, "9", _ADULTS, "original", ONLY_IF_COURT_DECISION_EXISTS
    ),
    _stationary_admission(DocumentCode.BIRTH_CERTIFICATE, "9", _CHILDREN, "original_with_iin"),
    _stationary_admission(DocumentCode.VACCINATION_CARD, "9", _CHILDREN, "original"),
    # App.1 p.7: more than one month in the queue -> a new medical card at admission (see
    # queue.needs_new_medical_examination).
    _stationary_admission(
        DocumentCode.MEDICAL_CARD, "7", AgeScope.ANY, "new_examination_on_form_2", ONLY_IF_MORE_THAN_ONE_MONTH_IN_QUEUE
    ),
)

_TS = Form.TEMPORARY_STAY
_TEMPORARY_STAY_ROWS = (
    ChecklistRule(
        DocumentCode.APPLICATION,
        _TS,
        Stage.APPLICATION,
        ProvidedBy.APPLICANT,
        ref(4, "3"),
        alternatives=(DocumentCode.REFERRAL,),
        note="on_form_1_where_the_person_actually_is",
        reworded_from=ORDER_163_REWORDS_FROM,
    ),
    ChecklistRule(
        DocumentCode.REFERRAL,
        _TS,
        Stage.APPLICATION,
        ProvidedBy.APPLICANT,
        ref(4, "3"),
        condition=INSTEAD_OF_APPLICATION,
        alternatives=(DocumentCode.APPLICATION,),
        note="written_referral_from_department_health_or_police",
    ),
    # App.4 p.4: people without identity documents are admitted too; the form asks for one "if available".
    ChecklistRule(
        DocumentCode.IDENTITY_DOCUMENT,
        _TS,
        Stage.APPLICATION,
        ProvidedBy.APPLICANT,
        ref(4, "4"),
        condition=ONLY_IF_AVAILABLE,
        note="admitted_without_documents_too",
    ),
    ChecklistRule(
        DocumentCode.ASSESSMENT_SHEET,
        _TS,
        Stage.APPLICATION,
        ProvidedBy.ORGANISATION,
        ref(4, "4-2", ORDER_72_IN_FORCE),
        categories=frozenset({Category.DOMESTIC_VIOLENCE_VICTIM}),
        note="filled_by_organisation_at_identification_interview",
    ),
    ChecklistRule(
        DocumentCode.ASSESSMENT_SHEET,
        _TS,
        Stage.APPLICATION,
        ProvidedBy.ORGANISATION,
        ref(4, "4-5", ORDER_72_IN_FORCE),
        categories=frozenset({Category.TRAFFICKING_VICTIM}),
        condition=UNLESS_RECOGNISED_VICTIM_IN_PRETRIAL_INVESTIGATION,
        note="filled_by_organisation_at_identification_interview",
    ),
    ChecklistRule(
        DocumentCode.CONTRACT,
        _TS,
        Stage.ADMISSION,
        ProvidedBy.ORGANISATION,
        ref(4, "8", ORDER_72_IN_FORCE),
        note="on_form_2_within_1_working_day_of_decision",
    ),
)


def _representative_row(form: Form) -> ChecklistRule:
    """Proof that the person filing is the legal representative (parent, guardian, trustee, adoptive parent...).

    Law silent: App.1-3 p.5.1 says minors and legally incapable persons apply through their legal representative
    but names no document proving it. A careful department asks for one (a birth certificate for a parent, the
    guardianship body's act for a guardian or trustee, an adoption decision...). At a shelter (App.4 p.4-6)
    people often arrive with nothing, so there it is asked for only if available.
    """
    if form == Form.TEMPORARY_STAY:
        return ChecklistRule(
            DocumentCode.REPRESENTATIVE_PROOF,
            form,
            Stage.APPLICATION,
            ProvidedBy.APPLICANT,
            ref(4, "4-6", ORDER_72_IN_FORCE),
            condition=ONLY_IF_AVAILABLE,
            note="children_admitted_with_legal_representative",
        )
    return ChecklistRule(
        DocumentCode.REPRESENTATIVE_PROOF,
        form,
        Stage.APPLICATION,
        ProvidedBy.APPLICANT,
        ref(form.appendix, "5.1"),
        note="application_filed_by_legal_representative",
    )


CHECKLIST_RULES: tuple[ChecklistRule, ...] = (
    *(row for form in (Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME) for row in _application_rows(form)),
    *(row for form in (Form.STATIONARY, Form.SEMI_STATIONARY, Form.HOME) for row in _state_rows(form)),
    *_STATIONARY_ADMISSION_ROWS,
    *_TEMPORARY_STAY_ROWS,
)


def checklist(
    form: Form, category: Category, birth_date: date, on: date, representative: bool
) -> tuple[ChecklistItem, ...]:
    """The documents for this person and form on the date `on`, application stage first.

    A minor always applies through a legal representative (p.5.1), so the proof of representation is listed
    for minors even when `representative` is False.
    """
    if birth_date > on:
        raise ValueError(f"birth date {birth_date} is after {on}")
    is_child = age_in_years(birth_date, on) < ADULT_AGE_YEARS
    rows: list[ChecklistRule] = [row for row in CHECKLIST_RULES if row.form == form]
    if representative or is_child:
        rows.insert(_after_application_items(rows), _representative_row(form))
    chosen = (row for row in rows if _applies(row, category, is_child, on))
    return tuple(sorted(_items(chosen), key=lambda item: item.stage != Stage.APPLICATION))


def _after_application_items(rows: list[ChecklistRule]) -> int:
    """Where the proof of representation goes: right after the application and its alternatives."""
    lead = {DocumentCode.APPLICATION, DocumentCode.MEDICAL_PETITION, DocumentCode.REFERRAL}
    return next((i for i, row in enumerate(rows) if row.code not in lead), len(rows))


def _applies(row: ChecklistRule, category: Category, is_child: bool, on: date) -> bool:
    if row.legal_ref.effective_from > on:
        return False
    if row.categories is not None and category not in row.categories:
        return False
    if row.ages == AgeScope.CHILDREN:
        return is_child
    if row.ages == AgeScope.ADULTS:
        return not is_child
    return True


def _items(rows: Iterable[ChecklistRule]) -> list[ChecklistItem]:
    return [
        ChecklistItem(
            code=row.code,
            stage=row.stage,
            provided_by=row.provided_by,
            conditional=row.condition is not None,
            condition=row.condition,
            alternatives=row.alternatives,
            legal_ref=row.legal_ref,
            effective_from=row.legal_ref.effective_from,
            note=row.note,
            reworded_from=row.reworded_from,
        )
        for row in rows
    ]
