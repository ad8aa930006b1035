"""All tables. Importing this package registers every table on `SQLModel.metadata` (Alembic's target)."""

from sqlmodel import SQLModel

from core.db.models.audit import AuditLog
from core.db.models.cases import Case, Document, Postponement, StatusHistory
from core.db.models.chat import ChatIdentity, Conversation, InboxMessage, ProcessedUpdate
from core.db.models.outbox import Outbox, SchedulerLease
from core.db.models.people import Consent, Person, Representation
from core.db.models.places import (
    Department,
    DepartmentDistrict,
    District,
    Organisation,
    OrganisationCategory,
    Region,
)
from core.db.models.queue import Offer, QueueEntry
from core.db.models.queue_counts import QueueDayCount
from core.db.models.staff import StaffUser

metadata = SQLModel.metadata

__all__ = [
    "AuditLog",
    "Case",
    "ChatIdentity",
    "Consent",
    "Conversation",
    "Department",
    "DepartmentDistrict",
    "District",
    "Document",
    "InboxMessage",
    "Offer",
    "Organisation",
    "OrganisationCategory",
    "Outbox",
    "Person",
    "Postponement",
    "ProcessedUpdate",
    "QueueDayCount",
    "QueueEntry",
    "Region",
    "Representation",
    "SchedulerLease",
    "StaffUser",
    "StatusHistory",
    "metadata",
]
