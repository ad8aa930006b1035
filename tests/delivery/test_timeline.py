"""A whole residential-care case (App.1 p.6-7) lived day by day on the Kazakhstan calendar: every morning the
planning sweep runs and the worker delivers what is due, and the family's Telegram chat receives each notice and
reminder once, in order, in Russian, with the dates the rules give. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from bot.i18n import gettext, ngettext, translations
from bot.notice_texts import (
    APPROVED,
    CHOOSE_ORGANISATION,
    OFFER_ARRIVE,
    SUBMITTED,
)
from core.db.enums import OutboxStatus
from core.rules.codes import Category, Form
from core.services import cases, decisions, placement, reminders, residency
from qamqor.delivery import DeliveryWorker
from qamqor.runtime import Runtime
from tests.delivery.conftest import STAFF_CHAT, applicant, outbox_rows
from tests.fakes import FakeTelegram
from tests.services.conftest import APPLICANT, DEPARTMENT, ORGANISATION, Clock, add_organisation

CHAT = 7_700_001
START = date(2026, 11, 23)  # Monday


def ru(msgid: str, **values: object) -> str:
    """The Russian text of `msgid`; fails if the catalogue has no Russian translation."""
    assert translations("ru").gettext(msgid) != msgid, f"no Russian translation of {msgid!r}"
    return gettext("ru", msgid, **values)


def choose_left(due: str, n: int) -> str:
    return ngettext(
        "ru",
        "Reminder: please choose an organisation by {due}. {n} working day left.",
        "Reminder: please choose an organisation by {due}. {n} working days left.",
        n,
        due=due,
    )


def arrive_left(due: str, n: int) -> str:
    return ngettext(
        "ru",
        "Reminder: please arrive at {organisation} by {due}. {n} working day left.",
        "Reminder: please arrive at {organisation} by {due}. {n} working days left.",
        n,
        due=due,
        organisation="Дом-интернат «Мейірім»",
    )


async def morning(runtime: Runtime, worker: DeliveryWorker) -> None:
    """What the scheduler does each day: the planning sweep, then delivery of everything due."""
    with runtime.context() as ctx:
        reminders.sweep(ctx)
    await worker.deliver_outbox()


def staff_day(runtime: Runtime, clock: Clock, day: date, case_id: int, home: int) -> None:
    """What staff and the family do on the days something happens in this story."""
    if day == START:
        with runtime.context(DEPARTMENT) as ctx:
            case = cases.get_case(ctx, case_id)
            decisions.submit(ctx, case)
            decisions.decide(ctx, case, positive=True, number="D-1", decided_on=day)
            decisions.notify_recipient(ctx, case)  # App.1 p.7: choose within 10 working days -> 07.12.2026
    elif day == date(2026, 12, 4):  # the family chooses in the chat, after two reminders; no free place: the queue
        with runtime.context(APPLICANT) as ctx:
            placement.choose_organisation(ctx, cases.get_case(ctx, case_id), home)
    elif day == date(2026, 12, 10):  # a place frees: 10 working days to arrive (App.1 p.7), skipping 16 Dec
        with runtime.context(ORGANISATION) as ctx:
            placement.free_places(ctx, home)
    elif day == date(2026, 12, 25):  # arrives on the last day
        with runtime.context(ORGANISATION) as ctx:
            residency.admit(ctx, cases.get_case(ctx, case_id))


async def test_app1_case_timeline_sends_each_notice_once_in_order_in_russian(
    runtime: Runtime, places, clock: Clock, worker: DeliveryWorker, fake_telegram: FakeTelegram
):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], name="Дом-интернат «Мейірім»")
    person = applicant(runtime, places, chat=CHAT)
    seen_by_day: dict[date, list[str]] = {}
    day = START
    while day <= date(2026, 12, 31):
        clock.advance_to(day)
        before = len(fake_telegram.texts_to(CHAT))
        await morning(runtime, worker)
        staff_day(runtime, clock, day, person.case_id, home)
        await worker.deliver_outbox()
        seen_by_day[day] = fake_telegram.texts_to(CHAT)[before:]
        day += timedelta(days=1)

    heading = ru("Application for {name}: {form}.", name="Айгерим Сапарова", form=ru("residential care (a care home)"))
    expected = {
        START: [ru(SUBMITTED), ru(APPROVED), ru(CHOOSE_ORGANISATION, due="07.12.2026")],
        date(2026, 12, 3): [choose_left("07.12.2026", 2)],  # two working days before
        # The dialogue told them their place in the queue as they chose: no notice repeats it.
        date(2026, 12, 4): [choose_left("07.12.2026", 1)],
        date(2026, 12, 10): [ru(OFFER_ARRIVE, organisation="Дом-интернат «Мейірім»", due="25.12.2026")],
        date(2026, 12, 23): [arrive_left("25.12.2026", 2)],
        date(2026, 12, 24): [arrive_left("25.12.2026", 1)],
        date(2026, 12, 25): [
            ru(
                "Today, {due}, is the last day to arrive at {organisation}. If you do not come, "
                "the place passes to the next person in the queue.",
                due="25.12.2026",
                organisation="Дом-интернат «Мейірім»",
            )
        ],
    }
    got = {day: texts for day, texts in seen_by_day.items() if texts}
    assert sorted(got) == sorted(expected), {day: len(texts) for day, texts in got.items()}
    for day, texts in expected.items():
        assert len(got[day]) == len(texts), (day, got[day])
        for message, fragment in zip(got[day], texts, strict=True):
            assert message.startswith(heading) and fragment in message, (day, message)
    # The choice made on 4 December cancelled the last-day choice reminder: it never went out.
    rows = {
        (row.kind, row.payload.get("working_days_left")): row.status for row in outbox_rows(runtime, person.case_id)
    }
    assert rows[("choose_reminder", 0)] == OutboxStatus.CANCELLED
    # Staff alerts went to the staff chat, in Russian, never to the family.
    staff = fake_telegram.texts_to(STAFF_CHAT)
    assert staff and all(text.startswith(f"Дело № {person.case_id}:") for text in staff)
    assert not any("Дело №" in text for text in fake_telegram.texts_to(CHAT))
