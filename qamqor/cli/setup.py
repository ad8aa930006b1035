"""`qamqor setup`: migrate the configured database, load the demo data when it is empty and create the demo staff
accounts (their generated passwords are printed once). Safe to repeat."""

from __future__ import annotations

import argparse

from admin.demo_staff import NewAccount, ensure_demo_staff
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
                staff = ensure_demo_staff(ctx)
        finally:
            runtime.dispose()
        print("Demo organisations loaded." if loaded else "Demo data already present.")
        _print_accounts(staff, settings)
    return 0


def _print_accounts(staff: list[NewAccount], settings: Settings) -> None:
    """The generated passwords, shown this once (they are stored only as argon2 hashes)."""
    if not staff:
        return
    print(f"Staff panel: {settings.public_url.rstrip('/')}/admin  (passwords are shown only now; keep them)")
    for account in staff:
        print(f"  login {account.login:<18} password {account.password}   ({account.role.value})")
    print("More accounts: qamqor staff create --login NAME --role admin|department|organisation")


def _safe(url: str) -> str:
    """The URL without a password, for the console."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
