"""Request checks for the chat API: clear JSON errors, and CSRF defences that need no token.

A cross-site page can make a browser POST only "simple" requests (form encodings, no custom headers) without a
CORS preflight, and this app answers no preflight. So the API accepts only `application/json` bodies, or
multipart uploads that carry the `X-Qamqor-Chat: 1` header chat.js sets; when the browser names the page's
Origin, it must be this site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import JSONResponse

from qamqor.settings import Settings

CHAT_HEADER = "x-qamqor-chat"


class ChatError(Exception):
    """An API refusal with an HTTP status, a stable machine code and a message fit to show the person."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> JSONResponse:
        return JSONResponse({"error": {"code": self.code, "message": self.message}}, status_code=self.status)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def require_json(request: Request) -> None:
    if media_type(request) != "application/json":
        raise ChatError(415, "json_required", "Send the message as JSON with Content-Type: application/json.")


def require_chat_upload(request: Request) -> None:
    if request.headers.get(CHAT_HEADER) != "1":
        raise ChatError(403, "chat_header_required", "Uploads are accepted only from the chat page.")
    if media_type(request) != "multipart/form-data":
        raise ChatError(415, "multipart_required", "Send the file as multipart/form-data in the field 'file'.")


def require_same_origin(request: Request, settings: Settings) -> None:
    """Refuse a request whose Origin header names another site (absent Origin: not a cross-site browser call)."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    parsed = urlsplit(origin.strip())
    allowed = {request.headers.get("host", "").lower(), urlsplit(settings.public_url).netloc.lower()}
    allowed.discard("")
    # Scheme is not compared: behind a TLS-terminating proxy the app sees http while the page is https.
    if parsed.scheme not in ("http", "https") or parsed.netloc.lower() not in allowed:
        raise ChatError(403, "cross_origin", "Requests from other sites are not accepted.")
