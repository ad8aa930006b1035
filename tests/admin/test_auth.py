"""Signing in to the panel over real HTTP: argon2 passwords, one answer for every failure, the lockout after five
failures, sessions that end, CSRF on every POST, and the audit trail of it all (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from core.db.models import AuditLog, StaffUser
from qamqor.app import create_app
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.admin.panel_world import PASSWORD, Staff, signed_in
from tests.conftest import LiveServer
from tests.services.conftest import Clock

ERROR = re.compile(r'<div class="alert alert-danger" role="alert" id="login-error">\s*(.*?)\s*</div>', re.S)


def account(runtime: Runtime, login: str) -> StaffUser:
    with runtime.context() as ctx:
        user = ctx.session.scalars(sa.select(StaffUser).where(StaffUser.login == login)).one()
        ctx.session.expunge(user)
        return user


def audit_actions(runtime: Runtime) -> list[tuple[str, str | None, dict]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(sa.select(AuditLog).where(AuditLog.entity == "staff_user").order_by(AuditLog.id))
        return [(row.action, row.entity_id, row.after or {}) for row in rows]


def test_sign_in_opens_the_dashboard_and_is_recorded(auth_server: LiveServer, auth_runtime: Runtime, auth_clock):
    staff = Staff(auth_server.url)
    response = staff.sign_in("dept.a")
    assert response.status_code == 302
    dashboard = staff.http.get("/admin/", follow_redirects=True)
    assert dashboard.status_code == 200
    assert 'id="signed-in-as">dept.a' in dashboard.text
    user = account(auth_runtime, "dept.a")
    assert user.last_login_at == auth_clock.now
    assert user.password_hash.startswith("$argon2id$")
    assert ("staff_login", str(user.id), {"login": "dept.a"}) in audit_actions(auth_runtime)


def test_wrong_password_and_unknown_login_get_one_answer(auth_server: LiveServer, auth_runtime: Runtime):
    staff = Staff(auth_server.url)
    wrong = staff.sign_in("dept.a", "not-the-password")
    unknown = staff.sign_in("nobody.here", "not-the-password")
    assert wrong.status_code == unknown.status_code == 400
    assert ERROR.search(wrong.text).group(1) == ERROR.search(unknown.text).group(1)
    assert "Wrong login or password" in ERROR.search(wrong.text).group(1) or "Неверный" in wrong.text
    actions = audit_actions(auth_runtime)
    reasons = [after.get("reason") for action, _, after in actions if action == "staff_login_failed"]
    assert reasons == ["wrong_password", "unknown_login"]
    assert all("not-the-password" not in str(after) for _, _, after in actions)  # never a password in the log


def test_five_failures_lock_the_account_for_fifteen_minutes(auth_server: LiveServer, auth_runtime, auth_clock: Clock):
    staff = Staff(auth_server.url)
    for _ in range(4):
        assert staff.sign_in("org.x", "wrong-password-1").status_code == 400
    assert account(auth_runtime, "org.x").failed_logins == 4
    assert staff.sign_in("org.x", "wrong-password-1").status_code == 400
    locked = account(auth_runtime, "org.x")
    assert locked.locked_until == auth_clock.now + timedelta(minutes=15)
    refused = staff.sign_in("org.x")  # the right password, but locked: the same answer as a wrong one
    assert refused.status_code == 400 and ERROR.search(refused.text)
    auth_clock.tick(14 * 60)
    assert staff.sign_in("org.x").status_code == 400
    auth_clock.tick(61)
    assert staff.sign_in("org.x").status_code == 302
    assert account(auth_runtime, "org.x").failed_logins == 0
    actions = [action for action, _, _ in audit_actions(auth_runtime)]
    assert actions.count("staff_locked") == 1
    assert [after.get("reason") for action, _, after in audit_actions(auth_runtime) if action == "staff_login_failed"][
        -2:
    ] == ["locked", "locked"]


def test_an_idle_session_ends(auth_server: LiveServer, auth_runtime: Runtime, auth_clock: Clock):
    staff = signed_in(auth_server.url, "department_a")
    assert staff.get("/admin/case/list").status_code == 200
    auth_clock.tick(29 * 60)
    assert staff.get("/admin/case/list").status_code == 200  # used within the half hour: still signed in
    auth_clock.tick(30 * 60 + 1)
    response = staff.get("/admin/case/list")
    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/login?expired=1")
    assert 'id="session-expired"' in staff.http.get(response.headers["location"]).text
    assert staff.get("/admin/case/list").status_code == 302  # the session is gone, not just paused


def test_a_session_ends_after_eight_hours_however_busy(auth_server: LiveServer, auth_clock: Clock):
    staff = signed_in(auth_server.url, "admin")
    for _ in range(19):  # 19 x 25 min = 7 h 55 min, each step inside the idle limit
        auth_clock.tick(25 * 60)
        assert staff.get("/admin/dashboard").status_code == 200
    auth_clock.tick(6 * 60)
    assert staff.get("/admin/dashboard").status_code == 302


def test_a_disabled_account_is_out_at_once(auth_server: LiveServer, auth_runtime: Runtime):
    staff = signed_in(auth_server.url, "organisation_x")
    assert staff.get("/admin/queue-entry/list").status_code == 200
    with auth_runtime.context() as ctx:
        ctx.session.execute(sa.update(StaffUser).where(StaffUser.login == "org.x").values(active=False))
    assert staff.get("/admin/queue-entry/list").status_code == 302
    assert staff.sign_in("org.x").status_code == 400


def test_sign_out_ends_the_session(auth_server: LiveServer, auth_runtime: Runtime):
    staff = signed_in(auth_server.url, "admin")
    assert staff.get("/admin/logout").status_code == 302
    assert staff.get("/admin/case/list").status_code == 302
    assert "staff_logout" in [action for action, _, _ in audit_actions(auth_runtime)]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/dashboard",
        "/admin/case/list",
        "/admin/case/details/1",
        "/admin/case/export/csv",
        "/admin/document/file/1",
        "/admin/audit-log/list",
    ],
)
def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(auth_server: LiveServer, path):
    response = httpx.get(auth_server.url + path, follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].endswith("/admin/login")


def test_every_post_needs_the_session_csrf_token(auth_server: LiveServer, auth_runtime: Runtime):
    outsider = Staff(auth_server.url)
    no_token = outsider.http.post("/admin/login", data={"username": "root", "password": PASSWORD})
    assert no_token.status_code == 403
    other_session = Staff(auth_server.url).token()
    forged = outsider.http.post(
        "/admin/login", data={"username": "root", "password": PASSWORD, "csrf_token": other_session}
    )
    assert forged.status_code == 403
    assert not [a for a in audit_actions(auth_runtime) if a[0].startswith("staff_login")]  # refused before sign-in

    staff = signed_in(auth_server.url, "department_a")
    assert staff.post("/admin/language", {"language": "kk", "next": "/admin/dashboard"}, csrf=False).status_code == 403
    assert account(auth_runtime, "dept.a").language.value == "ru"
    header = staff.http.post("/admin/language", data={"language": "kk"}, headers={"X-CSRF-Token": "forged"})
    assert header.status_code == 403
    assert staff.post("/admin/language", {"language": "kk", "next": "/admin/dashboard"}).status_code == 303


def test_signing_in_gives_a_new_token(auth_server: LiveServer):
    staff = Staff(auth_server.url)
    before = staff.token()
    staff.sign_in("root")
    page = staff.get("/admin/dashboard").text
    after = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert after != before


def test_the_session_cookie_is_strict_http_only_and_kept_to_the_panel(auth_server: LiveServer):
    staff = Staff(auth_server.url)
    staff.token()
    response = staff.sign_in("root")
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith("qamqor_admin=")
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/admin" in cookie
    assert "max-age=28800" in cookie
    assert "secure" not in cookie  # plain http in tests; production sets it (next test)


def test_production_cookies_are_secure(tmp_path, sqlite_url):
    settings = Settings(environment="prod", data_dir=tmp_path, database_url=sqlite_url, secret_key="k" * 48)
    with LiveServer(create_app(settings)) as server:
        response = httpx.get(server.url + "/admin/login")
    assert "secure" in response.headers["set-cookie"].lower()
    assert response.headers["cache-control"] == "no-store" and response.headers["x-frame-options"] == "DENY"


def test_an_old_argon2_hash_is_upgraded_on_sign_in(auth_server: LiveServer, auth_runtime: Runtime):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    with auth_runtime.context() as ctx:
        ctx.session.execute(sa.update(StaffUser).where(StaffUser.login == "root").values(password_hash=weak))
    assert Staff(auth_server.url).sign_in("root").status_code == 302
    upgraded = account(auth_runtime, "root").password_hash
    assert upgraded != weak
    assert not PasswordHasher().check_needs_rehash(upgraded)


def test_the_panel_speaks_the_staff_members_language(auth_server: LiveServer, auth_runtime: Runtime):
    kazakh = Staff(auth_server.url)
    assert kazakh.sign_in("org.y").status_code == 302  # an account kept in Kazakh
    page = kazakh.get("/admin/case/list").text
    assert '<html lang="kk">' in page and "Істер" in page and "Мәртебе" in page
    for english in ("Export", "Showing", "Search", "Logout", "Dashboard", "Cases"):  # none of sqladmin's labels left
        assert f">{english}<" not in page and f"> {english}" not in page
    russian = signed_in(auth_server.url, "department_a")
    assert "Дела" in russian.get("/admin/case/list").text
    russian.post("/admin/language", {"language": "kk", "next": "/admin/case/list"})
    assert "Істер" in russian.get("/admin/case/list").text
    assert account(auth_runtime, "dept.a").language.value == "kk"
    login_page = httpx.get(auth_server.url + "/admin/login?lang=kk").text
    assert "Кіру" in login_page and "Құпиясөз" in login_page
