"""Database fixtures for the whole suite (imported by tests/conftest.py).

    sqlite_url       an empty SQLite database in a temp file
    postgres_url     an empty throwaway PostgreSQL database `qamqor_test_<random>`, dropped afterwards
    db_backend       "sqlite" | "postgresql": parametrises every test that uses the fixtures below
    db_url           an empty database of that backend (for migration tests)
    migrated_url     a database of that backend at the newest migration (never create_all: migrations are truth)
    db_engine        core.db.engine.make_engine(migrated_url), disposed afterwards
    session_factory  core.db.engine.make_session_factory(engine)
    uow              a callable returning a fresh UnitOfWork: `with uow() as work: work.session.add(...)`

The PostgreSQL server comes from QAMQOR_TEST_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/
test, a maintenance database). When it cannot be reached the PostgreSQL tests FAIL with the reason: they never
skip, so a green run always means both databases were tested.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from core.db import migrate
from core.db.engine import make_engine, make_session_factory, normalise_url
from core.db.uow import UnitOfWork

POSTGRES_URL_ENV = "QAMQOR_TEST_POSTGRES_URL"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def postgres_server_url() -> URL:
    return normalise_url(os.environ.get(POSTGRES_URL_ENV, DEFAULT_POSTGRES_URL))


class PostgresServer:
    """Creates and drops databases through an AUTOCOMMIT connection to the maintenance database."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.engine = sa.create_engine(
            url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool, connect_args={"connect_timeout": 5}
        )

    def create(self, prefix: str = "qamqor_test", template: str | None = None) -> str:
        name = f"{prefix}_{secrets.token_hex(6)}"
        suffix = f' TEMPLATE "{template}"' if template else ""
        problem = None
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')
        except sa.exc.OperationalError as error:
            problem = str(error.orig).strip()
        if problem is not None:  # failed outside the except block, so the report is the message alone
            shown = self.url.render_as_string(hide_password=True)
            pytest.fail(
                f"PostgreSQL is not reachable at {shown}: {problem}. Start it (`bash .ci/postgres-up`) or point "
                f"{POSTGRES_URL_ENV} at a server; the PostgreSQL tests do not skip.",
                pytrace=False,
            )
        return name

    def drop(self, name: str) -> None:
        with self.engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer(postgres_server_url())
    yield server
    server.engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'qamqor-test.db'}"


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    name = postgres_server.create()
    yield postgres_server.url_of(name)
    postgres_server.drop(name)


@pytest.fixture(scope="session")
def postgres_migrated_template(postgres_server: PostgresServer) -> Iterator[str]:
    """A database migrated once per test session; each test gets a copy (CREATE DATABASE ... TEMPLATE)."""
    name = postgres_server.create(prefix="qamqor_template")
    try:
        migrate.upgrade(postgres_server.url_of(name))
        yield name
    finally:
        postgres_server.drop(name)


@pytest.fixture(params=BACKENDS)
def db_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(db_backend: str, request: pytest.FixtureRequest) -> str:
    fixture = {"sqlite": "sqlite_url", "postgresql": "postgres_url"}[db_backend]
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def migrated_url(db_backend: str, request: pytest.FixtureRequest) -> Iterator[str]:
    if db_backend == "sqlite":
        url = str(request.getfixturevalue("sqlite_url"))
        migrate.upgrade(url)
        yield url
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template: str = request.getfixturevalue("postgres_migrated_template")
    name = server.create(template=template)
    yield server.url_of(name)
    server.drop(name)


@pytest.fixture
def db_engine(migrated_url: str) -> Iterator[Engine]:
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(db_engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(db_engine)


@pytest.fixture
def uow(session_factory: sessionmaker[Session]) -> Callable[[], UnitOfWork]:
    return partial(UnitOfWork, session_factory)
