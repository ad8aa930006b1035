"""The append-only audit log: who did what to which record, with before/after snapshots (IINs masked).

Append-only is enforced by the database, not by convention: the initial migration installs triggers that reject
UPDATE and DELETE (and TRUNCATE on PostgreSQL). The same DDL is attached here for `metadata.create_all`, so a
database built without migrations is no weaker.
"""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from core.db.enums import AuditActorKind
from core.db.models.base import created_at_field, enum_check, enum_field, text_field
from core.db.types import MaskedJSON

APPEND_ONLY_MESSAGE = "audit_log is append-only"

POSTGRES_TRIGGER_DDL = (
    "CREATE FUNCTION audit_log_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}: % rejected', TG_OP; END; $$",
    "CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change()",
)
POSTGRES_TRIGGER_DROP = ("DROP FUNCTION IF EXISTS audit_log_reject_change() CASCADE",)

SQLITE_TRIGGER_DDL = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}: UPDATE rejected'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}: DELETE rejected'); END",
)


class AuditLog(SQLModel, table=True):
    """One row per change made by a person, a staff member or the system. Never updated, never deleted."""

    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_entity_entity_id", "entity", "entity_id"),
        enum_check("actor_kind", AuditActorKind),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at_field()
    actor_kind: AuditActorKind = enum_field(AuditActorKind)
    actor_id: str | None = text_field(64)  # staff_user.id / person.id / chat_identity.id as text, or a job name
    action: str = text_field(64, nullable=False)
    entity: str = text_field(64, nullable=False)  # the table name, e.g. "case"
    entity_id: str | None = text_field(64)
    # Masked on write by MaskedJSON: whatever a service passes, no full IIN reaches the table.
    before: dict[str, Any] | None = Field(default=None, sa_type=MaskedJSON(), nullable=True)
    after: dict[str, Any] | None = Field(default=None, sa_type=MaskedJSON(), nullable=True)


def _ddl(statement: str) -> sa.DDL:
    return sa.DDL(statement)  # type: ignore[no-untyped-call]


def _attach_trigger_ddl(table: sa.Table) -> None:
    for statement in POSTGRES_TRIGGER_DDL:
        sa.event.listen(table, "after_create", _ddl(statement).execute_if(dialect="postgresql"))
    for statement in POSTGRES_TRIGGER_DROP:
        sa.event.listen(table, "before_drop", _ddl(statement).execute_if(dialect="postgresql"))
    for statement in SQLITE_TRIGGER_DDL:
        sa.event.listen(table, "after_create", _ddl(statement).execute_if(dialect="sqlite"))


_attach_trigger_ddl(AuditLog.__table__)  # type: ignore[attr-defined]

__all__ = ["APPEND_ONLY_MESSAGE", "AuditLog"]
