"""The rows of casework: documents (with a scoped download), queue places, offers and postponements."""

from __future__ import annotations

from typing import Any, ClassVar

import anyio
import sqlalchemy as sa
from sqladmin import expose
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from admin import scope
from admin.i18n import N_, _, lazy
from admin.labels import remember_labels
from admin.middleware import runtime_of
from admin.principal import Principal
from admin.views.base import ScopedView
from core.db.models import Document, Offer, Postponement, QueueEntry
from core.db.queue_queries import queue_position
from core.services.errors import InvalidInput

CASE_LABEL = lazy(N_("Case"))
ORGANISATION_LABEL = lazy(N_("Organisation"))


class DocumentView(ScopedView, model=Document):
    name = lazy(N_("Document"))
    name_plural = lazy(N_("Documents"))
    icon = "fa-solid fa-file"
    category = lazy(N_("Casework"))
    details_template = "qamqor/document_details.html"
    column_list: ClassVar[list[Any]] = [
        Document.id,
        Document.case_id,
        Document.code,
        Document.status,
        Document.original_name,
        Document.uploaded_at,
        Document.reviewed_at,
    ]
    column_details_exclude_list: ClassVar[list[Any]] = [Document.file_path, Document.sha256]
    column_sortable_list: ClassVar[list[Any]] = [Document.id, Document.case_id, Document.uploaded_at]
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    foreign: ClassVar[dict[str, str]] = {"case_id": "case", "reviewed_by": "staff"}
    column_labels: ClassVar[dict[Any, Any]] = {
        Document.id: lazy(N_("No.")),
        Document.case_id: CASE_LABEL,
        Document.code: lazy(N_("Document")),
        Document.status: lazy(N_("Status")),
        Document.rejection_reason: lazy(N_("Why rejected")),
        Document.original_name: lazy(N_("File")),
        Document.mime_type: lazy(N_("File type")),
        Document.size_bytes: lazy(N_("Size, bytes")),
        Document.uploaded_at: lazy(N_("Uploaded")),
        Document.reviewed_by: lazy(N_("Checked by")),
        Document.reviewed_at: lazy(N_("Checked")),
    }

    @expose("/file/{pk}", methods=["GET"])
    async def download(self, request: Request) -> Response:
        """The stored file of a document the reader may see (404 for anything else, existing or not)."""
        principal = self.principal(request)
        raw = request.path_params["pk"]
        if principal is None or not str(raw).isdigit():
            raise HTTPException(status_code=404)
        found = await anyio.to_thread.run_sync(self._read_file, request, principal, int(raw))
        if found is None:
            raise HTTPException(status_code=404)
        data, mime = found
        headers = {"Content-Disposition": f'attachment; filename="document-{raw}{_extension(mime)}"'}
        return Response(data, media_type=mime, headers=headers)

    def _read_file(self, request: Request, principal: Principal, document_id: int) -> tuple[bytes, str] | None:
        runtime = runtime_of(request)
        with self.session_maker() as session:
            statement = sa.select(Document).where(Document.id == document_id, scope.document_clause(principal))
            document = session.scalars(statement).first()
        if document is None or not document.file_path:
            return None
        try:
            data = runtime.files.read(document.file_path)
        except (InvalidInput, OSError):
            return None
        return data, document.mime_type or "application/octet-stream"


def _extension(mime: str) -> str:
    return {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(mime, "")


def _position_cell(row: QueueEntry, attribute: str, request: Request) -> Any:
    return getattr(request.state, "qamqor_labels", {}).get(("position", row.id), "")


def _priority_cell(row: QueueEntry, attribute: str, request: Request) -> str:
    return _("Veteran (first priority)") if row.priority else _("General queue")


class QueueEntryView(ScopedView, model=QueueEntry):
    name = lazy(N_("Queue place"))
    name_plural = lazy(N_("Queues"))
    icon = "fa-solid fa-list-ol"
    category = lazy(N_("Casework"))
    column_list: ClassVar[list[Any]] = [
        QueueEntry.id,
        QueueEntry.organisation_id,
        QueueEntry.case_id,
        QueueEntry.priority_rank,
        QueueEntry.priority,
        QueueEntry.out_of_turn,
        QueueEntry.queued_at,
        QueueEntry.active,
        QueueEntry.left_reason,
    ]
    column_details_list = column_list
    # The queue order of core.db.queue_queries: organisation, then waiting before gone, then rank, time, id.
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [
        ("organisation_id", False),
        ("active", True),
        ("priority_rank", False),
        ("queued_at", False),
        ("id", False),
    ]
    column_sortable_list: ClassVar[list[Any]] = [QueueEntry.organisation_id, QueueEntry.queued_at]
    foreign: ClassVar[dict[str, str]] = {"case_id": "case", "organisation_id": "organisation"}
    column_formatters: ClassVar[dict[Any, Any]] = {
        QueueEntry.priority_rank: _position_cell,
        QueueEntry.priority: _priority_cell,
    }
    column_formatters_detail = column_formatters
    column_labels: ClassVar[dict[Any, Any]] = {
        QueueEntry.id: lazy(N_("No.")),
        QueueEntry.organisation_id: ORGANISATION_LABEL,
        QueueEntry.case_id: CASE_LABEL,
        QueueEntry.priority_rank: lazy(N_("Position")),
        QueueEntry.priority: lazy(N_("Priority")),
        QueueEntry.out_of_turn: lazy(N_("Out of turn")),
        QueueEntry.queued_at: lazy(N_("Queued")),
        QueueEntry.active: lazy(N_("Waiting")),
        QueueEntry.left_reason: lazy(N_("Why left")),
    }

    async def _with_labels(self, request: Request, rows: Any) -> None:
        await super()._with_labels(request, rows)
        waiting = [row for row in rows if row.active]
        if waiting:
            remember_labels(request, await anyio.to_thread.run_sync(self._positions, waiting))

    def _positions(self, entries: list[QueueEntry]) -> dict[tuple[str, int], str]:
        with self.session_maker() as session:
            return {("position", int(entry.id or 0)): str(queue_position(session, entry)) for entry in entries}


class OfferView(ScopedView, model=Offer):
    name = lazy(N_("Offer"))
    name_plural = lazy(N_("Offers"))
    icon = "fa-solid fa-door-open"
    category = lazy(N_("Casework"))
    column_list: ClassVar[list[Any]] = [
        Offer.id,
        Offer.case_id,
        Offer.organisation_id,
        Offer.offered_at,
        Offer.arrival_due_on,
        Offer.status,
        Offer.closed_at,
    ]
    column_details_list = column_list
    column_sortable_list: ClassVar[list[Any]] = [Offer.id, Offer.arrival_due_on, Offer.status]
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    foreign: ClassVar[dict[str, str]] = {"case_id": "case", "organisation_id": "organisation"}
    column_labels: ClassVar[dict[Any, Any]] = {
        Offer.id: lazy(N_("No.")),
        Offer.case_id: CASE_LABEL,
        Offer.organisation_id: ORGANISATION_LABEL,
        Offer.offered_at: lazy(N_("Offered")),
        Offer.arrival_due_on: lazy(N_("Arrive by")),
        Offer.status: lazy(N_("Status")),
        Offer.closed_at: lazy(N_("Closed")),
    }


class PostponementView(ScopedView, model=Postponement):
    name = lazy(N_("Postponement"))
    name_plural = lazy(N_("Postponements"))
    icon = "fa-solid fa-calendar-plus"
    category = lazy(N_("Casework"))
    column_list: ClassVar[list[Any]] = [
        Postponement.id,
        Postponement.case_id,
        Postponement.reason,
        Postponement.requested_at,
        Postponement.original_due_on,
        Postponement.new_due_on,
        Postponement.status,
        Postponement.decided_at,
    ]
    column_details_list: ClassVar[list[Any]] = [*column_list, Postponement.decided_by]
    column_default_sort: ClassVar[list[tuple[str, bool]]] = [("id", True)]
    foreign: ClassVar[dict[str, str]] = {"case_id": "case", "decided_by": "staff"}
    column_labels: ClassVar[dict[Any, Any]] = {
        Postponement.id: lazy(N_("No.")),
        Postponement.case_id: CASE_LABEL,
        Postponement.reason: lazy(N_("Reason")),
        Postponement.requested_at: lazy(N_("Requested")),
        Postponement.original_due_on: lazy(N_("Arrival date was")),
        Postponement.new_due_on: lazy(N_("New arrival date")),
        Postponement.status: lazy(N_("Decision")),
        Postponement.decided_at: lazy(N_("Decided")),
        Postponement.decided_by: lazy(N_("Decided by")),
    }
