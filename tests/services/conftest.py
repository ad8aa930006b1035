"""Services over a migrated database (SQLite and PostgreSQL), with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from core.db.enums import StaffRole
from core.db.models import Department, District, Organisation, OrganisationCategory, Region, StaffUser
from core.rules.codes import Actor, Category, Form
from core.services.context import ALMATY, ActorRef
from qamqor.runtime import Runtime
from qamqor.settings import Settings

DEPARTMENT = ActorRef(Actor.DEPARTMENT, "1")
ORGANISATION = ActorRef(Actor.ORGANISATION, "2")
AUTHORITY = ActorRef(Actor.AUTHORITY, "3")
APPLICANT = ActorRef(Actor.APPLICANT, "100")

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


class Clock:
    """Almaty office hours on a given day; `advance_to` moves it forward like the calendar on the wall."""

    def __init__(self, day: date) -> None:
        self.now = datetime.combine(day, time(10, 0), ALMATY)

    def __call__(self) -> datetime:
        return self.now

    def advance_to(self, day: date) -> None:
        self.now = datetime.combine(day, time(10, 0), ALMATY)

    def tick(self, seconds: int = 1) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2026, 11, 23))


@pytest.fixture
def runtime(migrated_url: str, tmp_path: Path, clock: Clock) -> Iterator[Runtime]:
    settings = Settings(environment="test", data_dir=tmp_path / "data", database_url=migrated_url)
    rt = Runtime(settings, clock=clock)
    yield rt
    rt.dispose()


class Places:
    def __init__(self, region_id: int, district_id: int, department_id: int) -> None:
        self.region_id, self.district_id, self.department_id = region_id, district_id, department_id


@pytest.fixture
def places(runtime: Runtime) -> Places:
    with runtime.context() as ctx:
        region = Region(code="almaty_city", name_kk="Алматы", name_ru="Алматы", name_en="Almaty")
        ctx.session.add(region)
        ctx.session.flush()
        district = District(
            region_id=region.id, code="almaly", name_kk="Алмалы", name_ru="Алмалинский", name_en="Almaly"
        )
        department = Department(region_id=region.id, name_kk="Бөлім", name_ru="Отдел", name_en="Department")
        ctx.session.add_all([district, department])
        ctx.session.flush()
        _add_staff(ctx, region.id, department.id)
        return Places(region.id, district.id, department.id)


def _add_staff(ctx, region_id: int, department_id: int) -> None:
    """Staff users 1 (department), 2 (organisation) and 3 (authority, as admin): the ids the actors above use."""
    home = Organisation(
        name_kk="Staff home",
        name_ru="Staff home",
        name_en="Staff home",
        form=Form.STATIONARY,
        region_id=region_id,
        capacity=1,
        free_places=0,
    )
    ctx.session.add(home)
    ctx.session.flush()
    for login, role, extra in (
        ("dept", StaffRole.DEPARTMENT, {"department_id": department_id}),
        ("org", StaffRole.ORGANISATION, {"organisation_id": home.id}),
        ("authority", StaffRole.ADMIN, {}),
    ):
        ctx.session.add(StaffUser(login=login, password_hash="-", role=role, **extra))
        ctx.session.flush()


def add_organisation(
    runtime: Runtime,
    places: Places,
    form: Form,
    categories: list[Category],
    *,
    free_places: int = 0,
    accepting: bool = True,
    name: str = "Care home",
) -> int:
    with runtime.context() as ctx:
        organisation = Organisation(
            name_kk=name,
            name_ru=name,
            name_en=name,
            form=form,
            region_id=places.region_id,
            district_id=places.district_id,
            capacity=100,
            free_places=free_places,
            accepting=accepting,
        )
        ctx.session.add(organisation)
        ctx.session.flush()
        for category in categories:
            ctx.session.add(OrganisationCategory(organisation_id=organisation.id, category=category))
        return int(organisation.id)


def make_iin(birth: date, *, female: bool = False, serial: int = 1) -> str:
    """A valid IIN for the birth date (century and sex in the 7th digit, rules-digest §7)."""
    from core.rules.iin import check_digit

    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (1 if female else 0)
    for bump in range(50):
        first = f"{birth:%y%m%d}{century}{(serial + bump) % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return first + str(digit)
    raise AssertionError("no valid IIN found")
