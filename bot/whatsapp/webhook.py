"""GET and POST /whatsapp/webhook: Meta's verification handshake, and signed notifications handled in the background.

- GET ?hub.mode=subscribe&hub.verify_token=...&hub.challenge=... answers the challenge when the verify token
  matches (Meta calls it once, when the webhook is configured).
- POST carries `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the app secret>`. A missing
  signature is answered 401, a wrong one 403, compared in constant time; without a configured app secret every
  POST is refused (an unsigned webhook would let anyone speak as anyone). A verified notification is answered
  200 at once: Meta re-sends what is not acknowledged quickly, and the dialogue's work happens afterwards.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import SecretStr

from bot.whatsapp.adapter import WhatsAppAdapter
from bot.whatsapp.client import WhatsAppClient
from bot.whatsapp.payloads import WebhookBatch, parse_webhook
from bot.whatsapp.sender import WhatsAppSender

WEBHOOK_PATH = "/whatsapp/webhook"
SIGNATURE_HEADER = "X-Hub-Signature-256"
SIGNATURE_PREFIX = "sha256="
MAX_BODY_BYTES = 3 * 1024 * 1024  # notifications are small; Meta's largest are a few hundred kilobytes
SHUTDOWN_GRACE_SECONDS = 10.0

log = logging.getLogger(__name__)


def signature_of(body: bytes, app_secret: str) -> str:
    """The X-Hub-Signature-256 value Meta sends for `body`."""
    return SIGNATURE_PREFIX + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(body: bytes, sent: str | None, app_secret: SecretStr | None) -> bool:
    if app_secret is None or not app_secret.get_secret_value() or not sent:
        return False  # an empty secret is no secret
    expected = signature_of(body, app_secret.get_secret_value())
    return hmac.compare_digest(sent.strip().encode(), expected.encode())


def token_matches(sent: str | None, configured: SecretStr | None) -> bool:
    if configured is None or not configured.get_secret_value() or sent is None:
        return False
    return hmac.compare_digest(sent.encode(), configured.get_secret_value().encode())


class WhatsAppChannel:
    """The running WhatsApp channel: the pywa client, the adapter, the sender, and work in progress."""

    def __init__(self, client: WhatsAppClient, adapter: WhatsAppAdapter, sender: WhatsAppSender) -> None:
        self.client = client
        self.adapter = adapter
        self.sender = sender  # shares the adapter's renderer: long option ids on reminders resolve when pressed
        self.phone_number_id = client.wa.phone_id
        self._in_progress: set[asyncio.Task[None]] = set()

    @property
    def busy(self) -> bool:
        """True while a notification accepted by the webhook is still being handled."""
        return bool(self._in_progress)

    def schedule(self, batch: WebhookBatch) -> None:
        """Start handling in arrival order: each sender's messages queue on that sender's lock as they come."""
        for message in batch.messages:
            if message.phone_number_id not in (None, self.phone_number_id):
                log.warning("whatsapp: a message for another phone number id was ignored")
                continue
            self._start(self.adapter.handle(message))
        if batch.receipts:
            self._start(self.adapter.record(batch.receipts))

    def _start(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._in_progress.add(task)
        task.add_done_callback(self._in_progress.discard)

    async def close(self, grace_seconds: float = SHUTDOWN_GRACE_SECONDS) -> None:
        """Let work in progress finish (bounded), then close the HTTP session."""
        if self._in_progress:
            await asyncio.wait(set(self._in_progress), timeout=grace_seconds)
        await self.client.close()


def webhook_router(
    channel: WhatsAppChannel, *, app_secret: SecretStr | None, verify_token: SecretStr | None
) -> APIRouter:
    @asynccontextmanager
    async def lifespan(_: Any) -> AsyncIterator[None]:
        yield
        await channel.close()

    router = APIRouter(lifespan=lifespan)

    @router.get(WEBHOOK_PATH, include_in_schema=False)
    async def whatsapp_verify(
        mode: str | None = Query(None, alias="hub.mode"),
        token: str | None = Query(None, alias="hub.verify_token"),
        challenge: str | None = Query(None, alias="hub.challenge"),
    ) -> Response:
        if mode != "subscribe" or challenge is None or not token_matches(token, verify_token):
            return Response(status_code=403)
        return PlainTextResponse(challenge)

    @router.post(WEBHOOK_PATH, include_in_schema=False)
    async def whatsapp_webhook(request: Request) -> Response:
        sent = request.headers.get(SIGNATURE_HEADER)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return Response(status_code=413)
        body = await request.body()
        if not signature_matches(body, sent, app_secret):
            return Response(status_code=401 if not sent else 403)
        try:
            batch = parse_webhook(json.loads(body))
        except ValueError:  # not JSON, or JSON that is no notification (NotAWebhook)
            return Response(status_code=400)
        channel.schedule(batch)
        return Response(status_code=200)

    return router


def mount(
    app: FastAPI, channel: WhatsAppChannel, *, app_secret: SecretStr | None, verify_token: SecretStr | None
) -> None:
    if app_secret is None or not app_secret.get_secret_value():
        log.warning("whatsapp: no app secret configured; %s will refuse every notification", WEBHOOK_PATH)
    if verify_token is None or not verify_token.get_secret_value():
        log.warning("whatsapp: no verify token configured; %s will refuse the verification request", WEBHOOK_PATH)
    app.include_router(webhook_router(channel, app_secret=app_secret, verify_token=verify_token))
