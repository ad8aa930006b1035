"""Engines and sessions. Nothing here connects at import time: an engine connects on first use.

SQLite (the embedded default) gets foreign keys ON, write-ahead logging and a busy timeout on every new
connection; PostgreSQL gets a bounded pool that checks a connection before handing it out.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 5_000
POSTGRES_POOL_SIZE = 5
POSTGRES_MAX_OVERFLOW = 10
POSTGRES_POOL_RECYCLE_SECONDS = 1_800


def normalise_url(url: str | URL) -> URL:
    """Parse a database URL; a bare `postgresql://` means psycopg 3 (the only PostgreSQL driver installed)."""
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def is_memory_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def make_engine(url: str | URL, *, echo: bool = False) -> Engine:
    parsed = normalise_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, echo=echo)
    if backend == "postgresql":
        return _postgres_engine(parsed, echo=echo)
    raise ValueError(f"unsupported database backend '{backend}': use sqlite or postgresql+psycopg")


def _sqlite_engine(url: URL, *, echo: bool) -> Engine:
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if is_memory_sqlite(url):
        # One shared connection, otherwise every pooled connection would see its own empty database.
        options["poolclass"] = StaticPool
    engine = sa.create_engine(url, echo=echo, **options)
    sa.event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")  # SQLite ignores foreign keys unless told otherwise
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # wait for a writer instead of failing
        cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer (the web app and the bot)
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster than FULL
    finally:
        cursor.close()


def _postgres_engine(url: URL, *, echo: bool) -> Engine:
    return sa.create_engine(
        url,
        echo=echo,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_MAX_OVERFLOW,
        pool_pre_ping=True,  # a restarted server or a dropped connection is noticed before use
        pool_recycle=POSTGRES_POOL_RECYCLE_SECONDS,
        connect_args={"options": "-c timezone=UTC"},
    )


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so a service can return what it saved."""
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False, autoflush=True)
