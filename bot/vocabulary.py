"""What a person reads for each code of the rules core, in the glossary's official terms (translated via gettext).

The rules core answers with codes; only this layer turns them into words, in the person's language.
"""

from __future__ import annotations

from bot.i18n import N_, gettext
from core.db.enums import PostponementReason, Relationship, Sex
from core.rules.codes import Category, DisabilityGroup, DocumentCode, Form, Status, Step

FORM_NAMES: dict[Form, str] = {
    Form.STATIONARY: N_("residential care (a care home)"),
    Form.SEMI_STATIONARY: N_("day care (a day-care centre)"),
    Form.HOME: N_("home care"),
    Form.TEMPORARY_STAY: N_("temporary stay (a shelter)"),
}

CATEGORY_NAMES: dict[Category, str] = {
    Category.CHILD_PSYCHONEURO: N_("a child with a disability with psychoneurological disorders"),
    Category.CHILD_MUSCULOSKELETAL: N_("a child with a disability with musculoskeletal disorders"),
    Category.ADULT_PSYCHONEURO: N_("an adult (18+) with a disability with a psychoneurological illness"),
    Category.DISABLED_ADULT: N_("a person with a group I or II disability"),
    Category.ELDERLY: N_("an older person who cannot care for themselves"),
    Category.HOMELESS: N_("a person with no fixed abode"),
    Category.RELEASED_PRISONER: N_("a person released from prison or on probation"),
    Category.DOMESTIC_VIOLENCE_VICTIM: N_("a victim of domestic violence"),
    Category.TRAFFICKING_VICTIM: N_("a victim of human trafficking"),
}

DOCUMENT_NAMES: dict[DocumentCode, str] = {
    DocumentCode.APPLICATION: N_("application"),
    DocumentCode.MEDICAL_PETITION: N_("petition of a medical organisation"),
    DocumentCode.IDENTITY_DOCUMENT: N_("identity document"),
    DocumentCode.MEDICAL_CARD: N_("medical card"),
    DocumentCode.OUTPATIENT_EXTRACT: N_("extract from the outpatient record or case history"),
    DocumentCode.PMPC_CONCLUSION: N_("conclusion of the psychological-medical-pedagogical consultation (PMPC)"),
    DocumentCode.COURT_INCAPACITY_DECISION: N_("court decision declaring legal incapacity"),
    DocumentCode.BIRTH_CERTIFICATE: N_("birth certificate"),
    DocumentCode.VACCINATION_CARD: N_("vaccination card"),
    DocumentCode.REFERRAL: N_("written referral"),
    DocumentCode.ASSESSMENT_SHEET: N_("assessment sheet"),
    DocumentCode.CONTRACT: N_("contract"),
    DocumentCode.REPRESENTATIVE_PROOF: N_("document proving you are the legal representative"),
    DocumentCode.IDENTITY: N_("identity (checked by IIN)"),
    DocumentCode.DISABILITY: N_("disability (checked by IIN)"),
    DocumentCode.IPR_MEASURES: N_("individual habilitation and rehabilitation programme, IPR (checked by IIN)"),
    DocumentCode.COURT_INCAPACITY: N_("court decision on incapacity (checked by IIN)"),
    DocumentCode.RESIDENCE_REGISTRATION: N_("registration at the place of residence (checked by IIN)"),
    DocumentCode.PENSION_AGE: N_("pension age (checked by IIN)"),
    DocumentCode.VETERAN_STATUS: N_("veteran status (checked by IIN)"),
}

# The items the state fetches by IIN, named without "(checked by IIN)": the chat lists them under a heading
# that says so.
STATE_CHECK_NAMES: dict[DocumentCode, str] = {
    DocumentCode.IDENTITY: N_("identity"),
    DocumentCode.DISABILITY: N_("disability"),
    DocumentCode.IPR_MEASURES: N_("individual habilitation and rehabilitation programme (IPR)"),
    DocumentCode.COURT_INCAPACITY: N_("court decision on incapacity"),
    DocumentCode.RESIDENCE_REGISTRATION: N_("registration at the place of residence"),
    DocumentCode.PENSION_AGE: N_("pension age"),
    DocumentCode.VETERAN_STATUS: N_("veteran status (gives first priority in the queue)"),
}

# Practical notes of checklist items (core.rules.checklists note codes) a family needs to act.
DOCUMENT_NOTES: dict[str, str] = {
    "on_form_1": N_("on the standard's form: the department gives it"),
    "on_form_1_where_the_person_actually_is": N_("on the standard's form, where you are now"),
    "on_form_2": N_("on the standard's form, filled in by your clinic"),
    "on_form_2_kept_by_department": N_("on the standard's form, filled in by your clinic; the department keeps it"),
    "with_medical_card_from_outpatient_card_or_case_history": N_("from your clinic or hospital"),
    "with_iin_or_digital_document": N_("or the digital document from the eGov app"),
    "application_filed_by_legal_representative": N_("for example a birth certificate or the guardianship decision"),
}

STATUS_NAMES: dict[Status, str] = {
    Status.DRAFT: N_("application being prepared"),
    Status.SUBMITTED: N_("application submitted to the department"),
    Status.HOME_VISITED: N_("home visit done"),
    Status.INSPECTED: N_("housing and living conditions inspection act drawn up"),
    Status.IDENTIFIED: N_("recognised as a victim"),
    Status.FORWARDED: N_("sent to the authorised body"),
    Status.APPROVED: N_("decision: services granted"),
    Status.REFUSED: N_("decision: refused"),
    Status.NOTIFIED: N_("waiting for you to choose an organisation"),
    Status.QUEUED: N_("in the queue"),
    Status.OFFERED: N_("a free place is offered"),
    Status.CONTRACT_SIGNED: N_("contract signed"),
    Status.ADMITTED: N_("receiving services"),
    Status.ON_LEAVE: N_("on temporary leave"),
    Status.SUSPENDED: N_("services suspended"),
    Status.DISCHARGED: N_("discharged"),
    Status.TERMINATED: N_("services terminated"),
    Status.EXPELLED: N_("expelled"),
    Status.WITHDRAWN: N_("application withdrawn"),
}

STEP_NAMES: dict[Step, str] = {
    Step.NOTIFY_RECIPIENT: N_("the department notifies you of the decision"),
    Step.CHOOSE_ORGANISATION: N_("choose an organisation"),
    Step.ARRIVE: N_("arrive at the organisation"),
    Step.ARRIVE_FROM_QUEUE: N_("arrive at the organisation (place from the queue)"),
    Step.POSTPONED_ARRIVAL: N_("arrive at the organisation (moved date)"),
    Step.PORTAL_CARD: N_("the organisation forms your card on the portal"),
    Step.MEDICAL_RECHECK: N_("new medical examination"),
    Step.SEND_DOCUMENTS: N_("the department sends your documents to the organisation"),
    Step.TRANSFER_CONSENT: N_("the authority answers your transfer request"),
    Step.HOME_VISIT: N_("a specialist visits your home"),
    Step.INSPECTION_ACT: N_("the inspection act is drawn up"),
    Step.DECISION: N_("decision on your application"),
    Step.IDENTIFICATION: N_("identification interview"),
    Step.FORWARD_TO_AUTHORITY: N_("documents sent to the authorised body"),
    Step.SEND_DECISION: N_("the decision is sent"),
    Step.CONTRACT: N_("contract signed"),
    Step.INFORM_POLICE: N_("the organisation informs the police"),
    Step.OTHER_REGION_STAY: N_("end of the stay for people from other regions"),
    Step.LEAVE_RETURN: N_("return from temporary leave"),
    Step.CONTRACT_END: N_("end of the contract"),
}


RELATIONSHIP_NAMES: dict[Relationship, str] = {
    Relationship.PARENT: N_("parent"),
    Relationship.GUARDIAN: N_("guardian"),
    Relationship.TRUSTEE: N_("trustee"),
    Relationship.ADOPTIVE_PARENT: N_("adoptive parent"),
    Relationship.FOSTER_PARENT: N_("foster parent"),
    Relationship.PATRONAGE_EDUCATOR: N_("patronage educator"),
    Relationship.OTHER: N_("other legal representative"),
}

DISABILITY_GROUP_NAMES: dict[DisabilityGroup, str] = {
    DisabilityGroup.GROUP_1: N_("group I"),
    DisabilityGroup.GROUP_2: N_("group II"),
    DisabilityGroup.GROUP_3: N_("group III"),
}

SEX_NAMES: dict[Sex, str] = {Sex.MALE: N_("male"), Sex.FEMALE: N_("female")}

POSTPONEMENT_REASON_NAMES: dict[PostponementReason, str] = {
    PostponementReason.ILLNESS: N_("illness"),
    PostponementReason.HOSPITALISATION: N_("hospitalisation"),
}

# What is wrong with a typed IIN (core.rules.iin reason codes), in words a family can act on.
IIN_REASONS: dict[str, str] = {
    "not_12_digits": N_("An IIN has exactly 12 digits, with no letters."),
    "bad_century_digit": N_("The 7th digit must be from 1 to 6: it shows the century of birth and the sex."),
    "bad_date": N_("The first 6 digits must be a real date of birth (year, month, day)."),
    "birth_date_after_on_date": N_("The date of birth in this number is in the future."),
    "bad_check_digit": N_("The last digit does not match the others: there is probably a typo."),
    "check_digit_unassignable": N_("No IIN like this is ever issued: there is probably a typo."),
}

# Why a form of service does not fit (core.rules.eligibility reason codes). Placeholders: {ref} the paragraph,
# {age} the lower age limit of the form.
ELIGIBILITY_REASONS: dict[str, str] = {
    "below_min_age": N_("this form is for children from {age} ({ref})"),
    "above_max_age": N_("this form is for children under 18; for an adult choose an adult category ({ref})"),
    "disability_group_required": N_("this form is for people with a group I or II disability ({ref})"),
    "category_not_served": N_("this form does not serve this category of people ({ref})"),
    "birth_date_after_on_date": N_("the date of birth is in the future ({ref})"),
    "rule_not_in_force": N_("the rule for this form is not in force yet ({ref})"),
}

# The lower age limits of App.1-3 p.2, in completed months, as a person says them.
AGE_LIMIT_NAMES: dict[int, str] = {
    18: N_("1.5 years"),
    36: N_("3 years"),
    216: N_("18 years"),
}

# Why the arrival date cannot be moved (core.rules.postponement reason codes). Placeholders: {ref} the
# paragraph, {due} the arrival date in force, {latest} the latest date allowed.
POSTPONEMENT_REFUSALS: dict[str, str] = {
    "already_postponed": N_(
        "The arrival date can be moved only once ({ref}), and it has already been moved. Please come by {due}."
    ),
    "beyond_limit": N_("This date is too late. The latest date allowed is {latest} ({ref})."),
    "not_after_due_date": N_("The new date must be after your current arrival date, {due}."),
    "form_has_no_postponement": N_("For this form of service there is no arrival date to move."),
}

# Conditions of checklist items (core.rules.checklists condition codes): when the item is needed.
CONDITION_NAMES: dict[str, str] = {
    "instead_of_application": N_("instead of the application"),
    "only_if_court_decision_exists_and_not_in_systems": N_(
        "only if there is such a court decision and the department cannot find it by IIN"
    ),
    "only_if_court_decision_exists": N_("only if there is such a court decision"),
    "only_for_persons_of_pension_age": N_("for people of pension age"),
    "only_if_more_than_one_month_in_queue": N_("only if you waited in the queue for more than one month"),
    "only_if_available": N_("if you have it"),
    "unless_recognised_victim_in_pretrial_investigation": N_(
        "not needed if the investigation has already recognised you as a victim"
    ),
}

# Service error reasons (core.services) a family can meet in the chat. Placeholders: {limit} a file size.
SERVICE_REASONS: dict[str, str] = {
    "empty_file": N_("The file is empty. Please send it again."),
    "file_too_large": N_("This file is too large. The limit is {limit}. Please send a smaller photo or PDF."),
    "file_type_not_accepted": N_("I can accept only a photo (JPEG or PNG) or a PDF file."),
    "case_not_editable": N_("The documents of this application can no longer be changed in the chat."),
    "readmission_barred": N_("A new application for this form is possible only from {date}."),
    "organisation_not_accepting": N_("This organisation is not accepting people now."),
    "self_representation": N_("This is your own IIN. Please type the IIN of the person you represent."),
    "empty_message": N_("The message is empty. Please type your question."),
    "message_too_long": N_("The message is too long. Please make it shorter (up to 4000 characters)."),
    "transition_not_allowed": N_("This step is not possible at the current stage of the application."),
    "documents_incomplete": N_("Some documents are still missing."),
}


def label(lang: str, table: dict, code: object) -> str:  # type: ignore[type-arg]
    """The translated name of a code, or the code itself if the table has no entry (never fails)."""
    message = table.get(code)
    return gettext(lang, message) if message else str(code)


def explain(lang: str, table: dict[str, str], code: str, **values: object) -> str:
    """The translated explanation of a reason code with its values filled in; the code itself if unknown."""
    message = table.get(code)
    return gettext(lang, message, **values) if message else code
