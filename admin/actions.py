"""Case work in the panel: the workspace page and the forms that take a case from submission to admission and on.

Routes (under /admin, signed in, every POST with the session's CSRF token, checked by admin/middleware.py):
    GET  /case/{case_id}/work                          the workspace (admin/actions_workspace.py)
    POST /case/{case_id}/step/{step}                   one step of the lifecycle (admin/actions_steps.py)
    POST /case/{case_id}/document/{document_id}        accept or reject an uploaded document
    POST /case/{case_id}/postponement/{postponement_id} confirm or decline a moved arrival date
    GET  /places, POST /places/{organisation_id}       freed places of an organisation (admin/actions_places.py)

Status columns are never edited: every change is a service call inside `runtime.context(actor_for(principal))`,
so it is checked by the lifecycle, stamped, audited and notified like a change from any other front end.
A case the reader may not see is a 404 (also for a forged id); a step that is not theirs is a 403; a step the
rules refuse now comes back as the same page with the reason in the panel language and the typed values kept.
Nothing is changed by a refused request: the transaction of the step is rolled back.

Installed through admin/app.py's extension hook (EXTENSION_MODULES names this module): `install(panel)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import anyio
from sqladmin import BaseView, expose
from sqladmin.flash import Flash
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import actions_policy as policy
from admin import actions_workspace, scope
from admin.actions_errors import explain
from admin.actions_steps import HANDLERS
from admin.actions_texts import (
    ACTION_TITLES,
    DONE_DOCUMENT_ACCEPTED,
    DONE_DOCUMENT_REJECTED,
    DONE_POSTPONEMENT_CONFIRMED,
    DONE_POSTPONEMENT_DECLINED,
    LEAVE_KIND_NAMES,
    rejection_text,
)
from admin.i18n import N_, _, current_language, lazy, set_language
from admin.middleware import CSRF_FIELD, runtime_of
from admin.principal import Principal, actor_for, principal_from_request
from core.db.models import Case, Document
from core.db.uow import ConcurrentUpdateError
from core.rules import lifecycle
from core.services import documents, postponements
from core.services.context import ServiceContext
from core.services.errors import InvalidInput, NotAllowed, NotFound, ServiceError

if TYPE_CHECKING:
    from admin.app import Panel

Work = Callable[[ServiceContext, Case], str]
log = logging.getLogger(__name__)


class StepRefused(Exception):
    """A service (or the form check) refused the step; the transaction has been rolled back."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error

    @property
    def status_code(self) -> int:
        if isinstance(self.error, InvalidInput):
            return 422
        return 409  # NotAllowed, Conflict, a stale version, or a record that changed under the officer


def signed_in(request: Request) -> Principal:
    principal = principal_from_request(request)
    if principal is None:  # login_required has run: only a session that ended mid-request gets here
        raise HTTPException(status_code=404)
    return principal


def typed_values(form: FormData) -> dict[str, str]:
    """What the officer typed, to show again if the step is refused (the CSRF token is not a value)."""
    return {key: str(value) for key, value in form.items() if key != CSRF_FIELD and isinstance(value, str)}


def forbid_unless(verdict: str) -> None:
    if verdict == policy.Verdict.FORBIDDEN:
        raise HTTPException(status_code=403)


REFUSALS = (ServiceError, StaleDataError, IntegrityError, ConcurrentUpdateError)


def run_as(request: Request, principal: Principal, language: str, work: Callable[[ServiceContext], str]) -> str:
    """Run `work` in one transaction as the principal; a refusal by the rules becomes StepRefused, and either
    way (refusal, HTTPException) nothing it changed is kept."""
    set_language(language)  # a worker thread starts with the default language
    try:
        with runtime_of(request).context(actor_for(principal)) as ctx:
            try:
                return work(ctx)
            except REFUSALS as error:
                raise StepRefused(error) from error
            except (LookupError, ValueError) as error:
                # A rule the form checks did not foresee: the officer reads a plain sentence, the log has the rest.
                log.exception("a panel step failed unexpectedly")
                raise StepRefused(error) from error
    except (ConcurrentUpdateError, StaleDataError, IntegrityError) as error:  # at commit: changed by someone else
        raise StepRefused(error) from error
    except OperationalError as error:  # the database was busy or away: nothing was saved, the officer may retry
        log.exception("a panel step could not reach the database")
        raise StepRefused(error) from error


def run_on_case(request: Request, principal: Principal, case_id: object, language: str, work: Work) -> str:
    """`work` on the case the principal may see; any other id (missing, forged, outside the scope) is a 404."""

    def on_case(ctx: ServiceContext) -> str:
        try:
            case = scope.require_case(ctx.session, principal, case_id)
        except NotFound:
            raise HTTPException(status_code=404) from None
        return work(ctx, case)

    return run_as(request, principal, language, on_case)


def _step_work(principal: Principal, step_key: str, form: dict[str, str]) -> Work:
    step = policy.STEPS_BY_KEY.get(step_key)
    if step is None:
        raise HTTPException(status_code=404)

    def work(ctx: ServiceContext, case: Case) -> str:
        verdict = policy.verdict(principal, case, step)
        forbid_unless(verdict)
        if verdict == policy.Verdict.NOT_NOW:
            raise NotAllowed("not in this status", reasons=("transition_not_allowed",), allowed=_allowed(case))
        return HANDLERS[step.key](ctx, case, form)

    return work


def _allowed(case: Case) -> tuple[str, ...]:
    return tuple(dict.fromkeys(row.action.value for row in lifecycle.allowed_actions(case.form, case.status)))


def _document_work(principal: Principal, document_id: str, form: dict[str, str]) -> Work:
    def work(ctx: ServiceContext, case: Case) -> str:
        forbid_unless(policy.may_review_documents(principal, case))
        try:
            document = scope.require(ctx.session, principal, Document, document_id)
        except NotFound:
            raise HTTPException(status_code=404) from None
        if document.case_id != case.id:
            raise HTTPException(status_code=404)
        if policy.may_review_documents(principal, case) == policy.Verdict.NOT_NOW:
            raise NotAllowed("the decision is made", reasons=("transition_not_allowed",), allowed=_allowed(case))
        if form.get("decision") == "accept":
            documents.review(ctx, case, document.code, accept=True)
            return _(DONE_DOCUMENT_ACCEPTED)
        if form.get("decision") != "reject":
            raise InvalidInput("accept or reject", reason="choice_required")
        reason = rejection_text(case.language.value, form.get("reason_code"), form.get("comment", "")[:1000])
        if not reason:
            raise InvalidInput("no reason", reason="reject_reason_required", field="reason_code")
        documents.review(ctx, case, document.code, accept=False, reason=reason)
        return _(DONE_DOCUMENT_REJECTED)

    return work


def _postponement_work(principal: Principal, postponement_id: str, form: dict[str, str]) -> Work:
    if not postponement_id.isdigit():
        raise HTTPException(status_code=404)

    def work(ctx: ServiceContext, case: Case) -> str:
        verdict = policy.may_review_postponement(principal, case)
        forbid_unless(verdict)
        if verdict == policy.Verdict.NOT_NOW:
            raise NotAllowed("not offered", reasons=("postponement_not_in_force",))
        if form.get("decision") == "confirm":
            postponements.confirm(ctx, case, int(postponement_id))
            return _(DONE_POSTPONEMENT_CONFIRMED)
        if form.get("decision") != "decline":
            raise InvalidInput("confirm or decline", reason="choice_required")
        row = postponements.decline(ctx, case, int(postponement_id), form.get("reason", "")[:1000])
        return _(DONE_POSTPONEMENT_DECLINED, due=row.original_due_on.strftime("%d.%m.%Y"))

    return work


class CaseWorkView(BaseView):
    """The workspace is reached from a case (its detail page, the inbox, the places page), not from the menu."""

    name = lazy(N_("Case workspace"))
    icon = "fa-solid fa-briefcase"

    def is_accessible(self, request: Request) -> bool:
        return principal_from_request(request) is not None

    def is_visible(self, request: Request) -> bool:
        return False

    @expose("/case/{case_id}/work", methods=["GET"], identity="case-work")
    async def workspace(self, request: Request) -> Response:
        return await self.render(request, signed_in(request), request.path_params["case_id"])

    @expose("/case/{case_id}/step/{step}", methods=["POST"], identity="case-step")
    async def step(self, request: Request) -> Response:
        form = typed_values(await request.form())
        work = _step_work(signed_in(request), request.path_params["step"], form)
        return await self.perform(request, work, form, form_key=request.path_params["step"])

    @expose("/case/{case_id}/document/{document_id}", methods=["POST"], identity="case-document")
    async def review_document(self, request: Request) -> Response:
        form = typed_values(await request.form())
        document_id = request.path_params["document_id"]
        work = _document_work(signed_in(request), document_id, form)
        return await self.perform(request, work, form, form_key=f"document-{document_id}")

    @expose("/case/{case_id}/postponement/{postponement_id}", methods=["POST"], identity="case-postponement")
    async def review_postponement(self, request: Request) -> Response:
        form = typed_values(await request.form())
        postponement_id = request.path_params["postponement_id"]
        work = _postponement_work(signed_in(request), postponement_id, form)
        return await self.perform(request, work, form, form_key=f"postponement-{postponement_id}")

    async def perform(self, request: Request, work: Work, form: dict[str, str], *, form_key: str) -> Response:
        principal, case_id = signed_in(request), request.path_params["case_id"]
        language = current_language()
        try:
            done = await anyio.to_thread.run_sync(run_on_case, request, principal, case_id, language, work)
        except StepRefused as refused:
            failed = {"key": form_key, "values": form, "message": explain(refused.error)}
            return await self.render(request, principal, case_id, failed=failed, status_code=refused.status_code)
        Flash.success(request, done)
        url = request.url_for("admin:view-case-work", case_id=case_id)
        return RedirectResponse(url, status_code=303)  # Post/Redirect/Get: a reload never repeats the step

    async def render(
        self,
        request: Request,
        principal: Principal,
        case_id: object,
        *,
        failed: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Response:
        language = current_language()
        workspace = await anyio.to_thread.run_sync(_read_workspace, request, principal, case_id, language)
        context = {
            "title": _("Case No. {number}", number=workspace.case_id),
            "subtitle": workspace.status,
            "work": workspace,
            "failed": failed or {},
            "leave_kinds": LEAVE_KIND_NAMES,
            "step_titles": ACTION_TITLES,
        }
        return await self.templates.TemplateResponse(request, "actions/work.html", context, status_code=status_code)


def _read_workspace(request: Request, principal: Principal, case_id: object, language: str) -> Any:
    set_language(language)
    with runtime_of(request).context(actor_for(principal)) as ctx:
        try:
            return actions_workspace.build(ctx, principal, case_id)
        except NotFound:
            raise HTTPException(status_code=404) from None


def install(panel: Panel) -> None:
    from admin.actions_places import PlacesView

    for view in (CaseWorkView, PlacesView):
        panel.admin.add_view(type(view.__name__, (view,), {}))  # a class per app: sqladmin keeps state on it


__all__ = ["CaseWorkView", "StepRefused", "install", "run_as", "run_on_case", "signed_in", "typed_values"]
