"""Each workspace form, read and handed to its service: one function per step, always inside the caller's
`runtime.context(actor_for(principal))`, so one step is one transaction with its audit rows and notices.

The choices offered on the page (organisations, grounds, kinds of leave) come from `options_for`; a posted value
outside them is refused here as if the field had been left empty, so a crafted form cannot reach a service with
an organisation or ground the page never offered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa

from admin import actions_forms as forms
from admin.actions_texts import DONE, DONE_RECHECK, GROUND_TITLES, IDENTIFICATION_OUTCOMES, LEAVE_KIND_NAMES
from admin.i18n import _, current_language
from admin.vocabulary import label
from bot.dialogue.render import cite
from core.db.enums import IdentificationOutcome, PostponementReason
from core.db.models import Case, Department, Organisation
from core.rules import grounds
from core.rules.leave import LEAVE_LIMITS, LeaveKind
from core.rules.lifecycle import Action
from core.services import decisions, placement, postponements, residency
from core.services.context import ServiceContext
from core.services.errors import InvalidInput

Form = Mapping[str, str]
Handler = Callable[[ServiceContext, Case, Form], str]


@dataclass
class Option:
    value: str
    text: str
    note: str = ""


@dataclass
class Options:
    """The choices a step's form offers, computed for the case as it is now."""

    organisations: list[Option] = field(default_factory=list)
    grounds: list[Option] = field(default_factory=list)
    leave_kinds: list[Option] = field(default_factory=list)


def _name(organisation: Organisation) -> str:
    return str(getattr(organisation, f"name_{current_language()}", None) or organisation.name_ru)


def _choice_options(ctx: ServiceContext, case: Case) -> list[Option]:
    """Organisations of the case's form taking its category, in the department's region (all when unknown)."""
    department = ctx.session.get(Department, case.department_id) if case.department_id else None
    found = placement.organisations_for(ctx, case, region_id=department.region_id if department else None)
    options = []
    for choice in found:
        organisation = choice.organisation
        free, queued = organisation.free_places, choice.queue_length
        note = _("free places: {free}, in the queue: {queued}", free=free, queued=queued)
        if not organisation.accepting:
            note = _("not accepting now")
        options.append(Option(str(organisation.id), _name(organisation), note))
    return options


def _transfer_options(ctx: ServiceContext, case: Case) -> list[Option]:
    """Organisations of the same form elsewhere (App.1 p.16 allows another region by agreement)."""
    statement = (
        sa.select(Organisation)
        .where(Organisation.form == case.form, Organisation.id != case.organisation_id)
        .order_by(Organisation.name_ru)
    )
    return [
        Option(str(row.id), _name(row), _("free places: {free}", free=row.free_places))
        for row in ctx.session.scalars(statement)
    ]


def ground_options(case: Case, action: Action) -> list[Option]:
    """The grounds of the standard for this step, each with its paragraph (App.N p.X)."""
    language = current_language()
    return [
        Option(row.code.value, label_ground(row.code.value), cite(language, row.legal_ref))
        for row in _grounds(case, action)
    ]


def _grounds(case: Case, action: Action) -> tuple[grounds.Ground, ...]:
    return grounds.grounds_for_action(case.form, action)


def label_ground(code: str) -> str:
    name = GROUND_TITLES.get(code)
    return _(name) if name else code


def _leave_options(case: Case) -> list[Option]:
    return [
        Option(limit.kind.value, _(LEAVE_KIND_NAMES[limit.kind.value]))
        for limit in LEAVE_LIMITS
        if limit.form == case.form
    ]


def options_for(ctx: ServiceContext, case: Case, step_key: str) -> Options:
    if step_key == "choose_organisation":
        return Options(organisations=_choice_options(ctx, case))
    if step_key == "transfer":
        return Options(organisations=_transfer_options(ctx, case))
    if step_key in {"suspend", "discharge", "terminate", "expel"}:
        return Options(grounds=ground_options(case, Action(step_key)))
    if step_key == "start_leave":
        return Options(leave_kinds=_leave_options(case))
    return Options()


def _done(case: Case) -> str:
    return _(DONE, status=label(case.status))


# --- the department's (or the organisation's, for a temporary stay) steps before the decision -------------------


def _submit(ctx: ServiceContext, case: Case, form: Form) -> str:
    decisions.submit(ctx, case)
    return _done(case)


def _home_visit(ctx: ServiceContext, case: Case, form: Form) -> str:
    decisions.record_home_visit(ctx, case, forms.day(form, "on", ctx.today))
    return _done(case)


def _inspection_act(ctx: ServiceContext, case: Case, form: Form) -> str:
    number = forms.required_text(form, "number", "number_required")
    decisions.record_inspection_act(ctx, case, number, forms.day(form, "on", ctx.today))
    return _done(case)


def _identify(ctx: ServiceContext, case: Case, form: Form) -> str:
    outcome = IdentificationOutcome(forms.choice(form, "outcome", list(IDENTIFICATION_OUTCOMES)))
    decisions.identify_victim(ctx, case, outcome, forms.day(form, "on", ctx.today))
    return _done(case)


def _forward(ctx: ServiceContext, case: Case, form: Form) -> str:
    decisions.forward_to_authority(ctx, case)
    return _done(case)


# Law silent on the form of a refusal: the family can only act on (or appeal) a refusal that says why, so the
# panel asks for the reason, which reaches the applicant with the refusal notice.
def _decide(ctx: ServiceContext, case: Case, form: Form) -> str:
    positive = forms.choice(form, "outcome", ["approve", "refuse"]) == "approve"
    number = forms.text(form, "number", limit=64)
    decided_on = forms.day(form, "on", ctx.today)
    reason = forms.text(form, "reason")
    if not positive and not reason:
        raise InvalidInput("a refusal needs its reason", reason="refusal_reason_required", field="reason")
    decisions.decide(ctx, case, positive=positive, number=number, decided_on=decided_on, reason=reason or None)
    return _done(case)


def _notify(ctx: ServiceContext, case: Case, form: Form) -> str:
    decisions.notify_recipient(ctx, case)
    return _done(case)


def _choose(ctx: ServiceContext, case: Case, form: Form) -> str:
    allowed = [option.value for option in _choice_options(ctx, case)]
    organisation_id = int(forms.choice(form, "organisation_id", allowed))
    placement.choose_organisation(ctx, case, organisation_id)
    return _done(case)


def _contract(ctx: ServiceContext, case: Case, form: Form) -> str:
    number = forms.required_text(form, "number", "number_required")
    decisions.sign_contract(ctx, case, number, forms.day(form, "on", ctx.today))
    return _done(case)


# --- the organisation's steps ---------------------------------------------------------------------------------


def _postpone(ctx: ServiceContext, case: Case, form: Form) -> str:
    until = forms.day(form, "until", ctx.today, past_only=False)
    reason = forms.enum_choice(form, "reason", PostponementReason)
    postponements.record(ctx, case, until, reason)
    return _done(case)


def _no_show(ctx: ServiceContext, case: Case, form: Form) -> str:
    placement.no_show(ctx, case)
    return _done(case)


def _admit(ctx: ServiceContext, case: Case, form: Form) -> str:
    recheck = residency.admit(ctx, case)
    return _(DONE_RECHECK) if recheck else _done(case)


def _start_leave(ctx: ServiceContext, case: Case, form: Form) -> str:
    kind = LeaveKind(forms.choice(form, "kind", [option.value for option in _leave_options(case)]))
    residency.start_leave(ctx, case, forms.day(form, "on", ctx.today, past_only=False), kind)
    return _done(case)


def _end_leave(ctx: ServiceContext, case: Case, form: Form) -> str:
    residency.end_leave(ctx, case)
    return _done(case)


def _ground(case: Case, action: Action, form: Form) -> str:
    return forms.choice(form, "ground", [row.code.value for row in _grounds(case, action)])


def _suspend(ctx: ServiceContext, case: Case, form: Form) -> str:
    residency.suspend(ctx, case, _ground(case, Action.SUSPEND, form))
    return _done(case)


def _restore(ctx: ServiceContext, case: Case, form: Form) -> str:
    residency.restore(ctx, case)
    return _done(case)


def _transfer(ctx: ServiceContext, case: Case, form: Form) -> str:
    allowed = [option.value for option in _transfer_options(ctx, case)]
    residency.transfer(ctx, case, int(forms.choice(form, "organisation_id", allowed)))
    return _done(case)


def _ending(action: Action) -> Handler:
    def end(ctx: ServiceContext, case: Case, form: Form) -> str:
        ground = _ground(case, action, form)
        residency.end_services(ctx, case, action, ground, forms.day(form, "on", ctx.today, past_only=False))
        return _done(case)

    return end


HANDLERS: dict[str, Handler] = {
    "submit": _submit,
    "record_home_visit": _home_visit,
    "record_inspection_act": _inspection_act,
    "identify_victim": _identify,
    "forward_to_authority": _forward,
    "decide": _decide,
    "notify": _notify,
    "choose_organisation": _choose,
    "sign_contract": _contract,
    "postpone": _postpone,
    "no_show": _no_show,
    "admit": _admit,
    "start_leave": _start_leave,
    "end_leave": _end_leave,
    "suspend": _suspend,
    "restore": _restore,
    "transfer": _transfer,
    "discharge": _ending(Action.DISCHARGE),
    "terminate": _ending(Action.TERMINATE),
    "expel": _ending(Action.EXPEL),
}
