"""The world of the scoping tests: two districts with a department each, an organisation in each district, and four
cases that sit differently across them; every kind of row the panel lists hangs off each case.

    district A: department DA, organisation X        district B: department DB, organisation Y
    case_ax  handled by DA, queued and offered at X
    case_a   handled by DA, no organisation yet (submitted)
    case_bx  handled by DB, queued at X (a queue of district A), once offered a place at Y
    case_b   handled by DB, queued and offered at Y; approved on 13 Nov, the notice to the recipient overdue
    (case_a is approved too, on 19 Nov: its notice is due today, 23 Nov, two working days later, App.1 p.7)

Every record is tagged with the roles that may see it (VISIBLE): the permission matrix compares what each signed-in
role gets from a list, a detail URL, a search and an export with those tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import httpx
import sqlalchemy as sa
from sqlmodel import SQLModel

from admin import accounts
from core.db.enums import (
    Audience,
    AuditActorKind,
    Channel,
    Direction,
    DocumentStatus,
    Language,
    OfferStatus,
    OutboxStatus,
    PostponementReason,
    StaffRole,
)
from core.db.models import (
    AuditLog,
    Case,
    ChatIdentity,
    Department,
    DepartmentDistrict,
    District,
    Document,
    InboxMessage,
    Offer,
    Organisation,
    Outbox,
    Person,
    Postponement,
    QueueEntry,
    Region,
    StaffUser,
    StatusHistory,
)
from core.rules.codes import Actor, Category, DocumentCode, Form, Status
from core.services.context import ServiceContext
from qamqor.runtime import Runtime
from tests.services.conftest import PDF, make_iin

PASSWORD = "Panel-test-passw0rd"
ROLES = ("admin", "department_a", "organisation_x")
LOGINS = {"admin": "root", "department_a": "dept.a", "organisation_x": "org.x"}
ALL = frozenset(ROLES)
# Who may see each case (and, unless a row says otherwise, everything hanging off it).
VISIBLE = {
    "case_ax": ALL,
    "case_a": frozenset({"admin", "department_a"}),
    "case_bx": ALL,  # in the queue of X, an organisation of district A
    "case_b": frozenset({"admin"}),
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class World:
    # identity -> record key -> (id, roles that may see it)
    records: dict[str, dict[str, tuple[int, frozenset[str]]]] = field(default_factory=dict)
    iins: dict[str, str] = field(default_factory=dict)  # case key -> the recipient's IIN
    names: dict[str, str] = field(default_factory=dict)  # case key -> the recipient's name
    organisation_names: dict[str, str] = field(default_factory=dict)

    def add(self, identity: str, key: str, row_id: int | None, roles: frozenset[str]) -> None:
        self.records.setdefault(identity, {})[key] = (int(row_id or 0), roles)

    def id(self, identity: str, key: str) -> int:
        return self.records[identity][key][0]

    def visible(self, identity: str, role: str) -> set[int]:
        return {row_id for row_id, roles in self.records.get(identity, {}).values() if role in roles}

    def hidden(self, identity: str, role: str) -> set[int]:
        return {row_id for row_id, roles in self.records.get(identity, {}).values() if role not in roles}


def _add(ctx: ServiceContext, row: SQLModel) -> SQLModel:
    ctx.session.add(row)
    ctx.session.flush()
    return row


def build_world(runtime: Runtime) -> World:
    world = World()
    with runtime.context() as ctx:
        region = _add(ctx, Region(code="test_city", name_kk="Қала", name_ru="Город", name_en="City"))
        places = {side: _district_side(ctx, world, region.id, side) for side in ("a", "b")}
        _staff(ctx, places)
        _organisations(world, places)
        now = ctx.now
        for serial, (key, department, home, extra) in enumerate(
            (
                ("case_ax", "a", "a", None),
                ("case_a", "a", None, None),
                ("case_bx", "b", "a", "b"),
                ("case_b", "b", "b", None),
            ),
            start=1,
        ):
            _case(ctx, world, key, serial, places, department, home, extra, now)
    return world


def _district_side(ctx: ServiceContext, world: World, region_id: int, side: str) -> dict[str, int]:
    district = _add(
        ctx, District(region_id=region_id, code=f"d_{side}", name_kk=side, name_ru=side, name_en=f"District {side}")
    )
    department = _add(ctx, Department(region_id=region_id, name_kk=side, name_ru=side, name_en=f"Dept {side}"))
    _add(ctx, DepartmentDistrict(department_id=department.id, district_id=district.id))
    name = {"a": "Home X in district A", "b": "Home Y in district B"}[side]
    organisation = _add(
        ctx,
        Organisation(
            name_kk=name,
            name_ru=name,
            name_en=name,
            form=Form.STATIONARY,
            region_id=region_id,
            district_id=district.id,
            capacity=50,
            free_places=2,
        ),
    )
    world.organisation_names[side] = name
    return {"district": int(district.id), "department": int(department.id), "organisation": int(organisation.id)}


def _organisations(world: World, places: dict[str, dict[str, int]]) -> None:
    world.add("organisation", "x", places["a"]["organisation"], ALL)
    world.add("organisation", "y", places["b"]["organisation"], frozenset({"admin"}))


def _staff(ctx: ServiceContext, places: dict[str, dict[str, int]]) -> None:
    """The admin through the real account service; the others share its argon2 hash (one hash is slow enough)."""
    root = accounts.create_staff(ctx, LOGINS["admin"], PASSWORD, StaffRole.ADMIN)
    for login, role, scope, language in (
        (LOGINS["department_a"], StaffRole.DEPARTMENT, {"department_id": places["a"]["department"]}, Language.RU),
        (
            LOGINS["organisation_x"],
            StaffRole.ORGANISATION,
            {"organisation_id": places["a"]["organisation"]},
            Language.RU,
        ),
        ("org.y", StaffRole.ORGANISATION, {"organisation_id": places["b"]["organisation"]}, Language.KK),
    ):
        _add(ctx, StaffUser(login=login, password_hash=root.password_hash, role=role, language=language, **scope))


def _case(
    ctx: ServiceContext,
    world: World,
    key: str,
    serial: int,
    places: dict[str, dict[str, int]],
    department: str,
    home: str | None,
    extra_offer: str | None,
    now: datetime,
) -> None:
    roles = VISIBLE[key]
    iin = make_iin(date(1948, 3, serial), serial=serial * 37)
    name = f"Recipient {key.upper()}"
    person = _add(ctx, Person(iin=iin, full_name=name, birth_date=date(1948, 3, serial), category=Category.ELDERLY))
    world.iins[key], world.names[key] = iin, name
    world.add("person", key, person.id, roles)
    status = {"case_ax": Status.QUEUED, "case_bx": Status.QUEUED}.get(key, Status.APPROVED)
    decided_on = {"case_a": date(2026, 11, 19), "case_b": date(2026, 11, 13)}.get(key)
    organisation_id = places[home]["organisation"] if home else None
    case = _add(
        ctx,
        Case(
            person_id=person.id,
            applicant_person_id=person.id,
            form=Form.STATIONARY,
            category=Category.ELDERLY,
            status=status,
            department_id=places[department]["department"],
            organisation_id=organisation_id if key != "case_bx" else None,
            decided_on=decided_on,
            positive=True if decided_on else None,
        ),
    )
    world.add("case", key, case.id, roles)
    _case_rows(ctx, world, key, case, roles, now)
    if home:
        _queue_and_offer(ctx, world, key, case, places[home]["organisation"], home, now)
    if extra_offer:
        offer = _add(
            ctx,
            Offer(
                case_id=case.id,
                organisation_id=places[extra_offer]["organisation"],
                offered_at=now - timedelta(days=40),
                arrival_due_on=(now - timedelta(days=30)).date(),
                status=OfferStatus.LAPSED,
            ),
        )
        # An offer at Y: not X's business, and not department A's (Y is in district B, the case is DB's).
        world.add("offer", f"{key}_extra", offer.id, frozenset({"admin"}))


def _queue_and_offer(
    ctx: ServiceContext, world: World, key: str, case: Case, organisation_id: int, home: str, now: datetime
) -> None:
    at_x = home == "a"
    roles = ALL if at_x else frozenset({"admin"})
    entry = _add(ctx, QueueEntry(organisation_id=organisation_id, case_id=case.id, queued_at=now - timedelta(days=60)))
    world.add("queue-entry", key, entry.id, roles)
    if key == "case_bx":
        return
    offer = _add(
        ctx,
        Offer(
            case_id=case.id,
            organisation_id=organisation_id,
            offered_at=now - timedelta(days=20),
            arrival_due_on=(now - timedelta(days=10)).date(),
        ),
    )
    world.add("offer", key, offer.id, roles)


def _case_rows(ctx: ServiceContext, world: World, key: str, case: Case, roles: frozenset[str], now: datetime) -> None:
    stored = ctx.files.store(PDF + key.encode())
    document = _add(
        ctx,
        Document(
            case_id=case.id,
            code=DocumentCode.APPLICATION,
            status=DocumentStatus.UPLOADED,
            file_path=stored.relative_path,
            original_name=f"{key}.pdf",
            mime_type=stored.mime_type,
            size_bytes=stored.size,
            sha256=stored.sha256,
            uploaded_at=now,
        ),
    )
    world.add("document", key, document.id, roles)
    history = _add(
        ctx, StatusHistory(case_id=case.id, to_status=case.status, action="open", actor_kind=Actor.SYSTEM, at=now)
    )
    world.add("status-history", key, history.id, roles)
    audit = _add(
        ctx,
        AuditLog(at=now, actor_kind=AuditActorKind.SYSTEM, action="open", entity="case", entity_id=str(case.id)),
    )
    world.add("audit-log", key, audit.id, roles)
    postponement = _add(
        ctx,
        Postponement(
            case_id=case.id,
            reason=PostponementReason.ILLNESS,
            original_due_on=now.date(),
            requested_at=now,
        ),
    )
    world.add("postponement", key, postponement.id, roles)
    chat = _add(ctx, ChatIdentity(channel=Channel.WEB, external_id=f"web-{key}", person_id=case.person_id))
    question = _add(
        ctx,
        InboxMessage(case_id=case.id, chat_identity_id=chat.id, direction=Direction.IN, body=f"Question {key}", at=now),
    )
    world.add("inbox-message", f"{key}_in", question.id, roles)
    reply = _add(
        ctx,
        InboxMessage(
            case_id=case.id,
            chat_identity_id=chat.id,
            direction=Direction.OUT,
            body=f"Answer {key}",
            at=now,
            delivery_error="chat blocked",
        ),
    )
    world.add("inbox-message", f"{key}_out", reply.id, roles)
    world.add("failed-reply", key, reply.id, roles)
    notice = _add(
        ctx,
        Outbox(
            case_id=case.id,
            kind="arrival_due",
            due_on=now.date(),
            audience=Audience.APPLICANT,
            status=OutboxStatus.FAILED,
            attempts=5,
            last_error="unreachable",
        ),
    )
    world.add("outbox", key, notice.id, roles)


def staff_ids(runtime: Runtime) -> dict[str, int]:
    with runtime.context() as ctx:
        rows = ctx.session.execute(sa.select(StaffUser.login, StaffUser.id))
        return {str(login): int(row_id) for login, row_id in rows}


class Staff:
    """A browser-like client: signed in with the session cookie, sends the CSRF token with every POST."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, follow_redirects=False, timeout=30)

    def token(self) -> str:
        page = self.http.get("/admin/login")
        found = CSRF.search(page.text)
        assert found, "the login page carries a CSRF token"
        return found.group(1)

    def sign_in(self, login: str, password: str = PASSWORD) -> httpx.Response:
        return self.http.post(
            "/admin/login", data={"username": login, "password": password, "csrf_token": self.token()}
        )

    def get(self, path: str, **params: str) -> httpx.Response:
        return self.http.get(path, params=params or None)

    def csrf(self) -> str:
        """The token of this signed-in session, as the panel's pages carry it."""
        found = CSRF.search(self.http.get("/admin/dashboard").text)
        assert found, "a signed-in page carries the CSRF token"
        return found.group(1)

    def post(self, path: str, data: dict[str, str], *, csrf: bool = True) -> httpx.Response:
        payload = {**data, **({"csrf_token": self.csrf()} if csrf else {})}
        return self.http.post(path, data=payload)

    def close(self) -> None:
        self.http.close()


def signed_in(base_url: str, role: str) -> Staff:
    staff = Staff(base_url)
    response = staff.sign_in(LOGINS[role])
    assert response.status_code == 302, response.text[:500]
    return staff


__all__ = ["ALL", "LOGINS", "PASSWORD", "ROLES", "VISIBLE", "Staff", "World", "build_world", "signed_in", "staff_ids"]
