"""New application, part 2: the category in plain words, the disability group, the place of residence, and the
forms of service the person may get (the others each explained with the paragraph); then the case is opened.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from bot.dialogue import casework, texts
from bot.dialogue.flows.apply_person import DRAFT_KEY, FLOW, back_button, draft, is_self, menu_button, question
from bot.dialogue.render import bullets, capitalised, cite, day, name_in
from bot.dialogue.turn import CHOICE, Input, StepDef, Turn
from bot.i18n import N_
from bot.vocabulary import (
    AGE_LIMIT_NAMES,
    CATEGORY_NAMES,
    DISABILITY_GROUP_NAMES,
    ELIGIBILITY_REASONS,
    FORM_NAMES,
    SERVICE_REASONS,
    explain,
    label,
)
from core.db.enums import Relationship
from core.db.models import District, Person, Region
from core.rules import eligibility
from core.rules.codes import Category, DisabilityGroup, Form
from core.rules.dates import age_in_years
from core.services import cases, people
from core.services.errors import NotAllowed

CATEGORY = N_("Which of these fits best?")
GROUP = N_("Which disability group is set?")
NO_GROUP = N_("No disability group")
REGION = N_("Where is the place of residence? Choose the region or city.")
DISTRICT = N_("Choose the district or town.")
NO_PLACES = N_("I cannot find the list of places now. Please ask staff: they will help you apply.")
FORMS_INTRO = N_("These forms of service fit. Choose one:")
FORMS_NONE = N_("Unfortunately, none of the forms of service fits these answers.")
FORMS_OTHERS = N_("Not available:")
OTHER_CATEGORY = N_("Choose another category")
OPENED = N_("Your application is created: {form}. It is a draft for now. Next: the documents.")
NOT_ELIGIBLE = N_("This form of service is not available:")

CHILD_CATEGORIES = (Category.CHILD_PSYCHONEURO, Category.CHILD_MUSCULOSKELETAL)
SHELTER_CATEGORIES = (
    Category.HOMELESS,
    Category.RELEASED_PRISONER,
    Category.DOMESTIC_VIOLENCE_VICTIM,
    Category.TRAFFICKING_VICTIM,
)
GROUP_CATEGORIES = frozenset({Category.DISABLED_ADULT})  # the only rows of App.1-3 p.2 that name a group
# Disability groups are set from 16 (children under 16 have "disability" without a group).
GROUPS_FROM_AGE = 16


def person_in_draft(turn: Turn) -> Person | None:
    person_id = draft(turn).get("person_id")
    return turn.ctx.session.get(Person, person_id) if person_id else None


def categories_for(birth_date: date | None, today: date) -> list[Category]:
    """Children see the children's categories, adults the adults': fewer, clearer buttons."""
    age = age_in_years(birth_date, today) if birth_date else 18
    if age < 18:
        adult_like = [Category.DISABLED_ADULT] if age >= GROUPS_FROM_AGE else []
        return [*CHILD_CATEGORIES, *adult_like, *SHELTER_CATEGORIES]
    return [Category.ELDERLY, Category.DISABLED_ADULT, Category.ADULT_PSYCHONEURO, *SHELTER_CATEGORIES]


def ask_category(turn: Turn) -> None:
    person = person_in_draft(turn)
    if person is None:
        turn.go(FLOW, "who")
        return
    options = [
        (f"cat:{code.value}", capitalised(label(turn.lang, CATEGORY_NAMES, code)))
        for code in categories_for(person.birth_date, turn.ctx.today)
    ]
    turn.choice(question(turn, "category", turn.t(CATEGORY)), [*options, menu_button(turn)])


def answer_category(turn: Turn, given: Input) -> None:
    code = given.choice.removeprefix("cat:")
    if not given.choice.startswith("cat:") or code not in {item.value for item in Category}:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    draft(turn)["category"] = code
    draft(turn).pop("group", None)
    turn.go(FLOW, "group" if Category(code) in GROUP_CATEGORIES else "region")


def ask_group(turn: Turn) -> None:
    options = [(f"group:{code.value}", capitalised(turn.t(name))) for code, name in DISABILITY_GROUP_NAMES.items()]
    options += [("group:none", turn.t(NO_GROUP)), back_button(turn)]
    turn.choice(question(turn, "group", turn.t(GROUP)), options)


def answer_group(turn: Turn, given: Input) -> None:
    if given.choice == "back":
        turn.go(FLOW, "category")
        return
    code = given.choice.removeprefix("group:")
    if code != "none" and code not in {item.value for item in DisabilityGroup}:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    draft(turn)["group"] = None if code == "none" else code
    turn.go(FLOW, "region")


def ask_region(turn: Turn) -> None:
    regions = sorted(turn.ctx.session.scalars(sa.select(Region)), key=lambda row: name_in(turn.lang, row))
    if not regions:
        turn.go(FLOW, "stuck")
        return
    options = [(f"region:{row.id}", name_in(turn.lang, row)) for row in regions]
    turn.choice(question(turn, "region", turn.t(REGION)), [*options, back_button(turn)])


def answer_region(turn: Turn, given: Input) -> None:
    if given.choice == "back":
        category = Category(draft(turn).get("category", Category.ELDERLY.value))
        turn.go(FLOW, "group" if category in GROUP_CATEGORIES else "category")
        return
    key = picked_id(given.choice, "region:")
    region = turn.ctx.session.get(Region, key) if key is not None else None
    if region is None:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    draft(turn)["region_id"] = region.id
    turn.go(FLOW, "district")


def ask_district(turn: Turn) -> None:
    statement = sa.select(District).where(District.region_id == draft(turn).get("region_id"))
    districts = sorted(turn.ctx.session.scalars(statement), key=lambda row: name_in(turn.lang, row))
    if not districts:
        turn.go(FLOW, "stuck")
        return
    options = [(f"district:{row.id}", name_in(turn.lang, row)) for row in districts]
    turn.choice(question(turn, "district", turn.t(DISTRICT)), [*options, back_button(turn)])


def answer_district(turn: Turn, given: Input) -> None:
    if given.choice == "back":
        turn.go(FLOW, "region")
        return
    key = picked_id(given.choice, "district:")
    district = turn.ctx.session.get(District, key) if key is not None else None
    if district is None or district.region_id != draft(turn).get("region_id"):
        turn.say(texts.HINT_OLD_BUTTON)
        return
    draft(turn)["district_id"] = district.id
    turn.go(FLOW, "form")


def picked_id(choice: str, prefix: str) -> int | None:
    """The database id in a button payload such as "region:3"; None for anything else."""
    key = choice.removeprefix(prefix)
    return int(key) if choice.startswith(prefix) and key.isdigit() else None


def decisions_for(turn: Turn) -> dict[Form, eligibility.EligibilityDecision]:
    person = person_in_draft(turn)
    group = draft(turn).get("group")
    category = Category(draft(turn).get("category", Category.ELDERLY.value))
    birth = person.birth_date if person and person.birth_date else turn.ctx.today
    return eligibility.eligible_forms(category, birth, turn.ctx.today, DisabilityGroup(group) if group else None)


def why_not(turn: Turn, decision: eligibility.EligibilityDecision) -> str:
    """One line: the form, then each reason in plain words with its paragraph."""
    rule = next(iter(eligibility.rules_for(decision.form, decision.category)), None)
    months = rule.min_age.months if rule and rule.min_age else 0
    age = turn.t(AGE_LIMIT_NAMES[months]) if months in AGE_LIMIT_NAMES else str(months)
    reasons = [
        explain(turn.lang, ELIGIBILITY_REASONS, reason, ref=cite(turn.lang, decision.legal_ref), age=age)
        for reason in decision.reasons
    ]
    return f"{capitalised(label(turn.lang, FORM_NAMES, decision.form))}: {'; '.join(reasons)}"


def ask_form(turn: Turn) -> None:
    if person_in_draft(turn) is None or "district_id" not in draft(turn):
        turn.go(FLOW, "who")
        return
    decisions = decisions_for(turn)
    fitting = [form for form, decision in decisions.items() if decision.eligible]
    others = [why_not(turn, decision) for decision in decisions.values() if not decision.eligible]
    lines = [turn.t(FORMS_INTRO) if fitting else turn.t(FORMS_NONE)]
    if others:
        lines.append(f"{turn.t(FORMS_OTHERS)}\n{bullets(others)}")
    options = [(f"form:{form.value}", capitalised(label(turn.lang, FORM_NAMES, form))) for form in fitting]
    if not fitting:
        options += [("other_category", turn.t(OTHER_CATEGORY)), ("menu:ask", turn.t(texts.BUTTON_ASK_STAFF))]
    options.append(menu_button(turn))
    turn.choice(question(turn, "form", "\n\n".join(lines)), options)


def answer_form(turn: Turn, given: Input) -> None:
    if given.choice == "other_category":
        turn.go(FLOW, "category")
        return
    code = given.choice.removeprefix("form:")
    decisions = decisions_for(turn)
    form = next((form for form in decisions if form.value == code and decisions[form].eligible), None)
    if form is None:
        turn.say(texts.HINT_OLD_BUTTON)
        return
    open_application(turn, form)


def open_application(turn: Turn, form: Form) -> None:
    """Register the person with the answers, open the draft case (department from the district) and go on to
    the documents. A representative is recorded as acting for the person."""
    answers = draft(turn)
    person = person_in_draft(turn)
    if person is None or person.iin is None:
        turn.go(FLOW, "who")
        return
    category = Category(answers["category"])
    group = DisabilityGroup(answers["group"]) if answers.get("group") else None
    person = people.register_person(
        turn.ctx, person.iin, full_name=str(answers.get("name", "")), category=category, disability_group=group
    )
    applicant = person if is_self(turn) else turn.ctx.session.get(Person, answers.get("rep_person_id"))
    if applicant is None:
        turn.go(FLOW, "who")
        return
    existing = cases.open_case_for(turn.ctx, person.id, form)
    if existing is not None and existing.id not in casework.chat_case_ids(turn):
        turn.go(FLOW, "elsewhere")
        return
    # Law silent on a district no department serves (App.1-3 p.5: "at the place of residence"): the draft is
    # kept without a department, for staff to route; the family reads "the department of your district".
    department = casework.department_for_district(turn.ctx, answers.get("district_id"))
    try:
        case = cases.open_case(
            turn.ctx,
            person,
            applicant,
            form,
            category,
            department_id=department.id if department else None,
            language=turn.lang,
        )
    except NotAllowed as refusal:
        explain_refusal(turn, refusal, form)
        return
    if applicant.id != person.id:
        people.represent(turn.ctx, applicant, person, Relationship(answers.get("relationship", "other")))
    casework.remember_case(turn, case, answers.get("region_id"), answers.get("district_id"))
    turn.data.pop(DRAFT_KEY, None)
    turn.say(OPENED, form=label(turn.lang, FORM_NAMES, form))
    turn.go("documents", "list")


def explain_refusal(turn: Turn, refusal: NotAllowed, form: Form) -> None:
    """The services refused to open the case: a readmission bar (App.1 p.22...) or, should the answers have
    changed meanwhile, eligibility; the form question is then asked again."""
    if "readmission_barred" in refusal.reasons:
        allowed_from = refusal.details.get("allowed_from")
        shown = day(allowed_from) if isinstance(allowed_from, date) else "—"
        turn.say(SERVICE_REASONS["readmission_barred"], date=shown)
        return
    turn.text(f"{turn.t(NOT_ELIGIBLE)}\n{bullets([why_not(turn, decisions_for(turn)[form])])}")


def ask_stuck(turn: Turn) -> None:
    options = [("menu:ask", turn.t(texts.BUTTON_ASK_STAFF)), ("menu:main", turn.t(texts.BUTTON_MENU))]
    turn.choice(turn.t(NO_PLACES), options)


def answer_stuck(turn: Turn, given: Input) -> None:
    turn.say(texts.HINT_OLD_BUTTON)


STEPS = {
    "category": StepDef(ask_category, answer_category, frozenset({CHOICE})),
    "group": StepDef(ask_group, answer_group, frozenset({CHOICE})),
    "region": StepDef(ask_region, answer_region, frozenset({CHOICE})),
    "district": StepDef(ask_district, answer_district, frozenset({CHOICE})),
    "form": StepDef(ask_form, answer_form, frozenset({CHOICE})),
    "stuck": StepDef(ask_stuck, answer_stuck, frozenset({CHOICE})),
}
