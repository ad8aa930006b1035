"""What a person reads for each code of the rules core, in the glossary's official terms (translated via gettext).

The rules core answers with codes; only this layer turns them into words, in the person's language.
"""

from __future__ import annotations

from bot.i18n import N_, gettext
from core.rules.codes import Category, DocumentCode, Form, Status, Step

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
}


def label(lang: str, table: dict, code: object) -> str:  # type: ignore[type-arg]
    """The translated name of a code, or the code itself if the table has no entry (never fails)."""
    message = table.get(code)
    return gettext(lang, message) if message else str(code)
