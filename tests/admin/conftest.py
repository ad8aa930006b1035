"""Fixtures of the panel tests: one world and one live server per module and database (the matrix only reads), and
a function-scoped app for the tests that change accounts (sign-in, lockout, expiry)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from core.db import migrate
from qamqor.app import create_app
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.admin.panel_world import ROLES, Staff, World, build_world, signed_in
from tests.conftest import LiveServer
from tests.db.fixtures import BACKENDS
from tests.services.conftest import Clock

PANEL_DAY = date(2026, 11, 23)  # a Monday


@pytest.fixture(scope="module", params=BACKENDS)
def panel_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('panel') / 'panel.db'}"
        migrate.upgrade(url)
        yield url
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create(template=request.getfixturevalue("postgres_migrated_template"))
    yield server.url_of(name)
    server.drop(name)


@pytest.fixture(scope="module")
def panel_clock() -> Clock:
    return Clock(PANEL_DAY)


@pytest.fixture(scope="module")
def panel_runtime(panel_db_url: str, tmp_path_factory: pytest.TempPathFactory, panel_clock: Clock) -> Runtime:
    data_dir = tmp_path_factory.mktemp("panel-data")
    settings = Settings(environment="test", data_dir=data_dir, database_url=panel_db_url)
    return Runtime(settings, clock=panel_clock)  # disposed by the app's lifespan when the server stops


@pytest.fixture(scope="module")
def panel_world(panel_runtime: Runtime) -> World:
    return build_world(panel_runtime)


@pytest.fixture(scope="module")
def panel_server(panel_runtime: Runtime, panel_world: World) -> Iterator[LiveServer]:
    with LiveServer(create_app(panel_runtime.settings, runtime=panel_runtime)) as server:
        yield server


@pytest.fixture(scope="module")
def staff_of(panel_server: LiveServer) -> Iterator[dict[str, Staff]]:
    clients = {role: signed_in(panel_server.url, role) for role in ROLES}
    yield clients
    for client in clients.values():
        client.close()


# --- a fresh app per test, for tests that change accounts or move the clock -----------------------------------------


@pytest.fixture
def auth_clock() -> Clock:
    return Clock(PANEL_DAY)


@pytest.fixture
def auth_runtime(migrated_url: str, tmp_path: Path, auth_clock: Clock) -> Runtime:
    settings = Settings(environment="test", data_dir=tmp_path / "data", database_url=migrated_url)
    return Runtime(settings, clock=auth_clock)


@pytest.fixture
def auth_world(auth_runtime: Runtime) -> World:
    return build_world(auth_runtime)


@pytest.fixture
def auth_server(auth_runtime: Runtime, auth_world: World) -> Iterator[LiveServer]:
    with LiveServer(create_app(auth_runtime.settings, runtime=auth_runtime)) as server:
        yield server
