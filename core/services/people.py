"""People, who may act for whom, chat identities and consent. Re-applying with the same IIN finds the person."""

from __future__ import annotations

import sqlalchemy as sa

from core.db.enums import Channel, Language, Relationship, Sex
from core.db.models import Case, ChatIdentity, Consent, Person, Representation
from core.rules.codes import Category, DisabilityGroup
from core.rules.iin import parse_iin
from core.rules.lifecycle import TERMINAL_STATUSES
from core.services import audit, reminders
from core.services.context import ServiceContext
from core.services.errors import InvalidInput


def person_by_iin(ctx: ServiceContext, iin: str) -> Person | None:
    return ctx.session.scalars(sa.select(Person).where(Person.iin == iin)).first()


def register_person(
    ctx: ServiceContext,
    iin: str,
    *,
    full_name: str = "",
    category: Category | None = None,
    disability_group: DisabilityGroup | None = None,
    is_veteran: bool | None = None,
) -> Person:
    """Find the person by IIN or create them; the birth date and sex always come from the IIN itself."""
    info = parse_iin(iin, on=ctx.today)
    if not info.valid:
        raise InvalidInput("the IIN is not valid", reason="invalid_iin", reasons=tuple(info.reasons))
    normalised = "".join(iin.split())
    person = person_by_iin(ctx, normalised)
    before = audit.snapshot(person) if person else None
    if person is None:
        person = Person(iin=normalised, created_at=ctx.now)
    person.birth_date = info.birth_date
    person.sex = Sex(info.sex.value) if info.sex else None
    if full_name:
        person.full_name = full_name.strip()[:255]
    if category is not None:
        person.category = category
    if disability_group is not None:
        person.disability_group = disability_group
    if is_veteran is not None:
        person.is_veteran = is_veteran
    person.updated_at = ctx.now
    ctx.session.add(person)
    audit.record(ctx, "register_person" if before is None else "update_person", person, before)
    return person


def chat_identity(
    ctx: ServiceContext,
    channel: Channel,
    external_id: str,
    *,
    language: Language | None = None,
    display_name: str | None = None,
) -> ChatIdentity:
    """The identity of a chat (created on first contact); records the time of the last inbound message."""
    identity = ctx.session.scalars(
        sa.select(ChatIdentity).where(ChatIdentity.channel == channel, ChatIdentity.external_id == external_id)
    ).first()
    if identity is None:
        identity = ChatIdentity(
            channel=channel,
            external_id=external_id,
            language=language or Language.KK,
            display_name=(display_name or "")[:255] or None,
            created_at=ctx.now,
        )
        ctx.session.add(identity)
    identity.last_inbound_at = ctx.now
    ctx.session.flush()
    return identity


def link_person(ctx: ServiceContext, identity: ChatIdentity, person: Person) -> None:
    if identity.person_id != person.id:
        before = audit.snapshot(identity)
        identity.person_id = person.id
        audit.record(ctx, "link_chat", identity, before)


def record_consent(
    ctx: ServiceContext, identity: ChatIdentity, *, given: bool, text_version: str, language: Language
) -> Consent:
    """Consent to collect and process personal data (Law No. 94-V), with the version of the text shown."""
    consent = Consent(
        chat_identity_id=identity.id,
        person_id=identity.person_id,
        text_version=text_version,
        language=language,
        given=given,
        at=ctx.now,
    )
    ctx.session.add(consent)
    audit.record(ctx, "consent_given" if given else "consent_refused", consent, None)
    return consent


def represent(
    ctx: ServiceContext,
    representative: Person,
    represented: Person,
    relationship: Relationship,
    proof_document_id: int | None = None,
) -> Representation:
    """Record that `representative` acts for `represented` (App.1-3 p.5: the legal representative applies)."""
    if representative.id == represented.id:
        raise InvalidInput("a person cannot represent themselves", reason="self_representation")
    existing = ctx.session.scalars(
        sa.select(Representation).where(
            Representation.representative_id == representative.id, Representation.represented_id == represented.id
        )
    ).first()
    if existing is not None:
        existing.relationship = relationship
        existing.proof_document_id = proof_document_id or existing.proof_document_id
        return existing
    link = Representation(
        representative_id=representative.id,
        represented_id=represented.id,
        relationship=relationship,
        proof_document_id=proof_document_id,
        created_at=ctx.now,
    )
    ctx.session.add(link)
    audit.record(ctx, "add_representation", link, None)
    return link


def renew_ipr(ctx: ServiceContext, person: Person, expires_on: object) -> None:
    """IPR re-certified while waiting: the new expiry is recorded and every queue place is kept (App.1 p.7,
    App.3 p.8): the queue entries are not touched, so their original joining time still orders them."""
    before = audit.snapshot(person)
    person.ipr_expires_on = expires_on  # type: ignore[assignment]
    person.updated_at = ctx.now
    audit.record(ctx, "renew_ipr", person, before)
    _replan_cases_of(ctx, person)


def _replan_cases_of(ctx: ServiceContext, person: Person) -> None:
    """The IPR expiry reminders of every open case of this person follow the new date at once."""
    open_cases = ctx.session.scalars(
        sa.select(Case).where(Case.person_id == person.id, Case.status.not_in(tuple(TERMINAL_STATUSES)))
    )
    for case in open_cases:
        reminders.replan(ctx, case)
