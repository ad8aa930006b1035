"""Queue position counters: active entries per (organisation, priority rank, UTC day), kept by triggers.

- queue_day_count(organisation_id, priority_rank, day, entries), primary key in that order: a queue position is
  the sum of the slices strictly ahead plus a COUNT within the person's own day (core.db.queue_queries).
- Triggers on queue_entry (INSERT, DELETE, UPDATE of organisation_id / priority_rank / queued_at / active) move
  the counts inside the writer's own transaction; a slice that falls to zero is deleted.
- The existing active entries are counted once (backfill).

The day is the UTC date of queued_at. The SQL is copied here on purpose: a migration must not change when app
code changes. SQLite batch mode (a table copy) drops a table's triggers: a later migration that batch-alters
queue_entry must create these again.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 21:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_DAY = "(({row}.queued_at AT TIME ZONE 'UTC')::date)"
SQLITE_DAY = "date({row}.queued_at)"

# One function for the three events. An update that moves none of the counted columns returns at once; a slice
# whose count reaches zero is deleted (row locks on the slice serialise concurrent writers of the same day).
POSTGRES_FUNCTION = f"""
CREATE FUNCTION queue_day_count_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    remaining integer;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.active = NEW.active AND OLD.organisation_id = NEW.organisation_id
            AND OLD.priority_rank = NEW.priority_rank AND OLD.queued_at = NEW.queued_at THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.active THEN
        UPDATE queue_day_count SET entries = entries - 1
         WHERE organisation_id = OLD.organisation_id AND priority_rank = OLD.priority_rank
           AND day = {POSTGRES_DAY.format(row="OLD")}
        RETURNING entries INTO remaining;
        IF remaining <= 0 THEN
            DELETE FROM queue_day_count
             WHERE organisation_id = OLD.organisation_id AND priority_rank = OLD.priority_rank
               AND day = {POSTGRES_DAY.format(row="OLD")};
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.active THEN
        INSERT INTO queue_day_count (organisation_id, priority_rank, day, entries)
        VALUES (NEW.organisation_id, NEW.priority_rank, {POSTGRES_DAY.format(row="NEW")}, 1)
        ON CONFLICT (organisation_id, priority_rank, day) DO UPDATE SET entries = queue_day_count.entries + 1;
    END IF;
    RETURN NULL;
END;
$$
"""
POSTGRES_TRIGGERS = (
    POSTGRES_FUNCTION,
    "CREATE TRIGGER queue_day_count_sync AFTER INSERT OR DELETE "
    "OR UPDATE OF organisation_id, priority_rank, queued_at, active ON queue_entry "
    "FOR EACH ROW EXECUTE FUNCTION queue_day_count_sync()",
    # TRUNCATE fires no row trigger: empty the counts with it.
    "CREATE FUNCTION queue_day_count_clear() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN DELETE FROM queue_day_count; RETURN NULL; END; $$",
    "CREATE TRIGGER queue_day_count_clear AFTER TRUNCATE ON queue_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION queue_day_count_clear()",
)

SQLITE_SLICE = (
    "organisation_id = OLD.organisation_id AND priority_rank = OLD.priority_rank AND day = date(OLD.queued_at)"
)
SQLITE_LEAVE = (
    f"UPDATE queue_day_count SET entries = entries - 1 WHERE OLD.active AND {SQLITE_SLICE}; "
    f"DELETE FROM queue_day_count WHERE OLD.active AND {SQLITE_SLICE} AND entries <= 0;"
)
# INSERT ... SELECT ... WHERE: the WHERE both guards and keeps the UPSERT's ON CONFLICT unambiguous for SQLite.
SQLITE_JOIN = (
    "INSERT INTO queue_day_count (organisation_id, priority_rank, day, entries) "
    "SELECT NEW.organisation_id, NEW.priority_rank, date(NEW.queued_at), 1 WHERE NEW.active "
    "ON CONFLICT (organisation_id, priority_rank, day) DO UPDATE SET entries = entries + 1;"
)
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER queue_day_count_on_insert AFTER INSERT ON queue_entry WHEN NEW.active BEGIN {SQLITE_JOIN} END",
    f"CREATE TRIGGER queue_day_count_on_delete AFTER DELETE ON queue_entry WHEN OLD.active BEGIN {SQLITE_LEAVE} END",
    "CREATE TRIGGER queue_day_count_on_update AFTER UPDATE OF organisation_id, priority_rank, queued_at, active "
    "ON queue_entry WHEN (OLD.active OR NEW.active) AND (OLD.active IS NOT NEW.active "
    "OR OLD.organisation_id IS NOT NEW.organisation_id OR OLD.priority_rank IS NOT NEW.priority_rank "
    f"OR OLD.queued_at IS NOT NEW.queued_at) BEGIN {SQLITE_LEAVE} {SQLITE_JOIN} END",
)
SQLITE_TRIGGER_NAMES = ("queue_day_count_on_insert", "queue_day_count_on_delete", "queue_day_count_on_update")

BACKFILL = (
    "INSERT INTO queue_day_count (organisation_id, priority_rank, day, entries) "
    "SELECT organisation_id, priority_rank, {day}, count(*) FROM queue_entry WHERE active "
    "GROUP BY organisation_id, priority_rank, {day}"
)


def upgrade() -> None:
    op.create_table(
        "queue_day_count",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("priority_rank", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"], name=op.f("fk_queue_day_count_organisation_id_organisation")
        ),
        sa.PrimaryKeyConstraint("organisation_id", "priority_rank", "day", name=op.f("pk_queue_day_count")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # No writer may slip in between the backfill and the triggers (SQLite's write lock is already ours).
        op.execute("LOCK TABLE queue_entry IN SHARE ROW EXCLUSIVE MODE")
        statements, day = POSTGRES_TRIGGERS, POSTGRES_DAY.format(row="queue_entry")
    elif dialect == "sqlite":
        statements, day = SQLITE_TRIGGERS, SQLITE_DAY.format(row="queue_entry")
    else:
        raise NotImplementedError(f"no queue counter triggers for {dialect}: add them before using this database")
    # Backfill, then the triggers, in the migration's one transaction.
    op.execute(BACKFILL.format(day=day))
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS queue_day_count_sync() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS queue_day_count_clear() CASCADE")
    else:
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("queue_day_count")
