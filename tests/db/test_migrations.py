"""The migrations are the truth about the schema: they run both ways on both databases and match the models."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from core.db import migrate
from core.db.engine import make_engine
from core.db.models import metadata
from core.db.types import EnumString
from qamqor.cli import db as db_cli

TABLES = set(metadata.tables)


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def schema_diff(url: str, target: sa.MetaData = metadata) -> list[object]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, target))
    finally:
        engine.dispose()


def test_there_is_one_head() -> None:
    # ScriptDirectory.get_current_head raises when the history forks (two migrations with the same parent).
    assert migrate.head_revision() is not None


def test_upgrade_downgrade_upgrade_round_trip(db_url: str) -> None:
    assert migrate.current_revision(db_url) is None
    migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == migrate.head_revision()
    assert table_names(db_url) == TABLES

    migrate.downgrade(db_url, "base")
    assert migrate.current_revision(db_url) is None
    assert table_names(db_url) == set()

    migrate.upgrade(db_url)
    assert migrate.current_revision(db_url) == migrate.head_revision()
    assert table_names(db_url) == TABLES


@pytest.mark.postgres
def test_downgrade_removes_the_postgres_trigger_function(postgres_url: str) -> None:
    migrate.upgrade(postgres_url)
    migrate.downgrade(postgres_url)
    engine = make_engine(postgres_url)
    with engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM pg_proc WHERE proname = 'audit_log_reject_change'"
        ).scalar()
    engine.dispose()
    assert found == 0


def test_models_and_migrations_do_not_drift(migrated_url: str) -> None:
    assert schema_diff(migrated_url) == []


def test_drift_check_notices_a_column_missing_from_the_migrations(migrated_url: str) -> None:
    changed = sa.MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["person"].append_column(sa.Column("nickname", sa.String(40)))
    diff = schema_diff(migrated_url, changed)
    assert [(item[0], item[3].name) for item in diff] == [("add_column", "nickname")]  # type: ignore[index]


def enum_checks() -> list[tuple[str, str, type]]:
    """(table, constraint name, enum) for every column stored with EnumString."""
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EnumString):
                found.append((table.name, f"ck_{table.name}_{column.name}", column.type.enum))
    return found


def test_every_enum_column_has_a_check_constraint_listing_exactly_the_enum_values(migrated_url: str) -> None:
    """Alembic does not compare CHECK constraints, so this does: a new enum member needs a migration."""
    engine = make_engine(migrated_url)
    inspector = sa.inspect(engine)
    mismatches = []
    for table, name, enum in enum_checks():
        checks = {check["name"]: check["sqltext"] for check in inspector.get_check_constraints(table)}
        allowed = set(re.findall(r"'([^']*)'", checks.get(name, "")))
        if allowed != {member.value for member in enum}:
            mismatches.append(f"{name}: database allows {sorted(allowed)}, {enum.__name__} has {[*enum]}")
    engine.dispose()
    assert mismatches == []


def test_qamqor_db_commands_migrate_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "fresh" / "data"
    monkeypatch.setenv("QAMQOR_DATA_DIR", str(data_dir))
    monkeypatch.delenv("QAMQOR_DATABASE_URL", raising=False)

    def run(*argv: str) -> str:
        parser = __import__("argparse").ArgumentParser()
        db_cli.register(parser.add_subparsers(dest="command", required=True))
        args = parser.parse_args(list(argv))
        assert args.handler(args) == 0
        return capsys.readouterr().out

    head = migrate.head_revision()
    assert run("db", "current").startswith(f"base (newest is {head}")
    assert f"is at revision {head}" in run("db", "upgrade")
    assert (data_dir / "qamqor.db").is_file()
    assert run("db", "current") == f"{head} (up to date)\n"
    assert "is at revision base" in run("db", "downgrade")
    assert table_names(f"sqlite:///{data_dir / 'qamqor.db'}") == set()


BROKEN_MIGRATION = """
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE scratch (id INTEGER)")
    op.execute("SELECT * FROM no_such_table")


def downgrade():
    pass
"""


def test_a_failing_migration_leaves_the_database_untouched(db_url: str, tmp_path: Path) -> None:
    """SQLite too: env.py runs the whole upgrade in one transaction, so a half-applied schema cannot happen."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_broken.py").write_text(
        BROKEN_MIGRATION.replace("{head}", str(migrate.head_revision()))
    )
    config = migrate.alembic_config(db_url)
    config.set_main_option("script_location", str(scripts))
    with pytest.raises(sa.exc.DBAPIError, match="no_such_table"):
        command.upgrade(config, "head")
    assert migrate.current_revision(db_url) is None
    assert table_names(db_url) == set()
