"""The FastAPI application factory: the one web process (health, web chat, webhooks, admin)."""

from __future__ import annotations

from fastapi import FastAPI

from qamqor.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="Qamqor", version="0.1.0")
    app.state.settings = settings

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
