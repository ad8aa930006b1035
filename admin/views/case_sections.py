"""The tables under a case's detail page: everything that hangs off the case, each filtered by its own scope clause
(an organisation sees its own queue place and offers of the case, not those at other organisations)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from admin import scope
from admin.i18n import _, current_language
from admin.principal import Principal
from admin.views.base import plain
from core.db.models import (
    AuditLog,
    Document,
    InboxMessage,
    Offer,
    Organisation,
    Postponement,
    QueueEntry,
    StaffUser,
    StatusHistory,
)
from core.db.queue_queries import queue_position

BODY_PREVIEW_CHARS = 300


@dataclass
class Section:
    key: str  # identity of the full list (links "all of them" to it)
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _organisation_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    column = getattr(Organisation, f"name_{current_language()}")
    return {
        row[0]: row[1] for row in session.execute(sa.select(Organisation.id, column).where(Organisation.id.in_(ids)))
    }


def _rows(session: Session, model: Any, clause: sa.ColumnElement[bool], case_id: int, order: Any) -> list[Any]:
    column = AuditLog.entity_id if model is AuditLog else model.case_id
    key: Any = str(case_id) if model is AuditLog else case_id
    extra = [AuditLog.entity == "case"] if model is AuditLog else []
    return list(session.scalars(sa.select(model).where(column == key, clause, *extra).order_by(order)))


def _documents(session: Session, principal: Principal, case_id: int) -> Section:
    section = Section("document", _("Documents"), [_("Document"), _("Status"), _("File"), _("Uploaded")])
    for doc in _rows(session, Document, scope.document_clause(principal), case_id, Document.id):
        section.rows.append([plain(doc.code), plain(doc.status), doc.original_name or "", plain(doc.uploaded_at)])
    return section


def _queue(session: Session, principal: Principal, case_id: int) -> Section:
    entries = _rows(session, QueueEntry, scope.queue_entry_clause(principal), case_id, QueueEntry.queued_at)
    names = _organisation_names(session, {entry.organisation_id for entry in entries})
    columns = [_("Organisation"), _("Position"), _("Priority"), _("Out of turn"), _("Queued"), _("Left")]
    section = Section("queue-entry", _("Queue places"), columns)
    for entry in entries:
        position = queue_position(session, entry) if entry.active else ""
        left = f"{plain(entry.left_at)} {entry.left_reason or ''}".strip()
        row = [names.get(entry.organisation_id, ""), position, _priority(entry), plain(entry.out_of_turn)]
        section.rows.append([*row, plain(entry.queued_at), left])
    return section


def _priority(entry: QueueEntry) -> str:
    return _("Veteran (first priority)") if entry.priority else _("General queue")


def _offers(session: Session, principal: Principal, case_id: int) -> Section:
    offers = _rows(session, Offer, scope.offer_clause(principal), case_id, Offer.offered_at)
    names = _organisation_names(session, {offer.organisation_id for offer in offers})
    columns = [_("Organisation"), _("Offered"), _("Arrive by"), _("Status"), _("Closed")]
    section = Section("offer", _("Offers"), columns)
    for offer in offers:
        section.rows.append(
            [
                names.get(offer.organisation_id, ""),
                plain(offer.offered_at),
                plain(offer.arrival_due_on),
                plain(offer.status),
                plain(offer.closed_at),
            ]
        )
    return section


def _postponements(session: Session, principal: Principal, case_id: int) -> Section:
    columns = [_("Reason"), _("Requested"), _("Arrival date was"), _("New arrival date"), _("Decision")]
    section = Section("postponement", _("Postponements"), columns)
    for item in _rows(session, Postponement, scope.postponement_clause(principal), case_id, Postponement.id):
        section.rows.append(
            [
                plain(item.reason),
                plain(item.requested_at),
                plain(item.original_due_on),
                plain(item.new_due_on),
                plain(item.status),
            ]
        )
    return section


def _messages(session: Session, principal: Principal, case_id: int) -> Section:
    messages = _rows(session, InboxMessage, scope.inbox_clause(principal), case_id, InboxMessage.at)
    staff_ids = {message.staff_user_id for message in messages if message.staff_user_id}
    logins = {
        row[0]: row[1]
        for row in session.execute(sa.select(StaffUser.id, StaffUser.login).where(StaffUser.id.in_(staff_ids)))
    }
    section = Section("inbox-message", _("Messages"), [_("When"), _("Direction"), _("Text"), _("Staff"), _("Delivery")])
    for message in messages:
        delivery = message.delivery_error or plain(message.delivered_at)
        body = message.body[:BODY_PREVIEW_CHARS]
        who = logins.get(message.staff_user_id, "")
        section.rows.append([plain(message.at), plain(message.direction), body, who, delivery])
    return section


def _history(session: Session, principal: Principal, case_id: int) -> Section:
    clause = scope.status_history_clause(principal)
    columns = [_("When"), _("From"), _("To"), _("Action"), _("By"), _("Note")]
    section = Section("status-history", _("Status history"), columns)
    for step in _rows(session, StatusHistory, clause, case_id, StatusHistory.at):
        by = f"{plain(step.actor_kind)} {step.actor_id or ''}".strip()
        section.rows.append(
            [plain(step.at), plain(step.from_status), plain(step.to_status), step.action, by, step.note or ""]
        )
    return section


def _audit(session: Session, principal: Principal, case_id: int) -> Section:
    section = Section("audit-log", _("Audit log"), [_("When"), _("Who"), _("Action"), _("Changes")])
    for entry in _rows(session, AuditLog, scope.audit_clause(principal), case_id, AuditLog.at):
        who = f"{entry.actor_kind.value}:{entry.actor_id or ''}"
        section.rows.append([plain(entry.at), who, entry.action, _changes(entry)])
    return section


def _changes(entry: AuditLog) -> str:
    after = entry.after or {}
    before = entry.before or {}
    return "; ".join(f"{key}: {before.get(key, '')} → {value}" for key, value in after.items())


SECTIONS: tuple[Callable[[Session, Principal, int], Section], ...] = (
    _documents,
    _queue,
    _offers,
    _postponements,
    _messages,
    _history,
    _audit,
)


def case_sections(session: Session, principal: Principal, case_id: int) -> list[Section]:
    return [build(session, principal, case_id) for build in SECTIONS]
