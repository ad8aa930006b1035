"""The document checklist of a case: what the family uploads, what staff accept or reject, and the progress.

Only application-stage items the applicant provides get a row (the state fetches its items by IIN; admission
originals are shown in person, App.1 p.9). Conditional items may be uploaded but never block submission.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from core.db.enums import DocumentStatus
from core.db.models import Case, Document, Person
from core.rules import checklists
from core.rules.checklists import ChecklistItem
from core.rules.codes import Category, DocumentCode, ProvidedBy, Stage
from core.services import audit, notices
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotAllowed, NotFound

_SATISFIED = (DocumentStatus.UPLOADED, DocumentStatus.ACCEPTED)


@dataclass(frozen=True, slots=True)
class ItemState:
    item: ChecklistItem
    status: DocumentStatus | None  # None: nothing to upload (the state checks it, or it is for admission)
    rejection_reason: str | None = None


@dataclass(frozen=True, slots=True)
class ChecklistProgress:
    items: tuple[ItemState, ...]
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.done == self.total

    @property
    def to_upload(self) -> tuple[ItemState, ...]:
        return tuple(state for state in self.items if state.status is not None)


def checklist_for(ctx: ServiceContext, case: Case) -> tuple[ChecklistItem, ...]:
    person = ctx.session.get(Person, case.person_id)
    if person is None:
        raise NotFound("the case's person is missing", case_id=case.id)
    birth_date = person.birth_date or ctx.today  # temporary stay admits people without documents (App.4 p.4)
    representative = case.applicant_person_id != case.person_id
    return checklists.checklist(case.form, case.category or Category.ELDERLY, birth_date, ctx.today, representative)


def _uploadable(item: ChecklistItem) -> bool:
    return item.stage == Stage.APPLICATION and item.provided_by == ProvidedBy.APPLICANT


def _documents(ctx: ServiceContext, case: Case) -> dict[DocumentCode, Document]:
    rows = ctx.session.scalars(sa.select(Document).where(Document.case_id == case.id))
    return {row.code: row for row in rows}


def progress(ctx: ServiceContext, case: Case) -> ChecklistProgress:
    """Each item with its state; `done`/`total` count the required items (an alternative satisfies its pair)."""
    items = checklist_for(ctx, case)
    documents = _documents(ctx, case)
    states = []
    for item in items:
        row = documents.get(item.code) if _uploadable(item) else None
        status = (row.status if row else DocumentStatus.MISSING) if _uploadable(item) else None
        states.append(ItemState(item, status, row.rejection_reason if row else None))
    required = [s for s in states if s.status is not None and not s.item.conditional]
    done = sum(1 for s in required if _satisfied(s, documents))
    return ChecklistProgress(tuple(states), done, len(required))


def _satisfied(state: ItemState, documents: dict[DocumentCode, Document]) -> bool:
    codes = (state.item.code, *state.item.alternatives)
    return any(code in documents and documents[code].status in _SATISFIED for code in codes)


def attach(ctx: ServiceContext, case: Case, code: DocumentCode, original_name: str, data: bytes) -> Document:
    """Store an uploaded file for a checklist item, replacing an earlier one (the old file stays on disk)."""
    items = {item.code: item for item in checklist_for(ctx, case) if _uploadable(item)}
    if code not in items:
        raise InvalidInput("this document is not on the case's checklist", reason="not_on_checklist", code=code)
    if case.status not in _EDITABLE_STATUSES:
        raise NotAllowed("documents can no longer be changed in the chat", reasons=("case_not_editable",))
    stored = ctx.files.store(data)
    document = _documents(ctx, case).get(code) or Document(case_id=case.id, code=code)
    before = audit.snapshot(document) if document.id else None
    document.status = DocumentStatus.UPLOADED
    document.rejection_reason = None
    document.file_path = stored.relative_path
    document.original_name = original_name[:255]
    document.mime_type = stored.mime_type
    document.size_bytes = stored.size
    document.sha256 = stored.sha256
    document.uploaded_at = ctx.now
    document.reviewed_by = None
    document.reviewed_at = None
    ctx.session.add(document)
    audit.record(ctx, "attach_document", document, before)
    return document


def review(ctx: ServiceContext, case: Case, code: DocumentCode, *, accept: bool, reason: str | None = None) -> Document:
    """Staff accept or reject an uploaded document; a rejection needs a reason the family will read."""
    document = _documents(ctx, case).get(code)
    if document is None or document.status == DocumentStatus.MISSING:
        raise NotFound("nothing was uploaded for this item", code=code)
    if not accept and not (reason and reason.strip()):
        raise InvalidInput("a rejection needs a reason the applicant can act on", reason="rejection_reason_required")
    before = audit.snapshot(document)
    document.status = DocumentStatus.ACCEPTED if accept else DocumentStatus.REJECTED
    document.rejection_reason = None if accept else reason.strip()  # type: ignore[union-attr]
    document.reviewed_by = int(ctx.actor.id) if ctx.actor.id and ctx.actor.id.isdigit() else None
    document.reviewed_at = ctx.now
    audit.record(ctx, "accept_document" if accept else "reject_document", document, before)
    if document.rejection_reason is not None:  # the family reads why, and can upload again
        notices.document_rejected(ctx, case, str(code), document.rejection_reason)
    return document


def read_file(ctx: ServiceContext, document: Document) -> bytes:
    if not document.file_path:
        raise NotFound("no file stored for this document", document_id=document.id)
    return ctx.files.read(document.file_path)


# Before submission the family edits freely; after it, a rejected document may be replaced until the decision.
_EDITABLE_STATUSES = frozenset({"draft", "submitted", "home_visited", "inspected", "identified", "forwarded"})
