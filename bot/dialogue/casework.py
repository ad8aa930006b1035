"""Thin compositions of the services that several flows need: this chat's cases, the department of a district,
the area where organisations are looked for, the names of people and places.

A chat sees only the cases opened (or resumed) from it: typing someone's IIN must never reveal their case.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from bot.dialogue import texts
from bot.dialogue.render import name_in
from bot.dialogue.turn import Turn
from core.db.models import Case, Consent, Department, DepartmentDistrict, Document, Organisation, Person, Representation
from core.rules.lifecycle import TERMINAL_STATUSES
from core.services import people
from core.services.context import ServiceContext

# Law silent: the standards do not say how a chat proves who it is, and an IIN is printed on every identity
# card. Under Law No. 94-V a careful department shows a case only where it was opened: typing an IIN never
# reveals a case opened elsewhere (staff can link it after checking identity).
CASES_KEY = "cases"  # ids of the cases this chat opened or resumed
CURRENT_KEY = "case_id"  # the case the person is talking about now
AREAS_KEY = "areas"  # case id -> [region id, district id] chosen when applying


def has_consent(ctx: ServiceContext, identity_id: int | None, version: str) -> bool:
    """The latest consent answer of this chat, for the consent text now shown, is a yes."""
    latest = ctx.session.scalars(
        sa.select(Consent).where(Consent.chat_identity_id == identity_id).order_by(Consent.at.desc(), Consent.id.desc())
    ).first()
    return latest is not None and latest.given and latest.text_version == version


def chat_case_ids(turn: Turn) -> list[int]:
    return [int(value) for value in turn.data.get(CASES_KEY, []) if str(value).isdigit()]


def open_chat_cases(turn: Turn) -> list[Case]:
    """This chat's cases that have not ended, newest first."""
    ids = chat_case_ids(turn)
    if not ids:
        return []
    statement = sa.select(Case).where(Case.id.in_(ids), Case.status.not_in(TERMINAL_STATUSES)).order_by(Case.id.desc())
    return list(turn.ctx.session.scalars(statement))


def chat_cases(turn: Turn) -> list[Case]:
    """All of this chat's cases (ended ones too: a refusal must still be explained), newest first."""
    ids = chat_case_ids(turn)
    if not ids:
        return []
    return list(turn.ctx.session.scalars(sa.select(Case).where(Case.id.in_(ids)).order_by(Case.id.desc())))


def current_case(turn: Turn) -> Case | None:
    """The case being talked about: the one picked last, else the newest open one, else the newest."""
    cases = chat_cases(turn)
    wanted = turn.data.get(CURRENT_KEY)
    picked = next((case for case in cases if case.id == wanted), None)
    if picked is None or (picked.status in TERMINAL_STATUSES and open_chat_cases(turn)):
        open_cases = [case for case in cases if case.status not in TERMINAL_STATUSES]
        picked = open_cases[0] if open_cases else (cases[0] if cases else None)
    if picked is not None:
        turn.data[CURRENT_KEY] = picked.id
    return picked


def case_or_menu(turn: Turn) -> Case | None:
    """The current case; with none yet, says so and returns to the main menu (the caller just stops)."""
    case = current_case(turn)
    if case is None:
        turn.say(texts.NO_CASE_YET)
        turn.go("menu", "main")
    return case


def remember_case(turn: Turn, case: Case, region_id: int | None = None, district_id: int | None = None) -> None:
    case_id = int(case.id or 0)
    ids = chat_case_ids(turn)
    if case_id not in ids:
        turn.data[CASES_KEY] = [*ids, case_id]
    turn.data[CURRENT_KEY] = case_id
    if region_id is not None:
        turn.scratch(AREAS_KEY)[str(case.id)] = [region_id, district_id]


def person_of(turn: Turn, case: Case) -> Person | None:
    return turn.ctx.session.get(Person, case.person_id)


def person_name(turn: Turn, case: Case) -> str:
    person = person_of(turn, case)
    return person.full_name if person and person.full_name else "—"


def link_representation_proof(ctx: ServiceContext, case: Case, document: Document) -> None:
    """The uploaded proof of legal representation (DocumentCode.REPRESENTATIVE_PROOF) is attached to the
    representation itself, so staff verifying it see which document proves it."""
    link = ctx.session.scalars(
        sa.select(Representation).where(
            Representation.representative_id == case.applicant_person_id,
            Representation.represented_id == case.person_id,
        )
    ).first()
    representative = ctx.session.get(Person, case.applicant_person_id)
    represented = ctx.session.get(Person, case.person_id)
    if link is None or representative is None or represented is None:
        return
    people.represent(ctx, representative, represented, link.relationship, proof_document_id=document.id)


def department_for_district(ctx: ServiceContext, district_id: int | None) -> Department | None:
    if district_id is None:
        return None
    return ctx.session.scalars(
        sa.select(Department)
        .join(DepartmentDistrict, DepartmentDistrict.department_id == Department.id)
        .where(DepartmentDistrict.district_id == district_id)
    ).first()


def department_name(turn: Turn, case: Case) -> str | None:
    department = turn.ctx.session.get(Department, case.department_id) if case.department_id else None
    return name_in(turn.lang, department) if department else None


def organisation_name(turn: Turn, organisation_id: int | None) -> str:
    organisation = turn.ctx.session.get(Organisation, organisation_id) if organisation_id else None
    return name_in(turn.lang, organisation) if organisation else "—"


def area_of(turn: Turn, case: Case) -> tuple[int | None, int | None]:
    """(region id, district id) where to look for organisations: the district chosen when applying, else the
    district the case's department serves, else its region."""
    remembered = turn.scratch(AREAS_KEY).get(str(case.id))
    if isinstance(remembered, list) and len(remembered) == 2:
        return remembered[0], remembered[1]
    if case.department_id is None:
        return None, None
    department = turn.ctx.session.get(Department, case.department_id)
    district_id = turn.ctx.session.scalars(
        sa.select(DepartmentDistrict.district_id).where(DepartmentDistrict.department_id == case.department_id)
    ).first()
    return (department.region_id if department else None), district_id


def parse_moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
