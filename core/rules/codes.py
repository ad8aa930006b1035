"""The shared vocabulary (rules-digest): forms, categories, documents, steps and case statuses.

Values are stable identifiers used in the CLI, the database, the dialogue and the tests. Never rename one.
"""

from __future__ import annotations

from enum import StrEnum


class Form(StrEnum):
    """The four forms of special social services (App.1-4 p.1)."""

    STATIONARY = "stationary"  # App.1
    SEMI_STATIONARY = "semi_stationary"  # App.2
    HOME = "home"  # App.3
    TEMPORARY_STAY = "temporary_stay"  # App.4

    @property
    def appendix(self) -> int:
        return _APPENDIX[self]


_APPENDIX = {
    Form.STATIONARY: 1,
    Form.SEMI_STATIONARY: 2,
    Form.HOME: 3,
    Form.TEMPORARY_STAY: 4,
}


class Category(StrEnum):
    """Recipient categories: App.1-3 p.2 (disability and old age) and App.4 p.2 (temporary stay)."""

    CHILD_PSYCHONEURO = "child_psychoneuro"
    CHILD_MUSCULOSKELETAL = "child_musculoskeletal"
    ADULT_PSYCHONEURO = "adult_psychoneuro"
    DISABLED_ADULT = "disabled_adult"
    ELDERLY = "elderly"
    HOMELESS = "homeless"
    RELEASED_PRISONER = "released_prisoner"
    DOMESTIC_VIOLENCE_VICTIM = "domestic_violence_victim"
    TRAFFICKING_VICTIM = "trafficking_victim"


class DisabilityGroup(StrEnum):
    GROUP_1 = "1"
    GROUP_2 = "2"
    GROUP_3 = "3"


class DocumentCode(StrEnum):
    """Checklist items (rules-digest §3). The first group the applicant brings, the second the state fetches."""

    APPLICATION = "application"
    MEDICAL_PETITION = "medical_petition"
    IDENTITY_DOCUMENT = "identity_document"
    MEDICAL_CARD = "medical_card"
    OUTPATIENT_EXTRACT = "outpatient_extract"
    PMPC_CONCLUSION = "pmpc_conclusion"
    COURT_INCAPACITY_DECISION = "court_incapacity_decision"
    BIRTH_CERTIFICATE = "birth_certificate"
    VACCINATION_CARD = "vaccination_card"
    REFERRAL = "referral"
    ASSESSMENT_SHEET = "assessment_sheet"
    CONTRACT = "contract"
    REPRESENTATIVE_PROOF = "representative_proof"
    # Fetched by the state through the e-government gateway by IIN (App.1-3 p.5): the family brings nothing.
    IDENTITY = "identity"
    DISABILITY = "disability"
    IPR_MEASURES = "ipr_measures"
    COURT_INCAPACITY = "court_incapacity"
    RESIDENCE_REGISTRATION = "residence_registration"
    PENSION_AGE = "pension_age"
    VETERAN_STATUS = "veteran_status"


class Stage(StrEnum):
    APPLICATION = "application"
    ADMISSION = "admission"


class ProvidedBy(StrEnum):
    APPLICANT = "applicant"
    STATE = "state"
    ORGANISATION = "organisation"  # filled in or concluded by the service organisation (App.4 1-1, 2-қосымша)


class Step(StrEnum):
    """Statutory steps that carry a deadline (foundation issue, CLI contract)."""

    NOTIFY_RECIPIENT = "notify_recipient"
    CHOOSE_ORGANISATION = "choose_organisation"
    ARRIVE = "arrive"
    ARRIVE_FROM_QUEUE = "arrive_from_queue"
    POSTPONED_ARRIVAL = "postponed_arrival"
    PORTAL_CARD = "portal_card"
    MEDICAL_RECHECK = "medical_recheck"
    SEND_DOCUMENTS = "send_documents"
    TRANSFER_CONSENT = "transfer_consent"
    HOME_VISIT = "home_visit"
    INSPECTION_ACT = "inspection_act"
    DECISION = "decision"
    IDENTIFICATION = "identification"
    FORWARD_TO_AUTHORITY = "forward_to_authority"
    SEND_DECISION = "send_decision"
    CONTRACT = "contract"
    INFORM_POLICE = "inform_police"
    OTHER_REGION_STAY = "other_region_stay"
    # Ends of a stay the case itself dates (no term in `deadlines` counts them): staff must act on or before them.
    LEAVE_RETURN = "leave_return"  # back from temporary leave (App.1 p.14, p.17; App.4 p.14)
    CONTRACT_END = "contract_end"  # the temporary-stay contract runs out (App.4 p.9): extend (p.9, p.12) or end


class Status(StrEnum):
    """Case statuses. Which may follow which, per form, is the transition table in `lifecycle`."""

    DRAFT = "draft"  # being assembled in the chat; nothing submitted yet
    SUBMITTED = "submitted"  # documents complete and accepted by the department (App.1 p.6)
    HOME_VISITED = "home_visited"  # home care: the specialist visited (App.3 p.8)
    INSPECTED = "inspected"  # home care: inspection act drawn up (App.3 p.8)
    IDENTIFIED = "identified"  # temporary stay: recognised as a victim (App.4 p.4-1..4-4)
    FORWARDED = "forwarded"  # temporary stay: sheet and application sent to the authority (App.4 p.4-4)
    APPROVED = "approved"  # decision to provide services (App.1 p.7)
    REFUSED = "refused"  # decision to refuse, or not recognised as a victim (App.4 p.4-4)
    NOTIFIED = "notified"  # recipient notified of the decision and asked to choose (App.1 p.7)
    QUEUED = "queued"  # in an organisation's queue (App.1 p.7)
    OFFERED = "offered"  # a free place is offered; arrival deadline running (App.1 p.7)
    CONTRACT_SIGNED = "contract_signed"  # temporary stay: contract App.4 2-қосымша (App.4 p.8)
    ADMITTED = "admitted"  # receiving services
    ON_LEAVE = "on_leave"  # temporary leave (App.1 p.14)
    SUSPENDED = "suspended"  # services suspended (App.2 p.15, App.3 p.17)
    DISCHARGED = "discharged"
    TERMINATED = "terminated"
    EXPELLED = "expelled"
    WITHDRAWN = "withdrawn"  # the applicant withdrew before admission


class Priority(StrEnum):
    """Queue priority (App.1 p.10, App.2 p.9, App.3 p.10)."""

    VETERAN = "veteran"


class Actor(StrEnum):
    """Who performs a step; used by the lifecycle table and the audit log."""

    APPLICANT = "applicant"
    DEPARTMENT = "department"
    ORGANISATION = "organisation"
    AUTHORITY = "authority"
    SYSTEM = "system"
