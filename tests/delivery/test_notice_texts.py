"""What the person reads for every notice kind, in Kazakh, Russian and English, and where its buttons lead: each
button is a dialogue menu id, and pressing it in the real dialogue opens the matching flow."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from bot.dialogue import CONSENT_TEXT_VERSION, DialogueEngine
from bot.dialogue.commands import KNOWN
from bot.dialogue.flows.menu import TARGETS
from bot.i18n import LANGUAGES, translations
from bot.messages import Choice, IncomingMessage, Text
from bot.notice_texts import (
    APPLICANT_NOTICES,
    STAFF_NOTICES,
    NoticeError,
    PlainLookup,
    UnknownNotice,
    render,
    render_staff_answer,
)
from core.db.enums import Language
from core.db.models import ChatIdentity, Conversation
from core.rules.codes import Category, Form
from core.services import cases, decisions, people, placement
from qamqor.runtime import Runtime
from tests.delivery.conftest import applicant
from tests.services.conftest import APPLICANT, DEPARTMENT, add_organisation

LOOKUP = PlainLookup(case_id=42, form=Form.STATIONARY, person_name="Айгерим", organisations={7: "Мейірім"})
PAYLOADS: dict[str, dict[str, object]] = {
    "submitted": {},
    "refused": {"reason": "Документы неполные"},
    "approved": {"reason": "Решение акимата № 12"},
    "choose_organisation": {"choose_due_on": "2026-12-07"},
    "queued": {"position": 4},
    "offer": {"organisation_id": 7, "arrival_due_on": "2026-12-25"},
    "offer_lapsed": {"arrival_due_on": "2026-12-25"},
    "postponed": {"arrival_due_on": "2027-01-20"},
    "postponement_declined": {"arrival_due_on": "2026-12-25", "reason": "Справка не подписана врачом"},
    "services_ended": {"ground": "own_application"},
    "choose_reminder": {"deadline": "2026-12-07", "working_days_left": 2},
    "arrival_reminder": {"deadline": "2026-12-25", "working_days_left": 0, "organisation_id": 7},
    "postponement_ending": {"deadline": "2027-01-20", "organisation_id": 7},
    "medical_recheck": {"queued_on": "2026-12-04"},
    "ipr_expiring": {"expires_on": "2027-02-01"},
    "still_need_place": {"queued_on": "2026-09-01", "months": 3},
    "document_rejected": {"document_code": "medical_card", "reason": "Фото нечёткое"},
    "staff_step_due": {"step": "notify_recipient", "deadline": "2026-11-25"},
    "staff_step_overdue": {"step": "decision", "deadline": "2026-11-20"},
    "delivery_failed": {"kind": "queued", "error": "unreachable: the bot cannot write to this chat"},
}
DATES = {"2026-12-07": "07.12.2026", "2026-12-25": "25.12.2026", "2027-01-20": "20.01.2027"}


def test_every_kind_has_a_payload_here():
    assert set(PAYLOADS) == set(APPLICANT_NOTICES) | set(STAFF_NOTICES)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_each_notice_is_one_translated_reply_with_dialogue_buttons_and_local_dates(kind: str, lang: str):
    [reply] = render(kind, PAYLOADS[kind], lang, LOOKUP)

    text = reply.text
    english = render(kind, PAYLOADS[kind], "en", LOOKUP)[0].text
    assert text.strip() and "{" not in text
    if lang != "en":
        assert text != english  # really translated, not the English fallback
    for iso, shown in DATES.items():
        if iso in PAYLOADS[kind].values():  # dates as people write them (offer_lapsed names none: it has passed)
            assert (shown in text or kind == "offer_lapsed") and iso not in text
    if kind in STAFF_NOTICES:
        assert isinstance(reply, Text) and "42" in text  # the case number; no name in a group chat
        assert "Айгерим" not in text
        return
    assert isinstance(reply, Choice) and text.startswith(render("submitted", {}, lang, LOOKUP)[0].text.split("\n")[0])
    for option in reply.options:
        target = option.id.split(":", 1)
        assert (target[0] == "menu" and target[1] in TARGETS) or (target[0] == "cmd" and target[1] in KNOWN)
        assert option.label and (lang == "en" or translations(lang).gettext(option.label) == option.label)


def test_reminders_count_working_days_with_russian_plurals():
    def left(n: int) -> str:
        payload = {"deadline": "2026-12-07", "working_days_left": n}
        return render("choose_reminder", payload, "ru", PlainLookup())[0].text

    assert "Остался 1 рабочий день" in left(1)
    assert "Осталось 2 рабочих дня" in left(2)
    assert "последний день" in left(0)


def test_a_death_is_told_with_condolences_not_as_a_ground():
    [reply] = render("services_ended", {"ground": "death"}, "ru", LOOKUP)
    condolences = "Примите наши соболезнования. Оказание специальных социальных услуг по этому заявлению завершено."
    assert reply.text.endswith(condolences)


def test_every_rejected_document_of_the_day_is_listed():
    payload = {
        "document_code": "medical_card",
        "reason": "Фото нечёткое",
        "documents": [
            {"document_code": "identity_document", "reason": "Нет второй страницы"},
            {"document_code": "medical_card", "reason": "Фото нечёткое"},
        ],
    }
    [reply] = render("document_rejected", payload, "ru", LOOKUP)
    assert "«документ, удостоверяющий личность»" in reply.text and "Нет второй страницы" in reply.text
    assert "«медицинская карта»" in reply.text and reply.options[0].id == "menu:documents"


def test_an_unknown_kind_or_a_broken_payload_raises_a_clear_error():
    with pytest.raises(UnknownNotice, match="'horoscope'"):
        render("horoscope", {}, "ru", LOOKUP)
    with pytest.raises(NoticeError, match="choose_reminder: 'deadline' is not an ISO date"):
        render("choose_reminder", {"deadline": "soon", "working_days_left": 1}, "ru", LOOKUP)
    with pytest.raises(NoticeError, match="'position' is not a whole number"):
        render("queued", {}, "kk", LOOKUP)


def test_a_staff_answer_keeps_the_words_as_written():
    [reply] = render_staff_answer("Приходите в среду, 10:00.\n<b>не разметка</b>", "kk")
    assert reply.text == "Қызметкердің жауабы:\n\nПриходите в среду, 10:00.\n<b>не разметка</b>"


# --- the buttons in the real dialogue ----------------------------------------------------------------------------


def consenting_chat(runtime: Runtime, identity_id: int) -> None:
    """A chat that consented and talked before: it rests at the main menu when the notice arrives."""
    with runtime.context() as ctx:
        identity = ctx.session.get(ChatIdentity, identity_id)
        people.record_consent(ctx, identity, given=True, text_version=CONSENT_TEXT_VERSION, language=Language.RU)
        conversation = ctx.session.scalars(
            sa.select(Conversation).where(Conversation.chat_identity_id == identity_id)
        ).one()
        conversation.flow, conversation.step = "menu", "main"


def where_is(runtime: Runtime, identity_id: int) -> tuple[str | None, str | None]:
    with runtime.context() as ctx:
        conversation = ctx.session.scalars(
            sa.select(Conversation).where(Conversation.chat_identity_id == identity_id)
        ).one()
        return conversation.flow, conversation.step


async def test_pressing_a_reminders_buttons_opens_the_choice_of_an_organisation_and_the_menu(runtime: Runtime, places):
    add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1)
    person = applicant(runtime, places, chat=9901)
    consenting_chat(runtime, person.identity_id)
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, person.case_id)
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="D-9", decided_on=date(2026, 11, 23))
        decisions.notify_recipient(ctx, case)
    [reminder] = render("choose_reminder", PAYLOADS["choose_reminder"], "ru", LOOKUP)
    engine = DialogueEngine(runtime)

    opens = {"menu:choose": ("choose", "list"), "cmd:menu": ("menu", "main")}
    for option in reminder.options:
        await engine.handle(IncomingMessage("telegram", person.chat, choice=option.id))
        assert where_is(runtime, person.identity_id) == opens[option.id]


async def test_pressing_i_cant_come_on_an_offer_opens_the_postponement(runtime: Runtime, places):
    home = add_organisation(runtime, places, Form.STATIONARY, [Category.ELDERLY], free_places=1)
    person = applicant(runtime, places, chat=9902)
    consenting_chat(runtime, person.identity_id)
    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, person.case_id)
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="D-10", decided_on=date(2026, 11, 23))
        decisions.notify_recipient(ctx, case)
    with runtime.context(APPLICANT) as ctx:
        placement.choose_organisation(ctx, cases.get_case(ctx, person.case_id), home)
    [offer] = render("offer", PAYLOADS["offer"], "ru", LOOKUP)
    assert [option.id for option in offer.options] == ["menu:status", "menu:late", "cmd:menu"]

    replies = await DialogueEngine(runtime).handle(IncomingMessage("telegram", person.chat, choice="menu:late"))

    assert where_is(runtime, person.identity_id) == ("postpone", "reason")
    assert replies and isinstance(replies[-1], Choice)
