"""`qamqor setup`: migrate the configured database and load the demo data when it is empty (safe to repeat)."""

from __future__ import annotations

import argparse

from core.db.migrate import upgrade
from qamqor.demo import load_demo
from qamqor.runtime import Runtime
from qamqor.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("setup", help="migrate the database and load demo data (safe to repeat)")
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo organisations")
    parser.set_defaults(handler=_setup)


def _setup(args: argparse.Namespace) -> int:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.effective_database_url)
    print(f"Database ready: {_safe(settings.effective_database_url)}")
    if not args.no_demo:
        runtime = Runtime(settings)
        try:
            with runtime.context() as ctx:
                loaded = load_demo(ctx)
        finally:
            runtime.dispose()
        print("Demo organisations loaded." if loaded else "Demo data already present.")
    return 0


def _safe(url: str) -> str:
    """The URL without a password, for the console."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
