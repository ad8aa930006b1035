"""What happens next and by when, in the person's words, with the terms the rules give (core.rules.deadlines).

Every number comes from the deadline table, so a changed rule changes the chat too.
"""

from __future__ import annotations

from datetime import date

from bot.dialogue.render import cite, day
from bot.i18n import N_, gettext, ngettext
from core.db.models import Case
from core.rules import deadlines
from core.rules.codes import Form, Step
from core.services.context import ServiceContext

AFTER_SUBMIT_DECISION = N_(
    "What happens next:\n"
    "1. The department checks your documents and enters the application into the E-Sobes system.\n"
    "2. A decision is made. You will be notified here within {notify} of the decision ({ref}).\n"
    "3. Then you have {choose} to choose an organisation."
)
AFTER_SUBMIT_HOME = N_(
    "What happens next:\n"
    "1. A specialist visits your home within {visit} and draws up the housing and living conditions "
    "inspection act ({ref}).\n"
    "2. The decision is made within {decision} of the act. You will be notified here within {notify}.\n"
    "3. Then you have {choose} to choose a home-care organisation."
)
AFTER_SUBMIT_SHELTER = N_(
    "What happens next: the organisation reviews your application ({ref}). For victims of domestic violence or "
    "human trafficking there is first a short interview, within {identify} of the application. We will write "
    "to you here."
)


def working_days(lang: str, n: int) -> str:
    return ngettext(lang, "{n} working day", "{n} working days", n)


def calendar_days(lang: str, n: int) -> str:
    return ngettext(lang, "{n} calendar day", "{n} calendar days", n)


def term(lang: str, form: Form, step: Step, on: date) -> str:
    """ "10 working days": the length of the term of `step` for `form`, as in force on `on`."""
    rule = deadlines.rule_for(form, step, on)
    if rule.unit is deadlines.Unit.WORKING_DAYS:
        return working_days(lang, rule.amount)
    return calendar_days(lang, rule.amount)


def paragraph(lang: str, form: Form, step: Step, on: date) -> str:
    return cite(lang, deadlines.rule_for(form, step, on).legal_ref)


def after_submit(lang: str, case: Case, today: date) -> str:
    form = case.form
    if form == Form.HOME:
        return gettext(
            lang,
            AFTER_SUBMIT_HOME,
            visit=term(lang, form, Step.HOME_VISIT, today),
            decision=term(lang, form, Step.DECISION, today),
            notify=term(lang, form, Step.NOTIFY_RECIPIENT, today),
            choose=term(lang, form, Step.CHOOSE_ORGANISATION, today),
            ref=paragraph(lang, form, Step.HOME_VISIT, today),
        )
    if form == Form.TEMPORARY_STAY:
        return gettext(
            lang,
            AFTER_SUBMIT_SHELTER,
            identify=term(lang, form, Step.IDENTIFICATION, today),
            ref=paragraph(lang, form, Step.IDENTIFICATION, today),
        )
    return gettext(
        lang,
        AFTER_SUBMIT_DECISION,
        notify=term(lang, form, Step.NOTIFY_RECIPIENT, today),
        choose=term(lang, form, Step.CHOOSE_ORGANISATION, today),
        ref=paragraph(lang, form, Step.NOTIFY_RECIPIENT, today),
    )


def due_after(ctx: ServiceContext, form: Form, step: Step, event_on: date) -> str:
    """The last day of the term of `step` that started with an event on `event_on`, as DD.MM.YYYY."""
    return day(deadlines.deadline(form, step, event_on, ctx.calendar).due)
