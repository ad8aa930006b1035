"""Vocabulary that only the stored data needs (channels, record statuses, roles). Stored as the string values.

The legal vocabulary (Form, Category, Status, DocumentCode, Priority, Actor, ...) is in core/rules/codes.py.
Never rename a value: it is in the database and in CHECK constraints written by the migrations.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    WEB = "web"


class Language(StrEnum):
    KK = "kk"
    RU = "ru"
    EN = "en"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Relationship(StrEnum):
    """Why a representative may act for the represented person (legal representatives, App.1-4 p.3)."""

    PARENT = "parent"
    GUARDIAN = "guardian"
    TRUSTEE = "trustee"
    ADOPTIVE_PARENT = "adoptive_parent"
    FOSTER_PARENT = "foster_parent"
    PATRONAGE_EDUCATOR = "patronage_educator"
    OTHER = "other"


class DocumentStatus(StrEnum):
    MISSING = "missing"
    UPLOADED = "uploaded"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class IdentificationOutcome(StrEnum):
    """Temporary stay: the outcome of the victim identification (App.4 p.4-1..4-5)."""

    RECOGNISED = "recognised"
    NOT_RECOGNISED = "not_recognised"
    # App.4 p.4-5: no identification when a pre-trial investigation already recognises the person as a victim.
    RECOGNISED_BY_INVESTIGATION = "recognised_by_investigation"


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    LAPSED = "lapsed"
    WITHDRAWN = "withdrawn"


class PostponementReason(StrEnum):
    """App.1-2 p.7: the arrival date may move once because of illness or hospitalisation."""

    ILLNESS = "illness"
    HOSPITALISATION = "hospitalisation"


class PostponementStatus(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class StaffRole(StrEnum):
    ADMIN = "admin"
    DEPARTMENT = "department"
    ORGANISATION = "organisation"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    # WhatsApp outside the 24-hour window: a template went out, the full text waits until the person writes.
    HELD = "held"


class Audience(StrEnum):
    """Who an outbox row is for: the applicant's chat, or the staff of the case's department/organisation."""

    APPLICANT = "applicant"
    STAFF = "staff"


class AuditActorKind(StrEnum):
    """Which table `audit_log.actor_id` points into (or a job name for the system)."""

    STAFF = "staff"  # staff_user.id
    PERSON = "person"  # person.id
    CHAT = "chat"  # chat_identity.id (a person not yet known by IIN)
    SYSTEM = "system"  # the scheduler or a command; actor_id names the job
