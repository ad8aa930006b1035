"""Who is using the panel: the signed-in staff member, read from the signed session cookie.

The login (admin/auth.py) writes a small dict under SESSION_KEY into Starlette's signed session. A request is
signed in while the session is younger than `admin.session_max_age_seconds` and was used within
`admin.session_idle_seconds`; the authentication backend also re-reads the staff row on every panel request (a
deactivated or re-scoped account takes effect at once) and leaves the fresh Principal on `request.state`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import HTTPConnection

from core.db.enums import StaffRole
from core.rules.codes import Actor
from core.services.context import ActorRef

SESSION_KEY = "staff"
# Where the admin middleware leaves the session policy in the ASGI scope (see admin/app.py).
POLICY_SCOPE_KEY = "qamqor.admin.policy"
_STATE_ATTR = "qamqor_principal"
_CURRENT: ContextVar[Principal | None] = ContextVar("qamqor_admin_principal", default=None)


@dataclass(frozen=True)
class Principal:
    staff_id: int
    login: str
    role: StaffRole
    department_id: int | None
    organisation_id: int | None
    language: str

    @property
    def is_admin(self) -> bool:
        return self.role is StaffRole.ADMIN


@dataclass(frozen=True)
class SessionPolicy:
    """How long a panel session lives, and the clock it is measured by (the runtime's, so tests control it)."""

    max_age_seconds: int
    idle_seconds: int
    clock: Callable[[], datetime]

    def now_ts(self) -> float:
        return self.clock().timestamp()

    def is_live(self, data: dict[str, Any]) -> bool:
        now = self.now_ts()
        issued, seen = float(data.get("iat", 0)), float(data.get("seen", 0))
        return now - issued < self.max_age_seconds and now - seen < self.idle_seconds


def session_data(principal: Principal, now_ts: float) -> dict[str, Any]:
    """What the session keeps about a signed-in staff member (no password, no hash)."""
    return {
        "id": principal.staff_id,
        "login": principal.login,
        "role": principal.role.value,
        "dep": principal.department_id,
        "org": principal.organisation_id,
        "lang": principal.language,
        "iat": now_ts,
        "seen": now_ts,
    }


def principal_from_session(data: dict[str, Any]) -> Principal | None:
    try:
        return Principal(
            staff_id=int(data["id"]),
            login=str(data["login"]),
            role=StaffRole(data["role"]),
            department_id=data.get("dep"),
            organisation_id=data.get("org"),
            language=str(data.get("lang") or "ru"),
        )
    except (KeyError, TypeError, ValueError):
        return None


def policy_of(request: HTTPConnection) -> SessionPolicy | None:
    policy = request.scope.get(POLICY_SCOPE_KEY)
    return policy if isinstance(policy, SessionPolicy) else None


def remember(request: HTTPConnection, principal: Principal) -> None:
    """Keep the principal the authentication backend just checked against the database for this request."""
    setattr(request.state, _STATE_ATTR, principal)
    _CURRENT.set(principal)


def current_principal() -> Principal | None:
    """The principal of the request being served (for sqladmin hooks that get no request, such as search)."""
    return _CURRENT.get()


def principal_from_request(request: HTTPConnection) -> Principal | None:
    """The signed-in staff member, or None (no session, expired, idle too long, or outside the panel)."""
    checked = getattr(request.state, _STATE_ATTR, None)
    if isinstance(checked, Principal):
        return checked
    if "session" not in request.scope:
        return None
    data = request.session.get(SESSION_KEY)
    policy = policy_of(request)
    if not isinstance(data, dict) or policy is None or not policy.is_live(data):
        return None
    return principal_from_session(data)


def actor_for(principal: Principal) -> ActorRef:
    """The service-layer actor: organisation staff act as the organisation, everyone else as the department."""
    # Admins run the department's steps (the lifecycle has no separate "admin" actor); the audit log still
    # names the staff member by id.
    kind = Actor.ORGANISATION if principal.role is StaffRole.ORGANISATION else Actor.DEPARTMENT
    return ActorRef(kind, str(principal.staff_id))


__all__ = [
    "POLICY_SCOPE_KEY",
    "SESSION_KEY",
    "Principal",
    "SessionPolicy",
    "actor_for",
    "current_principal",
    "policy_of",
    "principal_from_request",
    "principal_from_session",
    "remember",
    "session_data",
]
