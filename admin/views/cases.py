"""Cases and people. A case's detail page also shows its documents, queue places, offers, postponements, inbox,
status history and audit trail, each scoped like its own list.

IIN (personal data, Law No. 94-V): lists, searches' results and exports show the masked IIN (last four digits)
for everyone. The full IIN is shown on a person's detail page to admins and department staff, who enter the
application into the state systems by IIN; organisation staff see it masked there too (they admit the person on
the documents the department sends). Searching takes a case number, the last four digits of an IIN, a name, or
(admins and departments) a full IIN.
"""

from __future__ import annotations

from typing import Any, ClassVar

import anyio
import sqlalchemy as sa
from markupsafe import Markup
from starlette.requests import Request

from admin.i18n import N_, _, lazy
from admin.principal import Principal, current_principal, principal_from_request
from admin.views.base import ScopedView
from admin.views.case_sections import case_sections
from admin.vocabulary import label
from core.db.enums import StaffRole
from core.db.models import Case, Person
from core.rules.codes import Form, Status
from core.rules.iin import mask_iin

FULL_IIN_ROLES = frozenset({StaffRole.ADMIN, StaffRole.DEPARTMENT})


def _digits(term: str) -> str:
    return term.strip().lstrip("№#").strip()


def _people_matching(term: str, principal: Principal | None) -> sa.Select[Any] | None:
    """People whose IIN ends with the four digits typed (or equals a full IIN, for those who may see it)."""
    digits = _digits(term)
    if not digits.isdigit():
        return None
    if len(digits) == 4:
        return sa.select(Person.id).where(Person.iin.like(f"%{digits}"))
    if len(digits) == 12 and principal is not None and principal.role in FULL_IIN_ROLES:
        return sa.select(Person.id).where(Person.iin == digits)
    return None


class CaseView(ScopedView, model=Case):
    name = lazy(N_("Case"))
    name_plural = lazy(N_("Cases"))
    icon = "fa-solid fa-folder-open"
    details_template = "qamqor/case_details.html"
    column_list: ClassVar[list[Any]] = [
        Case.id,
        Case.person_id,
        Case.form,
        Case.category,
        Case.status,
        Case.status_changed_at,
        Case.department_id,
        Case.organisation_id,
        Case.choose_due_on,
        Case.arrival_due_on,
    ]
    column_details_exclude_list: ClassVar[list[Any]] = [Case.version]
    column_searchable_list: ClassVar[list[Any]] = [Case.id]
    column_sortable_list: ClassVar[list[Any]] = [Case.id, Case.status, Case.status_changed_at, Case.arrival_due_on]
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    foreign: ClassVar[dict[str, str]] = {
        "person_id": "person",
        "applicant_person_id": "person",
        "department_id": "department",
        "organisation_id": "organisation",
    }
    column_labels: ClassVar[dict[Any, Any]] = {
        Case.id: lazy(N_("No.")),
        Case.person_id: lazy(N_("Recipient")),
        Case.applicant_person_id: lazy(N_("Applicant")),
        Case.form: lazy(N_("Form of service")),
        Case.category: lazy(N_("Category")),
        Case.status: lazy(N_("Status")),
        Case.status_changed_at: lazy(N_("Status since")),
        Case.submitted_at: lazy(N_("Submitted")),
        Case.approved_at: lazy(N_("Approved")),
        Case.refused_at: lazy(N_("Refused at")),
        Case.queued_at: lazy(N_("Queued")),
        Case.offered_at: lazy(N_("Place offered at")),
        Case.admitted_at: lazy(N_("Admitted at")),
        Case.withdrawn_at: lazy(N_("Withdrawn at")),
        Case.decided_on: lazy(N_("Decision date")),
        Case.decision_number: lazy(N_("Decision number")),
        Case.positive: lazy(N_("Decision positive")),
        Case.home_visit_on: lazy(N_("Home visit")),
        Case.inspection_act_on: lazy(N_("Inspection act date")),
        Case.inspection_act_number: lazy(N_("Inspection act number")),
        Case.victim_identified_on: lazy(N_("Identification date")),
        Case.identification_outcome: lazy(N_("Identification outcome")),
        Case.contract_number: lazy(N_("Contract number")),
        Case.contract_signed_on: lazy(N_("Contract signed on")),
        Case.contract_ends_on: lazy(N_("Contract ends on")),
        Case.department_id: lazy(N_("Department")),
        Case.organisation_id: lazy(N_("Organisation")),
        Case.notified_on: lazy(N_("Notified on")),
        Case.choose_due_on: lazy(N_("Choose by")),
        Case.arrival_due_on: lazy(N_("Arrive by")),
        Case.ended_on: lazy(N_("Ended on")),
        Case.end_ground: lazy(N_("Ground for ending")),
        Case.language: lazy(N_("Language")),
        Case.created_at: lazy(N_("Opened")),
        Case.updated_at: lazy(N_("Last change")),
    }

    def search_placeholder(self) -> str:
        return _("case number, last 4 digits of the IIN, name")

    def search_query(self, stmt: sa.Select[Any], term: str) -> sa.Select[Any]:
        return stmt.where(case_search(term, current_principal()))

    def list_query(self, request: Request) -> sa.Select[Any]:
        """The scoped list, narrowed by the dashboard's links (`?status=`, `?form=`)."""
        stmt = super().list_query(request)
        status, form = request.query_params.get("status"), request.query_params.get("form")
        if status in Status.__members__.values():
            stmt = stmt.where(Case.status == Status(status))
        if form in Form.__members__.values():
            stmt = stmt.where(Case.form == Form(form))
        return stmt

    async def list_context(self, request: Request) -> dict[str, Any]:
        status, form = request.query_params.get("status"), request.query_params.get("form")
        notes = []
        if status in Status.__members__.values():
            notes.append(_("status: {status}", status=label(Status(status))))
        if form in Form.__members__.values():
            notes.append(_("form of service: {form}", form=label(Form(form))))
        return {"list_note": _("Only cases with {conditions}.", conditions="; ".join(notes))} if notes else {}

    async def details_context(self, request: Request) -> dict[str, Any]:
        principal = self.principal(request)
        case_id = int(request.path_params["pk"])
        if principal is None:
            return {}
        return await anyio.to_thread.run_sync(self._sections, principal, case_id)

    def _sections(self, principal: Principal, case_id: int) -> dict[str, Any]:
        with self.session_maker() as session:
            return {"sections": case_sections(session, principal, case_id)}


def case_search(term: str, principal: Principal | None) -> sa.ColumnElement[bool]:
    digits = _digits(term)
    clauses: list[sa.ColumnElement[bool]] = []
    if digits.isdigit() and len(digits) <= 9:
        clauses.append(Case.id == int(digits))
    people = _people_matching(term, principal)
    if people is not None:
        clauses += [Case.person_id.in_(people), Case.applicant_person_id.in_(people)]
    if not digits.isdigit() and term.strip():
        named = sa.select(Person.id).where(Person.full_name.ilike(f"%{term.strip()}%"))
        clauses += [Case.person_id.in_(named), Case.applicant_person_id.in_(named)]
    return sa.or_(sa.false(), *clauses)


def _iin_cell(row: Person, attribute: str, request: Request) -> str:
    return mask_iin(row.iin) if row.iin else ""


def _iin_detail(row: Person, attribute: str, request: Request) -> Any:
    principal = principal_from_request(request)
    if not row.iin:
        return ""
    if principal is not None and principal.role in FULL_IIN_ROLES:
        return Markup("<span data-iin>{}</span>").format(row.iin)
    return mask_iin(row.iin)


class PersonView(ScopedView, model=Person):
    name = lazy(N_("Person"))
    name_plural = lazy(N_("People"))
    icon = "fa-solid fa-user"
    column_list: ClassVar[list[Any]] = [
        Person.id,
        Person.full_name,
        Person.iin,
        Person.birth_date,
        Person.category,
        Person.disability_group,
        Person.is_veteran,
    ]
    column_details_list: ClassVar[list[Any]] = [
        *column_list,
        Person.sex,
        Person.ipr_expires_on,
        Person.out_of_turn,
        Person.phone,
        Person.created_at,
    ]
    column_searchable_list: ClassVar[list[Any]] = [Person.full_name]
    column_sortable_list: ClassVar[list[Any]] = [Person.id, Person.full_name, Person.birth_date]
    column_formatters: ClassVar[dict[Any, Any]] = {Person.iin: _iin_cell}
    column_formatters_detail: ClassVar[dict[Any, Any]] = {Person.iin: _iin_detail}
    column_labels: ClassVar[dict[Any, Any]] = {
        Person.id: lazy(N_("No.")),
        Person.full_name: lazy(N_("Full name")),
        Person.iin: lazy(N_("IIN")),
        Person.birth_date: lazy(N_("Date of birth")),
        Person.category: lazy(N_("Category")),
        Person.disability_group: lazy(N_("Disability group")),
        Person.is_veteran: lazy(N_("Veteran")),
        Person.sex: lazy(N_("Sex")),
        Person.ipr_expires_on: lazy(N_("IPR valid until")),
        Person.out_of_turn: lazy(N_("Out of turn")),
        Person.phone: lazy(N_("Phone")),
        Person.created_at: lazy(N_("Registered")),
    }

    def search_placeholder(self) -> str:
        return _("name, last 4 digits of the IIN")

    def search_query(self, stmt: sa.Select[Any], term: str) -> sa.Select[Any]:
        return stmt.where(person_search(term, current_principal()))


def person_search(term: str, principal: Principal | None) -> sa.ColumnElement[bool]:
    people = _people_matching(term, principal)
    if people is not None:
        return Person.id.in_(people)
    if _digits(term).isdigit():
        return sa.false()
    return Person.full_name.ilike(f"%{term.strip()}%")
