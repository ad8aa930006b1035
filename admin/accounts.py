"""Staff accounts: create, set a password, sign in with a lockout, switch language. Every change is audited.

Sign-in answers only "yes, this staff member" or "no": a wrong password, an unknown login, a disabled account and a
locked one look the same from outside (one message, one timing), so the panel never confirms that a login exists.
Five failed attempts in a row lock the account for fifteen minutes; the counter restarts after the lock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from admin.i18n import staff_language
from admin.passwords import burn_time, hash_password, needs_rehash, password_problem, verify_password
from admin.principal import Principal, actor_for
from core.db.enums import AuditActorKind, Language, StaffRole
from core.db.models import AuditLog, Department, Organisation, StaffUser
from core.rules.codes import Actor
from core.services import audit
from core.services.context import ActorRef, ServiceContext
from core.services.errors import Conflict, InvalidInput, NotFound

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
# Sign-in attempts are recorded by the sign-in job: the person typing is not yet known to be the staff member.
LOGIN_JOB = ActorRef(Actor.SYSTEM, "admin_login")


@dataclass(frozen=True)
class SignIn:
    """The outcome of one attempt: the principal when it succeeded, else None (`locked` is for the audit)."""

    principal: Principal | None
    locked: bool = False


def principal_of(user: StaffUser) -> Principal:
    return Principal(
        staff_id=int(user.id or 0),
        login=user.login,
        role=user.role,
        department_id=user.department_id,
        organisation_id=user.organisation_id,
        language=staff_language(user.language.value if user.language else None),
    )


def _public(user: StaffUser) -> dict[str, object]:
    """What the audit log keeps about an account (never the hash)."""
    return {
        "login": user.login,
        "role": user.role.value,
        "department_id": user.department_id,
        "organisation_id": user.organisation_id,
        "language": user.language.value,
        "active": user.active,
    }


def find(ctx: ServiceContext, login: str) -> StaffUser | None:
    return ctx.session.scalars(sa.select(StaffUser).where(StaffUser.login == login.strip().lower())).first()


def _check_scope(ctx: ServiceContext, role: StaffRole, department_id: int | None, organisation_id: int | None) -> None:
    if role is StaffRole.DEPARTMENT:
        if department_id is None or organisation_id is not None:
            raise InvalidInput("a department account needs --department-id and no organisation", reason="scope")
        if ctx.session.get(Department, department_id) is None:
            raise NotFound("no such department", department_id=department_id)
    elif role is StaffRole.ORGANISATION:
        if organisation_id is None or department_id is not None:
            raise InvalidInput("an organisation account needs --organisation-id and no department", reason="scope")
        if ctx.session.get(Organisation, organisation_id) is None:
            raise NotFound("no such organisation", organisation_id=organisation_id)
    elif department_id is not None or organisation_id is not None:
        raise InvalidInput("an admin account sees everything: give no department or organisation", reason="scope")


def create_staff(
    ctx: ServiceContext,
    login: str,
    password: str,
    role: StaffRole,
    *,
    department_id: int | None = None,
    organisation_id: int | None = None,
    language: str = "ru",
    full_name: str = "",
) -> StaffUser:
    login = login.strip().lower()
    if not LOGIN_PATTERN.match(login):
        raise InvalidInput("a login is 2-64 characters: latin letters, digits, dot, dash, underscore", reason="login")
    problem = password_problem(password)
    if problem:
        raise InvalidInput(problem, reason="password")
    _check_scope(ctx, role, department_id, organisation_id)
    if find(ctx, login) is not None:
        raise Conflict("this login is taken", login=login)
    user = StaffUser(
        login=login,
        password_hash=hash_password(password),
        full_name=full_name,
        role=role,
        department_id=department_id,
        organisation_id=organisation_id,
        language=Language(staff_language(language)),
        created_at=ctx.now,
    )
    ctx.session.add(user)
    audit.record(ctx, "staff_create", user, None, _public(user))
    return user


def set_password(ctx: ServiceContext, login: str, password: str) -> StaffUser:
    """A new password; also lifts a lockout (an admin resetting a password has checked who asks)."""
    user = find(ctx, login)
    if user is None:
        raise NotFound("no such staff login", login=login)
    problem = password_problem(password)
    if problem:
        raise InvalidInput(problem, reason="password")
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record(ctx, "staff_password_set", user, None, {"login": user.login})
    return user


def _audit_unknown(ctx: ServiceContext, login: str) -> None:
    ctx.session.add(
        AuditLog(
            at=ctx.now,
            actor_kind=AuditActorKind.SYSTEM,
            actor_id=LOGIN_JOB.id,
            action="staff_login_failed",
            entity="staff_user",
            entity_id=None,
            after={"login": login[:64], "reason": "unknown_login"},
        )
    )


def sign_in(ctx: ServiceContext, login: str, password: str) -> SignIn:
    """Check one sign-in attempt and record it (success, failure, lockout) in the audit log."""
    job = ctx.acting_as(LOGIN_JOB)
    user = find(ctx, login) if login.strip() else None
    if user is None or not user.active:
        burn_time(password)
        if user is None:
            _audit_unknown(job, login.strip())
        else:
            _refuse(job, user, "inactive")
        return SignIn(None)
    if user.locked_until is not None and user.locked_until > ctx.now:
        burn_time(password)
        _refuse(job, user, "locked")
        return SignIn(None, locked=True)
    if not verify_password(user.password_hash, password):
        return _count_failure(job, user)
    return SignIn(_succeed(ctx, user, password))


def _refuse(ctx: ServiceContext, user: StaffUser, reason: str) -> None:
    audit.record(ctx, "staff_login_failed", user, None, {"login": user.login, "reason": reason})


def _count_failure(ctx: ServiceContext, user: StaffUser) -> SignIn:
    user.failed_logins += 1
    if user.failed_logins < MAX_FAILED_LOGINS:
        after = {"login": user.login, "reason": "wrong_password", "failed_logins": user.failed_logins}
        audit.record(ctx, "staff_login_failed", user, None, after)
        return SignIn(None)
    user.failed_logins = 0
    user.locked_until = ctx.now + LOCKOUT
    after = {"login": user.login, "reason": "wrong_password", "locked_until": user.locked_until.isoformat()}
    audit.record(ctx, "staff_locked", user, None, after)
    return SignIn(None, locked=True)


def _succeed(ctx: ServiceContext, user: StaffUser, password: str) -> Principal:
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = ctx.now
    principal = principal_of(user)
    audit.record(ctx.acting_as(actor_for(principal)), "staff_login", user, None, {"login": user.login})
    return principal


def sign_out(ctx: ServiceContext, principal: Principal) -> None:
    user = ctx.session.get(StaffUser, principal.staff_id)
    if user is not None:
        audit.record(ctx.acting_as(actor_for(principal)), "staff_logout", user, None, {"login": user.login})


def current(ctx: ServiceContext, staff_id: int) -> Principal | None:
    """The account as it is now, or None when it was disabled or locked since the session began."""
    user = ctx.session.get(StaffUser, staff_id)
    if user is None or not user.active or (user.locked_until is not None and user.locked_until > ctx.now):
        return None
    return principal_of(user)


def set_language(ctx: ServiceContext, principal: Principal, language: str) -> Principal:
    user = ctx.session.get(StaffUser, principal.staff_id)
    if user is None:
        raise NotFound("no such staff account", staff_id=principal.staff_id)
    before = {"language": user.language.value}
    user.language = Language(staff_language(language))
    audit.record(ctx.acting_as(actor_for(principal)), "staff_language", user, before, {"language": user.language.value})
    return principal_of(user)
