"""What staff read when a service refuses a step: the error's reason code in plain words, in the panel language.

Services raise InvalidInput / NotAllowed / NotFound / Conflict with stable reason codes (core/services/errors.py);
the workspace shows one sentence per reason, with the dates and allowed steps the error carries. An unknown code
falls back to a general sentence for its kind, never to the English developer message.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from admin.actions_texts import ACTION_TITLES, FORM_REASONS
from admin.i18n import N_, _
from admin.vocabulary import label
from core.db.uow import ConcurrentUpdateError
from core.rules.postponement import PostponementReason
from core.services.errors import Conflict, InvalidInput, NotAllowed, NotFound, ServiceError

REASONS: dict[str, str] = {
    # lifecycle and documents
    "transition_not_allowed": N_("This step is not possible in the case's current status."),
    "documents_incomplete": N_("The document checklist is not complete: {done} of {total} required documents."),
    "identification_required": N_("A victim must be identified before the decision (App.4 p.4-1)."),
    "not_victim_category": N_("Identification is only for victims of domestic violence or human trafficking."),
    "category_unknown": N_("The case has no recipient category."),
    "rejection_reason_required": N_("Please give the reason for rejecting the document."),
    "not_on_checklist": N_("This document is not on the case's checklist."),
    "act_number_required": N_("Please enter the number of the inspection act."),
    # placement
    "wrong_form": N_("This organisation provides another form of service."),
    "organisation_not_accepting": N_("The organisation is not accepting applications now."),
    "no_vacancy": N_("The organisation has no free place."),
    "same_organisation": N_("The case is already at this organisation."),
    "arrival_term_running": N_("The arrival term has not passed yet: it runs until {arrival_due_on}."),
    "no_arrival_due": N_("The case has no arrival date to move."),
    # postponement (core.rules.postponement codes) and its review
    PostponementReason.ALREADY_POSTPONED: N_("The arrival date has already been moved once (App.1-2 p.7)."),
    PostponementReason.BEYOND_LIMIT: N_("The new date is too late: the latest allowed date is {latest}."),
    PostponementReason.NOT_AFTER_DUE_DATE: N_("The new date must be after the current arrival date."),
    PostponementReason.FORM_HAS_NO_POSTPONEMENT: N_("This form of service has no arrival date to move."),
    "postponement_reviewed": N_("This request has already been confirmed or declined."),
    "postponement_not_in_force": N_("This moved date is no longer in force."),
    "original_date_passed": N_("The original arrival date ({original_due_on}) has passed: the moved date stands."),
    "decline_reason_required": N_("Please give the reason for declining: the applicant will read it."),
    # grounds and residence
    "unknown_ground": N_("Please choose a ground from the list."),
    "ground_kind_mismatch": N_("This ground does not fit the chosen step."),
    "readmission_barred": N_("Readmission is barred until {allowed_from} ({legal_ref})."),
    # inbox
    "empty_message": N_("The message is empty."),
    "message_too_long": N_("The message is too long: at most {max_chars} characters."),
}

GENERAL: dict[type[ServiceError], str] = {
    InvalidInput: N_("Please check the values you entered."),
    NotAllowed: N_("The rules do not allow this step now."),
    NotFound: N_("The record was not found: it may have been changed. Reload the page."),
    Conflict: N_("Someone changed this case at the same time. Reload the page and try again."),
}
FALLBACK = N_("The step could not be completed. Reload the page and try again.")
ALLOWED_NOW = N_("Possible now: {steps}.")


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)


def _reason_codes(error: ServiceError) -> list[str]:
    codes = list(getattr(error, "reasons", ()) or ())
    single = error.details.get("reason")
    if isinstance(single, str):
        codes.append(single)
    return codes


def _say(code: str, details: dict[str, Any]) -> str | None:
    message = REASONS.get(code) or FORM_REASONS.get(code)
    if message is None:
        return None
    values = {key: _shown(value) for key, value in details.items()}
    try:
        return _(message, **values)
    except (KeyError, IndexError):  # a detail the sentence needs is missing: say it without the values
        return None


def explain(error: Exception) -> str:
    """One or more sentences for staff, in the panel language."""
    if isinstance(error, StaleDataError | IntegrityError | ConcurrentUpdateError):
        return _(GENERAL[Conflict])
    if not isinstance(error, ServiceError):
        return _(FALLBACK)
    sentences = [text for code in _reason_codes(error) if (text := _say(code, dict(error.details))) is not None]
    if not sentences:
        general = next((text for kind, text in GENERAL.items() if isinstance(error, kind)), FALLBACK)
        sentences.append(_(general))
    allowed = error.details.get("allowed")
    if isinstance(allowed, tuple | list) and "transition_not_allowed" in _reason_codes(error):
        names = ", ".join(step_name(code) for code in allowed) or "—"
        sentences.append(_(ALLOWED_NOW, steps=names))
    return " ".join(dict.fromkeys(sentences))


def step_name(action_code: str) -> str:
    """A lifecycle action in staff words (the workspace's form titles)."""
    title = ACTION_TITLES.get(action_code)
    return _(title) if title else label(action_code)
