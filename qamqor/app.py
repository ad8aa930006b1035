"""The FastAPI application factory: the one web process (health, web chat, Telegram webhook, admin)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from admin.app import install_admin
from bot.dialogue.engine import DialogueEngine, error_text, file_too_large_text
from bot.telegram import install_telegram
from bot.web import install_web_chat
from bot.whatsapp import install_whatsapp
from bot.whatsapp.store import DatabaseChatStore
from qamqor.delivery import WebInbox
from qamqor.runtime import Runtime
from qamqor.scheduler import start_scheduler
from qamqor.settings import Settings
from qamqor.wiring import DatabaseUpdateLedger

Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_base_app(settings: Settings, lifespan: Lifespan | None = None) -> FastAPI:
    """The app with nothing but `/health`: channel tests mount their own dialogue on it."""
    app = FastAPI(title="Qamqor", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.telegram = None

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> FastAPI:
    """The whole web process: the dialogue behind the web chat and the Telegram webhook."""
    settings = settings or Settings()
    runtime = runtime or Runtime(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scheduler = start_scheduler(app.state, runtime)  # reminders and delivery, if settings.scheduler_enabled
        yield
        if scheduler is not None:
            await scheduler.stop()
        if app.state.telegram is not None:
            await app.state.telegram.close()
        runtime.dispose()

    app = create_base_app(settings, lifespan)
    app.state.runtime = runtime
    dialogue = DialogueEngine(runtime)
    app.state.dialogue = dialogue
    install_web_chat(app, dialogue=dialogue, settings=settings, inbox=WebInbox(runtime))
    app.state.telegram = install_telegram(
        app,
        settings=settings,
        dialogue=dialogue,
        ledger=DatabaseUpdateLedger(runtime),
        error_reply=error_text,
        file_too_large_reply=file_too_large_text,
    )
    install_whatsapp(  # sets app.state.whatsapp (None unless QAMQOR_WHATSAPP__* are set)
        app,
        settings=settings,
        dialogue=dialogue,
        ledger=DatabaseUpdateLedger(runtime),
        store=DatabaseChatStore(runtime),
        clock=runtime.clock,
    )
    install_admin(app, runtime=runtime, settings=settings)
    return app
