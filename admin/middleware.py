"""ASGI middleware of the panel, outermost first: headers and session policy, (Starlette's signed session), CSRF.

CSRF: every session carries a random token; every POST/PUT/PATCH/DELETE must send it back as the form field
`csrf_token` or the header `X-CSRF-Token`, else 403 before any endpoint runs. The session cookie is also
SameSite=strict, so another site cannot even make a signed-in GET. The body is read once to find the field and
replayed to the endpoint unchanged.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection, Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from admin.i18n import STAFF_LANGUAGES, _, set_language
from admin.principal import POLICY_SCOPE_KEY, SESSION_KEY, SessionPolicy
from qamqor.runtime import Runtime

CSRF_SESSION_KEY = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
ANON_LANGUAGE_KEY = "ui_lang"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_OVERHEAD_BYTES = 1024 * 1024  # a form may carry one upload of up to max_upload_bytes, plus its fields

_SECURITY_HEADERS = (
    ("cache-control", "no-store"),  # pages show personal data: never kept by the browser or a proxy
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
)


RUNTIME_SCOPE_KEY = "qamqor.admin.runtime"


def runtime_of(connection: HTTPConnection) -> Runtime:
    """The runtime of the app serving this request (each app has its own: tests run several in one process)."""
    return connection.scope[RUNTIME_SCOPE_KEY]  # type: ignore[no-any-return]


class PanelMiddleware:
    """Puts the runtime and the session policy in the scope; adds the security headers to every panel response."""

    def __init__(self, app: ASGIApp, runtime: Runtime, policy: SessionPolicy) -> None:
        self.app = app
        self.runtime = runtime
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope[POLICY_SCOPE_KEY] = self.policy
        scope[RUNTIME_SCOPE_KEY] = self.runtime

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _SECURITY_HEADERS:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def csrf_token(connection: HTTPConnection) -> str:
    """The session's token, made on first use (the login page already needs one)."""
    token = connection.session.get(CSRF_SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        connection.session[CSRF_SESSION_KEY] = token
    return token


def rotate_csrf_token(connection: HTTPConnection) -> str:
    connection.session.pop(CSRF_SESSION_KEY, None)
    return csrf_token(connection)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The whole body, and whether it arrived whole within `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes) -> Callable[[], Awaitable[Message]]:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class CsrfMiddleware:
    """Checks the token on unsafe methods and sets the panel language for the request (inside the session)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        _choose_language(connection)
        expected = csrf_token(connection)
        if scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        limit = runtime_of(connection).settings.max_upload_bytes + FORM_OVERHEAD_BYTES
        body, complete = await _read_body(receive, limit)
        if not complete:
            await PlainTextResponse(_("The request is too large."), status_code=413)(scope, receive, send)
            return
        sent = connection.headers.get(CSRF_HEADER) or await _form_token(scope, body)
        if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
            response = PlainTextResponse(_("The form has expired. Reload the page and try again."), status_code=403)
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body), send)


async def _form_token(scope: Scope, body: bytes) -> str | None:
    content_type = HTTPConnection(scope).headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        return None
    request = Request(scope, _replay(body))
    try:
        form = await request.form()
    except Exception:  # a malformed body is simply a request without a token
        return None
    value = form.get(CSRF_FIELD)
    await form.close()
    return value if isinstance(value, str) else None


def _choose_language(connection: HTTPConnection) -> None:
    """Signed in: the staff member's language. Before that: `?lang=` (kept in the session), then the browser's."""
    staff = connection.session.get(SESSION_KEY)
    if isinstance(staff, dict) and staff.get("lang") in STAFF_LANGUAGES:
        set_language(staff["lang"])
        return
    asked = connection.query_params.get("lang")
    if asked in STAFF_LANGUAGES:
        connection.session[ANON_LANGUAGE_KEY] = asked
    chosen = connection.session.get(ANON_LANGUAGE_KEY) or _from_header(connection.headers.get("accept-language", ""))
    set_language(chosen)


def _from_header(header: str) -> str | None:
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in STAFF_LANGUAGES:
            return code
    return None
