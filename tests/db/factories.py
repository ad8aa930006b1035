"""Minimal valid rows for database tests: each helper adds one row, flushes (so it has an id) and returns it."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlmodel import Session

from core.db.models import Case, Organisation, Person, QueueEntry, Region
from core.db.types import utc_now
from core.rules.codes import Form

_serial = itertools.count(1)


def add_person(session: Session, **fields: Any) -> Person:
    person = Person(full_name=fields.pop("full_name", f"Person {next(_serial)}"), **fields)
    session.add(person)
    session.flush()
    return person


def add_region(session: Session, **fields: Any) -> Region:
    number = next(_serial)
    defaults = {"code": f"R{number}", "name_kk": f"Облыс {number}", "name_ru": f"Область {number}"}
    region = Region(**{**defaults, "name_en": f"Region {number}", **fields})
    session.add(region)
    session.flush()
    return region


def add_organisation(session: Session, **fields: Any) -> Organisation:
    region_id = fields.pop("region_id", None) or add_region(session).id
    number = next(_serial)
    defaults: dict[str, Any] = {
        "name_kk": f"Ұйым {number}",
        "name_ru": f"Организация {number}",
        "name_en": f"Organisation {number}",
        "form": Form.STATIONARY,
        "capacity": 10,
        "free_places": 0,
    }
    organisation = Organisation(region_id=region_id, **{**defaults, **fields})
    session.add(organisation)
    session.flush()
    return organisation


def add_case(session: Session, **fields: Any) -> Case:
    person_id = fields.pop("person_id", None) or add_person(session).id
    case = Case(
        person_id=person_id,
        applicant_person_id=fields.pop("applicant_person_id", person_id),
        form=fields.pop("form", Form.STATIONARY),
        **fields,
    )
    session.add(case)
    session.flush()
    return case


def add_queue_entry(
    session: Session, organisation_id: int, queued_at: datetime | None = None, **fields: Any
) -> QueueEntry:
    case_id = fields.pop("case_id", None) or add_case(session).id
    entry = QueueEntry(organisation_id=organisation_id, case_id=case_id, queued_at=queued_at or utc_now(), **fields)
    session.add(entry)
    session.flush()
    return entry
