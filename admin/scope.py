"""What a staff member may see: one WHERE clause per entity, used by every list, detail, form, action and export.

- admin: everything.
- department: the cases it handles (case.department_id) and the cases in the queues, offers and residences of the
  organisations located in the districts it serves (department_district) - "the cases and queues of its districts".
- organisation: the cases that chose it, wait in its queue, were offered a place there or live there
  (case.organisation_id, queue_entry, offer), past rows included, so its own history stays readable.

Rows hang off cases (documents, queue entries, offers, postponements, status history, inbox messages, outbox);
people are visible through a visible case they receive or applied for. A record outside the clause is reported
exactly like a missing one (NotFound), so a forged id in a URL never reveals that the record exists.

Inner sub-selects use `.correlate(None)`: a clause is often nested inside a query over the same table (queue
entries scoped through cases scoped through queue entries), and SQL auto-correlation would silently change it.
"""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from admin.principal import Principal
from core.db.enums import StaffRole
from core.db.models import (
    AuditLog,
    Case,
    DepartmentDistrict,
    Document,
    InboxMessage,
    Offer,
    Organisation,
    Outbox,
    Person,
    Postponement,
    QueueEntry,
    StaffUser,
    StatusHistory,
)
from core.services.errors import NotFound

Row = TypeVar("Row", bound=SQLModel)
Clause = sa.ColumnElement[bool]


def _col(model: Any, name: str) -> Any:
    return getattr(model, name)


def _district_ids(department_id: int | None) -> sa.Select[Any]:
    return (
        sa.select(_col(DepartmentDistrict, "district_id"))
        .where(_col(DepartmentDistrict, "department_id") == department_id)
        .correlate(None)
    )


def organisation_ids(principal: Principal) -> sa.Select[Any] | None:
    """The ids of the organisations the principal answers for (None: all of them, for admins)."""
    if principal.role is StaffRole.ADMIN:
        return None
    if principal.role is StaffRole.DEPARTMENT:
        return (
            sa.select(_col(Organisation, "id"))
            .where(_col(Organisation, "district_id").in_(_district_ids(principal.department_id)))
            .correlate(None)
        )
    return sa.select(_col(Organisation, "id")).where(_col(Organisation, "id") == principal.organisation_id)


def organisation_clause(principal: Principal) -> Clause:
    if principal.role is StaffRole.ADMIN:
        return sa.true()
    if principal.role is StaffRole.ORGANISATION:
        return _col(Organisation, "id") == principal.organisation_id
    return _col(Organisation, "district_id").in_(_district_ids(principal.department_id))


def _cases_at(organisations: sa.Select[Any] | list[int | None]) -> Clause:
    """Cases that chose, wait at, were offered or live at one of `organisations`."""
    queued = sa.select(_col(QueueEntry, "case_id")).where(_col(QueueEntry, "organisation_id").in_(organisations))
    offered = sa.select(_col(Offer, "case_id")).where(_col(Offer, "organisation_id").in_(organisations))
    return sa.or_(
        _col(Case, "organisation_id").in_(organisations),
        _col(Case, "id").in_(queued.correlate(None)),
        _col(Case, "id").in_(offered.correlate(None)),
    )


def case_clause(principal: Principal) -> Clause:
    """Which `case` rows the principal may see."""
    if principal.role is StaffRole.ADMIN:
        return sa.true()
    if principal.role is StaffRole.ORGANISATION:
        return _cases_at([principal.organisation_id])
    organisations = organisation_ids(principal)
    return sa.or_(_col(Case, "department_id") == principal.department_id, _cases_at(organisations))


def visible_case_ids(principal: Principal) -> sa.Select[Any]:
    return sa.select(_col(Case, "id")).where(case_clause(principal)).correlate(None)


def _through_case(model: Any, principal: Principal) -> Clause:
    if principal.role is StaffRole.ADMIN:
        return sa.true()
    return _col(model, "case_id").in_(visible_case_ids(principal))


def document_clause(principal: Principal) -> Clause:
    return _through_case(Document, principal)


def postponement_clause(principal: Principal) -> Clause:
    return _through_case(Postponement, principal)


def status_history_clause(principal: Principal) -> Clause:
    return _through_case(StatusHistory, principal)


def outbox_clause(principal: Principal) -> Clause:
    return _through_case(Outbox, principal)


def inbox_clause(principal: Principal) -> Clause:
    """Messages of visible cases. A question tied to no case is for admins only: no department or organisation
    can be inferred for it without guessing, and guessing would show a person's words to the wrong office."""
    return _through_case(InboxMessage, principal)


def queue_entry_clause(principal: Principal) -> Clause:
    """An organisation sees its own queue only (not the case's places in other queues); a department sees the
    queues of its districts' organisations and every queue place of the cases it handles."""
    return _at_organisation_or_handled(QueueEntry, principal)


def offer_clause(principal: Principal) -> Clause:
    """Like queue entries: an organisation sees the offers of its own places only."""
    return _at_organisation_or_handled(Offer, principal)


def _at_organisation_or_handled(model: Any, principal: Principal) -> Clause:
    """Rows with an organisation and a case (queue places, offers): the organisation's own rows; for a department,
    the rows at its districts' organisations and the rows of the cases it handles."""
    if principal.role is StaffRole.ADMIN:
        return sa.true()
    if principal.role is StaffRole.ORGANISATION:
        return _col(model, "organisation_id") == principal.organisation_id
    handled = sa.select(_col(Case, "id")).where(_col(Case, "department_id") == principal.department_id)
    return sa.or_(
        _col(model, "organisation_id").in_(organisation_ids(principal)),
        _col(model, "case_id").in_(handled.correlate(None)),
    )


def person_clause(principal: Principal) -> Clause:
    """People who receive, or applied in, a visible case."""
    if principal.role is StaffRole.ADMIN:
        return sa.true()
    recipients = sa.select(_col(Case, "person_id")).where(case_clause(principal)).correlate(None)
    applicants = sa.select(_col(Case, "applicant_person_id")).where(case_clause(principal)).correlate(None)
    return sa.or_(_col(Person, "id").in_(recipients), _col(Person, "id").in_(applicants))


# The audit log names its rows by table name and text id; a non-admin sees the entries about visible rows.
_AUDITED: tuple[tuple[str, Any, Any], ...] = (
    ("case", Case, case_clause),
    ("document", Document, document_clause),
    ("postponement", Postponement, postponement_clause),
    ("queue_entry", QueueEntry, queue_entry_clause),
    ("offer", Offer, offer_clause),
    ("inbox_message", InboxMessage, inbox_clause),
)


def audit_clause(principal: Principal) -> Clause:
    """Entries about visible cases and their rows. Entries about staff accounts, people and organisations are
    for admins (login records name staff; people's records are reached through their cases)."""
    if principal.role is StaffRole.ADMIN:
        return sa.true()
    parts = []
    for entity, model, clause in _AUDITED:
        ids = sa.select(sa.cast(_col(model, "id"), sa.String)).where(clause(principal)).correlate(None)
        parts.append(sa.and_(_col(AuditLog, "entity") == entity, _col(AuditLog, "entity_id").in_(ids)))
    return sa.or_(*parts)


def staff_clause(principal: Principal) -> Clause:
    """Staff accounts: admins see all; others see only their own."""
    if principal.role is StaffRole.ADMIN:
        return sa.true()
    return _col(StaffUser, "id") == principal.staff_id


CLAUSES: dict[type[SQLModel], Any] = {
    Case: case_clause,
    Document: document_clause,
    Postponement: postponement_clause,
    StatusHistory: status_history_clause,
    Outbox: outbox_clause,
    InboxMessage: inbox_clause,
    QueueEntry: queue_entry_clause,
    Offer: offer_clause,
    Person: person_clause,
    Organisation: organisation_clause,
    AuditLog: audit_clause,
    StaffUser: staff_clause,
}


def clause_for(model: type[SQLModel], principal: Principal) -> Clause:
    """The clause for any scoped model; an unknown model is visible to admins only (fail closed)."""
    make = CLAUSES.get(model)
    if make is not None:
        return make(principal)  # type: ignore[no-any-return]
    return sa.true() if principal.role is StaffRole.ADMIN else sa.false()


def require(session: Session, principal: Principal, model: type[Row], row_id: object) -> Row:
    """The row if it exists and is in scope; NotFound otherwise, the same for both (never reveal existence)."""
    try:
        key = int(str(row_id))
    except ValueError:
        raise NotFound("no such record", entity=model.__tablename__) from None
    statement = sa.select(model).where(_col(model, "id") == key, clause_for(model, principal))
    row = session.scalars(statement).first()
    if row is None:
        raise NotFound("no such record", entity=model.__tablename__)
    return row


def require_case(session: Session, principal: Principal, case_id: object) -> Case:
    return require(session, principal, Case, case_id)


__all__ = [
    "CLAUSES",
    "audit_clause",
    "case_clause",
    "clause_for",
    "document_clause",
    "inbox_clause",
    "offer_clause",
    "organisation_clause",
    "organisation_ids",
    "outbox_clause",
    "person_clause",
    "postponement_clause",
    "queue_entry_clause",
    "require",
    "require_case",
    "staff_clause",
    "status_history_clause",
    "visible_case_ids",
]
