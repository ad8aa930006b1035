"""sqladmin's authentication backend: sign in with a login and an argon2-hashed password, a lockout, an expiring
session, and the staff row re-read on every request (a disabled account is out at once)."""

from __future__ import annotations

from typing import Any

import anyio
from sqladmin.authentication import AuthenticationBackend
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from admin import accounts
from admin.i18n import set_language
from admin.middleware import rotate_csrf_token
from admin.principal import (
    SESSION_KEY,
    Principal,
    policy_of,
    principal_from_session,
    remember,
    session_data,
)
from qamqor.runtime import Runtime


class StaffAuthentication(AuthenticationBackend):
    def __init__(self, runtime: Runtime) -> None:
        # No super().__init__(): install_admin adds the session middleware itself, in front of the CSRF check.
        self.middlewares = []
        self.runtime = runtime

    def _sign_in(self, login: str, password: str) -> accounts.SignIn:
        with self.runtime.context() as ctx:
            return accounts.sign_in(ctx, login, password)

    def _current(self, staff_id: int) -> Principal | None:
        with self.runtime.context() as ctx:
            return accounts.current(ctx, staff_id)

    def _sign_out(self, principal: Principal) -> None:
        with self.runtime.context() as ctx:
            accounts.sign_out(ctx, principal)

    async def login(self, request: Request) -> Response | bool:
        form = await request.form()
        login = str(form.get("username") or "")[:128]
        password = str(form.get("password") or "")[:1024]
        outcome = await anyio.to_thread.run_sync(self._sign_in, login, password)
        if outcome.principal is None:
            return False
        language = request.session.get("ui_lang")
        request.session.clear()  # a fresh session on sign-in: nothing from before survives (session fixation)
        rotate_csrf_token(request)
        if language:
            request.session["ui_lang"] = language
        request.session[SESSION_KEY] = session_data(outcome.principal, self.runtime.clock().timestamp())
        return True

    async def logout(self, request: Request) -> Response | bool:
        data = request.session.get(SESSION_KEY)
        principal = principal_from_session(data) if isinstance(data, dict) else None
        if principal is not None:
            await anyio.to_thread.run_sync(self._sign_out, principal)
        request.session.clear()
        return False  # sqladmin then shows the login page

    async def authenticate(self, request: Request) -> Response | bool:
        data = request.session.get(SESSION_KEY)
        policy = policy_of(request)
        if not isinstance(data, dict) or policy is None:
            return False
        if not policy.is_live(data):
            request.session.pop(SESSION_KEY, None)
            return RedirectResponse(str(request.url_for("admin:login").include_query_params(expired=1)), 302)
        principal = await anyio.to_thread.run_sync(self._current, int(data.get("id", 0)))
        if principal is None:
            request.session.pop(SESSION_KEY, None)
            return False
        refreshed = session_data(principal, policy.now_ts())
        refreshed["iat"] = data["iat"]  # the absolute limit counts from sign-in, the idle limit from now
        request.session[SESSION_KEY] = refreshed
        remember(request, principal)
        set_language(principal.language)
        return True

    async def get_user_id(self, request: Request) -> Any:
        data = request.session.get(SESSION_KEY)
        return data.get("id") if isinstance(data, dict) else None
