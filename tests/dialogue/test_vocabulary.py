"""Every reason code the rules core can give has words for the family: nothing reaches them as a bare code."""

from __future__ import annotations

import pytest

from bot.i18n import gettext
from bot.vocabulary import (
    AGE_LIMIT_NAMES,
    CONDITION_NAMES,
    DOCUMENT_NAMES,
    ELIGIBILITY_REASONS,
    IIN_REASONS,
    POSTPONEMENT_REFUSALS,
    RELATIONSHIP_NAMES,
    STATE_CHECK_NAMES,
    explain,
)
from core.db.enums import Relationship
from core.rules import checklists, eligibility, iin
from core.rules.codes import DocumentCode, ProvidedBy
from core.rules.postponement import PostponementReason


def codes_in(module, names):
    return {getattr(module, name) for name in names}


def test_every_iin_reason_is_explained():
    reasons = codes_in(
        iin,
        [
            "NOT_12_DIGITS",
            "BAD_CENTURY_DIGIT",
            "BAD_DATE",
            "BIRTH_DATE_AFTER_ON_DATE",
            "BAD_CHECK_DIGIT",
            "CHECK_DIGIT_UNASSIGNABLE",
        ],
    )
    assert reasons == set(IIN_REASONS)


def test_app1_4_p2_every_eligibility_reason_and_age_limit_is_explained():
    reasons = codes_in(
        eligibility,
        [
            "BELOW_MIN_AGE",
            "ABOVE_MAX_AGE",
            "DISABILITY_GROUP_REQUIRED",
            "CATEGORY_NOT_SERVED",
            "BIRTH_DATE_AFTER_ON_DATE",
            "RULE_NOT_IN_FORCE",
        ],
    )
    assert reasons == set(ELIGIBILITY_REASONS)
    limits = {rule.min_age.months for rule in eligibility.ELIGIBILITY_RULES if rule.min_age}
    assert limits <= set(AGE_LIMIT_NAMES)


def test_app1_2_p7_every_postponement_refusal_is_explained():
    assert {reason.value for reason in PostponementReason} == set(POSTPONEMENT_REFUSALS)


def test_app1_4_checklists_every_condition_and_item_has_words():
    conditions = {rule.condition for rule in checklists.CHECKLIST_RULES if rule.condition}
    assert conditions <= set(CONDITION_NAMES)
    state_items = {rule.code for rule in checklists.CHECKLIST_RULES if rule.provided_by == ProvidedBy.STATE}
    assert state_items <= set(STATE_CHECK_NAMES)
    assert set(DocumentCode) == set(DOCUMENT_NAMES)
    assert set(Relationship) == set(RELATIONSHIP_NAMES)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        pytest.param("kk", "бұл қызметтер 3 жастан бастап балаларға арналған (1-қосымша, 2.1-тармақ)", id="kk"),
        pytest.param("ru", "эти услуги — для детей с 3 лет (прил. 1, п. 2.1)", id="ru"),
        pytest.param("en", "this form is for children from 3 years (App.1 p.2.1)", id="en"),
    ],
)
def test_app1_p2_1_below_min_age_reads_naturally(lang, expected):
    ref = {"kk": "1-қосымша, 2.1-тармақ", "ru": "прил. 1, п. 2.1", "en": "App.1 p.2.1"}[lang]
    age = gettext(lang, AGE_LIMIT_NAMES[36])
    assert explain(lang, ELIGIBILITY_REASONS, "below_min_age", ref=ref, age=age) == expected
