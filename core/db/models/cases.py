"""The case: one application for one form of service, its checklist documents, postponements and history."""

from datetime import date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from core.db.enums import DocumentStatus, IdentificationOutcome, Language, PostponementReason, PostponementStatus
from core.db.models.base import (
    created_at_field,
    date_field,
    enum_check,
    enum_field,
    text_field,
    timestamp_field,
    updated_at_field,
    version_mapper_args,
)
from core.rules.codes import Actor, Category, DocumentCode, Form, Status


class Case(SQLModel, table=True):
    """One application by `applicant_person_id` (the person or their representative) for `person_id`.

    The table is called "case", a reserved word in SQL: the ORM quotes it; hand-written SQL must write "case".
    Status timestamps: one column for each status staff filter on; every transition is in status_history.
    """

    __tablename__ = "case"
    __table_args__ = (
        sa.Index("ix_case_status_status_changed_at", "status", "status_changed_at"),
        enum_check("form", Form),
        enum_check("category", Category),
        enum_check("status", Status),
        enum_check("identification_outcome", IdentificationOutcome),
        enum_check("language", Language),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", nullable=False, index=True)
    applicant_person_id: int = Field(foreign_key="person.id", nullable=False, index=True)
    form: Form = enum_field(Form)
    category: Category | None = enum_field(Category, default=None, nullable=True)
    status: Status = enum_field(Status, default=Status.DRAFT)
    status_changed_at: datetime = created_at_field()
    # The moments staff filter on (the instants of the transitions into these statuses).
    submitted_at: datetime | None = timestamp_field()
    approved_at: datetime | None = timestamp_field()
    refused_at: datetime | None = timestamp_field()
    queued_at: datetime | None = timestamp_field()
    offered_at: datetime | None = timestamp_field()
    admitted_at: datetime | None = timestamp_field()
    withdrawn_at: datetime | None = timestamp_field()
    # The decision of the local executive body (App.1 p.7) or of the authority (App.4 p.4-9).
    decided_on: date | None = date_field()
    decision_number: str | None = text_field(64)
    positive: bool | None = Field(default=None, nullable=True)
    # Home care (App.3 p.8): the visit and the housing and living conditions inspection act.
    home_visit_on: date | None = date_field()
    inspection_act_on: date | None = date_field()
    inspection_act_number: str | None = text_field(64)
    # Temporary stay (App.4 p.4-1..4-5, p.8-9): identification and the contract.
    victim_identified_on: date | None = date_field()
    identification_outcome: IdentificationOutcome | None = enum_field(
        IdentificationOutcome, default=None, nullable=True
    )
    contract_number: str | None = text_field(64)
    contract_signed_on: date | None = date_field()
    contract_ends_on: date | None = date_field()
    # Who handles it and where it goes.
    department_id: int | None = Field(default=None, foreign_key="department.id", nullable=True, index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", nullable=True, index=True)
    # Statutory dates (computed by core.rules, stored so the scheduler and staff filters can query them).
    notified_on: date | None = date_field()
    choose_due_on: date | None = date_field()
    arrival_due_on: date | None = date_field()
    leave_return_by: date | None = date_field()  # while on temporary leave (core.rules.leave)
    ended_on: date | None = date_field()
    end_ground: str | None = text_field(64)  # the code of the discharge/termination/expulsion ground
    language: Language = enum_field(Language, default=Language.KK)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
    version: int = Field(default=1, nullable=False)

    __mapper_args__: ClassVar[Any] = declared_attr.directive(version_mapper_args)


class Document(SQLModel, table=True):
    """One checklist item of a case and, once uploaded, the stored file. One row per (case, code)."""

    __tablename__ = "document"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "code"),
        enum_check("code", DocumentCode),
        enum_check("status", DocumentStatus),
        sa.CheckConstraint("size_bytes IS NULL OR size_bytes >= 0", name="size_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", nullable=False)
    code: DocumentCode = enum_field(DocumentCode)
    status: DocumentStatus = enum_field(DocumentStatus, default=DocumentStatus.MISSING)
    rejection_reason: str | None = text_field()
    # Relative to Settings.data_dir, e.g. "uploads/<case>/<sha256>.pdf": the data dir may move.
    file_path: str | None = text_field(512)
    original_name: str | None = text_field(255)
    mime_type: str | None = text_field(127)
    size_bytes: int | None = Field(default=None, nullable=True)
    sha256: str | None = text_field(64)
    uploaded_at: datetime | None = timestamp_field()
    reviewed_by: int | None = Field(default=None, foreign_key="staff_user.id", nullable=True)
    reviewed_at: datetime | None = timestamp_field()


class Postponement(SQLModel, table=True):
    """A request to move the arrival date because of illness or hospitalisation (App.1-2 p.7: once per case)."""

    __tablename__ = "postponement"
    __table_args__ = (
        enum_check("reason", PostponementReason),
        enum_check("status", PostponementStatus),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", nullable=False, index=True)
    requested_at: datetime = created_at_field()
    reason: PostponementReason = enum_field(PostponementReason)
    original_due_on: date = Field(sa_type=sa.Date(), nullable=False)
    new_due_on: date | None = date_field()
    certificate_document_id: int | None = Field(default=None, foreign_key="document.id", nullable=True)
    status: PostponementStatus | None = enum_field(PostponementStatus, default=None, nullable=True)
    decided_by: int | None = Field(default=None, foreign_key="staff_user.id", nullable=True)
    decided_at: datetime | None = timestamp_field()


class StatusHistory(SQLModel, table=True):
    """Every status transition of a case, in order: the whole story for staff and for the timeline."""

    __tablename__ = "status_history"
    __table_args__ = (
        sa.Index("ix_status_history_case_id_at", "case_id", "at"),
        enum_check("from_status", Status),
        enum_check("to_status", Status),
        enum_check("actor_kind", Actor),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", nullable=False)
    from_status: Status | None = enum_field(Status, default=None, nullable=True)  # None: the case was created
    to_status: Status = enum_field(Status)
    action: str = text_field(64, nullable=False)  # what was done (e.g. "approve", "offer_lapsed")
    actor_kind: Actor = enum_field(Actor)
    actor_id: str | None = text_field(64)  # staff_user.id / person.id as text, or the job name for the system
    at: datetime = created_at_field()
    note: str | None = text_field()


__all__ = ["Case", "Document", "Postponement", "StatusHistory"]
