"""Alembic environment: runs the migrations against the URL given by the caller or by the settings.

Where the URL comes from, first match wins: config.attributes["connection"] (an open connection),
config.attributes["url"] (core.db.migrate), `-x url=...` on the alembic command line, sqlalchemy.url in
alembic.ini, qamqor.settings.Settings().effective_database_url.

SQLite runs each migration in a real transaction (pysqlite would otherwise commit DDL as it goes) with foreign
keys OFF, because batch mode rebuilds a table by copying it; the foreign keys are checked once at the end.
"""

from __future__ import annotations

from logging.config import fileConfig
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection, Engine

from core.db.engine import normalise_url
from core.db.models import metadata
from core.db.types import EnumString, MaskedJSON, UTCDateTime

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.attributes.get("url") or context.get_x_argument(as_dictionary=True).get("url")
    url = url or config.get_main_option("sqlalchemy.url")
    if not url:
        from qamqor.settings import Settings

        url = Settings().effective_database_url
    return str(url)


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | bool:
    """Write our column decorators as the plain types the database has, so migrations never import app code."""
    if type_ != "type":
        return False
    if isinstance(obj, EnumString):
        return f"sa.String(length={obj.impl_instance.length})"
    if isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if isinstance(obj, MaskedJSON | sa.JSON):
        return "sa.JSON()"
    return False


def configure_context(connection: Connection | None = None, **options: Any) -> None:
    is_sqlite = (connection.dialect.name if connection is not None else "") == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=is_sqlite or bool(options.pop("render_as_batch", False)),
        render_item=render_item,
        compare_type=True,
        **options,
    )


def migration_engine(url: str) -> Engine:
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)  # the data dir on a first run
    engine = sa.create_engine(parsed, poolclass=sa.pool.NullPool)
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_manual_transactions)
        sa.event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    return engine


def _sqlite_manual_transactions(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, so DDL is inside the transaction
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # only settable outside a transaction


def check_sqlite_foreign_keys(connection: Connection) -> None:
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if violations:
        raise RuntimeError(f"the migration left rows breaking foreign keys: {violations[:5]}")


def run_migrations(connection: Connection, **options: Any) -> None:
    configure_context(connection, **options)
    with context.begin_transaction():
        context.run_migrations()
    if connection.dialect.name == "sqlite":
        check_sqlite_foreign_keys(connection)


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = migration_engine(database_url())
    try:
        with engine.connect() as connection:
            # Our SQLite engine emits BEGIN itself, so the whole upgrade is one transaction there too.
            run_migrations(connection, transactional_ddl=True)
    finally:
        engine.dispose()


def run_migrations_offline() -> None:
    """`alembic upgrade head --sql`: print the SQL for the configured database instead of running it."""
    url = normalise_url(database_url())
    context.configure(
        url=url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=url.get_backend_name() == "sqlite",
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
