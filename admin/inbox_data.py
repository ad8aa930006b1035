"""The inbox's reads: questions from applicants with their case, and one chat's thread, always through
admin/scope.py's `inbox_clause` (a question tied to no case is for admins only: no office can be inferred for it
without guessing, and a guess would show a person's words to the wrong office)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from admin import scope
from admin.actions_workspace import shown_time
from admin.i18n import _
from admin.principal import Principal
from admin.vocabulary import label
from bot.i18n import LANGUAGE_NAMES
from core.db.enums import Direction
from core.db.models import Case, ChatIdentity, InboxMessage, Person, StaffUser
from core.rules.iin import mask_iin
from core.services.context import ServiceContext
from core.services.errors import NotFound

LIST_ROWS = 100
THREAD_ROWS = 200
PREVIEW_CHARS = 160


@dataclass
class QuestionRow:
    id: int
    at: str
    who: str
    channel: str
    case_id: int | None
    case_status: str
    preview: str
    awaiting: bool


@dataclass
class MessageRow:
    id: int
    at: str
    incoming: bool
    body: str
    staff: str
    delivery: str


@dataclass
class Thread:
    question_id: int
    who: str
    channel: str
    language: str
    case_id: int | None
    case_facts: list[tuple[str, str]] = field(default_factory=list)
    messages: list[MessageRow] = field(default_factory=list)


def _answered_later() -> sa.ColumnElement[bool]:
    """A staff answer went to the same chat after the question."""
    answer = aliased(InboxMessage)
    return (
        sa.select(answer.id)
        .where(
            answer.chat_identity_id == InboxMessage.chat_identity_id,
            answer.direction == Direction.OUT,
            answer.at >= InboxMessage.at,
        )
        .exists()
    )


def _who(ctx: ServiceContext, identity: ChatIdentity | None) -> str:
    if identity is None:
        return ""
    person = ctx.session.get(Person, identity.person_id) if identity.person_id else None
    if person is not None:
        return f"{person.full_name} ({mask_iin(person.iin)})" if person.iin else person.full_name
    return identity.display_name or _("Not yet identified")


def questions(ctx: ServiceContext, principal: Principal, *, only_awaiting: bool) -> list[QuestionRow]:
    """Questions from applicants the principal may see, newest first."""
    awaiting = sa.and_(InboxMessage.read_at.is_(None), sa.not_(_answered_later()))
    statement = sa.select(InboxMessage, awaiting.label("awaiting")).where(
        InboxMessage.direction == Direction.IN, scope.inbox_clause(principal)
    )
    if only_awaiting:
        statement = statement.where(awaiting)
    rows = []
    for message, is_awaiting in ctx.session.execute(statement.order_by(InboxMessage.id.desc()).limit(LIST_ROWS)):
        identity = ctx.session.get(ChatIdentity, message.chat_identity_id)
        case = ctx.session.get(Case, message.case_id) if message.case_id else None
        rows.append(
            QuestionRow(
                id=int(message.id or 0),
                at=shown_time(message.at),
                who=_who(ctx, identity),
                channel=label(identity.channel) if identity else "",
                case_id=message.case_id,
                case_status=label(case.status) if case else _("No case: for administrators"),
                preview=message.body[:PREVIEW_CHARS],
                awaiting=bool(is_awaiting),
            )
        )
    return rows


def question(ctx: ServiceContext, principal: Principal, message_id: object) -> InboxMessage:
    """A question the principal may see (NotFound for anything else, a staff answer included)."""
    message = scope.require(ctx.session, principal, InboxMessage, message_id)
    if message.direction != Direction.IN:
        raise NotFound("not a question", message_id=message_id)
    return message


def _delivery(message: InboxMessage) -> str:
    if message.direction == Direction.IN:
        return ""
    if message.delivery_error:
        return _("Not delivered: {error}", error=message.delivery_error)
    if message.delivered_at:
        return _("Delivered {at}", at=shown_time(message.delivered_at))
    return _("Waiting to be sent")


def _case_facts(ctx: ServiceContext, case: Case) -> list[tuple[str, str]]:
    person = ctx.session.get(Person, case.person_id)
    name = person.full_name if person else ""
    if person is not None and person.iin:
        name = f"{name} ({mask_iin(person.iin)})"
    return [
        (_("Status"), label(case.status)),
        (_("Recipient"), name),
        (_("Form of service"), label(case.form)),
        (_("Category"), label(case.category)),
    ]


def thread(ctx: ServiceContext, principal: Principal, message_id: object) -> Thread:
    """The question's chat: every message of it the principal may see, oldest first, and the case beside it."""
    asked = question(ctx, principal, message_id)
    identity = ctx.session.get(ChatIdentity, asked.chat_identity_id)
    statement = (
        sa.select(InboxMessage)
        .where(InboxMessage.chat_identity_id == asked.chat_identity_id, scope.inbox_clause(principal))
        .order_by(InboxMessage.at, InboxMessage.id)
        .limit(THREAD_ROWS)
    )
    messages = list(ctx.session.scalars(statement))
    staff_ids = {row.staff_user_id for row in messages if row.staff_user_id}
    statement = sa.select(StaffUser.id, StaffUser.login).where(StaffUser.id.in_(staff_ids))
    logins = {int(row[0]): str(row[1]) for row in ctx.session.execute(statement)}
    case = ctx.session.get(Case, asked.case_id) if asked.case_id else None
    language = identity.language.value if identity else ""
    return Thread(
        question_id=int(asked.id or 0),
        who=_who(ctx, identity),
        channel=label(identity.channel) if identity else "",
        language=LANGUAGE_NAMES.get(language, language),
        case_id=asked.case_id,
        case_facts=_case_facts(ctx, case) if case else [],
        messages=[
            MessageRow(
                id=int(row.id or 0),
                at=shown_time(row.at),
                incoming=row.direction == Direction.IN,
                body=row.body,
                staff=logins.get(row.staff_user_id, "") if row.staff_user_id else "",
                delivery=_delivery(row),
            )
            for row in messages
        ],
    )
