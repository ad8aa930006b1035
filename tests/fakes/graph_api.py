"""A fake WhatsApp Cloud (Graph) API on loopback, and the signed webhook notifications Meta would post.

    with FakeGraphApi() as fake:                                   # serves http://127.0.0.1:<port>
        settings.whatsapp.api_base_url = fake.url                  # pywa calls <url>/v<version>/<phone id>/messages
        body, headers = fake.signed(fake.text_message(WA_ID, "Hi"))  # what the person does, as Meta posts it
        fake.messages_to(WA_ID)                                    # what the person sees

It checks the bearer token, enforces the limits the real API enforces (4096-character texts, 1024-character bodies
under buttons and lists, 3 buttons of 20 characters, 10 rows of 24 characters with 72-character descriptions,
200-character row ids), stores uploaded media and serves media for download (with the token, like Meta's CDN),
records every call, and can fail the next send with any Cloud API error code or refuse numbers for good.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Self

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.whatsapp.client import GRAPH_API_VERSION
from tests.conftest import LiveServer

TOKEN = "EAAFakeWhatsAppTokenForQamqorTests0123456789"
PHONE_NUMBER_ID = "106540352242922"
APP_SECRET = "fake-app-secret-0f9e8d7c6b5a"
VERIFY_TOKEN = "fake-verify-token-Qamqor"
WABA_ID = "102290129340398"
ERROR_TITLES = {
    130429: "Rate limit hit",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    131000: "Something went wrong",
}


class ApiError(Exception):
    def __init__(self, code: int, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.status = code, status
        self.body = {
            "error": {
                "message": f"({code}) {message}",
                "type": "OAuthException",
                "code": code,
                "error_data": {"messaging_product": "whatsapp", "details": message},
                "fbtrace_id": "AFakeTraceId",
            }
        }


@dataclass
class StoredMedia:
    media_id: str
    data: bytes
    mime_type: str
    file_name: str | None = None
    declared_size: int | None = None  # what the API reports; may differ from len(data) to test a lying size


@dataclass
class SentMessage:
    """A message the business sent, as the person sees it."""

    message_id: str
    to: str
    type: str  # text, interactive, document, template
    body: dict[str, Any]  # the message object under its type
    document: StoredMedia | None = None

    @property
    def text(self) -> str:
        if self.type == "text":
            return str(self.body.get("body", ""))
        if self.type == "interactive":
            return str(self.body.get("body", {}).get("text", ""))
        if self.type == "document":
            return str(self.body.get("caption", ""))
        return ""

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(id, title) of reply buttons."""
        if self.type != "interactive" or self.body.get("type") != "button":
            return []
        return [(b["reply"]["id"], b["reply"]["title"]) for b in self.body["action"]["buttons"]]

    @property
    def rows(self) -> list[tuple[str, str, str | None]]:
        """(id, title, description) of list rows."""
        if self.type != "interactive" or self.body.get("type") != "list":
            return []
        sections = self.body["action"]["sections"]
        return [(r["id"], r["title"], r.get("description")) for s in sections for r in s["rows"]]

    @property
    def list_button(self) -> str | None:
        return self.body["action"]["button"] if self.rows else None

    @property
    def labels(self) -> list[str]:
        """What the person can press: button titles, or each row's whole label (its description when shortened)."""
        return [title for _, title in self.buttons] + [description or title for _, title, description in self.rows]


@dataclass
class Call:
    method: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)


class FakeGraphApi:
    def __init__(self, *, token: str = TOKEN, phone_number_id: str = PHONE_NUMBER_ID, app_secret: str = APP_SECRET):
        self.token, self.phone_number_id, self.app_secret = token, phone_number_id, app_secret
        self.version = f"v{GRAPH_API_VERSION}"
        self._lock = threading.Lock()
        self._ids = itertools.count(1)  # only grow, even across reset(): a late request never matches a new id
        self.reset()
        self._server = LiveServer(self._asgi_app())
        self.url = self._server.url

    def reset(self) -> None:
        with self._lock:
            self.calls: list[Call] = []
            self.sent: list[SentMessage] = []
            self.media: dict[str, StoredMedia] = {}
            self.downloads: list[str] = []
            self._failures: list[ApiError | None] = []  # None: let one send pass
            self._unreachable: set[str] = set()

    def __enter__(self) -> Self:
        self._server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.__exit__(*exc)

    # --- what the person sees ---------------------------------------------------------------------------------
    def messages_to(self, wa_id: str) -> list[SentMessage]:
        with self._lock:
            return [message for message in self.sent if message.to == wa_id]

    def texts_to(self, wa_id: str) -> list[str]:
        return [message.text for message in self.messages_to(wa_id)]

    def wait_for_message(self, wa_id: str, contains: str = "", timeout: float = 5.0) -> SentMessage:
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages_to(wa_id) if contains in m.text]
            if found:
                return found[0]
            if time.monotonic() > deadline:
                raise AssertionError(f"no message containing {contains!r}; {wa_id} saw {self.texts_to(wa_id)}")
            time.sleep(0.01)

    # --- failures on demand -----------------------------------------------------------------------------------
    def fail_next(self, code: int, *, times: int = 1, status: int = 400, after: int = 0) -> None:
        """Let `after` sends pass, then answer the next `times` with this Cloud API error code (HTTP `status`)."""
        error = ApiError(code, ERROR_TITLES.get(code, "Error"), status)
        with self._lock:
            self._failures.extend([None] * after + [error] * times)

    def make_unreachable(self, wa_id: str) -> None:
        """This number cannot receive WhatsApp messages (131026) from now on."""
        with self._lock:
            self._unreachable.add(wa_id)

    # --- what the person does: webhook notifications as Meta posts them --------------------------------------
    def store_media(
        self, data: bytes, mime_type: str, file_name: str | None = None, declared_size: int | None = None
    ) -> str:
        media_id = str(900_000_000 + next(self._ids))
        with self._lock:
            self.media[media_id] = StoredMedia(media_id, data, mime_type, file_name, declared_size)
        return media_id

    def notification(self, wa_id: str, message: dict[str, Any], name: str = "Айгуль") -> dict[str, Any]:
        message = {"from": wa_id, "id": self.new_wamid(), "timestamp": str(int(time.time())), **message}
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "77001234567", "phone_number_id": self.phone_number_id},
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [message],
        }
        return _envelope(value)

    def text_message(self, wa_id: str, text: str, **who: Any) -> dict[str, Any]:
        return self.notification(wa_id, {"type": "text", "text": {"body": text}}, **who)

    def button_reply(self, wa_id: str, reply_id: str, title: str, **who: Any) -> dict[str, Any]:
        interactive = {"type": "button_reply", "button_reply": {"id": reply_id, "title": title}}
        return self.notification(wa_id, {"type": "interactive", "interactive": interactive}, **who)

    def list_reply(self, wa_id: str, reply_id: str, title: str, description: str | None, **who: Any) -> dict[str, Any]:
        row = {"id": reply_id, "title": title, **({"description": description} if description else {})}
        interactive = {"type": "list_reply", "list_reply": row}
        return self.notification(wa_id, {"type": "interactive", "interactive": interactive}, **who)

    def image_message(
        self, wa_id: str, data: bytes, mime: str = "image/jpeg", caption: str | None = None
    ) -> dict[str, Any]:
        media_id = self.store_media(data, mime)
        image = {
            "id": media_id,
            "mime_type": mime,
            "sha256": _sha256(data),
            **({"caption": caption} if caption else {}),
        }
        return self.notification(wa_id, {"type": "image", "image": image})

    def document_message(
        self, wa_id: str, file_name: str, data: bytes, mime: str = "application/pdf", declared_size: int | None = None
    ) -> dict[str, Any]:
        media_id = self.store_media(data, mime, file_name, declared_size)
        document = {"id": media_id, "mime_type": mime, "sha256": _sha256(data), "filename": file_name}
        return self.notification(wa_id, {"type": "document", "document": document})

    def contact_message(self, wa_id: str, phone: str, contact_wa_id: str | None) -> dict[str, Any]:
        phones = [{"phone": phone, "type": "CELL", **({"wa_id": contact_wa_id} if contact_wa_id else {})}]
        card = {"name": {"formatted_name": "Контакт", "first_name": "Контакт"}, "phones": phones}
        return self.notification(wa_id, {"type": "contacts", "contacts": [card]})

    def status_update(
        self, message_id: str, status: str, recipient: str, error_code: int | None = None
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": message_id, "status": status, "timestamp": str(int(time.time()))}
        entry["recipient_id"] = recipient
        if error_code is not None:
            title = ERROR_TITLES.get(error_code, "Error")
            entry["errors"] = [{"code": error_code, "title": title, "message": title, "error_data": {"details": title}}]
        metadata = {"display_phone_number": "77001234567", "phone_number_id": self.phone_number_id}
        return _envelope({"messaging_product": "whatsapp", "metadata": metadata, "statuses": [entry]})

    def signed(self, notification: dict[str, Any], secret: str | None = None) -> tuple[bytes, dict[str, str]]:
        """The body as Meta sends it (non-ASCII escaped) and its X-Hub-Signature-256 header."""
        body = json.dumps(notification).encode()
        digest = hmac.new((secret or self.app_secret).encode(), body, hashlib.sha256).hexdigest()
        return body, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}

    def new_wamid(self) -> str:
        return f"wamid.HBgLNzcwMTIzNDU2NzgVAgASGBQz{next(self._ids):012d}AA=="

    # --- the HTTP side ----------------------------------------------------------------------------------------
    def _asgi_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/cdn/{media_id}", self._download, methods=["GET"]),  # before /{version}/{media_id}
                Route("/{version}/{phone_id}/messages", self._messages, methods=["POST"]),
                Route("/{version}/{phone_id}/media", self._upload, methods=["POST"]),
                Route("/{version}/{media_id}", self._media_url, methods=["GET"]),
            ]
        )

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    def _check(self, request: Request) -> None:
        if not self._authorised(request):
            raise ApiError(190, "Invalid OAuth access token", 401)
        if request.path_params.get("version") != self.version:
            raise ApiError(100, "Unknown path components", 400)
        phone_id = request.path_params.get("phone_id")
        if phone_id is not None and phone_id != self.phone_number_id:
            raise ApiError(100, "Unsupported post request", 400)

    async def _messages(self, request: Request) -> Response:
        try:
            self._check(request)
            payload = await request.json()
            with self._lock:
                self.calls.append(Call("POST", request.url.path, payload))
            sent = self._accept(payload)
        except ApiError as error:
            return JSONResponse(error.body, status_code=error.status)
        contacts = [{"input": sent.to, "wa_id": sent.to}]
        message: dict[str, Any] = {"id": sent.message_id}
        if sent.type == "template":
            message["message_status"] = "accepted"
        return JSONResponse({"messaging_product": "whatsapp", "contacts": contacts, "messages": [message]})

    def _accept(self, payload: dict[str, Any]) -> SentMessage:
        if payload.get("messaging_product") != "whatsapp" or not payload.get("to"):
            raise ApiError(100, "Invalid parameter")
        to, kind = str(payload["to"]), str(payload.get("type", "text"))
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
            if failure is not None:
                raise failure
            if to in self._unreachable:
                raise ApiError(131026, ERROR_TITLES[131026])
        body = payload.get(kind)
        if not isinstance(body, dict):
            raise ApiError(131008, f"Required parameter is missing: {kind}")
        _validate(kind, body)
        document = self.media.get(str(body.get("id"))) if kind == "document" else None
        if kind == "document" and document is None:
            raise ApiError(131053, "Media upload error: unknown media id")
        sent = SentMessage(self.new_wamid(), to, kind, body, document)
        with self._lock:
            self.sent.append(sent)
        return sent

    async def _upload(self, request: Request) -> Response:
        try:
            self._check(request)
        except ApiError as error:
            return JSONResponse(error.body, status_code=error.status)
        async with request.form(max_part_size=100 * 1024 * 1024) as form:
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or form.get("messaging_product") != "whatsapp":
                return JSONResponse(ApiError(131008, "Required parameter is missing: file").body, status_code=400)
            data = await upload.read()
            media_id = self.store_media(data, str(form.get("type") or upload.content_type), upload.filename)
        with self._lock:
            self.calls.append(Call("POST", request.url.path, {"file_name": upload.filename}))
        return JSONResponse({"id": media_id})

    async def _media_url(self, request: Request) -> Response:
        try:
            self._check(request)
        except ApiError as error:
            return JSONResponse(error.body, status_code=error.status)
        stored = self.media.get(request.path_params["media_id"])
        if stored is None:
            return JSONResponse(ApiError(100, "Unsupported get request").body, status_code=400)
        size = len(stored.data) if stored.declared_size is None else stored.declared_size
        info = {"messaging_product": "whatsapp", "url": f"{self.url}/cdn/{stored.media_id}?hash=fake"}
        info |= {
            "mime_type": stored.mime_type,
            "sha256": _sha256(stored.data),
            "file_size": size,
            "id": stored.media_id,
        }
        return JSONResponse(info)

    async def _download(self, request: Request) -> Response:
        stored = self.media.get(request.path_params["media_id"])
        if not self._authorised(request) or stored is None:
            return Response(status_code=404)  # Meta's CDN answers 404 without the token
        with self._lock:
            self.downloads.append(stored.media_id)
        return Response(stored.data, media_type=stored.mime_type)


def _validate(kind: str, body: dict[str, Any]) -> None:
    """The limits the Cloud API enforces on what we send (error 131009: parameter value is not valid)."""
    if kind == "text":
        _limit(str(body.get("body") or ""), 4096, "text.body")
    elif kind == "interactive":
        _limit(str(body.get("body", {}).get("text") or ""), 1024, "interactive.body.text")
        action = body.get("action", {})
        if body.get("type") == "button":
            _validate_buttons(action.get("buttons", []))
        elif body.get("type") == "list":
            _validate_list(action)
    elif kind == "document" and len(str(body.get("caption") or "")) > 1024:
        raise ApiError(131009, "Parameter value is not valid: document.caption")
    elif kind == "template" and not (body.get("name") and body.get("language", {}).get("code")):
        raise ApiError(131008, "Required parameter is missing: template name or language")


def _validate_buttons(buttons: list[dict[str, Any]]) -> None:
    if not 1 <= len(buttons) <= 3:
        raise ApiError(131009, "Parameter value is not valid: buttons count")
    titles = [button["reply"]["title"] for button in buttons]
    for button in buttons:
        _limit(button["reply"]["title"], 20, "button.title")
        _limit(button["reply"]["id"], 256, "button.id")
    if len(set(titles)) != len(titles):
        raise ApiError(131009, "Parameter value is not valid: button titles must be unique")


def _validate_list(action: dict[str, Any]) -> None:
    _limit(str(action.get("button") or ""), 20, "action.button")
    rows = [row for section in action.get("sections", []) for row in section.get("rows", [])]
    if not 1 <= len(rows) <= 10:
        raise ApiError(131009, "Parameter value is not valid: rows count")
    for section in action.get("sections", []):
        if len(section.get("title", "")) > 24:
            raise ApiError(131009, "Parameter value is not valid: section.title")
    for row in rows:
        _limit(row["title"], 24, "row.title")
        _limit(row["id"], 200, "row.id")
        if len(row.get("description", "")) > 72:
            raise ApiError(131009, "Parameter value is not valid: row.description")
    if len({row["id"] for row in rows}) != len(rows):
        raise ApiError(131009, "Parameter value is not valid: row ids must be unique")


def _limit(text: str, limit: int, name: str) -> None:
    if not text.strip() or len(text) > limit:
        raise ApiError(131009, f"Parameter value is not valid: {name}")


def _envelope(value: dict[str, Any]) -> dict[str, Any]:
    change = {"value": value, "field": "messages"}
    return {"object": "whatsapp_business_account", "entry": [{"id": WABA_ID, "changes": [change]}]}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
