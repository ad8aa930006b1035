"""Loads the demo data into an empty database (idempotent: a database that has regions is left alone)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from core.db.models import (
    Case,
    Department,
    DepartmentDistrict,
    District,
    Organisation,
    OrganisationCategory,
    Person,
    QueueEntry,
    Region,
)
from core.rules.codes import Category, Form, Status
from core.rules.iin import check_digit
from core.services.context import ServiceContext
from qamqor import demo_data

# Invented people waiting in the demo queues: born in 1945-1955 (or children for children's homes).
_QUEUE_BIRTH_YEARS = {Form.STATIONARY: 1948, Form.SEMI_STATIONARY: 1958, Form.HOME: 1950}


def load_demo(ctx: ServiceContext) -> bool:
    """Insert the demo regions, departments, organisations and queues; False if data was already there."""
    if ctx.session.scalar(sa.select(sa.func.count()).select_from(Region)):
        return False
    regions = _add_named(ctx, Region, demo_data.REGIONS)
    districts = {}
    for code, region, kk, ru, en in demo_data.DISTRICTS:
        districts[code] = _add(
            ctx, District(region_id=regions[region].id, code=code, name_kk=kk, name_ru=ru, name_en=en)
        )
    for _code, served, kk, ru, en in demo_data.DEPARTMENTS:
        region_id = districts[served[0]].region_id
        department = _add(ctx, Department(region_id=region_id, name_kk=kk, name_ru=ru, name_en=en))
        for district in served:
            ctx.session.add(DepartmentDistrict(department_id=department.id, district_id=districts[district].id))
    for serial, spec in enumerate(demo_data.ORGANISATIONS):
        district = districts[spec["district"]]
        organisation = _add(
            ctx,
            Organisation(
                name_kk=spec["kk"],
                name_ru=spec["ru"],
                name_en=spec["en"],
                form=Form(spec["form"]),
                region_id=district.region_id,
                district_id=district.id,
                address=spec["address"],
                phone=spec["phone"],
                capacity=spec["capacity"],
                free_places=spec["free_places"],
                accepting=spec["accepting"],
                paused_reason=None if spec["accepting"] else "Renovation until spring",
            ),
        )
        for category in spec["categories"]:
            ctx.session.add(OrganisationCategory(organisation_id=organisation.id, category=Category(category)))
        _add_waiting(ctx, organisation, spec, serial)
    return True


def _add_named(ctx: ServiceContext, model: type, rows: list[tuple[str, str, str, str]]) -> dict:  # type: ignore[type-arg]
    return {code: _add(ctx, model(code=code, name_kk=kk, name_ru=ru, name_en=en)) for code, kk, ru, en in rows}


def _add(ctx: ServiceContext, row):  # type: ignore[no-untyped-def]
    ctx.session.add(row)
    ctx.session.flush()
    return row


def _add_waiting(ctx: ServiceContext, organisation: Organisation, spec: dict, serial: int) -> None:  # type: ignore[type-arg]
    category = Category(spec["categories"][0])
    for number in range(spec["waiting"]):
        birth = date(_QUEUE_BIRTH_YEARS.get(organisation.form, 1950) + number, 1 + serial % 12, 1 + number)
        if category in (Category.CHILD_PSYCHONEURO, Category.CHILD_MUSCULOSKELETAL):
            birth = date(2016 + number % 5, 1 + serial % 12, 1 + number)
        person = _add(
            ctx,
            Person(
                iin=_demo_iin(birth, serial * 100 + number),
                full_name=f"Demo Person {serial}-{number}",
                birth_date=birth,
                category=category,
                is_veteran=number == 2,
                created_at=ctx.now,
                updated_at=ctx.now,
            ),
        )
        joined = ctx.now - timedelta(days=30 * (spec["waiting"] - number))
        case = _add(
            ctx,
            Case(
                person_id=person.id,
                applicant_person_id=person.id,
                form=organisation.form,
                category=category,
                status=Status.QUEUED,
                status_changed_at=joined,
                queued_at=joined,
                organisation_id=organisation.id,
                created_at=joined,
                updated_at=joined,
            ),
        )
        ctx.session.add(
            QueueEntry(
                organisation_id=organisation.id,
                case_id=case.id,
                queued_at=joined,
                priority="veteran" if person.is_veteran else None,
            )
        )


def _demo_iin(birth: date, serial: int) -> str:
    century = 3 if birth.year < 2000 else 5
    for bump in range(20):
        first = f"{birth:%y%m%d}{century}{(9000 + serial + bump) % 10000:04d}"
        if (digit := check_digit(first)) is not None:
            return first + str(digit)
    raise ValueError("no demo IIN")
