"""Where services are given: regions, districts, the departments that decide, the organisations that serve."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.db.models.base import created_at_field, enum_check, enum_field, text_field, updated_at_field
from core.db.types import EnumString
from core.rules.codes import Category, Form


class Region(SQLModel, table=True):
    """An oblast or a city of republican significance."""

    __tablename__ = "region"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=sa.String(16), nullable=False, unique=True)
    name_kk: str = text_field(255, nullable=False)
    name_ru: str = text_field(255, nullable=False)
    name_en: str = text_field(255, nullable=False)


class District(SQLModel, table=True):
    """A district or a city within a region."""

    __tablename__ = "district"

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", nullable=False, index=True)
    code: str = Field(sa_type=sa.String(16), nullable=False, unique=True)
    name_kk: str = text_field(255, nullable=False)
    name_ru: str = text_field(255, nullable=False)
    name_en: str = text_field(255, nullable=False)


class Department(SQLModel, table=True):
    """A department of employment and social programmes: accepts applications and decides (App.1-3 p.6-7)."""

    __tablename__ = "department"

    id: int | None = Field(default=None, primary_key=True)
    region_id: int = Field(foreign_key="region.id", nullable=False, index=True)
    name_kk: str = text_field(255, nullable=False)
    name_ru: str = text_field(255, nullable=False)
    name_en: str = text_field(255, nullable=False)
    address: str | None = text_field(500)
    phone: str | None = text_field(32)


class DepartmentDistrict(SQLModel, table=True):
    """The districts a department serves: an applicant's district picks the department."""

    __tablename__ = "department_district"

    department_id: int = Field(foreign_key="department.id", primary_key=True, ondelete="CASCADE")
    # A district is served by one department at most, so the lookup district -> department is unambiguous.
    district_id: int = Field(foreign_key="district.id", primary_key=True, unique=True, ondelete="CASCADE")


class Organisation(SQLModel, table=True):
    """A provider of one form of special social services, with its places and whether it takes people now."""

    __tablename__ = "organisation"
    __table_args__ = (
        enum_check("form", Form),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("free_places >= 0 AND free_places <= capacity", name="free_places_within_capacity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name_kk: str = text_field(255, nullable=False)
    name_ru: str = text_field(255, nullable=False)
    name_en: str = text_field(255, nullable=False)
    form: Form = enum_field(Form, index=True)
    region_id: int = Field(foreign_key="region.id", nullable=False, index=True)
    district_id: int | None = Field(default=None, foreign_key="district.id", nullable=True, index=True)
    address: str | None = text_field(500)
    phone: str | None = text_field(32)
    capacity: int = Field(default=0, nullable=False)
    free_places: int = Field(default=0, nullable=False)
    accepting: bool = Field(default=True, nullable=False)
    paused_reason: str | None = text_field()  # shown to families while `accepting` is false
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class OrganisationCategory(SQLModel, table=True):
    """The recipient categories an organisation accepts (a table, so "who takes category X" is an index scan)."""

    __tablename__ = "organisation_category"
    __table_args__ = (enum_check("category", Category),)

    organisation_id: int = Field(foreign_key="organisation.id", primary_key=True, ondelete="CASCADE")
    category: Category = Field(sa_type=EnumString(Category), primary_key=True, index=True)


__all__ = ["Department", "DepartmentDistrict", "District", "Organisation", "OrganisationCategory", "Region"]
