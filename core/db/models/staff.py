"""Staff accounts for the admin panel: who they are and what they may see (their department or organisation)."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.db.enums import Language, StaffRole
from core.db.models.base import created_at_field, enum_check, enum_field, text_field, timestamp_field


class StaffUser(SQLModel, table=True):
    """A staff login. The password hash is argon2, made by the admin code; this table never sees a password."""

    __tablename__ = "staff_user"
    __table_args__ = (
        enum_check("role", StaffRole),
        enum_check("language", Language),
        # A department or organisation account is scoped to one; without it the panel could not scope the data.
        sa.CheckConstraint("role <> 'department' OR department_id IS NOT NULL", name="department_role_has_department"),
        sa.CheckConstraint(
            "role <> 'organisation' OR organisation_id IS NOT NULL", name="organisation_role_has_organisation"
        ),
        sa.CheckConstraint("failed_logins >= 0", name="failed_logins_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(sa_type=sa.String(64), nullable=False, unique=True)
    password_hash: str = text_field(255, nullable=False)
    full_name: str = text_field(255, default="", nullable=False)
    role: StaffRole = enum_field(StaffRole)
    department_id: int | None = Field(default=None, foreign_key="department.id", nullable=True, index=True)
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", nullable=True, index=True)
    language: Language = enum_field(Language, default=Language.RU)
    failed_logins: int = Field(default=0, nullable=False)
    locked_until: datetime | None = timestamp_field()
    active: bool = Field(default=True, nullable=False)
    last_login_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


__all__ = ["StaffUser"]
