"""Who may receive each form of special social services (rules-digest §2; App.1-3 p.2, App.4 p.2).

The rules are data rows, one per form x category: age bounds in completed months (each bound inclusive or
exclusive), the disability groups required, the conditions the department confirms itself, and the legal
reference with the date it applies from. `assess_eligibility` reads the row; it never guesses beyond it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.rules.codes import Category, DisabilityGroup, Form
from core.rules.dates import age_in_months
from core.rules.legal import ORDER_72_IN_FORCE, LegalRef, ref

# Reason codes (stable strings: the chat explains each one to the person).
BELOW_MIN_AGE = "below_min_age"
ABOVE_MAX_AGE = "above_max_age"
DISABILITY_GROUP_REQUIRED = "disability_group_required"
CATEGORY_NOT_SERVED = "category_not_served"
BIRTH_DATE_AFTER_ON_DATE = "birth_date_after_on_date"
RULE_NOT_IN_FORCE = "rule_not_in_force"  # `on` is before the wording we encode took effect

# Condition codes: eligible, but only once the department has confirmed this (it is not for the chat to
# decide).
DISABILITY_CONFIRMED_BY_STATE = "disability_confirmed_by_state"  # fetched by IIN (App.1-3 p.5 part 2)
DISABILITY_GROUP_CONFIRMED_BY_STATE = "disability_group_confirmed_by_state"
DIAGNOSIS_CONFIRMED_BY_MEDICAL_CARD = "diagnosis_confirmed_by_medical_card"  # the 2-қосымша medical card
OLD_AGE_INABILITY_TO_SELF_CARE_CONFIRMED = "old_age_inability_to_self_care_confirmed"
PENSION_AGE_CONFIRMED_BY_STATE = "pension_age_confirmed_by_state"  # fetched by IIN (App.1-3 p.5 part 2)
RECOGNISED_AS_VICTIM = "recognised_as_victim"  # identification and assessment sheet (App.4 p.4-1..4-4)
RECOGNISED_AS_VICTIM_OR_PRETRIAL_VICTIM = "recognised_as_victim_or_pretrial_victim"  # App.4 p.4-5
MINOR_ONLY_WITH_LEGAL_REPRESENTATIVE = "minor_only_with_legal_representative"  # App.4 p.4-6, 4-8

ADULT_AGE_MONTHS = 18 * 12


@dataclass(frozen=True, slots=True)
class AgeBound:
    """An age limit in completed months; `inclusive` says whether a person exactly that old is inside."""

    months: int
    inclusive: bool


@dataclass(frozen=True, slots=True)
class EligibilityRule:
    form: Form
    category: Category
    legal_ref: LegalRef
    min_age: AgeBound | None = None
    max_age: AgeBound | None = None
    disability_groups: frozenset[DisabilityGroup] | None = None  # None: the text names no group
    conditions: tuple[str, ...] = ()

    @property
    def effective_from(self) -> date:
        return self.legal_ref.effective_from


@dataclass(frozen=True, slots=True)
class EligibilityDecision:
    """`eligible` only when `reasons` is empty; `conditions` are what the department still has to confirm."""

    form: Form
    category: Category
    eligible: bool
    reasons: tuple[str, ...]
    legal_ref: LegalRef
    conditions: tuple[str, ...] = ()

    @property
    def effective_from(self) -> date:
        return self.legal_ref.effective_from


# Reading: "үш жастан он сегіз жасқа дейінгі" (from three up to eighteen) is 3 <= age < 18: the child is in
# from the 3rd birthday and out on the 18th, when the adult rows take over; "бір жарым жас" (one and a half)
# is 18 completed months.
FROM_3_YEARS = AgeBound(36, inclusive=True)
FROM_18_MONTHS = AgeBound(18, inclusive=True)
BEFORE_18_YEARS = AgeBound(ADULT_AGE_MONTHS, inclusive=False)
# Reading: "он сегіз жастан асқан" (literally "past eighteen years") is age >= 18, from the 18th birthday.
# The children's rows stop on that same day; reading it as "from 19" or "from the day after" would leave a
# disabled person served by no row at all, and the standards use the phrase for adults in general (App.1
# p.5, p.9: documents "for persons over 18" sit opposite documents "for children"). A careful department
# does not leave that gap.
FROM_18_YEARS = AgeBound(ADULT_AGE_MONTHS, inclusive=True)

GROUPS_1_AND_2 = frozenset({DisabilityGroup.GROUP_1, DisabilityGroup.GROUP_2})

_CHILD_CONDITIONS = (DISABILITY_CONFIRMED_BY_STATE, DIAGNOSIS_CONFIRMED_BY_MEDICAL_CARD)
# Law silent: the standards name no minimum age for "егде жасына байланысты өзіне қызмет көрсетуге
# мүмкіндігі жоқ адамдар" (unable to care for themselves because of old age). The department fetches the
# pension age by IIN (p.5 part 2 sub.5), and the retirement age itself changes over time and differs by sex,
# so we do not hard-code one: the person is eligible on condition that the department confirms both old age
# and inability to self-care.
_ELDERLY_CONDITIONS = (OLD_AGE_INABILITY_TO_SELF_CARE_CONFIRMED, PENSION_AGE_CONFIRMED_BY_STATE)


def _disability_rows(form: Form, children_from: AgeBound) -> tuple[EligibilityRule, ...]:
    """The five categories of App.1-3 p.2 for one form; only the children's lower age differs by form."""
    appendix = form.appendix
    return (
        EligibilityRule(
            form,
            Category.CHILD_PSYCHONEURO,
            ref(appendix, "2.1"),
            children_from,
            BEFORE_18_YEARS,
            conditions=_CHILD_CONDITIONS,
        ),
        EligibilityRule(
            form,
            Category.CHILD_MUSCULOSKELETAL,
            ref(appendix, "2.2"),
            children_from,
            BEFORE_18_YEARS,
            conditions=_CHILD_CONDITIONS,
        ),
        # Reading: "мүгедектігі бар адамдар" names no group, so any group (1, 2 or 3) is enough; the
        # disability itself is fetched by IIN, so a missing group here is not a refusal, only a condition to
        # confirm.
        EligibilityRule(
            form,
            Category.ADULT_PSYCHONEURO,
            ref(appendix, "2.3"),
            FROM_18_YEARS,
            conditions=_CHILD_CONDITIONS,
        ),
        # Law silent: "бірінші және екінші топтағы мүгедектігі бар адамдар" has no age bound. Groups are set
        # from 16, and a 16-17-year-old with group 1 or 2 but no psychoneurological or musculoskeletal
        # disorder fits no children's row; we keep the text as written (no age bound) so that person is not
        # left out.
        EligibilityRule(
            form,
            Category.DISABLED_ADULT,
            ref(appendix, "2.4"),
            disability_groups=GROUPS_1_AND_2,
            conditions=(DISABILITY_GROUP_CONFIRMED_BY_STATE,),
        ),
        EligibilityRule(form, Category.ELDERLY, ref(appendix, "2.5"), conditions=_ELDERLY_CONDITIONS),
    )


# App.4 p.2 in the wording of Order No. 72 (the wording in the seed); the earlier wording is not in the
# seed, so the rows apply from Order No. 72's entry into force. No age bound: children come with their legal
# representative and are counted as separate recipients (p.4-6, 4-7); a child alone is reported to the
# guardianship body and handed to a juvenile adaptation centre (p.4-8), hence the condition for minors.
_TEMPORARY_STAY_REF = ref(4, "2", ORDER_72_IN_FORCE)
_TEMPORARY_STAY_ROWS = (
    EligibilityRule(Form.TEMPORARY_STAY, Category.HOMELESS, _TEMPORARY_STAY_REF),
    EligibilityRule(Form.TEMPORARY_STAY, Category.RELEASED_PRISONER, _TEMPORARY_STAY_REF),
    EligibilityRule(
        Form.TEMPORARY_STAY,
        Category.DOMESTIC_VIOLENCE_VICTIM,
        _TEMPORARY_STAY_REF,
        conditions=(RECOGNISED_AS_VICTIM,),
    ),
    EligibilityRule(
        Form.TEMPORARY_STAY,
        Category.TRAFFICKING_VICTIM,
        _TEMPORARY_STAY_REF,
        conditions=(RECOGNISED_AS_VICTIM_OR_PRETRIAL_VICTIM,),
    ),
)

ELIGIBILITY_RULES: tuple[EligibilityRule, ...] = (
    *_disability_rows(Form.STATIONARY, FROM_3_YEARS),
    *_disability_rows(Form.SEMI_STATIONARY, FROM_18_MONTHS),
    *_disability_rows(Form.HOME, FROM_18_MONTHS),
    *_TEMPORARY_STAY_ROWS,
)


def rules_for(form: Form, category: Category) -> tuple[EligibilityRule, ...]:
    """Every wording of the rule for this pair, newest first (a later order may add a later row)."""
    rows = [row for row in ELIGIBILITY_RULES if row.form == form and row.category == category]
    return tuple(sorted(rows, key=lambda row: row.effective_from, reverse=True))


def assess_eligibility(
    form: Form,
    category: Category,
    birth_date: date,
    on: date,
    disability_group: DisabilityGroup | None = None,
) -> EligibilityDecision:
    """May a person of this category, born on `birth_date`, receive `form` on the date `on`?"""
    rows = rules_for(form, category)
    if not rows:
        return _refusal(form, category, (CATEGORY_NOT_SERVED,), _scope_ref(form))
    in_force = [row for row in rows if row.effective_from <= on]
    if not in_force:
        return _refusal(form, category, (RULE_NOT_IN_FORCE,), rows[-1].legal_ref)
    row = in_force[0]
    if birth_date > on:
        return _refusal(form, category, (BIRTH_DATE_AFTER_ON_DATE,), row.legal_ref)
    age_months = age_in_months(birth_date, on)
    reasons = _age_reasons(row, age_months) + _group_reasons(row, disability_group)
    conditions = row.conditions
    if form == Form.TEMPORARY_STAY and age_months < ADULT_AGE_MONTHS:
        conditions = (*conditions, MINOR_ONLY_WITH_LEGAL_REPRESENTATIVE)
    return EligibilityDecision(
        form=form,
        category=category,
        eligible=not reasons,
        reasons=reasons,
        legal_ref=row.legal_ref,
        conditions=conditions if not reasons else (),
    )


def eligible_forms(
    category: Category,
    birth_date: date,
    on: date,
    disability_group: DisabilityGroup | None = None,
) -> dict[Form, EligibilityDecision]:
    """The decision for every form, in the order of the appendices: the chat offers the eligible ones and
    explains the others with their reasons."""
    return {form: assess_eligibility(form, category, birth_date, on, disability_group) for form in Form}


def _scope_ref(form: Form) -> LegalRef:
    """The paragraph that lists who a form serves: cited when a category is not on that list."""
    return _TEMPORARY_STAY_REF if form == Form.TEMPORARY_STAY else ref(form.appendix, "2")


def _age_reasons(row: EligibilityRule, age_months: int) -> tuple[str, ...]:
    if row.min_age is not None and not _at_least(age_months, row.min_age):
        return (BELOW_MIN_AGE,)
    if row.max_age is not None and not _at_most(age_months, row.max_age):
        return (ABOVE_MAX_AGE,)
    return ()


def _at_least(age_months: int, bound: AgeBound) -> bool:
    return age_months >= bound.months if bound.inclusive else age_months > bound.months


def _at_most(age_months: int, bound: AgeBound) -> bool:
    return age_months <= bound.months if bound.inclusive else age_months < bound.months


def _group_reasons(row: EligibilityRule, disability_group: DisabilityGroup | None) -> tuple[str, ...]:
    if row.disability_groups is None or disability_group in row.disability_groups:
        return ()
    return (DISABILITY_GROUP_REQUIRED,)


def _refusal(form: Form, category: Category, reasons: tuple[str, ...], cite: LegalRef) -> EligibilityDecision:
    return EligibilityDecision(form, category, eligible=False, reasons=reasons, legal_ref=cite)
