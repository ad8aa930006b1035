"""Moving the arrival date because of illness or hospitalisation (App.1 p.7, App.2 p.7).

Stationary: once, by up to 30 additional calendar days. Semi-stationary: once, by up to 14, and meanwhile the
day-care centre admits the next person in the queue. Home care and temporary stay have no arrival term to
move. Pure: every date is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from core.rules.codes import Form
from core.rules.legal import LegalRef, ref


class PostponementReason(StrEnum):
    """Why a request is refused; stable strings shown by the CLI and stored with the case."""

    ALREADY_POSTPONED = "already_postponed"
    BEYOND_LIMIT = "beyond_limit"
    NOT_AFTER_DUE_DATE = "not_after_due_date"
    FORM_HAS_NO_POSTPONEMENT = "form_has_no_postponement"


@dataclass(frozen=True, slots=True)
class PostponementRule:
    form: Form
    max_extra_days: int  # calendar days after the arrival due date
    max_times: int
    next_in_queue_admitted: bool  # App.2 p.7: the centre admits the next person while the place waits
    legal_ref: LegalRef

    @property
    def effective_from(self) -> date:
        return self.legal_ref.effective_from


POSTPONEMENT_RULES: tuple[PostponementRule, ...] = (
    PostponementRule(Form.STATIONARY, 30, 1, False, ref(1, "7")),
    PostponementRule(Form.SEMI_STATIONARY, 14, 1, True, ref(2, "7")),
)


@dataclass(frozen=True, slots=True)
class PostponementDecision:
    allowed: bool
    latest: date  # the latest arrival date the law allows now (the due date itself when nothing can move)
    reasons: tuple[str, ...]  # PostponementReason values; empty when allowed
    legal_ref: LegalRef | None  # None for forms whose standard has no postponement at all
    next_in_queue_admitted: bool = False


def postponement_rule(form: Form) -> PostponementRule | None:
    return next((rule for rule in POSTPONEMENT_RULES if rule.form is form), None)


# Law silent: the standards count "additional calendar days" without naming the base; we count them from the
# arrival due date in force when the person asks (the 15th / 3rd working day after the vacancy), the date the
# organisation holds the place until.
# Law silent: the request must reach the organisation as an e-document signed on the portal; whether it may
# come after the due date has passed is not said. This function does not see when it was sent: the case
# engine checks that, together with the proof of illness.
def assess_postponement(
    form: Form, arrival_due: date, requested_until: date, previous_count: int
) -> PostponementDecision:
    """May the recipient, due to arrive by `arrival_due`, arrive by `requested_until` instead?

    `previous_count`: postponements already granted for this offer. Every reason that applies is listed;
    `latest` is the latest date the recipient may still arrive by.
    """
    if previous_count < 0:
        raise ValueError("previous_count cannot be negative")
    rule = postponement_rule(form)
    if rule is None:
        return PostponementDecision(
            allowed=False,
            latest=arrival_due,
            reasons=(PostponementReason.FORM_HAS_NO_POSTPONEMENT,),
            legal_ref=None,
        )
    exhausted = previous_count >= rule.max_times
    limit = arrival_due + timedelta(days=rule.max_extra_days)
    reasons: list[str] = []
    if exhausted:
        reasons.append(PostponementReason.ALREADY_POSTPONED)
    if requested_until <= arrival_due:
        reasons.append(PostponementReason.NOT_AFTER_DUE_DATE)
    elif requested_until > limit and not exhausted:
        # Once used, the postponement is gone: the limit of an unused one no longer means anything.
        reasons.append(PostponementReason.BEYOND_LIMIT)
    return PostponementDecision(
        allowed=not reasons,
        latest=arrival_due if exhausted else limit,
        reasons=tuple(reasons),
        legal_ref=rule.legal_ref,
        next_in_queue_admitted=rule.next_in_queue_admitted and not reasons,
    )
