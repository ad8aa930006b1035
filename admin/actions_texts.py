"""The words of the case workspace: step titles, what each step does, field labels, and the standard reasons for
rejecting a document, which the applicant reads in their own language.

Staff-facing strings are translated into the panel language when shown (admin.i18n `_`). The document reasons are
translated into the applicant's language at the moment of the rejection (bot.i18n.gettext with the case's
language), so the chat shows them in the language the family chose, whatever language the officer works in.
"""

from __future__ import annotations

from bot.i18n import N_, gettext

# Step keys (admin.actions_policy.STEPS) and lifecycle action codes, as the form titles name them.
ACTION_TITLES: dict[str, str] = {
    "submit": N_("Enter the application (documents complete)"),
    "record_home_visit": N_("Record the home visit"),
    "record_inspection_act": N_("Record the housing and living conditions inspection act"),
    "identify_victim": N_("Record the victim identification"),
    "forward_to_authority": N_("Send the assessment sheet and application to the authorised body"),
    "decide": N_("Record the decision"),
    "approve": N_("Record a positive decision"),
    "refuse": N_("Record a refusal"),
    "notify": N_("Notify the recipient of the decision"),
    "choose_organisation": N_("Record the recipient's choice of organisation"),
    "join_queue": N_("Record the recipient's choice of organisation"),
    "offer_place": N_("Offer a free place"),
    "sign_contract": N_("Record the contract"),
    "postpone": N_("Record a move of the arrival date"),
    "postpone_arrival": N_("Record a move of the arrival date"),
    "no_show": N_("Record that the recipient did not arrive"),
    "admit": N_("Record arrival and admission"),
    "start_leave": N_("Record temporary leave"),
    "end_leave": N_("Record the return from temporary leave"),
    "suspend": N_("Suspend services"),
    "restore": N_("Restore services"),
    "transfer": N_("Transfer to another organisation"),
    "discharge": N_("Discharge"),
    "terminate": N_("Terminate services"),
    "expel": N_("Expel"),
    "withdraw": N_("Withdraw the application"),
    "reopen": N_("Readmit after expulsion"),
}

# The status history, in the past tense (status_history.action codes).
HISTORY_NAMES: dict[str, str] = {
    "open": N_("Application started in the chat"),
    "submit": N_("Application entered"),
    "record_home_visit": N_("Home visit recorded"),
    "record_inspection_act": N_("Inspection act recorded"),
    "identify_victim": N_("Victim identification recorded"),
    "forward_to_authority": N_("Sent to the authorised body"),
    "approve": N_("Decision: services granted"),
    "refuse": N_("Decision: refused"),
    "notify": N_("Recipient notified of the decision"),
    "join_queue": N_("Joined the organisation's queue"),
    "offer_place": N_("Free place offered"),
    "no_show": N_("Did not arrive: back at the end of the queue"),
    "postpone_arrival": N_("Arrival date moved"),
    "decline_postponement": N_("Move of the arrival date declined"),
    "sign_contract": N_("Contract recorded"),
    "admit": N_("Arrival and admission recorded"),
    "start_leave": N_("Temporary leave started"),
    "end_leave": N_("Returned from temporary leave"),
    "suspend": N_("Suspension of services recorded"),
    "restore": N_("Services restored"),
    "transfer": N_("Transfer recorded"),
    "discharge": N_("Discharge recorded"),
    "terminate": N_("Termination of services recorded"),
    "expel": N_("Expulsion recorded"),
    "withdraw": N_("Application withdrawn by the applicant"),
    "reopen": N_("Readmitted after expulsion"),
}
LEAVE_UNTIL = N_("{kind}, until {day}")
FROM_ORGANISATION = N_("from {organisation}")

# One line under each title: what happens, so nobody presses a button to find out.
ACTION_HINTS: dict[str, str] = {
    "submit": N_("The application is entered; the applicant is told it was accepted."),
    "decide": N_("The applicant is told the decision. A refusal must give its reason."),
    "notify": N_("The applicant is asked to choose an organisation; the choice term starts today."),
    "choose_organisation": N_(
        "For a recipient who chooses at the department. With a free place and nobody waiting, the place is "
        "offered at once; otherwise the recipient joins the organisation's queue."
    ),
    "postpone": N_("For a notice of illness or hospitalisation received outside the chat. Once only."),
    "no_show": N_("The place passes to the next in the queue; the recipient goes to the end of the queue."),
    "admit": N_("The offer is closed and the arrival reminders stop."),
    "suspend": N_("Choose the ground of the standard."),
    "transfer": N_("The receiving organisation must have a free place; the place here is freed."),
    "discharge": N_("The place is freed and offered to the first in the queue."),
    "terminate": N_("The place is freed and offered to the first in the queue."),
    "expel": N_("The place is freed and offered to the first in the queue."),
}

# Choices of the workspace forms.
IDENTIFICATION_OUTCOMES: dict[str, str] = {
    "recognised": N_("Recognised as a victim (assessment sheet)"),
    "recognised_by_investigation": N_("Already a victim in a pre-trial investigation (App.4 p.4-5)"),
    "not_recognised": N_("Not recognised as a victim: refusal (App.4 p.4-4)"),
}
LEAVE_KIND_NAMES: dict[str, str] = {
    "personal": N_("On personal grounds, up to three months (App.1 p.14)"),
    "rehabilitation_elsewhere": N_("Rehabilitation in another organisation, up to a year (App.1 p.17)"),
    "education": N_("Study at an education organisation, up to a year (App.4 p.14)"),
}

# Flash messages after a step.
DONE = N_("Done. Case status: {status}.")
DONE_RECHECK = N_(
    "Admitted. The recipient waited more than a month in the queue: a new medical card is required (App.1 p.7)."
)
DONE_FREED = N_("Places freed: {count}. Offered to: {offers}.")
DONE_DOCUMENT_ACCEPTED = N_("The document is accepted.")
DONE_DOCUMENT_REJECTED = N_("The document is rejected; the applicant will read the reason in the chat.")
DONE_POSTPONEMENT_CONFIRMED = N_("The moved arrival date is confirmed.")
DONE_POSTPONEMENT_DECLINED = N_("The move is declined; the arrival date is back to {due}.")

# Panel-side checks of the typed values (before any service is called).
FORM_REASONS: dict[str, str] = {
    "date_required": N_("Please enter the date."),
    "date_invalid": N_("Please enter the date as day.month.year."),
    "date_in_future": N_("The date cannot be in the future."),
    "choice_required": N_("Please choose one of the options."),
    "number_required": N_("Please enter the number."),
    "refusal_reason_required": N_("A refusal must give its reason: the applicant will read it."),
    "count_invalid": N_("Please enter a whole number of places from 1 to 100."),
    "reject_reason_required": N_("Please choose the reason or write a comment for the applicant."),
}

# Why a document is rejected, as the applicant reads it after "Reason:" (lowercase, no final full stop).
REJECTION_REASONS: dict[str, str] = {
    "unreadable": N_("the photo or scan cannot be read: please photograph the whole page in good light"),
    "incomplete": N_("some pages are missing: please send every page"),
    "expired": N_("the document is out of date: please send a valid one"),
    "wrong_document": N_("this is not the document that was asked for"),
    "wrong_person": N_("the document is about another person"),
    "unsigned": N_("the document has no signature or stamp"),
}


def rejection_text(case_language: str, code: str | None, comment: str) -> str:
    """The reason the applicant reads: the standard reason in their language, then the officer's comment."""
    standard = gettext(case_language, REJECTION_REASONS[code]) if code in REJECTION_REASONS else ""
    comment = " ".join(comment.split())
    if standard and comment:
        return f"{standard}: {comment}"
    return standard or comment


# The grounds of core.rules.grounds as staff name them (the applicant's wording is bot.notice_texts.GROUND_NAMES).
GROUND_TITLES: dict[str, str] = {
    "own_application": N_("Written application (of the legal representative for minors and incapable persons)"),
    "disability_removed": N_("Disability removed or group III set"),
    "came_of_age": N_("The child reached 18"),
    "paid_contract_breach": N_("Breach of the paid special social services contract"),
    "death": N_("Death of the recipient"),
    "rules_broken_over_3_times": N_("Internal rules broken more than three times"),
    "limited_capacity_alcohol_drugs": N_("Legal capacity limited by a court because of alcohol or drugs"),
    "absent_over_2_days": N_("Left without permission, absent more than two days"),
    "rehabilitation_plan_completed": N_("Rehabilitation measures of the individual plan completed"),
    "receives_other_form": N_("Receives special social services in another form"),
    "moved_locality": N_("Moved to another locality"),
    "insults_to_social_worker": N_("Unfounded insults or accusations against the social worker (witnesses)"),
    "education_organisation_services": N_("Receives special social services in an education organisation"),
    "has_housing_and_means": N_("Has housing and means to live"),
    "contract_breach": N_("Contract dissolved for breach"),
    "contract_expired": N_("Contract term over"),
    "contract_fulfilled_early": N_("Contract terms fulfilled early"),
    "moved_to_stationary": N_("Admitted to a residential care home"),
    "medical_contraindication": N_("Medical contraindication"),
    "absent_over_3_days": N_("Left without notice, absent more than three days"),
    "false_information": N_("Deliberately false information about oneself"),
    "contract_not_fulfilled": N_("Contract terms not fulfilled by the recipient"),
    "in_health_organisation": N_("Staying in a health organisation"),
}
