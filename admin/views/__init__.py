"""The panel's tables, in menu order."""

from __future__ import annotations

from sqladmin import ModelView

from admin.views.cases import CaseView, PersonView
from admin.views.casework import DocumentView, OfferView, PostponementView, QueueEntryView
from admin.views.records import (
    AuditLogView,
    FailedReplyView,
    InboxMessageView,
    OrganisationView,
    OutboxFailureView,
    StaffUserView,
    StatusHistoryView,
)

BASE_VIEWS: tuple[type[ModelView], ...] = (
    CaseView,
    PersonView,
    InboxMessageView,
    OrganisationView,
    QueueEntryView,
    OfferView,
    PostponementView,
    DocumentView,
    StatusHistoryView,
    AuditLogView,
    StaffUserView,
    OutboxFailureView,
    FailedReplyView,
)

__all__ = [
    "BASE_VIEWS",
    "AuditLogView",
    "CaseView",
    "DocumentView",
    "FailedReplyView",
    "InboxMessageView",
    "OfferView",
    "OrganisationView",
    "OutboxFailureView",
    "PersonView",
    "PostponementView",
    "QueueEntryView",
    "StaffUserView",
    "StatusHistoryView",
]
