"""Words for the codes staff see in the panel (translated on display). Applicant-facing words are in bot.vocabulary;
staff read the same law in office terms (the glossary's), so statuses are named for the officer, not the family."""

from __future__ import annotations

from enum import Enum
from typing import Any

from admin.i18n import N_, _
from bot.vocabulary import DOCUMENT_NAMES, POSTPONEMENT_REASON_NAMES
from core.db.enums import (
    Audience,
    Channel,
    Direction,
    DocumentStatus,
    Language,
    OfferStatus,
    OutboxStatus,
    PostponementReason,
    PostponementStatus,
    StaffRole,
)
from core.rules.codes import Actor, Category, DocumentCode, Form, Status, Step

STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: N_("Draft"),
    Status.SUBMITTED: N_("Submitted"),
    Status.HOME_VISITED: N_("Home visit done"),
    Status.INSPECTED: N_("Inspection act drawn up"),
    Status.IDENTIFIED: N_("Recognised as a victim"),
    Status.FORWARDED: N_("Forwarded to the authorised body"),
    Status.APPROVED: N_("Decision to provide services"),
    Status.REFUSED: N_("Refused"),
    Status.NOTIFIED: N_("Notified, choosing an organisation"),
    Status.QUEUED: N_("In the queue"),
    Status.OFFERED: N_("Place offered"),
    Status.CONTRACT_SIGNED: N_("Contract signed"),
    Status.ADMITTED: N_("Admitted"),
    Status.ON_LEAVE: N_("On temporary leave"),
    Status.SUSPENDED: N_("Services suspended"),
    Status.DISCHARGED: N_("Discharged"),
    Status.TERMINATED: N_("Services terminated"),
    Status.EXPELLED: N_("Expelled"),
    Status.WITHDRAWN: N_("Withdrawn"),
}

STEP_LABELS: dict[Step, str] = {
    Step.NOTIFY_RECIPIENT: N_("Notify the recipient of the decision"),
    Step.CHOOSE_ORGANISATION: N_("Recipient chooses an organisation"),
    Step.ARRIVE: N_("Arrival at the organisation"),
    Step.ARRIVE_FROM_QUEUE: N_("Arrival on a place from the queue"),
    Step.POSTPONED_ARRIVAL: N_("Arrival on the moved date"),
    Step.PORTAL_CARD: N_("Recipient's card on the portal"),
    Step.MEDICAL_RECHECK: N_("New medical examination"),
    Step.SEND_DOCUMENTS: N_("Send the documents to the organisation"),
    Step.TRANSFER_CONSENT: N_("Answer the transfer request"),
    Step.HOME_VISIT: N_("Home visit"),
    Step.INSPECTION_ACT: N_("Inspection act"),
    Step.DECISION: N_("Decision on the application"),
    Step.IDENTIFICATION: N_("Victim identification"),
    Step.FORWARD_TO_AUTHORITY: N_("Forward to the authorised body"),
    Step.SEND_DECISION: N_("Send the decision"),
    Step.CONTRACT: N_("Sign the contract"),
    Step.INFORM_POLICE: N_("Inform the police"),
    Step.OTHER_REGION_STAY: N_("End of stay (other region)"),
    Step.LEAVE_RETURN: N_("Return from leave"),
    Step.CONTRACT_END: N_("End of the contract"),
}

# Short office names for lists (the applicant-facing ones in bot.vocabulary explain more and run long).
FORM_LABELS: dict[Form, str] = {
    Form.STATIONARY: N_("Residential care"),
    Form.SEMI_STATIONARY: N_("Day care"),
    Form.HOME: N_("Home care"),
    Form.TEMPORARY_STAY: N_("Temporary stay"),
}

CATEGORY_LABELS: dict[Category, str] = {
    Category.CHILD_PSYCHONEURO: N_("Child, psychoneurological disorders"),
    Category.CHILD_MUSCULOSKELETAL: N_("Child, musculoskeletal disorders"),
    Category.ADULT_PSYCHONEURO: N_("Adult (18+), psychoneurological illness"),
    Category.DISABLED_ADULT: N_("Disability group I or II"),
    Category.ELDERLY: N_("Older person"),
    Category.HOMELESS: N_("No fixed abode"),
    Category.RELEASED_PRISONER: N_("Released from prison or on probation"),
    Category.DOMESTIC_VIOLENCE_VICTIM: N_("Victim of domestic violence"),
    Category.TRAFFICKING_VICTIM: N_("Victim of human trafficking"),
}

# Each language in itself: not translated.
LANGUAGE_NAMES: dict[Language, str] = {Language.KK: "Қазақша", Language.RU: "Русский", Language.EN: "English"}

ROLE_LABELS: dict[StaffRole, str] = {
    StaffRole.ADMIN: N_("Administrator"),
    StaffRole.DEPARTMENT: N_("Department staff"),
    StaffRole.ORGANISATION: N_("Organisation staff"),
}

OFFER_STATUS_LABELS: dict[OfferStatus, str] = {
    OfferStatus.OPEN: N_("Offer open"),
    OfferStatus.ACCEPTED: N_("Offer accepted"),
    OfferStatus.LAPSED: N_("Offer lapsed"),
    OfferStatus.WITHDRAWN: N_("Offer withdrawn"),
}

DOCUMENT_STATUS_LABELS: dict[DocumentStatus, str] = {
    DocumentStatus.MISSING: N_("Missing"),
    DocumentStatus.UPLOADED: N_("Uploaded, not checked"),
    DocumentStatus.ACCEPTED: N_("Document accepted"),
    DocumentStatus.REJECTED: N_("Document rejected"),
}

POSTPONEMENT_STATUS_LABELS: dict[PostponementStatus, str] = {
    PostponementStatus.APPROVED: N_("Postponement approved"),
    PostponementStatus.DECLINED: N_("Postponement declined"),
}

OUTBOX_STATUS_LABELS: dict[OutboxStatus, str] = {
    OutboxStatus.PENDING: N_("Waiting to be sent"),
    OutboxStatus.SENT: N_("Sent"),
    OutboxStatus.FAILED: N_("Delivery failed"),
    OutboxStatus.CANCELLED: N_("Cancelled"),
    OutboxStatus.HELD: N_("Held until the person writes"),
}

DIRECTION_LABELS: dict[Direction, str] = {
    Direction.IN: N_("From the applicant"),
    Direction.OUT: N_("From staff"),
}

ACTOR_LABELS: dict[Actor, str] = {
    Actor.APPLICANT: N_("Applicant"),
    Actor.DEPARTMENT: N_("Department"),
    Actor.ORGANISATION: N_("Organisation"),
    Actor.AUTHORITY: N_("Authorised body"),
    Actor.SYSTEM: N_("System"),
}

CHANNEL_LABELS: dict[Channel, str] = {
    Channel.TELEGRAM: "Telegram",
    Channel.WHATSAPP: "WhatsApp",
    Channel.WEB: N_("Web chat"),
}
AUDIENCE_LABELS: dict[Audience, str] = {Audience.APPLICANT: N_("Applicant"), Audience.STAFF: N_("Staff")}

_BY_TYPE: dict[type[Enum], dict[Any, str]] = {
    Status: STATUS_LABELS,
    Step: STEP_LABELS,
    StaffRole: ROLE_LABELS,
    OfferStatus: OFFER_STATUS_LABELS,
    DocumentStatus: DOCUMENT_STATUS_LABELS,
    PostponementStatus: POSTPONEMENT_STATUS_LABELS,
    OutboxStatus: OUTBOX_STATUS_LABELS,
    Direction: DIRECTION_LABELS,
    Actor: ACTOR_LABELS,
    Channel: CHANNEL_LABELS,
    Audience: AUDIENCE_LABELS,
    Form: FORM_LABELS,
    Category: CATEGORY_LABELS,
    Language: LANGUAGE_NAMES,
    DocumentCode: DOCUMENT_NAMES,
    PostponementReason: POSTPONEMENT_REASON_NAMES,
}


def label(value: Any) -> str:
    """The staff word for a code, in the current panel language; the raw value when there is none."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    names = _BY_TYPE.get(type(value))
    if names is not None and value in names:
        return _(names[value])
    return str(value.value if isinstance(value, Enum) else value)


def step_label(step: Step | str) -> str:
    """A statutory step (core.services.reminders reports Step members)."""
    try:
        return label(Step(step))
    except ValueError:
        return str(step)
