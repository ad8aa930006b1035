"""`qamqor setup`: prepare the embedded database under the data directory (idempotent)."""

from __future__ import annotations

import argparse

from qamqor.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("setup", help="prepare the data directory and the database (safe to repeat)")
    parser.set_defaults(handler=_setup)


def _setup(args: argparse.Namespace) -> int:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    print(f"Data directory ready: {settings.data_dir.resolve()}")
    return 0
