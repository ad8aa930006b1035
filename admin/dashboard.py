"""The panel's landing page and the staff member's own settings (language)."""

from __future__ import annotations

from typing import Any

import anyio
from sqladmin import BaseView, expose
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import accounts, dashboard_data
from admin.charts import Bar, bar_chart
from admin.i18n import N_, STAFF_LANGUAGES, _, current_language, lazy, set_language
from admin.middleware import runtime_of
from admin.principal import SESSION_KEY, Principal, actor_for, principal_from_request
from admin.views.base import plain
from admin.vocabulary import label


class DashboardView(BaseView):
    name = lazy(N_("Dashboard"))
    icon = "fa-solid fa-gauge"

    def is_accessible(self, request: Request) -> bool:
        return principal_from_request(request) is not None

    @expose("/dashboard", methods=["GET"], identity="dashboard")
    async def dashboard(self, request: Request) -> Response:
        principal = principal_from_request(request)
        if principal is None:
            raise HTTPException(status_code=404)
        language = current_language()
        context = await anyio.to_thread.run_sync(self._gather, request, principal, language)
        return await self.templates.TemplateResponse(request, "qamqor/dashboard.html", context)

    def _gather(self, request: Request, principal: Principal, language: str) -> dict[str, Any]:
        set_language(language)  # a worker thread starts with the default language
        with runtime_of(request).context(actor_for(principal)) as ctx:
            stages = dashboard_data.cases_by_stage(ctx, principal)
            due = dashboard_data.steps_due(ctx, principal)
            loads = dashboard_data.organisation_loads(ctx, principal, language)
            today = ctx.today
        list_url = request.url_for("admin:list", identity="case")
        stage_bars = [
            Bar(label(stage.status), stage.count, str(list_url.include_query_params(status=stage.status.value)))
            for stage in stages
        ]
        return {
            "title": _("Dashboard"),
            "today": plain(today),
            "next_day": plain(due.next_day),
            "stages": [{"status": s.status, "label": label(s.status), "count": s.count} for s in stages],
            "stage_chart": bar_chart(stage_bars, _("Cases by stage")),
            "due": due,
            "due_lists": [
                (_("Overdue"), due.overdue),
                (_("Due today"), due.today),
                (_("Due on the next working day"), due.next_working_day),
            ],
            "loads": loads,
            "queue_chart": bar_chart([Bar(load.name, load.queue_length) for load in loads], _("In the queue")),
        }


class LanguageView(BaseView):
    """POST /admin/language: the staff member's language, kept on their account (not in the menu)."""

    name = "language"

    def is_visible(self, request: Request) -> bool:
        return False

    def is_accessible(self, request: Request) -> bool:
        return principal_from_request(request) is not None

    @expose("/language", methods=["POST"], identity="language")
    async def language(self, request: Request) -> Response:
        principal = principal_from_request(request)
        form = await request.form()
        chosen = str(form.get("language") or "")
        if principal is None or chosen not in STAFF_LANGUAGES:
            raise HTTPException(status_code=400)
        runtime = runtime_of(request)

        def save() -> Principal:
            with runtime.context(actor_for(principal)) as ctx:
                return accounts.set_language(ctx, principal, chosen)

        updated = await anyio.to_thread.run_sync(save)
        data = dict(request.session.get(SESSION_KEY) or {})
        data["lang"] = updated.language
        request.session[SESSION_KEY] = data
        return RedirectResponse(_safe_next(request, str(form.get("next") or "")), status_code=303)


def _safe_next(request: Request, target: str) -> str:
    """Back to the page the switch was pressed on; only a path inside the panel (never another site)."""
    base = str(request.url_for("admin:index").path).rstrip("/")
    if target.startswith(base + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return str(request.url_for("admin:index"))
