"""Organisations, the record of what happened (status history, audit log), messages, delivery failures, staff."""

from __future__ import annotations

from typing import Any, ClassVar

import sqlalchemy as sa

from admin import scope
from admin.i18n import N_, current_language, lazy
from admin.principal import Principal
from admin.views.base import ScopedView
from core.db.enums import Direction, OutboxStatus, StaffRole
from core.db.models import AuditLog, InboxMessage, Organisation, Outbox, StaffUser, StatusHistory

CASE_LABEL = lazy(N_("Case"))
WHEN_LABEL = lazy(N_("When"))


def _organisation_name(row: Organisation, attribute: str) -> str:
    return str(getattr(row, f"name_{current_language()}", None) or row.name_ru)


class OrganisationView(ScopedView, model=Organisation):
    name = lazy(N_("Organisation"))
    name_plural = lazy(N_("Organisations"))
    icon = "fa-solid fa-building"
    column_list: ClassVar[list[Any]] = [
        Organisation.id,
        Organisation.name_ru,
        Organisation.form,
        Organisation.district_id,
        Organisation.capacity,
        Organisation.free_places,
        Organisation.accepting,
        Organisation.paused_reason,
    ]
    column_details_list: ClassVar[list[Any]] = [*column_list, Organisation.address, Organisation.phone]
    column_searchable_list: ClassVar[list[Any]] = [Organisation.name_ru, Organisation.name_kk]
    column_sortable_list: ClassVar[list[Any]] = [Organisation.id, Organisation.free_places, Organisation.capacity]
    foreign: ClassVar[dict[str, str]] = {"district_id": "district"}
    column_formatters: ClassVar[dict[Any, Any]] = {Organisation.name_ru: _organisation_name}
    column_formatters_detail = column_formatters
    column_labels: ClassVar[dict[Any, Any]] = {
        Organisation.id: lazy(N_("No.")),
        Organisation.name_ru: lazy(N_("Name")),
        Organisation.name_kk: lazy(N_("Name in Kazakh")),
        Organisation.form: lazy(N_("Form of service")),
        Organisation.district_id: lazy(N_("District")),
        Organisation.capacity: lazy(N_("Capacity")),
        Organisation.free_places: lazy(N_("Free places")),
        Organisation.accepting: lazy(N_("Accepting")),
        Organisation.paused_reason: lazy(N_("Why paused")),
        Organisation.address: lazy(N_("Address")),
        Organisation.phone: lazy(N_("Phone")),
    }


class StatusHistoryView(ScopedView, model=StatusHistory):
    name = lazy(N_("Status change"))
    name_plural = lazy(N_("Status history"))
    icon = "fa-solid fa-timeline"
    category = lazy(N_("Records"))
    column_list: ClassVar[list[Any]] = [
        StatusHistory.id,
        StatusHistory.case_id,
        StatusHistory.at,
        StatusHistory.from_status,
        StatusHistory.to_status,
        StatusHistory.action,
        StatusHistory.actor_kind,
        StatusHistory.actor_id,
        StatusHistory.note,
    ]
    column_details_list = column_list
    column_searchable_list: ClassVar[list[Any]] = [StatusHistory.case_id]
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    foreign: ClassVar[dict[str, str]] = {"case_id": "case"}
    column_labels: ClassVar[dict[Any, Any]] = {
        StatusHistory.id: lazy(N_("No.")),
        StatusHistory.case_id: CASE_LABEL,
        StatusHistory.at: WHEN_LABEL,
        StatusHistory.from_status: lazy(N_("From")),
        StatusHistory.to_status: lazy(N_("To")),
        StatusHistory.action: lazy(N_("Action")),
        StatusHistory.actor_kind: lazy(N_("By")),
        StatusHistory.actor_id: lazy(N_("Who (id)")),
        StatusHistory.note: lazy(N_("Note")),
    }

    def search_query(self, stmt: sa.Select[Any], term: str) -> sa.Select[Any]:
        digits = term.strip().lstrip("№#")
        return stmt.where(StatusHistory.case_id == int(digits)) if digits.isdigit() else stmt.where(sa.false())


class AuditLogView(ScopedView, model=AuditLog):
    name = lazy(N_("Audit entry"))
    name_plural = lazy(N_("Audit log"))
    icon = "fa-solid fa-clipboard-list"
    category = lazy(N_("Records"))
    column_list: ClassVar[list[Any]] = [
        AuditLog.id,
        AuditLog.at,
        AuditLog.actor_kind,
        AuditLog.actor_id,
        AuditLog.action,
        AuditLog.entity,
        AuditLog.entity_id,
    ]
    column_details_list: ClassVar[list[Any]] = [*column_list, AuditLog.before, AuditLog.after]
    column_searchable_list: ClassVar[list[Any]] = [AuditLog.action, AuditLog.entity_id]
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    column_labels: ClassVar[dict[Any, Any]] = {
        AuditLog.id: lazy(N_("No.")),
        AuditLog.at: WHEN_LABEL,
        AuditLog.actor_kind: lazy(N_("By")),
        AuditLog.actor_id: lazy(N_("Who (id)")),
        AuditLog.action: lazy(N_("Action")),
        AuditLog.entity: lazy(N_("Record")),
        AuditLog.entity_id: lazy(N_("Record No.")),
        AuditLog.before: lazy(N_("Before")),
        AuditLog.after: lazy(N_("After")),
    }

    def search_query(self, stmt: sa.Select[Any], term: str) -> sa.Select[Any]:
        term = term.strip()
        return stmt.where(sa.or_(AuditLog.action == term, AuditLog.entity_id == term.lstrip("№#")))


INBOX_COLUMNS: list[Any] = [
    InboxMessage.id,
    InboxMessage.at,
    InboxMessage.case_id,
    InboxMessage.direction,
    InboxMessage.body,
    InboxMessage.staff_user_id,
    InboxMessage.read_at,
    InboxMessage.delivered_at,
    InboxMessage.delivery_error,
]
INBOX_LABELS: dict[Any, Any] = {
    InboxMessage.id: lazy(N_("No.")),
    InboxMessage.at: WHEN_LABEL,
    InboxMessage.case_id: CASE_LABEL,
    InboxMessage.direction: lazy(N_("Direction")),
    InboxMessage.body: lazy(N_("Text")),
    InboxMessage.staff_user_id: lazy(N_("Staff")),
    InboxMessage.read_at: lazy(N_("Read")),
    InboxMessage.delivered_at: lazy(N_("Delivered")),
    InboxMessage.delivery_error: lazy(N_("Delivery error")),
    InboxMessage.delivery_status: lazy(N_("Delivery status")),
}


def _preview(row: InboxMessage, attribute: str) -> str:
    body = row.body or ""
    return body if len(body) <= 120 else body[:119] + "…"


class InboxMessageView(ScopedView, model=InboxMessage):
    """Questions from applicants and staff answers, newest first (the reply form is added by admin/inbox*)."""

    name = lazy(N_("Message"))
    # Every message both ways, as a record; answering happens on the "Questions from applicants" page.
    name_plural = lazy(N_("Message log"))
    category = lazy(N_("Records"))
    icon = "fa-solid fa-inbox"
    column_list = INBOX_COLUMNS
    column_details_list: ClassVar[list[Any]] = [*INBOX_COLUMNS, InboxMessage.delivery_status]
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    column_searchable_list: ClassVar[list[Any]] = [InboxMessage.body]
    foreign: ClassVar[dict[str, str]] = {"case_id": "case", "staff_user_id": "staff"}
    column_formatters: ClassVar[dict[Any, Any]] = {InboxMessage.body: _preview}
    column_labels = INBOX_LABELS


class FailedReplyView(ScopedView, model=InboxMessage):
    """Staff answers the channel refused (InboxMessage.delivery_error): someone must reach the person otherwise."""

    name = lazy(N_("Reply not delivered"))
    name_plural = lazy(N_("Replies not delivered"))
    icon = "fa-solid fa-triangle-exclamation"
    category = lazy(N_("Delivery failures"))
    column_list = INBOX_COLUMNS
    column_details_list = INBOX_COLUMNS
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    foreign: ClassVar[dict[str, str]] = {"case_id": "case", "staff_user_id": "staff"}
    column_labels = INBOX_LABELS

    def scope(self, principal: Principal) -> sa.ColumnElement[bool]:
        failed = sa.and_(InboxMessage.direction == Direction.OUT, InboxMessage.delivery_error.is_not(None))
        return sa.and_(scope.inbox_clause(principal), failed)


FailedReplyView.identity = "failed-reply"  # a second view of inbox_message needs its own address


class OutboxFailureView(ScopedView, model=Outbox):
    """Notices the sender gave up on (status failed): the deadline still runs, so staff must tell the person."""

    name = lazy(N_("Notice not delivered"))
    name_plural = lazy(N_("Notices not delivered"))
    icon = "fa-solid fa-envelope-circle-check"
    category = lazy(N_("Delivery failures"))
    column_list: ClassVar[list[Any]] = [
        Outbox.id,
        Outbox.case_id,
        Outbox.kind,
        Outbox.due_on,
        Outbox.channel,
        Outbox.audience,
        Outbox.attempts,
        Outbox.last_error,
        Outbox.created_at,
    ]
    column_details_list: ClassVar[list[Any]] = [*column_list, Outbox.status, Outbox.delivery_status]
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    foreign: ClassVar[dict[str, str]] = {"case_id": "case"}
    column_labels: ClassVar[dict[Any, Any]] = {
        Outbox.id: lazy(N_("No.")),
        Outbox.case_id: CASE_LABEL,
        Outbox.kind: lazy(N_("Notice")),
        Outbox.due_on: lazy(N_("Due")),
        Outbox.channel: lazy(N_("Channel")),
        Outbox.audience: lazy(N_("For")),
        Outbox.attempts: lazy(N_("Attempts")),
        Outbox.last_error: lazy(N_("Last error")),
        Outbox.created_at: lazy(N_("Created")),
        Outbox.status: lazy(N_("Status")),
        Outbox.delivery_status: lazy(N_("Delivery status")),
    }

    def scope(self, principal: Principal) -> sa.ColumnElement[bool]:
        return sa.and_(scope.outbox_clause(principal), Outbox.status == OutboxStatus.FAILED)


class StaffUserView(ScopedView, model=StaffUser):
    """Staff accounts, for admins: who may sign in, and who is locked out (never the password hash)."""

    name = lazy(N_("Staff account"))
    name_plural = lazy(N_("Staff accounts"))
    icon = "fa-solid fa-user-shield"
    category = lazy(N_("Records"))
    roles = frozenset({StaffRole.ADMIN})
    column_list: ClassVar[list[Any]] = [
        StaffUser.id,
        StaffUser.login,
        StaffUser.full_name,
        StaffUser.role,
        StaffUser.department_id,
        StaffUser.organisation_id,
        StaffUser.language,
        StaffUser.active,
        StaffUser.locked_until,
        StaffUser.last_login_at,
    ]
    column_details_list = column_list
    column_export_list = column_list
    column_searchable_list: ClassVar[list[Any]] = [StaffUser.login]
    foreign: ClassVar[dict[str, str]] = {"department_id": "department", "organisation_id": "organisation"}
    column_labels: ClassVar[dict[Any, Any]] = {
        StaffUser.id: lazy(N_("No.")),
        StaffUser.login: lazy(N_("Login")),
        StaffUser.full_name: lazy(N_("Full name")),
        StaffUser.role: lazy(N_("Role")),
        StaffUser.department_id: lazy(N_("Department")),
        StaffUser.organisation_id: lazy(N_("Organisation")),
        StaffUser.language: lazy(N_("Language")),
        StaffUser.active: lazy(N_("Active")),
        StaffUser.locked_until: lazy(N_("Locked until")),
        StaffUser.last_login_at: lazy(N_("Last sign-in")),
    }
