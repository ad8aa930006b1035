"""Who receives a notice, and the names it mentions.

An applicant's notice goes to a chat of the person who applied (or of the recipient themselves) in which the case
was opened or resumed, the most recently active first, in that chat's language. Staff alerts go to the staff
Telegram chat, in Russian.
"""
# Law silent: the standards do not say which chat may be told about a case. The dialogue links a chat to a person
# on a typed IIN, and an IIN is printed on every identity card, so the dialogue shows a case only in a chat that
# opened or resumed it (bot.dialogue.casework). Notices follow the same rule: a chat that merely typed the IIN
# never hears about the case; with no such chat the notice fails and staff see it.

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from bot.delivery import Recipient
from bot.dialogue.casework import CASES_KEY
from bot.dialogue.render import name_in
from bot.notice_texts import STAFF_LANGUAGE
from core.db.enums import Channel, Language
from core.db.models import Case, ChatIdentity, Conversation, Organisation, Person
from core.rules.codes import Form


@dataclass(frozen=True, slots=True)
class Target:
    """Where a message goes: the recipient as the channel sees it, and the chat identity row (None: staff chat)."""

    recipient: Recipient
    identity_id: int | None = None


def identity_target(identity: ChatIdentity) -> Target:
    recipient = Recipient(
        channel=Channel(identity.channel).value,
        external_id=identity.external_id,
        language=Language(identity.language).value,
        last_inbound_at=identity.last_inbound_at,
    )
    return Target(recipient, identity.id)


def staff_target(staff_chat_id: int | None) -> Target | None:
    if staff_chat_id is None:
        return None
    return Target(Recipient(channel=Channel.TELEGRAM.value, external_id=str(staff_chat_id), language=STAFF_LANGUAGE))


def applicant_target(
    session: Session, case: Case, *, identity_id: int | None = None, channel: Channel | None = None
) -> Target | None:
    """The chat for the case's notices: the row's own chat if it names one, else the case's most active chat."""
    if identity_id is not None:
        identity = session.get(ChatIdentity, identity_id)
        return identity_target(identity) if identity is not None else None
    chats = case_chats(session, case, channel)
    return identity_target(chats[0]) if chats else None


def case_chats(session: Session, case: Case, channel: Channel | None = None) -> list[ChatIdentity]:
    """Chats of the applicant (or the recipient) that opened or resumed `case`, most recently active first."""
    people = {case.applicant_person_id, case.person_id}
    statement = (
        sa.select(ChatIdentity, Conversation.data)
        .join(Conversation, Conversation.chat_identity_id == ChatIdentity.id)
        .where(ChatIdentity.person_id.in_(people))
        .order_by(ChatIdentity.last_inbound_at.desc().nulls_last(), ChatIdentity.id.desc())
    )
    if channel is not None:
        statement = statement.where(ChatIdentity.channel == channel)
    return [identity for identity, data in session.execute(statement) if _holds_case(data, case.id)]


def _holds_case(data: object, case_id: int | None) -> bool:
    ids = data.get(CASES_KEY) if isinstance(data, dict) else None
    return isinstance(ids, list) and any(str(value) == str(case_id) for value in ids)


class CaseLookup:
    """bot.notice_texts.NoticeLookup over the database: the case, its person's name, organisation names."""

    def __init__(self, session: Session, case: Case) -> None:
        self._session = session
        self.case_id = int(case.id or 0)
        self.form: Form | None = case.form
        person = session.get(Person, case.person_id)
        self.person_name = person.full_name if person and person.full_name else ""

    def organisation_name(self, organisation_id: object, lang: str) -> str:
        if not str(organisation_id).isdigit():
            return "—"
        organisation = self._session.get(Organisation, int(str(organisation_id)))
        return name_in(lang, organisation) if organisation else "—"
