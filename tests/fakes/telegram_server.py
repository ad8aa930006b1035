"""The HTTP side of the fake Telegram Bot API: state, token check, the methods aiogram calls, failure injection.

Tests use FakeTelegram (telegram_api.py), which adds what a person does and sees on top of this server.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.conftest import LiveServer
from tests.fakes import telegram_objects as tg

TOKEN = "123456789:AAFakeTokenForQamqorTests_0123456789"
GET_FILE_LIMIT = 20 * 1024 * 1024
# Form fields aiogram sends JSON-encoded; every other field is taken as the plain string it is.
_JSON_FIELDS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "allowed_updates",
    "reply_markup",
    "show_alert",
    "cache_time",
    "drop_pending_updates",
    "max_connections",
    "disable_notification",
    "protect_content",
}
_SENDING = {"sendmessage", "senddocument", "sendchataction", "editmessagetext", "editmessagereplymarkup"}


class ApiError(Exception):
    def __init__(self, code: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.body = tg.error(code, description, **parameters)
        self.code = code


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, UploadedFile] = field(default_factory=dict)


@dataclass
class UploadedFile:
    file_name: str
    data: bytes


@dataclass
class SentMessage:
    """A message the bot sent, as the person currently sees it (edits applied)."""

    chat_id: int
    message_id: int
    text: str | None  # the caption, for a document
    reply_markup: dict[str, Any] | None = None
    document: UploadedFile | None = None

    @property
    def buttons(self) -> list[list[tuple[str, str]]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[(button["text"], button.get("callback_data", "")) for button in row] for row in rows]

    @property
    def button_labels(self) -> list[str]:
        return [label for row in self.buttons for label, _ in row]

    def as_json(self) -> dict[str, Any]:
        content: dict[str, Any] = {}
        if self.document is not None:
            size = len(self.document.data)
            content["document"] = tg.document(
                f"out-{self.message_id}",
                f"u-out-{self.message_id}",
                self.document.file_name,
                "application/octet-stream",
                size,
            )
            if self.text:
                content["caption"] = self.text
        elif self.text is not None:
            content["text"] = self.text
        if self.reply_markup:
            content["reply_markup"] = self.reply_markup
        return tg.message(self.message_id, self.chat_id, tg.BOT_USER, **content)


@dataclass
class StoredFile:
    file_id: str
    unique_id: str
    path: str
    data: bytes
    size: int  # what Telegram reports; may differ from len(data) to test a lying client


class BotApiServer:
    def __init__(self, token: str = TOKEN, *, poll_cap_seconds: float = 0.3) -> None:
        self.token = token
        self.poll_cap_seconds = poll_cap_seconds
        self._lock = threading.Lock()
        # Ids only grow, even across reset(): a late request from an earlier test can never match a new message.
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(500_000)
        self.reset()
        self._server = LiveServer(self._asgi_app())
        self.url = self._server.url

    def reset(self) -> None:
        """Forget every update, call, message, file, failure and webhook (one server can serve many tests)."""
        with self._lock:
            self._updates: list[dict[str, Any]] = []
            self._calls: list[Call] = []
            self._messages: list[SentMessage] = []
            self._files: dict[str, StoredFile] = {}
            self._failures: dict[str, list[ApiError]] = {}
            self._blocked: set[int] = set()
            self.downloads: list[str] = []
            self.webhook: dict[str, Any] = {}

    # --- lifecycle -------------------------------------------------------------------------------------------
    def __enter__(self) -> Self:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)

    # --- the HTTP side -----------------------------------------------------------------------------------------
    def _asgi_app(self) -> Starlette:
        routes = [
            Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
        ]
        return Starlette(routes=routes)

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse(tg.error(401, "Unauthorized"), status_code=401)
        method = request.path_params["method"]
        params, files = await _read_params(request)
        with self._lock:
            self._calls.append(Call(method, params, files))
        handler: Callable[..., Any] | None = getattr(self, f"_m_{method.lower()}", None)
        try:
            self._maybe_fail(method.lower(), params)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await handler(params, files)
        except ApiError as error:
            return JSONResponse(error.body, status_code=error.code)
        return JSONResponse({"ok": True, "result": result})

    async def _download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=404)
        path = request.path_params["path"]
        stored = next((f for f in self._files.values() if f.path == path), None)
        if stored is None:
            return Response(status_code=404)
        with self._lock:
            self.downloads.append(path)
        return Response(stored.data, media_type="application/octet-stream")

    def _maybe_fail(self, method: str, params: dict[str, Any]) -> None:
        with self._lock:
            queued = self._failures.get(method)
            if queued:
                raise queued.pop(0)
            if method in _SENDING and params.get("chat_id") in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")

    # --- Bot API methods (named _m_<method in lower case>) -------------------------------------------------------
    async def _m_getme(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return tg.BOT_USER

    async def _m_getupdates(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        if self.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), self.poll_cap_seconds)
        allowed = params.get("allowed_updates") or None
        while True:
            with self._lock:
                if params.get("offset") is not None:  # everything below the offset is confirmed, forget it
                    self._updates = [u for u in self._updates if u["update_id"] >= params["offset"]]
                ready = [u for u in self._updates if allowed is None or _update_type(u) in allowed]
            if ready or time.monotonic() >= deadline:
                return ready[: int(params.get("limit") or 100)]
            await asyncio.sleep(0.01)

    async def _m_sendmessage(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        text = str(params.get("text") or "")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        _check_markup(params.get("reply_markup"))
        return self._record(SentMessage(int(params["chat_id"]), next(self._ids), text, params.get("reply_markup")))

    async def _m_senddocument(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        attached = str(params.get("document", "")).removeprefix("attach://")
        if attached not in files:
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption = params.get("caption")
        if caption and len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        sent = SentMessage(int(params["chat_id"]), next(self._ids), caption, document=files[attached])
        return self._record(sent)

    async def _m_editmessagetext(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        sent = self._editable(params)
        if sent.text == params["text"] and sent.reply_markup == params.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified")
        with self._lock:
            sent.text, sent.reply_markup = params["text"], params.get("reply_markup")  # no markup: keyboard gone
        return sent.as_json()

    async def _m_editmessagereplymarkup(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        sent = self._editable(params)
        with self._lock:
            sent.reply_markup = params.get("reply_markup")
        return sent.as_json()

    async def _m_answercallbackquery(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return True

    async def _m_sendchataction(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        return True

    async def _m_getfile(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > GET_FILE_LIMIT:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": stored.size,
            "file_path": stored.path,
        }

    async def _m_setwebhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        if not str(params.get("url", "")).startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self._drop_pending(params)
        self.webhook = {key: params.get(key) for key in ("url", "secret_token", "allowed_updates")}
        return True

    async def _m_deletewebhook(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        self._drop_pending(params)
        self.webhook = {}
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any], files: dict[str, UploadedFile]) -> Any:
        info: dict[str, Any] = {"url": self.webhook.get("url") or "", "has_custom_certificate": False}
        info["pending_update_count"] = len(self._updates)
        return info

    # --- helpers -------------------------------------------------------------------------------------------------
    def _record(self, sent: SentMessage) -> dict[str, Any]:
        with self._lock:
            self._messages.append(sent)
        return sent.as_json()

    def _editable(self, params: dict[str, Any]) -> SentMessage:
        sent = self._find(int(params["chat_id"]), int(params["message_id"]))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        _check_markup(params.get("reply_markup"))
        return sent

    def _find(self, chat_id: int, message_id: int) -> SentMessage | None:
        with self._lock:
            return next((m for m in self._messages if (m.chat_id, m.message_id) == (chat_id, message_id)), None)

    def _drop_pending(self, params: dict[str, Any]) -> None:
        if params.get("drop_pending_updates"):
            with self._lock:
                self._updates.clear()


async def _read_params(request: Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    if request.headers.get("content-type", "").startswith("application/json"):
        return dict(await request.json()), {}
    params: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    async with request.form(max_part_size=50 * 1024 * 1024) as form:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = UploadedFile(value.filename or key, await value.read())
            else:
                params[key] = _decode(key, value)
    return params, files


def _decode(key: str, value: str) -> Any:
    if key not in _JSON_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value  # e.g. chat_id "@channelname"


def _check_markup(markup: dict[str, Any] | None) -> None:
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            if len(button.get("callback_data", "").encode()) > 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")
