"""Shared fixtures: a live app served over real HTTP on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from qamqor.app import create_app
from qamqor.settings import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """Runs an ASGI app with uvicorn in a background thread; `url` is its base address."""

    def __init__(self, app: object) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(environment="test", data_dir=tmp_path / "data")


@pytest.fixture
def live_app(settings: Settings) -> Iterator[LiveServer]:
    with LiveServer(create_app(settings)) as server:
        yield server


# Database fixtures (sqlite_url, postgres_url, db_backend, db_url, migrated_url, db_engine, session_factory, uow):
# defined in tests/db/fixtures.py, imported here so every test directory can use them.
from tests.db.fixtures import (  # noqa: E402, F401
    db_backend,
    db_engine,
    db_url,
    migrated_url,
    postgres_migrated_template,
    postgres_server,
    postgres_url,
    session_factory,
    sqlite_url,
    uow,
)
