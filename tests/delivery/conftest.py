"""Delivery over a migrated database (SQLite and PostgreSQL), the fake Bot API on loopback, and time the test moves.

Two clocks: the runtime's Clock (business time: what is due, quiet hours, backoff) and FakeTime for the rate
limiter (monotonic seconds; its sleep advances it instead of sleeping), so no test ever really waits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiogram import Bot

from bot.telegram import TelegramSender, make_bot
from core.db.enums import Channel, Language, OutboxStatus
from core.db.models import ChatIdentity, Conversation, InboxMessage, Outbox, Person
from core.rules.codes import Category, DocumentCode, Form
from core.services import cases, documents, people
from qamqor.delivery import Channels, DeliveryWorker, build_channels
from qamqor.runtime import Runtime
from qamqor.settings import DeliverySettings, Settings, TelegramSettings
from tests.fakes import TOKEN, FakeTelegram
from tests.services import conftest as services
from tests.services.conftest import APPLICANT, PDF, Clock, make_iin

STAFF_CHAT = -100500  # a Telegram group: negative id
places = services.places  # a fixture: Almaty, a district, a department and its staff
UPLOADS = [
    DocumentCode.APPLICATION,
    DocumentCode.IDENTITY_DOCUMENT,
    DocumentCode.MEDICAL_CARD,
    DocumentCode.OUTPATIENT_EXTRACT,
]


class FakeTime:
    """The rate limiter's clock: `sleep` moves it forward and remembers how long it was asked to wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def fake_telegram_server() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_telegram(fake_telegram_server: FakeTelegram) -> FakeTelegram:
    fake_telegram_server.reset()
    return fake_telegram_server


@pytest.fixture
def clock() -> Clock:
    return Clock(date(2026, 11, 23))  # Monday, 10:00 in Almaty


@pytest.fixture
def settings(migrated_url: str, tmp_path: Path, fake_telegram: FakeTelegram) -> Settings:
    telegram = TelegramSettings(token=TOKEN, api_base_url=fake_telegram.url, staff_chat_id=STAFF_CHAT)
    return Settings(
        environment="test",
        data_dir=tmp_path / "data",
        database_url=migrated_url,
        telegram=telegram,
        delivery=DeliverySettings(max_attempts=3),
    )


@pytest.fixture
def runtime(settings: Settings, clock: Clock) -> Iterator[Runtime]:
    rt = Runtime(settings, clock=clock)
    yield rt
    rt.dispose()


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Bot]:
    telegram_bot = make_bot(settings)
    yield telegram_bot
    await telegram_bot.session.close()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def channels(settings: Settings, bot: Bot, fake_time: FakeTime) -> Channels:
    return build_channels(settings, telegram=TelegramSender(bot), monotonic=fake_time.monotonic, sleep=fake_time.sleep)


@pytest.fixture
def worker(runtime: Runtime, channels: Channels) -> DeliveryWorker:
    return DeliveryWorker(runtime, channels)


# --- people and their chats ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    case_id: int
    person_id: int
    identity_id: int
    chat: str  # the external id (a Telegram chat id as text, or the web chat's cookie)


def open_application(
    runtime: Runtime,
    places: services.Places,
    *,
    serial: int = 1,
    name: str = "Айгерим Сапарова",
    form: Form = Form.STATIONARY,
    category: Category = Category.ELDERLY,
) -> tuple[int, int]:
    """A draft case with its documents uploaded, for a person of pension age; (case id, person id)."""
    with runtime.context(APPLICANT) as ctx:
        person = people.register_person(ctx, make_iin(date(1940, 3, 2), serial=serial), full_name=name)
        case = cases.open_case(ctx, person, person, form, category, department_id=places.department_id)
        for code in UPLOADS:
            documents.attach(ctx, case, code, f"{code}.pdf", PDF)
        return int(case.id), int(person.id)


def chat_of(
    runtime: Runtime,
    person_id: int,
    case_ids: list[int],
    *,
    chat: str,
    channel: Channel = Channel.TELEGRAM,
    language: Language = Language.RU,
) -> int:
    """The person's chat, which opened `case_ids` (as the dialogue records it); returns the identity id."""
    with runtime.context() as ctx:
        identity = people.chat_identity(ctx, channel, chat, language=language)
        identity.language = language
        person = ctx.session.get(Person, person_id)
        assert person is not None
        people.link_person(ctx, identity, person)
        ctx.session.add(Conversation(chat_identity_id=identity.id, data={"cases": case_ids}, updated_at=ctx.now))
        return int(identity.id)


def applicant(
    runtime: Runtime, places: services.Places, *, chat: int | str, serial: int = 1, language: Language = Language.RU
) -> Applicant:
    case_id, person_id = open_application(runtime, places, serial=serial)
    identity_id = chat_of(runtime, person_id, [case_id], chat=str(chat), language=language)
    return Applicant(case_id, person_id, identity_id, str(chat))


def outbox_rows(runtime: Runtime, case_id: int | None = None) -> list[Outbox]:
    with runtime.context() as ctx:
        statement = sa.select(Outbox).order_by(Outbox.id)
        if case_id is not None:
            statement = statement.where(Outbox.case_id == case_id)
        return list(ctx.session.scalars(statement))


def row_of(runtime: Runtime, row_id: int) -> Outbox:
    with runtime.context() as ctx:
        row = ctx.session.get(Outbox, row_id)
        assert row is not None
        return row


def statuses(runtime: Runtime, kinds: tuple[str, ...] | None = None) -> dict[str, OutboxStatus]:
    return {
        f"{row.case_id}:{row.kind}": OutboxStatus(row.status)
        for row in outbox_rows(runtime)
        if kinds is None or row.kind in kinds
    }


def answer_of(runtime: Runtime, message_id: int) -> InboxMessage:
    with runtime.context() as ctx:
        message = ctx.session.get(InboxMessage, message_id)
        assert message is not None
        return message


def identity_of(runtime: Runtime, identity_id: int) -> ChatIdentity:
    with runtime.context() as ctx:
        identity = ctx.session.get(ChatIdentity, identity_id)
        assert identity is not None
        return identity
