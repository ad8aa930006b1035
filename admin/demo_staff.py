"""Demo staff accounts for a database with the demo data: an admin, a department and an organisation account, each
with a password generated now and shown once (no password is ever written in code)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from admin import accounts
from admin.passwords import generate_password
from core.db.enums import StaffRole
from core.db.models import DepartmentDistrict, District, Organisation
from core.services.context import ServiceContext

DEMO_DISTRICT = "almaly"  # the demo department and organisation are in the Almaly district of Almaty


@dataclass(frozen=True)
class NewAccount:
    login: str
    role: StaffRole
    password: str


def ensure_demo_staff(ctx: ServiceContext) -> list[NewAccount]:
    """Create the demo accounts that are missing; returns those created now (with their one-time passwords)."""
    district_id = ctx.session.scalar(sa.select(District.id).where(District.code == DEMO_DISTRICT))
    if district_id is None:
        return []
    department_id = ctx.session.scalar(
        sa.select(DepartmentDistrict.department_id).where(DepartmentDistrict.district_id == district_id)
    )
    organisation_id = ctx.session.scalar(
        sa.select(Organisation.id).where(Organisation.district_id == district_id).order_by(Organisation.id).limit(1)
    )
    wanted = [
        ("admin", StaffRole.ADMIN, {}),
        ("demo.department", StaffRole.DEPARTMENT, {"department_id": department_id}),
        ("demo.organisation", StaffRole.ORGANISATION, {"organisation_id": organisation_id}),
    ]
    created = []
    for login, role, scope in wanted:
        if accounts.find(ctx, login) is not None or None in scope.values():
            continue
        password = generate_password()
        accounts.create_staff(ctx, login, password, role, language="ru", **scope)
        created.append(NewAccount(login, role, password))
    return created
