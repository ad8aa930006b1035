"""Every change leaves a trace: the audit log row (who, what, before, after) and, for cases, the status history."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import SQLModel

from core.db.enums import AuditActorKind
from core.db.models import AuditLog
from core.rules.codes import Actor
from core.services.context import ActorRef, ServiceContext

_AUDIT_KIND = {
    Actor.APPLICANT: AuditActorKind.PERSON,
    Actor.DEPARTMENT: AuditActorKind.STAFF,
    Actor.ORGANISATION: AuditActorKind.STAFF,
    Actor.AUTHORITY: AuditActorKind.STAFF,
    Actor.SYSTEM: AuditActorKind.SYSTEM,
}


def audit_kind(actor: ActorRef) -> AuditActorKind:
    return _AUDIT_KIND[actor.kind]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(row: SQLModel, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The row's columns as JSON-ready values (IINs are masked by the audit column type on write)."""
    names = fields or tuple(row.__class__.model_fields)
    return {name: _plain(getattr(row, name)) for name in names}


def record(
    ctx: ServiceContext,
    action: str,
    entity: SQLModel,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one audit row. `after` defaults to a snapshot of `entity` as it is now."""
    ctx.session.flush()  # the entity needs its id
    ctx.session.add(
        AuditLog(
            at=ctx.now,
            actor_kind=audit_kind(ctx.actor),
            actor_id=ctx.actor.id,
            action=action,
            entity=str(entity.__class__.__tablename__),
            entity_id=str(getattr(entity, "id", None)),
            before=before,
            after=after if after is not None else snapshot(entity),
        )
    )


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, so the audit log reads as what was done, not a dump of the row."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}
