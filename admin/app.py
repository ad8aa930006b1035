"""Mounts the staff panel (sqladmin) on the FastAPI app at /admin.

Extending the panel from another module (the case actions and the inbox reply do this): a module among
EXTENSION_MODULES may define
    view_mixins() -> dict[type[ModelView], type]   a mixin class per base view (e.g. @action methods for CaseView):
                                                   the panel registers `class X(mixin, CaseView)` in its place
    install(panel: Panel) -> None                  anything else: extra views (panel.admin.add_view), routes
and may provide templates admin/templates/actions/<identity>_details.html and <identity>_list.html, included on
every detail / list page of that view. Every POST must carry the `csrf_token` form field (`{{ csrf_token() }}` in
templates); inside a handler use admin.principal.principal_from_request / actor_for and admin.scope.require*.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
from fastapi import FastAPI
from sqladmin import Admin, BaseView, ModelView
from sqladmin.authentication import login_required
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import i18n
from admin.auth import StaffAuthentication
from admin.dashboard import DashboardView, LanguageView
from admin.middleware import CsrfMiddleware, PanelMiddleware, csrf_token
from admin.principal import SessionPolicy, current_principal
from admin.views import BASE_VIEWS
from admin.vocabulary import label, step_label
from core.services.errors import AccessDenied, NotFound
from qamqor.runtime import Runtime
from qamqor.settings import Settings

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
SESSION_COOKIE = "qamqor_admin"
BASE_URL = "/admin"
EXTENSION_MODULES = ("admin.actions", "admin.inbox")
EXPORT_PARAMS = ("search", "sortBy", "sort", "status", "form")


@dataclass
class Panel:
    admin: Admin
    runtime: Runtime
    settings: Settings
    views: dict[str, Any]  # identity -> the registered view class


class QamqorAdmin(Admin):
    @login_required
    async def index(self, request: Request) -> Response:
        """The landing page is the dashboard."""
        return RedirectResponse(request.url_for("admin:view-dashboard"), status_code=302)


def install_admin(app: FastAPI, *, runtime: Runtime, settings: Settings) -> Panel:
    policy = SessionPolicy(
        max_age_seconds=settings.admin.session_max_age_seconds,
        idle_seconds=settings.admin.session_idle_seconds,
        clock=runtime.clock,
    )
    middlewares = [
        Middleware(PanelMiddleware, runtime=runtime, policy=policy),
        Middleware(
            SessionMiddleware,
            secret_key=settings.session_secret(),
            session_cookie=SESSION_COOKIE,
            max_age=settings.admin.session_max_age_seconds,
            path=BASE_URL,
            same_site="strict",
            https_only=settings.environment == "prod",
        ),
        Middleware(CsrfMiddleware),
    ]
    admin = QamqorAdmin(
        app,
        # A sessionmaker of its own: sqladmin reconfigures the one it is given (autoflush off).
        session_maker=sessionmaker(bind=runtime.engine, class_=Session),
        base_url=BASE_URL,
        title="Qamqor",
        templates_dir=str(TEMPLATES_DIR),
        middlewares=middlewares,
        authentication_backend=StaffAuthentication(runtime),
    )
    _configure_templates(admin.templates.env)
    _handle_service_errors(admin)
    extensions = _extensions()
    panel = Panel(admin, runtime, settings, {})
    admin.add_view(_fresh(DashboardView))
    for base in BASE_VIEWS:
        view = _compose(base, extensions)
        admin.add_view(view)
        panel.views[view.identity] = view
    admin.add_view(_fresh(LanguageView))
    for module in extensions:
        install = getattr(module, "install", None)
        if install is not None:
            install(panel)
    app.state.admin_panel = panel
    return panel


def _fresh(view: type[BaseView]) -> type[BaseView]:
    """A subclass per app: sqladmin keeps the engine and templates on the view class, and tests run several apps."""
    return type(view.__name__, (view,), {})


def _compose(base: type[ModelView], extensions: list[ModuleType]) -> type[ModelView]:
    mixins = [mixin for module in extensions for b, mixin in _mixins(module).items() if b is base]
    return type(base.__name__, (*mixins, base), {})


def _mixins(module: ModuleType) -> dict[type[ModelView], type]:
    provider = getattr(module, "view_mixins", None)
    return provider() if provider is not None else {}


def _extensions() -> list[ModuleType]:
    found = []
    for name in EXTENSION_MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:  # the module exists but something it imports is missing: a real error
                raise
    return found


def _configure_templates(env: jinja2.Environment) -> None:
    env.install_gettext_callables(i18n.template_gettext, i18n.template_ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        csrf_token=jinja2.pass_context(lambda context: csrf_token(context["request"])),
        current_language=i18n.current_language,
        current_principal=current_principal,
        role_label=label,
        step_label=step_label,
        format_date=lambda day: day.strftime("%d.%m.%Y") if day else "",
        staff_languages=[(code, i18n.LANGUAGE_LABELS[code]) for code in i18n.STAFF_LANGUAGES],
        export_params=lambda request: {k: v for k, v in request.query_params.items() if k in EXPORT_PARAMS and v},
    )


def _handle_service_errors(admin: Admin) -> None:
    """A service's NotFound / AccessDenied inside the panel is the same 404 page as an unknown URL."""
    http_handler = admin.admin.exception_handlers[HTTPException]

    async def not_found(request: Request, exc: Exception) -> Response:
        return await http_handler(request, HTTPException(status_code=404))  # type: ignore[no-any-return]

    admin.admin.exception_handlers[NotFound] = not_found
    admin.admin.exception_handlers[AccessDenied] = not_found
