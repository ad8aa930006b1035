"""People: the person who receives services, who may act for whom, and consent to process personal data."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.db.enums import Language, Relationship, Sex
from core.db.models.base import (
    created_at_field,
    date_field,
    enum_check,
    enum_field,
    text_field,
    updated_at_field,
)
from core.rules.codes import Category, DisabilityGroup


class Person(SQLModel, table=True):
    """A recipient, an applicant or a representative. One row per human, found by IIN when there is one."""

    __tablename__ = "person"
    __table_args__ = (
        enum_check("sex", Sex),
        enum_check("category", Category),
        enum_check("disability_group", DisabilityGroup),
        sa.CheckConstraint("length(iin) = 12", name="iin_length"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Nullable: a temporary-stay applicant may have no documents at all (App.4 p.4). Unique where present
    # (NULLs never collide in a unique index on SQLite or PostgreSQL).
    iin: str | None = Field(default=None, sa_type=sa.String(12), unique=True, index=True, nullable=True)
    full_name: str = text_field(255, default="", nullable=False)
    birth_date: date | None = date_field()
    sex: Sex | None = enum_field(Sex, default=None, nullable=True)
    category: Category | None = enum_field(Category, default=None, nullable=True)
    disability_group: DisabilityGroup | None = enum_field(DisabilityGroup, default=None, nullable=True)
    ipr_expires_on: date | None = date_field()
    is_veteran: bool = Field(default=False, nullable=False)  # first priority in queues (App.1 p.10)
    out_of_turn: bool = Field(default=False, nullable=False)  # placed without a queue (App.1 p.7, p.20)
    phone: str | None = text_field(32)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class Representation(SQLModel, table=True):
    """`representative_id` may act for `represented_id` (a legal representative, App.1-4 p.3)."""

    __tablename__ = "representation"
    __table_args__ = (
        sa.UniqueConstraint("representative_id", "represented_id"),
        sa.CheckConstraint("representative_id <> represented_id", name="not_self"),
        enum_check("relationship", Relationship),
    )

    id: int | None = Field(default=None, primary_key=True)
    representative_id: int = Field(foreign_key="person.id", nullable=False, index=True)
    represented_id: int = Field(foreign_key="person.id", nullable=False, index=True)
    relationship: Relationship = enum_field(Relationship)
    # The document proving the authority (DocumentCode.REPRESENTATIVE_PROOF), once uploaded.
    proof_document_id: int | None = Field(default=None, foreign_key="document.id", nullable=True)
    verified: bool = Field(default=False, nullable=False)  # staff checked the proof
    created_at: datetime = created_at_field()


class Consent(SQLModel, table=True):
    """Consent to the processing of personal data, recorded for a person or, before the IIN is known, a chat."""

    __tablename__ = "consent"
    __table_args__ = (
        sa.CheckConstraint("person_id IS NOT NULL OR chat_identity_id IS NOT NULL", name="person_or_chat_identity"),
        enum_check("language", Language),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", nullable=True, index=True)
    chat_identity_id: int | None = Field(default=None, foreign_key="chat_identity.id", nullable=True, index=True)
    text_version: str = text_field(32, default="", nullable=False)  # which consent text was shown
    language: Language = enum_field(Language)
    given: bool = Field(nullable=False)
    at: datetime = created_at_field()


__all__ = ["Consent", "Person", "Representation"]
