"""Foreign keys shown as names: one query per kind for a whole page of rows, read back by the cell formatters.

A case shows "No. 17", a person their full name, an organisation its name in the reader's language. Cases and
people link to their detail pages (both are reachable through the case the row belongs to, so the link never
leads a reader outside their scope).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request

from admin.i18n import _, current_language
from core.db.models import Department, District, Organisation, Person, StaffUser

Labels = dict[tuple[str, int], str]
_NAMED = {"organisation": Organisation, "department": Department, "district": District}
_LINKED = {"case": "case", "person": "person"}
_STATE_ATTR = "qamqor_labels"


def load_labels(session: Session, wanted: set[tuple[str, Any]]) -> Labels:
    ids: dict[str, set[int]] = defaultdict(set)
    for kind, value in wanted:
        if isinstance(value, int):
            ids[kind].add(value)
    found: Labels = {}
    for kind, keys in ids.items():
        found.update({(kind, key): text for key, text in _names(session, kind, keys).items()})
    return found


def _names(session: Session, kind: str, keys: set[int]) -> dict[int, str]:
    if kind == "case":
        return {key: _("No. {number}", number=key) for key in keys}
    if kind == "person":
        rows = session.execute(sa.select(Person.id, Person.full_name).where(Person.id.in_(keys)))
        return {row[0]: row[1] or _("No. {number}", number=row[0]) for row in rows}
    if kind == "staff":
        return {
            row[0]: row[1]
            for row in session.execute(sa.select(StaffUser.id, StaffUser.login).where(StaffUser.id.in_(keys)))
        }
    model = _NAMED.get(kind)
    if model is None:
        return {}
    column = getattr(model, f"name_{current_language()}", model.name_ru)
    return {row[0]: row[1] for row in session.execute(sa.select(model.id, column).where(model.id.in_(keys)))}


def remember_labels(request: Request, labels: Labels) -> None:
    setattr(request.state, _STATE_ATTR, {**getattr(request.state, _STATE_ATTR, {}), **labels})


def render_label(request: Request, kind: str, value: Any, *, link: bool = True) -> Any:
    if value is None:
        return ""
    text = getattr(request.state, _STATE_ATTR, {}).get((kind, value), f"#{value}")
    identity = _LINKED.get(kind)
    if not link or identity is None:
        return text
    url = request.url_for("admin:details", identity=identity, pk=str(value))
    return Markup('<a href="{}">{}</a>').format(url, text)
