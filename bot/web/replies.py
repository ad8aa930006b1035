"""The dialogue's replies as JSON for chat.js, and the documents it sends kept for download.

Documents live in this process's memory, per chat session, until the process ends or the store's size cap
pushes the oldest out. Known limits, accepted for now: a restart loses the download links, and with several app
processes a download must reach the process that produced it. A database or object-store table would lift both.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from typing import assert_never

from bot.messages import Choice, DocumentOut, Reply, RequestFile, Text

DOCUMENTS_URL = "/chat/api/documents"
MAX_STORED_DOCUMENTS = 5_000
MAX_STORED_BYTES = 256 * 1024 * 1024


class DocumentStore:
    """DocumentOut files by (session, random id), oldest dropped first once a count or byte cap is passed."""

    def __init__(self, *, max_documents: int = MAX_STORED_DOCUMENTS, max_bytes: int = MAX_STORED_BYTES) -> None:
        self._documents: OrderedDict[tuple[str, str], DocumentOut] = OrderedDict()
        self._stored_bytes = 0
        self._max_documents = max_documents
        self._max_bytes = max_bytes

    def add(self, session_id: str, document: DocumentOut) -> str:
        document_id = secrets.token_urlsafe(16)
        self._documents[(session_id, document_id)] = document
        self._stored_bytes += len(document.data)
        while len(self._documents) > 1 and (
            len(self._documents) > self._max_documents or self._stored_bytes > self._max_bytes
        ):
            _, dropped = self._documents.popitem(last=False)
            self._stored_bytes -= len(dropped.data)
        return document_id

    def get(self, session_id: str, document_id: str) -> DocumentOut | None:
        """Only the session that received a document can fetch it."""
        return self._documents.get((session_id, document_id))


def render_reply(
    reply: Reply, *, session_id: str, documents: DocumentStore, max_upload_bytes: int
) -> dict[str, object]:
    """One Reply as the JSON object chat.js draws."""
    if isinstance(reply, Text):
        return {"type": "text", "text": reply.text}
    if isinstance(reply, Choice):
        options = [{"id": option.id, "label": option.label} for option in reply.options]
        return {"type": "choice", "text": reply.text, "options": options}
    if isinstance(reply, RequestFile):
        # The web endpoint refuses anything over max_upload_bytes, so never promise more than that.
        max_bytes = min(reply.max_bytes, max_upload_bytes)
        return {"type": "request_file", "text": reply.text, "accept": list(reply.accept), "max_bytes": max_bytes}
    if isinstance(reply, DocumentOut):
        document_id = documents.add(session_id, reply)
        return {
            "type": "document",
            "url": f"{DOCUMENTS_URL}/{document_id}",
            "file_name": reply.file_name,
            "caption": reply.caption,
        }
    assert_never(reply)
