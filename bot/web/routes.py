"""The web chat channel at /chat: the page, its JSON API and document downloads, as one FastAPI router.

Routes:
    GET  /chat                       the page (sets the chat cookie; ?lang=kk|ru|en picks the page language)
    POST /chat/api/messages          {"text": ...} or {"choice": ...} -> {"replies": [...]}
    POST /chat/api/files             multipart field "file", header X-Qamqor-Chat: 1 -> {"replies": [...]}
    GET  /chat/api/documents/<id>    a DocumentOut the dialogue sent to this session
    GET  /chat/api/inbox?ack=k1,k2   header X-Qamqor-Chat: 1 -> {"replies": [{..., "key"}], "ack": [...]}: notices
                                     and staff answers queued for this chat (the page polls: there is no push);
                                     each comes back until the page acknowledges its key on a later poll
    GET  /chat/static/...            chat.js, chat.css

Errors answer {"error": {"code": ..., "message": ...}} with a 4xx/5xx status; the message is fit to show.
When a pressed option picks a language, the answer also carries "lang" and "labels" (the page labels in it).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from bot.i18n import LANGUAGES, gettext
from bot.messages import Attachment, Dialogue, IncomingMessage, Reply
from bot.web.guards import CHAT_HEADER, ChatError, require_chat_upload, require_json, require_same_origin
from bot.web.page import PAGE_HEADERS, SOMETHING_WENT_WRONG, STATIC_DIR, page_labels, render_chat_page
from bot.web.payload import MAX_JSON_BODY_BYTES, parse_message_payload
from bot.web.replies import DocumentStore, render_reply
from bot.web.session import (
    ChatSession,
    language_from_choice,
    language_hint,
    session_from_request,
    store_session_cookies,
)
from bot.web.uploads import read_body_limited, read_single_upload
from qamqor.settings import Settings

log = logging.getLogger(__name__)

CHANNEL = "web"
NO_STORE = {"Cache-Control": "no-store"}
MAX_ACK_KEYS = 100


class InboxEntry(Protocol):
    key: str  # stable per message: the page shows each key once and acknowledges it on its next poll
    replies: list[Reply]


class Inbox(Protocol):
    """Messages Qamqor wrote to a web chat outside a turn (qamqor.delivery.WebInbox), until acknowledged."""

    async def fetch(self, session_id: str, ack: Sequence[str] = ()) -> Sequence[InboxEntry]: ...


@dataclass(slots=True)
class WebChat:
    """The web channel adapter: turns HTTP requests into IncomingMessages and replies into JSON."""

    dialogue: Dialogue
    settings: Settings
    language_of_choice: Callable[[str], str | None] = language_from_choice
    documents: DocumentStore = field(default_factory=DocumentStore)
    inbox: Inbox | None = None
    # One turn at a time per person (a double tap must not run the dialogue twice in parallel).
    _locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(default_factory=weakref.WeakValueDictionary)

    async def converse(
        self,
        request: Request,
        session: ChatSession,
        *,
        text: str | None = None,
        choice: str | None = None,
        attachment: Attachment | None = None,
    ) -> JSONResponse:
        """Hand one IncomingMessage to the dialogue and answer with its replies (and new labels, if any)."""
        message = IncomingMessage(
            channel=CHANNEL,
            external_id=session.id,
            text=text,
            choice=choice,
            attachment=attachment,
            language_hint=language_hint(request, session),
        )
        replies = await self._ask_dialogue(message, session)
        if message.choice is not None and (picked := self.language_of_choice(message.choice)):
            session.switch_language(picked)
        body: dict[str, object] = {"replies": self._render(replies, session)}
        if session.lang_changed:
            body["lang"] = session.lang
            body["labels"] = page_labels(session.lang, self.settings.max_upload_bytes)
        response = JSONResponse(body)
        store_session_cookies(response, session, self.settings)
        return response

    async def _ask_dialogue(self, message: IncomingMessage, session: ChatSession) -> list[Reply]:
        lock = self._locks.setdefault(session.id, asyncio.Lock())
        async with lock:
            try:
                return await self.dialogue.handle(message)
            except Exception:
                log.exception("the dialogue failed on a web chat message")
                raise ChatError(500, "dialogue_failed", gettext(session.lang, SOMETHING_WENT_WRONG)) from None

    def _render(self, replies: list[Reply], session: ChatSession) -> list[dict[str, object]]:
        try:
            return [
                render_reply(
                    reply,
                    session_id=session.id,
                    documents=self.documents,
                    max_upload_bytes=self.settings.max_upload_bytes,
                )
                for reply in replies
            ]
        except Exception:
            log.exception("a dialogue reply could not be shown in the web chat: %r", replies)
            raise ChatError(500, "reply_failed", gettext(session.lang, SOMETHING_WENT_WRONG)) from None


def build_router(chat: WebChat) -> APIRouter:
    router = APIRouter(prefix="/chat", include_in_schema=False)
    settings = chat.settings

    @router.get("", response_class=HTMLResponse)
    async def chat_page(request: Request, lang: str | None = None) -> HTMLResponse:
        session = session_from_request(request)
        if lang in LANGUAGES:
            session.switch_language(lang)
        html = render_chat_page(session.lang, settings.max_upload_bytes)
        response = HTMLResponse(html, headers=PAGE_HEADERS)
        store_session_cookies(response, session, settings)
        return response

    @router.post("/api/messages")
    async def post_message(request: Request) -> JSONResponse:
        require_same_origin(request, settings)
        require_json(request)
        payload = parse_message_payload(await read_body_limited(request, MAX_JSON_BODY_BYTES))
        session = session_from_request(request)
        return await chat.converse(request, session, text=payload.text, choice=payload.choice)

    @router.post("/api/files")
    async def post_file(request: Request) -> JSONResponse:
        require_same_origin(request, settings)
        require_chat_upload(request)
        session = session_from_request(request)
        attachment = await read_single_upload(request, max_bytes=settings.max_upload_bytes, lang=session.lang)
        return await chat.converse(request, session, attachment=attachment)

    @router.get("/api/documents/{document_id}")
    async def get_document(request: Request, document_id: str) -> Response:
        session = session_from_request(request)
        document = None if session.is_new else chat.documents.get(session.id, document_id)
        if document is None:
            raise ChatError(404, "document_not_found", "This document is not available (any more).")
        disposition = f"attachment; filename*=UTF-8''{quote(document.file_name, safe='')}"
        headers = {
            "Content-Disposition": disposition,
            "Cache-Control": "private, no-store",
            "X-Content-Type-Options": "nosniff",
        }
        return Response(document.data, media_type=document.mime_type, headers=headers)

    @router.get("/api/inbox")
    async def get_inbox(request: Request) -> JSONResponse:
        # The header keeps a cross-site navigation (which carries the Lax cookie) from emptying the inbox.
        if request.headers.get(CHAT_HEADER) != "1":
            raise ChatError(403, "chat_header_required", "The inbox is read only by the chat page.")
        session = session_from_request(request)
        if session.is_new or chat.inbox is None:
            return JSONResponse({"replies": [], "ack": []}, headers=NO_STORE)
        ack = [key for key in request.query_params.get("ack", "").split(",") if key][:MAX_ACK_KEYS]
        try:
            entries = await chat.inbox.fetch(session.id, ack)
        except Exception:
            log.exception("the web chat inbox could not be read")
            raise ChatError(503, "inbox_unavailable", gettext(session.lang, SOMETHING_WENT_WRONG)) from None
        shown = [
            {**reply, "key": f"{entry.key}.{index}"}
            for entry in entries
            for index, reply in enumerate(chat._render(entry.replies, session))
        ]
        return JSONResponse({"replies": shown, "ack": [entry.key for entry in entries]}, headers=NO_STORE)

    return router


async def _chat_error_response(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ChatError)
    return exc.response()


def install_web_chat(
    app: FastAPI,
    *,
    dialogue: Dialogue,
    settings: Settings,
    language_of_choice: Callable[[str], str | None] = language_from_choice,
    inbox: Inbox | None = None,
) -> WebChat:
    """Serve the web chat at /chat on `app`, talking to `dialogue`. Call once from the app factory.

    `inbox` gives the page what was sent to it outside a turn (notices, staff answers); without one it stays empty.
    """
    chat = WebChat(dialogue=dialogue, settings=settings, language_of_choice=language_of_choice, inbox=inbox)
    app.include_router(build_router(chat))
    app.mount("/chat/static", StaticFiles(directory=STATIC_DIR), name="web_chat_static")
    app.add_exception_handler(ChatError, _chat_error_response)
    return chat
