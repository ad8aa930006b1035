"""Questions from applicants, each with its case beside it, and the staff answer that goes back to their chat.

Routes (under /admin, signed in; the POST carries the session's CSRF token):
    GET  /questions                      questions awaiting an answer (?all=1: every question), newest first
    GET  /questions/{message_id}         the chat's thread with the case beside it, and the answer form
    POST /questions/{message_id}/reply   core.services.inbox.reply: stored and audited in one transaction; the
                                         delivery worker (qamqor/delivery) sends it to the applicant's chat

Who sees a question: the staff who see its case (admin/scope.py inbox_clause): the department handling it and the
organisation it chose or lives at. A question tied to no case is for admins only. Anyone who sees a question may
answer it. Installed through admin/app.py's extension hook (EXTENSION_MODULES names this module).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anyio
from sqladmin import BaseView, expose
from sqladmin.flash import Flash
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import inbox_data
from admin.actions import StepRefused, run_as, signed_in, typed_values
from admin.actions_errors import explain
from admin.i18n import N_, _, current_language, lazy, set_language
from admin.middleware import runtime_of
from admin.principal import Principal, actor_for, principal_from_request
from core.services import inbox
from core.services.context import ServiceContext
from core.services.errors import NotFound

if TYPE_CHECKING:
    from admin.app import Panel

REPLY_STORED = N_("The answer is saved and will be sent to the applicant's chat.")


def _read(request: Request, principal: Principal, language: str, read: Any) -> Any:
    set_language(language)
    with runtime_of(request).context(actor_for(principal)) as ctx:
        try:
            return read(ctx)
        except NotFound:
            raise HTTPException(status_code=404) from None


class QuestionsView(BaseView):
    name = lazy(N_("Questions from applicants"))
    icon = "fa-solid fa-comments"

    def is_accessible(self, request: Request) -> bool:
        return principal_from_request(request) is not None

    @expose("/questions", methods=["GET"], identity="questions")
    async def questions(self, request: Request) -> Response:
        principal = signed_in(request)
        show_all = request.query_params.get("all") == "1"

        def read(ctx: ServiceContext) -> Any:
            return inbox_data.questions(ctx, principal, only_awaiting=not show_all)

        rows = await anyio.to_thread.run_sync(_read, request, principal, current_language(), read)
        context = {"title": _("Questions from applicants"), "rows": rows, "show_all": show_all}
        return await self.templates.TemplateResponse(request, "inbox/list.html", context)

    @expose("/questions/{message_id}", methods=["GET"], identity="question")
    async def thread(self, request: Request) -> Response:
        return await self.render_thread(request, signed_in(request), request.path_params["message_id"])

    @expose("/questions/{message_id}/reply", methods=["POST"], identity="question-reply")
    async def reply(self, request: Request) -> Response:
        principal = signed_in(request)
        message_id = request.path_params["message_id"]
        form = typed_values(await request.form())

        def work(ctx: ServiceContext) -> str:
            try:
                asked = inbox_data.question(ctx, principal, message_id)
            except NotFound:
                raise HTTPException(status_code=404) from None
            inbox.reply(ctx, asked, form.get("body", ""), principal.staff_id)
            return _(REPLY_STORED)

        try:
            done = await anyio.to_thread.run_sync(run_as, request, principal, current_language(), work)
        except StepRefused as refused:
            failed = {"values": form, "message": explain(refused.error)}
            return await self.render_thread(
                request, principal, message_id, failed=failed, status_code=refused.status_code
            )
        Flash.success(request, done)
        return RedirectResponse(request.url_for("admin:view-question", message_id=message_id), status_code=303)

    async def render_thread(
        self,
        request: Request,
        principal: Principal,
        message_id: object,
        *,
        failed: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Response:
        def read(ctx: ServiceContext) -> Any:
            return inbox_data.thread(ctx, principal, message_id)

        found = await anyio.to_thread.run_sync(_read, request, principal, current_language(), read)
        context = {
            "title": _("Question from {who}", who=found.who),
            "thread": found,
            "failed": failed or {},
            "max_chars": inbox.MAX_MESSAGE_CHARS,
        }
        return await self.templates.TemplateResponse(request, "inbox/thread.html", context, status_code=status_code)


def install(panel: Panel) -> None:
    panel.admin.add_view(type(QuestionsView.__name__, (QuestionsView,), {}))  # a class per app


__all__ = ["QuestionsView", "install"]
