"""Words the notices use beyond bot.vocabulary: the grounds on which services end, and the statutory steps as
staff name them, and the countdowns with their plurals (catalogue part `reminders.po`, like bot/notice_texts.py)."""

from __future__ import annotations

from bot.i18n import N_, ngettext
from core.rules.codes import Step

# The grounds of discharge, termination and expulsion (core.rules.grounds codes), as the notice names them.
GROUND_NAMES: dict[str, str] = {
    "own_application": N_("your own written application"),
    "disability_removed": N_("the disability was removed or group III was set"),
    "came_of_age": N_("the child came of age"),
    "paid_contract_breach": N_("the paid services contract was breached"),
    "rules_broken_over_3_times": N_("the internal rules were broken more than three times"),
    "limited_capacity_alcohol_drugs": N_("a court limited legal capacity because of alcohol or drugs"),
    "absent_over_2_days": N_("absence without permission for more than 2 days"),
    "rehabilitation_plan_completed": N_("the rehabilitation plan was completed"),
    "receives_other_form": N_("special social services are received in another form"),
    "moved_locality": N_("moving to another locality"),
    "insults_to_social_worker": N_("unfounded insults or accusations against the social worker"),
    "education_organisation_services": N_("special social services are received in an education organisation"),
    "has_housing_and_means": N_("there is housing and means to live on"),
    "contract_breach": N_("the contract was breached"),
    "contract_expired": N_("the contract term ended"),
    "contract_fulfilled_early": N_("the contract was fulfilled early"),
    "moved_to_stationary": N_("transfer to a residential care home"),
    "medical_contraindication": N_("a medical contraindication"),
    "absent_over_3_days": N_("absence without notice for more than 3 days"),
    "false_information": N_("deliberately false information was given"),
    "contract_not_fulfilled": N_("the contract obligations were not fulfilled"),
    "in_health_organisation": N_("treatment in a health organisation"),
}

# The statutory steps as staff name them (the applicant's wording is bot.vocabulary.STEP_NAMES).
STAFF_STEP_NAMES: dict[str, str] = {
    Step.NOTIFY_RECIPIENT: N_("notify the recipient of the decision"),
    Step.CHOOSE_ORGANISATION: N_("the recipient chooses an organisation"),
    Step.ARRIVE: N_("the recipient arrives at the organisation"),
    Step.ARRIVE_FROM_QUEUE: N_("the first in the queue arrives at the freed place"),
    Step.POSTPONED_ARRIVAL: N_("arrival on the moved date"),
    Step.PORTAL_CARD: N_("form the recipient's card on the portal"),
    Step.MEDICAL_RECHECK: N_("new medical examination after a month in the queue"),
    Step.SEND_DOCUMENTS: N_("send the decision and documents to the organisation"),
    Step.TRANSFER_CONSENT: N_("answer the transfer request"),
    Step.HOME_VISIT: N_("home visit"),
    Step.INSPECTION_ACT: N_("housing and living conditions inspection act"),
    Step.DECISION: N_("decision on the application"),
    Step.IDENTIFICATION: N_("identification interview"),
    Step.FORWARD_TO_AUTHORITY: N_("send the assessment sheet and application to the authorised body"),
    Step.SEND_DECISION: N_("send the authorised body's decision"),
    Step.CONTRACT: N_("sign the contract"),
    Step.INFORM_POLICE: N_("inform the police"),
    Step.OTHER_REGION_STAY: N_("end of the stay for a person from another region"),
    Step.LEAVE_RETURN: N_("the recipient returns from temporary leave"),
    Step.CONTRACT_END: N_("the contract ends: extend it or end the services"),
}


def choose_left(lang: str, due: str, n: int) -> str:
    return ngettext(
        lang,
        "Reminder: please choose an organisation by {due}. {n} working day left.",
        "Reminder: please choose an organisation by {due}. {n} working days left.",
        n,
        due=due,
    )


def arrive_left(lang: str, due: str, n: int, organisation: str) -> str:
    return ngettext(
        lang,
        "Reminder: please arrive at {organisation} by {due}. {n} working day left.",
        "Reminder: please arrive at {organisation} by {due}. {n} working days left.",
        n,
        due=due,
        organisation=organisation,
    )
