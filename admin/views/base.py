"""The one base for every table in the panel: read-only, scoped by admin/scope.py on every query sqladmin makes.

sqladmin reads rows through four doors - the list (`list_query`, also used by search and sort), the count
(`count_query`), the detail page (`details_query`) and the edit form (`form_edit_query`) - and the export reuses
the list. Each door here adds the principal's WHERE clause, so a list, a search, an export and a URL with a forged
id all see the same rows; a row outside the scope is a 404, exactly like a row that does not exist.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

import anyio
import sqlalchemy as sa
from markupsafe import Markup
from sqladmin import ModelView
from sqladmin.pagination import Pagination
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from admin import scope
from admin.i18n import _
from admin.labels import Labels, load_labels, remember_labels, render_label
from admin.middleware import runtime_of
from admin.principal import Principal, principal_from_request
from admin.vocabulary import label
from core.db.enums import AuditActorKind, StaffRole
from core.db.models import AuditLog
from core.services.context import ALMATY
from qamqor.runtime import Runtime

Clause = sa.ColumnElement[bool]


def local_time(value: datetime) -> str:
    """Instants are stored in UTC; staff read them in Kazakhstan time."""
    shown = value.astimezone(ALMATY) if value.tzinfo else value
    return shown.strftime("%d.%m.%Y %H:%M")


def plain(value: Any) -> str:
    """One cell as text, for lists, detail pages and CSV alike."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, bool | StrEnum):
        return label(value)
    return str(value)


TYPE_FORMATTERS: dict[type, Callable[[Any], Any]] = {
    type(None): lambda value: "",
    bool: plain,
    StrEnum: plain,
    datetime: plain,
    date: plain,
}


class ScopedView(ModelView):
    """Read-only by default; subclasses name their columns, labels and (optionally) `roles` and `foreign`."""

    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = True
    can_export = True
    export_types: ClassVar[list[str]] = ["csv"]
    export_max_rows = 20000
    page_size = 25
    page_size_options: ClassVar[list[int]] = [25, 50, 100]
    column_type_formatters: ClassVar[dict[type, Callable[[Any], Any]]] = TYPE_FORMATTERS
    column_type_formatters_detail: ClassVar[dict[type, Callable[[Any], Any]]] = TYPE_FORMATTERS
    # Which roles see this view at all (the rows are scoped either way).
    roles: ClassVar[frozenset[StaffRole]] = frozenset(StaffRole)
    # Foreign-key columns shown as names: column name -> kind understood by admin.labels ("person", "case", ...).
    foreign: ClassVar[dict[str, str]] = {}

    # --- who is asking -------------------------------------------------------------------------------------------
    def principal(self, request: Request) -> Principal | None:
        return principal_from_request(request)

    def scope(self, principal: Principal) -> Clause:
        """The rows this principal may see; a view over a subset (e.g. failures only) narrows it further."""
        return scope.clause_for(self.model, principal)

    def scope_clause(self, request: Request) -> Clause:
        principal = self.principal(request)
        return self.scope(principal) if principal is not None else sa.false()

    def is_accessible(self, request: Request) -> bool:
        principal = self.principal(request)
        return principal is not None and principal.role in self.roles

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    # --- the four doors --------------------------------------------------------------------------------------------
    def list_query(self, request: Request) -> sa.Select[Any]:
        return sa.select(self.model).where(self.scope_clause(request))

    def count_query(self, request: Request) -> sa.Select[Any]:
        return sa.select(sa.func.count(self.pk_columns[0])).select_from(self.model).where(self.scope_clause(request))

    def _by_pk(self, request: Request) -> sa.Select[Any]:
        raw = str(request.path_params.get("pk", ""))
        if not raw.isdigit() or len(raw) > 18:
            raise HTTPException(status_code=404)
        return sa.select(self.model).where(self.pk_columns[0] == int(raw), self.scope_clause(request))

    def details_query(self, request: Request) -> sa.Select[Any]:
        return self._by_pk(request)

    def form_details_query(self, request: Request) -> sa.Select[Any]:
        return self._by_pk(request)

    def form_edit_query(self, request: Request) -> sa.Select[Any]:
        return self._by_pk(request)

    async def get_object_filepath(self, identifier: str, column_name: str) -> Any:
        """sqladmin's own file routes look rows up without a request to scope by: closed. Documents are served by
        DocumentView.download, which checks the scope."""
        raise HTTPException(status_code=404)

    async def get_object_for_delete(self, value: Any) -> Any:
        return None  # nothing is deleted from the panel; sqladmin's delete route has no request to scope by

    # --- names for foreign keys -----------------------------------------------------------------------------------
    def __init__(self) -> None:
        named = {column: foreign_formatter(kind) for column, kind in self.foreign.items()}
        sortable = [self._get_prop_name(column) for column in type(self).column_sortable_list]
        self.column_sortable_list = ["id", *(name for name in sortable if name != "id")]  # every list sorts by No.
        self.column_formatters = {**named, **type(self).column_formatters}
        self.column_formatters_detail = {**named, **type(self).column_formatters_detail}
        super().__init__()

    async def _with_labels(self, request: Request, rows: Iterable[Any]) -> None:
        wanted = {(kind, getattr(row, column)) for row in rows for column, kind in self.foreign.items()}
        if wanted:
            remember_labels(request, await anyio.to_thread.run_sync(self._load_labels, wanted))

    def _load_labels(self, wanted: set[tuple[str, Any]]) -> Labels:
        with self.session_maker() as session:
            return load_labels(session, wanted)

    async def list(self, request: Request) -> Pagination:
        pagination = await super().list(request)
        await self._with_labels(request, pagination.rows)
        return pagination

    async def get_object_for_details(self, request: Request) -> Any:
        row = await super().get_object_for_details(request)
        if row is not None:
            await self._with_labels(request, [row])
        return row

    # --- search and export ------------------------------------------------------------------------------------------
    def search_placeholder(self) -> str:
        return ", ".join(str(self._column_labels.get(name, name)) for name in self._search_fields)

    async def get_model_objects(self, request: Request, limit: int | None = 0) -> list[Any]:
        """The export: the list as the staff member sees it (scope, search and sort), not the whole table."""
        stmt = self.sort_query(self.list_query(request), request)
        term = request.query_params.get("search")
        if term:
            stmt = self.search_query(stmt, term)
        rows = await self._run_query(stmt.limit(limit or None))
        await self._with_labels(request, rows)
        return list(rows)

    def get_export_name(self, export_type: str) -> str:
        return f"{self.identity}.{export_type}"

    async def export_data(self, data: list[Any], export_type: str = "csv", request: Request | None = None) -> Response:
        if export_type != "csv" or request is None:
            raise HTTPException(status_code=404)
        names = self._export_prop_names
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(self._column_labels.get(name, name)) for name in names])
        for row in data:
            writer.writerow([self.export_cell(request, row, name) for name in names])
        await self.audit_export(request, len(data))
        headers = {"Content-Disposition": f'attachment; filename="{self.get_export_name("csv")}"'}
        # A byte-order mark, so spreadsheet programs read the Cyrillic and Kazakh letters as UTF-8.
        return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)

    def export_cell(self, request: Request, row: Any, name: str) -> str:
        formatter = self._list_formatters.get(name)
        if formatter is not None:
            value = self._call_formatter(formatter, row, name, request, self._list_formatter_accepts_request[name])
            return Markup(str(value)).striptags() if isinstance(value, Markup) else str(value)
        return plain(getattr(row, name, None))

    async def audit_export(self, request: Request, count: int) -> None:
        """Who took which list out of the system: personal data leaving the panel is on the record."""
        principal = self.principal(request)
        if principal is not None:
            search = request.query_params.get("search") or None
            await anyio.to_thread.run_sync(record_export, runtime_of(request), principal, self.identity, count, search)


def foreign_formatter(kind: str) -> Callable[[Any, str, Request], Any]:
    """A formatter showing a foreign key by name (see admin.labels)."""

    def format_cell(row: Any, attribute: str, request: Request) -> Any:
        return render_label(request, kind, getattr(row, attribute))

    return format_cell


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def record_export(runtime: Runtime, principal: Principal, identity: str, count: int, search: str | None) -> None:
    with runtime.context() as ctx:
        ctx.session.add(
            AuditLog(
                at=ctx.now,
                actor_kind=AuditActorKind.STAFF,
                actor_id=str(principal.staff_id),
                action="export",
                entity=identity,
                entity_id=None,
                after={"rows": count, "search": search},  # an IIN typed into the search is masked on write
            )
        )
