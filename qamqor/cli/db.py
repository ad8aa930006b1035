"""`qamqor db upgrade|downgrade|current`: run the Alembic migrations against the configured database."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url

from core.db import migrate
from qamqor.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("db", help="database migrations (QAMQOR_DATABASE_URL or SQLite in the data dir)")
    actions = parser.add_subparsers(dest="db_command", required=True)

    upgrade = actions.add_parser("upgrade", help="migrate the database to the newest schema (or to REVISION)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=_upgrade)

    downgrade = actions.add_parser("downgrade", help="undo migrations down to REVISION (default: base, empty)")
    downgrade.add_argument("revision", nargs="?", default="base")
    downgrade.set_defaults(handler=_downgrade)

    current = actions.add_parser("current", help="print the revision the database is at")
    current.set_defaults(handler=_current)


def _database_url(settings: Settings) -> str:
    """The configured URL; for a SQLite file (the embedded default) its directory is created first."""
    url = settings.effective_database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return url


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _upgrade(args: argparse.Namespace) -> int:
    url = _database_url(Settings())
    migrate.upgrade(url, args.revision)
    print(f"Database {_shown(url)} is at revision {migrate.current_revision(url) or 'base'}")
    return 0


def _downgrade(args: argparse.Namespace) -> int:
    url = _database_url(Settings())
    migrate.downgrade(url, args.revision)
    print(f"Database {_shown(url)} is at revision {migrate.current_revision(url) or 'base'}")
    return 0


def _current(args: argparse.Namespace) -> int:
    url = _database_url(Settings())
    revision = migrate.current_revision(url)
    head = migrate.head_revision()
    state = "up to date" if revision == head else f"newest is {head}: run `qamqor db upgrade`"
    print(f"{revision or 'base'} ({state})")
    return 0
