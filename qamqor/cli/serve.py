"""`qamqor serve`: the web process (health, web chat, webhooks, admin)."""

from __future__ import annotations

import argparse

import uvicorn

from qamqor.app import create_app
from qamqor.settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser("serve", help="run the web app (health, web chat, webhooks, admin)")
    parser.add_argument("--host", help="bind address (default: settings)")
    parser.add_argument("--port", type=int, help="port (default: settings)")
    parser.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    settings = Settings()
    app = create_app(settings)
    print(f"Qamqor is running at http://{args.host or settings.host}:{args.port or settings.port}/")
    uvicorn.run(app, host=args.host or settings.host, port=args.port or settings.port, log_level="info")
    return 0
