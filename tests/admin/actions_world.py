"""The world of the case-work tests: two districts of Almaty, each with its department and its care home, staff of
every role, and applications in draft with their documents uploaded; the whole app (`create_app`) served on
loopback, reached by staff through real HTTP with the session cookie and the CSRF token, as a browser does.

    world = build_world(runtime)                 # places and staff (passwords: PASSWORD)
    case_id = world.application(runtime)         # a stationary case for an older person, documents uploaded
    officer = staff("dept_a")                    # signed in (tests/admin/actions_client.py): .page(), .step()
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from admin import accounts
from bot.dialogue.casework import CASES_KEY
from core.db import migrate
from core.db.enums import Channel, DocumentStatus, Language, StaffRole
from core.db.models import (
    Case,
    ChatIdentity,
    Conversation,
    Department,
    DepartmentDistrict,
    District,
    Document,
    Organisation,
    OrganisationCategory,
    Region,
    StatusHistory,
)
from core.rules.codes import Actor, Category, DocumentCode, Form, Status
from core.services import cases, decisions, documents, people, placement, residency
from core.services.context import ActorRef
from qamqor.app import create_app
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.admin.actions_client import PASSWORD, PanelClient
from tests.conftest import LiveServer
from tests.db.fixtures import BACKENDS
from tests.services.conftest import PDF, Clock, make_iin

APPLICANT = ActorRef(Actor.APPLICANT, None)
STATIONARY_UPLOADS = (
    DocumentCode.APPLICATION,
    DocumentCode.IDENTITY_DOCUMENT,
    DocumentCode.MEDICAL_CARD,
    DocumentCode.OUTPATIENT_EXTRACT,
)
LOGINS = {
    "dept_a": (StaffRole.DEPARTMENT, "a"),
    "dept_b": (StaffRole.DEPARTMENT, "b"),
    "org_a": (StaffRole.ORGANISATION, "a"),
    "org_b": (StaffRole.ORGANISATION, "b"),
    "boss": (StaffRole.ADMIN, None),
}


@dataclass
class Side:
    """One district with the department that serves it and a care home located in it."""

    district_id: int
    department_id: int
    home_id: int


@dataclass
class World:
    region_id: int
    sides: dict[str, Side]
    telegram_chats: dict[int, int] = field(default_factory=dict)  # case id -> the applicant's Telegram chat id

    def identity_of(self, runtime: Runtime, case_id: int) -> ChatIdentity:
        with runtime.context() as ctx:
            chat = str(self.telegram_chats[case_id])
            return ctx.session.scalars(sa.select(ChatIdentity).where(ChatIdentity.external_id == chat)).one()

    def application(
        self,
        runtime: Runtime,
        side: str = "a",
        *,
        serial: int = 1,
        language: Language = Language.KK,
        form: Form = Form.STATIONARY,
        category: Category = Category.ELDERLY,
        uploads: tuple[DocumentCode, ...] = STATIONARY_UPLOADS,
        organisation_id: int | None = None,
    ) -> int:
        """A draft case handled by `side`'s department (by default: residential care for an older person), the
        `uploads` uploaded; the applicant writes from Telegram chat 7000 + serial, in `language`."""
        chat_id = 7000 + serial
        birth = date(1941, 5, 9) if category is Category.ELDERLY else date(1990, 4, 1)
        with runtime.context(APPLICANT) as ctx:
            person = people.register_person(ctx, make_iin(birth, serial=serial), full_name=f"Applicant {serial}")
            case = cases.open_case(
                ctx,
                person,
                person,
                form,
                category,
                department_id=self.sides[side].department_id,
                organisation_id=organisation_id,
                language=language.value,
            )
            for code in uploads:
                documents.attach(ctx, case, code, f"{code.value}.pdf", PDF + str(serial).encode())
            identity = ChatIdentity(
                channel=Channel.TELEGRAM, external_id=str(chat_id), language=language, person_id=person.id
            )
            ctx.session.add(identity)
            ctx.session.flush()
            case_id = int(case.id or 0)
            # The chat that opened the case (the dialogue keeps its case ids): notices go there.
            ctx.session.add(Conversation(chat_identity_id=identity.id, data={CASES_KEY: [case_id]}))
        self.telegram_chats[case_id] = chat_id
        return case_id

    def organisation(self, runtime: Runtime, side: str, form: Form, category: Category, *, free: int = 0) -> int:
        """Another organisation in `side`'s district (a home-care service, a shelter)."""
        with runtime.context() as ctx:
            row = Organisation(
                name_kk=f"{form.value} {side}",
                name_ru=f"{form.value} {side}",
                name_en=f"{form.value} {side}",
                form=form,
                region_id=self.region_id,
                district_id=self.sides[side].district_id,
                capacity=10,
                free_places=free,
            )
            ctx.session.add(row)
            ctx.session.flush()
            ctx.session.add(OrganisationCategory(organisation_id=row.id, category=category))
            return int(row.id or 0)

    def staff_of(self, runtime: Runtime, login: str, organisation_id: int) -> None:
        """An organisation employee account (password PASSWORD)."""
        with runtime.context() as ctx:
            accounts.create_staff(
                ctx, login, PASSWORD, StaffRole.ORGANISATION, organisation_id=organisation_id, language="ru"
            )


def build_world(runtime: Runtime) -> World:
    with runtime.context() as ctx:
        region = Region(code="almaty_city", name_kk="Алматы қаласы", name_ru="город Алматы", name_en="Almaty city")
        ctx.session.add(region)
        ctx.session.flush()
        sides = {name: _side(ctx, region.id, name) for name in ("a", "b")}
        for login, (role, side) in LOGINS.items():
            scope = {}
            if role is StaffRole.DEPARTMENT:
                scope = {"department_id": sides[str(side)].department_id}
            elif role is StaffRole.ORGANISATION:
                scope = {"organisation_id": sides[str(side)].home_id}
            accounts.create_staff(ctx, login, PASSWORD, role, language="ru", **scope)
        return World(int(region.id or 0), sides)


def _side(ctx, region_id: int, name: str) -> Side:
    district = District(
        region_id=region_id, code=f"district_{name}", name_kk=f"Аудан {name}", name_ru=f"Район {name}", name_en=name
    )
    department = Department(
        region_id=region_id, name_kk=f"Бөлім {name}", name_ru=f"Отдел {name}", name_en=f"Department {name}"
    )
    ctx.session.add_all([district, department])
    ctx.session.flush()
    ctx.session.add(DepartmentDistrict(department_id=department.id, district_id=district.id))
    home = Organisation(
        name_kk=f"Қарттар үйі {name}",
        name_ru=f"Дом престарелых {name}",
        name_en=f"Care home {name}",
        form=Form.STATIONARY,
        region_id=region_id,
        district_id=district.id,
        capacity=10,
        free_places=0,
    )
    ctx.session.add(home)
    ctx.session.flush()
    ctx.session.add(OrganisationCategory(organisation_id=home.id, category=Category.ELDERLY))
    return Side(int(district.id or 0), int(department.id or 0), int(home.id or 0))


# --- reading the database the way a test checks what happened --------------------------------------------------


def case_row(runtime: Runtime, case_id: int) -> Case:
    with runtime.context() as ctx:
        return cases.get_case(ctx, case_id)


def history_actions(runtime: Runtime, case_id: int) -> list[str]:
    with runtime.context() as ctx:
        statement = sa.select(StatusHistory.action).where(StatusHistory.case_id == case_id).order_by(StatusHistory.id)
        return list(ctx.session.scalars(statement))


def document_of(runtime: Runtime, case_id: int, code: DocumentCode) -> Document:
    with runtime.context() as ctx:
        return ctx.session.scalars(sa.select(Document).where(Document.case_id == case_id, Document.code == code)).one()


def document_statuses(runtime: Runtime, case_id: int) -> dict[str, DocumentStatus]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(sa.select(Document).where(Document.case_id == case_id))
        return {row.code.value: row.status for row in rows}


def accept_all_documents(runtime: Runtime, case_id: int) -> None:
    """Staff steps done through the services (for tests about later steps)."""
    with runtime.context(ActorRef(Actor.DEPARTMENT, None)) as ctx:
        case = cases.get_case(ctx, case_id)
        for code in STATIONARY_UPLOADS:
            documents.review(ctx, case, code, accept=True)


def advance(runtime: Runtime, world: World, case_id: int, to: Status, side: str = "a") -> None:
    """Take a fresh application to `to` through the services, as staff would (queued, offered, admitted at
    `side`'s home), for tests about later steps."""
    department, organisation = ActorRef(Actor.DEPARTMENT, None), ActorRef(Actor.ORGANISATION, None)
    home = world.sides[side].home_id
    accept_all_documents(runtime, case_id)
    with runtime.context(department) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="D-1", decided_on=ctx.today)
        decisions.notify_recipient(ctx, case)
        placement.choose_organisation(ctx, case, home)
    if to == Status.QUEUED:
        return
    with runtime.context(organisation) as ctx:
        placement.free_places(ctx, home)
    if to == Status.OFFERED:
        return
    with runtime.context(organisation) as ctx:
        residency.admit(ctx, cases.get_case(ctx, case_id))


def status_of(runtime: Runtime, case_id: int) -> Status:
    return case_row(runtime, case_id).status


# --- fixtures (imported by the test modules) ----------------------------------------------------------------------


@pytest.fixture
def work_clock() -> Clock:
    return Clock(date(2026, 11, 23))  # Monday, 10:00 in Almaty


_SQLITE_TEMPLATES: dict[Path, Path] = {}


def _sqlite_template(factory: pytest.TempPathFactory) -> Path:
    """A database migrated once per test session; each test gets a copy (migrating takes seconds)."""
    base = factory.getbasetemp()
    if base not in _SQLITE_TEMPLATES:
        path = factory.mktemp("work-template") / "migrated.db"
        migrate.upgrade(f"sqlite:///{path}")
        _SQLITE_TEMPLATES[base] = path
    return _SQLITE_TEMPLATES[base]


@pytest.fixture(params=BACKENDS)
def work_db_url(
    request: pytest.FixtureRequest, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh migrated database per test, on SQLite and on PostgreSQL (copied from a migrated template)."""
    if request.param == "sqlite":
        target = tmp_path / "work.db"
        shutil.copyfile(_sqlite_template(tmp_path_factory), target)
        yield f"sqlite:///{target}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create(template=request.getfixturevalue("postgres_migrated_template"))
    yield server.url_of(name)
    server.drop(name)


@pytest.fixture
def work_runtime(work_db_url: str, tmp_path: Path, work_clock: Clock) -> Iterator[Runtime]:
    settings = Settings(environment="test", data_dir=tmp_path / "data", database_url=work_db_url)
    runtime = Runtime(settings, clock=work_clock)
    yield runtime
    runtime.dispose()


@pytest.fixture
def world(work_runtime: Runtime) -> World:
    return build_world(work_runtime)


@pytest.fixture
def panel(work_runtime: Runtime, world: World) -> Iterator[LiveServer]:
    """The whole web process as production builds it, on the test's database and clock."""
    with LiveServer(create_app(work_runtime.settings, runtime=work_runtime)) as server:
        yield server


@pytest.fixture
def staff(panel: LiveServer) -> Iterator[Callable[[str], PanelClient]]:
    """`staff("dept_a")`: a signed-in panel client for that login (closed after the test)."""
    opened: list[PanelClient] = []

    def sign_in(login: str) -> PanelClient:
        client = PanelClient(panel.url, login)
        opened.append(client)
        return client

    yield sign_in
    for client in opened:
        client.close()
