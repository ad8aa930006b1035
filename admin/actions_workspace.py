"""What the case workspace shows: the case, its checklist with each document, the status history, the moved
arrival dates, and the steps this staff member may take now, each with the choices its form offers.

Everything is read in one transaction and turned into plain values (strings, numbers) for the template, in the
panel language. Rows come through admin/scope.py, so the page never shows what the reader may not see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from admin import actions_policy as policy
from admin import scope
from admin.actions_steps import Option, Options, options_for
from admin.actions_texts import (
    ACTION_HINTS,
    ACTION_TITLES,
    FROM_ORGANISATION,
    GROUND_TITLES,
    HISTORY_NAMES,
    IDENTIFICATION_OUTCOMES,
    LEAVE_KIND_NAMES,
    LEAVE_UNTIL,
    REJECTION_REASONS,
)
from admin.i18n import _, current_language
from admin.principal import Principal
from admin.vocabulary import label
from bot.dialogue.render import cite
from bot.i18n import LANGUAGE_NAMES
from core.db.enums import DocumentStatus, PostponementReason
from core.db.models import Case, Department, Document, Organisation, Person, StatusHistory
from core.rules.checklists import ChecklistItem
from core.rules.codes import ProvidedBy, Stage, Status
from core.rules.iin import mask_iin
from core.services import documents, placement, postponements
from core.services.context import ALMATY, ServiceContext
from core.services.errors import NotFound

HISTORY_ROWS = 50


def shown_day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def shown_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return (value.astimezone(ALMATY) if value.tzinfo else value).strftime("%d.%m.%Y %H:%M")


@dataclass
class ChecklistRow:
    code: str
    title: str
    status: str  # DocumentStatus value, "" for items the state checks by IIN
    status_label: str
    required: bool
    document_id: int | None = None
    file_name: str = ""
    uploaded_at: str = ""
    rejection_reason: str = ""


@dataclass
class StepView:
    key: str
    title: str
    hint: str
    legal_ref: str
    to_status: str
    options: Options = field(default_factory=Options)


@dataclass
class PostponementRow:
    id: int
    reason: str
    requested_at: str
    original_due_on: str
    new_due_on: str
    status_label: str
    awaiting_review: bool
    reviewed: bool


@dataclass
class Workspace:
    case_id: int
    status: str
    facts: list[tuple[str, str]]
    checklist: list[ChecklistRow]
    progress: tuple[int, int]
    history: list[list[str]]
    postponements: list[PostponementRow]
    steps: list[StepView]
    may_review_documents: bool
    may_review_postponements: bool
    applicant_language: str
    rejection_reasons: list[Option]
    postponement_reasons: list[Option]
    identification_outcomes: list[Option]
    places_organisation_id: int | None
    today: str


def _name(row: Any) -> str:
    return str(getattr(row, f"name_{current_language()}", None) or row.name_ru) if row is not None else ""


def _person_line(ctx: ServiceContext, person_id: int) -> str:
    person = ctx.session.get(Person, person_id)
    if person is None:
        return ""
    # The workspace masks the IIN for everyone: the full number is on the person's page for those who may see it.
    iin = mask_iin(person.iin) if person.iin else _("no IIN")
    born = f", {shown_day(person.birth_date)}" if person.birth_date else ""
    return f"{person.full_name} ({iin}{born})"


def _facts(ctx: ServiceContext, case: Case) -> list[tuple[str, str]]:
    department = ctx.session.get(Department, case.department_id) if case.department_id else None
    organisation = ctx.session.get(Organisation, case.organisation_id) if case.organisation_id else None
    facts = [
        (_("Recipient"), _person_line(ctx, case.person_id)),
        (_("Form of service"), label(case.form)),
        (_("Category"), label(case.category)),
        (_("Department"), _name(department)),
        (_("Organisation"), _name(organisation)),
        (_("Applicant's language"), LANGUAGE_NAMES.get(case.language.value, case.language.value)),
    ]
    if case.applicant_person_id != case.person_id:
        facts.insert(1, (_("Applicant"), _person_line(ctx, case.applicant_person_id)))
    dated = (
        (_("Decision"), f"{case.decision_number or ''} {shown_day(case.decided_on)}".strip()),
        (_("Choose an organisation by"), shown_day(case.choose_due_on)),
        (_("Arrive by"), shown_day(case.arrival_due_on)),
        (_("Home visit"), shown_day(case.home_visit_on)),
        (_("Inspection act"), f"{case.inspection_act_number or ''} {shown_day(case.inspection_act_on)}".strip()),
        (_("Contract"), f"{case.contract_number or ''} {shown_day(case.contract_signed_on)}".strip()),
        (_("Services ended"), shown_day(case.ended_on)),
    )
    if case.status == Status.QUEUED:
        facts.append((_("Queue"), queue_line(ctx, case)))
    return [(title, value) for title, value in (*facts, *dated) if value]


def _not_uploaded(item: ChecklistItem) -> str:
    """Why an item has nothing to check here."""
    if item.stage == Stage.ADMISSION:
        return _("Originals are shown at admission")
    if item.provided_by == ProvidedBy.STATE:
        return _("Checked by IIN through the gateway")
    return _("Drawn up by the organisation")


def _checklist(ctx: ServiceContext, case: Case) -> tuple[list[ChecklistRow], tuple[int, int]]:
    progress = documents.progress(ctx, case)
    stored = {row.code: row for row in ctx.session.scalars(sa.select(Document).where(Document.case_id == case.id))}
    rows = []
    for state in progress.items:
        item = state.item
        # Only items the family uploads have a stored file; the others share codes with them (originals at
        # admission, the state's lookups) but are never uploaded.
        document = stored.get(item.code) if state.status is not None else None
        status = state.status.value if state.status is not None else ""
        status_label = label(state.status) if state.status is not None else _not_uploaded(item)
        rows.append(
            ChecklistRow(
                code=item.code.value,
                title=label(item.code),
                status=status,
                status_label=status_label,
                required=state.status is not None and not item.conditional,
                document_id=document.id if document and document.status != DocumentStatus.MISSING else None,
                file_name=(document.original_name or "") if document else "",
                uploaded_at=shown_time(document.uploaded_at) if document else "",
                rejection_reason=state.rejection_reason or "",
            )
        )
    return rows, (progress.done, progress.total)


def _history(session: Session, principal: Principal, case_id: int) -> list[list[str]]:
    statement = (
        sa.select(StatusHistory)
        .where(StatusHistory.case_id == case_id, scope.status_history_clause(principal))
        .order_by(StatusHistory.at.desc(), StatusHistory.id.desc())
        .limit(HISTORY_ROWS)
    )
    rows = []
    for step in session.scalars(statement):
        name = HISTORY_NAMES.get(step.action)
        rows.append(
            [
                shown_time(step.at),
                label(step.from_status) if step.from_status else "",
                label(step.to_status),
                _(name) if name else step.action,
                label(step.actor_kind),
                _note(session, step.note or ""),
            ]
        )
    return rows


_LEAVE_NOTE = re.compile(r"^(\w+) until (\d{4}-\d{2}-\d{2})$")
_FROM_NOTE = re.compile(r"^from organisation (\d+)$")


def _note(session: Session, note: str) -> str:
    """Notes the services write as codes (a ground, a reason, a kind of leave) in staff words; staff's own text
    (a refusal's reason, a declined move's reason) as it was typed."""
    if note in GROUND_TITLES:
        return _(GROUND_TITLES[note])
    if note in {reason.value for reason in PostponementReason}:
        return label(PostponementReason(note))
    if (leave := _LEAVE_NOTE.match(note)) and leave.group(1) in LEAVE_KIND_NAMES:
        until = shown_day(date.fromisoformat(leave.group(2)))
        return _(LEAVE_UNTIL, kind=_(LEAVE_KIND_NAMES[leave.group(1)]), day=until)
    if moved := _FROM_NOTE.match(note):
        organisation = session.get(Organisation, int(moved.group(1)))
        return _(FROM_ORGANISATION, organisation=_name(organisation)) if organisation else note
    return note


def _postponements(ctx: ServiceContext, case: Case) -> list[PostponementRow]:
    return [
        PostponementRow(
            id=int(row.id or 0),
            reason=label(row.reason),
            requested_at=shown_time(row.requested_at),
            original_due_on=shown_day(row.original_due_on),
            new_due_on=shown_day(row.new_due_on),
            status_label=label(row.status) if row.status else "",
            awaiting_review=postponements.awaiting_review(row),
            reviewed=row.decided_by is not None,
        )
        for row in postponements.of_case(ctx, case)
    ]


def _steps(ctx: ServiceContext, principal: Principal, case: Case) -> list[StepView]:
    views = []
    for found in policy.available(principal, case):
        key = found.step.key
        hint = ACTION_HINTS.get(key)
        views.append(
            StepView(
                key=key,
                title=_(ACTION_TITLES[key]),
                hint=_(hint) if hint else "",
                legal_ref=cite(current_language(), found.row.legal_ref),
                # A step with two outcomes (approve or refuse) leads where the officer decides.
                to_status=label(found.row.to_status) if len(found.step.actions) == 1 else "",
                options=options_for(ctx, case, key),
            )
        )
    return views


def _places_organisation(principal: Principal, case: Case) -> int | None:
    """Where a queued case waits, when this reader declares that organisation's freed places (a link)."""
    if case.status != Status.QUEUED or case.organisation_id is None:
        return None
    return case.organisation_id if policy.may_manage_places(principal, case.organisation_id) else None


def build(ctx: ServiceContext, principal: Principal, case_id: object) -> Workspace:
    """The workspace of a case the principal may see (NotFound otherwise, also for a forged id)."""
    case = scope.require_case(ctx.session, principal, case_id)
    checklist, progress = _checklist(ctx, case)
    return Workspace(
        case_id=int(case.id or 0),
        status=label(case.status),
        facts=_facts(ctx, case),
        checklist=checklist,
        progress=progress,
        history=_history(ctx.session, principal, int(case.id or 0)),
        postponements=_postponements(ctx, case),
        steps=_steps(ctx, principal, case),
        may_review_documents=policy.may_review_documents(principal, case) == policy.Verdict.ALLOWED,
        may_review_postponements=policy.may_review_postponement(principal, case) == policy.Verdict.ALLOWED,
        applicant_language=LANGUAGE_NAMES.get(case.language.value, case.language.value),
        rejection_reasons=[Option(code, _(text)) for code, text in REJECTION_REASONS.items()],
        postponement_reasons=[Option(reason.value, label(reason)) for reason in PostponementReason],
        identification_outcomes=[Option(code, _(text)) for code, text in IDENTIFICATION_OUTCOMES.items()],
        places_organisation_id=_places_organisation(principal, case),
        today=ctx.today.isoformat(),
    )


def queue_line(ctx: ServiceContext, case: Case) -> str:
    """ "Position N of M" for a queued case, or ""."""
    try:
        status = placement.queue_status(ctx, case)
    except NotFound:
        return ""
    return _("Position in the queue: {position} of {total}", position=status.position, total=status.total)
