"""Onboarding and consent (Law No. 94-V), help, language, eligibility explained with the paragraph (App.1-4
p.2), rejected documents with the staff reason, questions to staff."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from bot.dialogue import CONSENT_TEXT_VERSION
from core.db.enums import Direction
from core.db.models import Consent, InboxMessage
from core.rules.codes import Actor, DocumentCode
from core.services import cases, documents
from core.services.context import ActorRef
from tests.dialogue.conftest import Chat, case_ids, make_iin, onboard, upload_everything

REVIEWER = ActorRef(Actor.DEPARTMENT)  # no staff row needed for the reviewer in these tests


def consents(runtime) -> list[tuple[bool, str, str]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(sa.select(Consent).order_by(Consent.id))
        return [(row.given, row.text_version, row.language.value) for row in rows]


def test_refusing_consent_ends_politely_and_nothing_else_works_until_start(engine, runtime, area):
    chat = Chat(engine)
    chat.send("/start")
    chat.press("English")
    refused = chat.press("I do not agree")
    assert refused.startswith("Understood. Without consent I cannot take an application")
    assert "send /start or press the button below" in refused and list(chat.options()) == ["Start again"]
    blocked = chat.send(choice="menu:apply")  # a button from somewhere else
    assert blocked.startswith("First, please answer this question: without your consent I cannot continue.")
    assert "Without your consent I cannot help here." in blocked
    assert "Without your consent I cannot help here." in chat.send("/status")
    assert "Please choose your language" in chat.press("Start again")
    chat.press("English")
    assert "Main menu" in chat.press("I agree")
    assert consents(runtime) == [(False, CONSENT_TEXT_VERSION, "en"), (True, CONSENT_TEXT_VERSION, "en")]


def test_help_before_consent_then_the_question_again(engine, area):
    chat = Chat(engine)
    chat.send("/start")
    chat.press("Русский")
    answer = chat.send("/help")
    assert answer.startswith("Qamqor помогает получить специальные социальные услуги")
    assert "Команды: /start (главное меню), /status, /language, /cancel" in answer
    assert "Вы согласны?" in answer


def test_language_switch_mid_flow_keeps_the_place(engine, area):
    chat = Chat(engine)
    onboard(chat, "English")
    chat.press("New application")
    chat.press("For myself")
    chat.send("/language")
    answer = chat.press("Русский")
    assert answer.startswith("Готово: теперь я пишу по-русски.")
    assert "Шаг 2 из 6\nПожалуйста, введите ваш ИИН (12 цифр)." in answer
    chat.send("/language")
    assert "Жарайды" not in chat.press("Қазақша")
    assert "ЖСН-іңізді теріңізші" in chat.read()


def test_status_without_an_application(engine, area):
    chat = Chat(engine)
    onboard(chat, "English")
    menu = list(chat.options())  # only what a newcomer can do: no documents or arrival date to move yet
    assert menu[:2] == ["New application", "My status"] and "Ask staff" in menu
    assert "Documents" not in menu and "I can't come on time" not in menu
    answer = chat.send("/status")
    assert "You have no applications yet." in answer and "New application" in chat.options()
    assert "You have no application yet." in chat.send(choice="menu:documents")


def reach_forms(chat: Chat, birth: date, category: str, group: str | None = None) -> str:
    onboard(chat, "English")
    chat.press("New application")
    chat.press("For myself")
    chat.send(make_iin(birth))
    chat.press("Yes")
    chat.send("Test Person")
    chat.press(category)
    if group:
        chat.press(group)
    chat.press("Almaty")
    return chat.press("Almaly")


@pytest.mark.parametrize(
    ("birth", "category", "group", "expected"),
    [
        pytest.param(
            date(2024, 6, 1),
            "musculoskeletal",
            None,
            "Residential care (a care home): this form is for children from 3 years (App.1 p.2.2)",
            id="app1-p2.2-below-3-years",
        ),
        pytest.param(
            date(2025, 8, 1),
            "psychoneurological",
            None,
            "Day care (a day-care centre): this form is for children from 1.5 years (App.2 p.2.1)",
            id="app2-p2.1-below-1.5-years",
        ),
        pytest.param(
            date(1980, 1, 1),
            "group I or II",
            "Group III",
            "Home care: this form is for people with a group I or II disability (App.3 p.2.4)",
            id="app3-p2.4-group-3",
        ),
        pytest.param(
            date(1950, 1, 1),
            "older person",
            None,
            "Temporary stay (a shelter): this form does not serve this category of people (App.4 p.2)",
            id="app4-p2-elderly",
        ),
    ],
)
def test_app1_4_p2_forms_not_available_are_explained_with_the_paragraph(engine, area, birth, category, group, expected):
    chat = Chat(engine)
    forms = reach_forms(chat, birth, category, group)
    assert expected in forms


def test_app1_3_p2_no_form_fits_offers_another_category_and_staff(engine, area):
    chat = Chat(engine)
    forms = reach_forms(chat, date(2025, 11, 1), "psychoneurological")  # 12 months old
    assert "Unfortunately, none of the forms of service fits these answers." in forms
    assert list(chat.options()) == ["Choose another category", "Ask staff", "Main menu"]
    assert "Which of these fits best?" in chat.press("Choose another category")


def test_rejected_document_shows_the_staff_reason_and_can_be_replaced(engine, runtime, area):
    chat = Chat(engine)
    iin = make_iin(date(1950, 1, 1))
    reach_forms(chat, date(1950, 1, 1), "older person")
    chat.press("Home care")
    upload_everything(chat, "Send:")
    chat.press("Send the application")
    chat.press("Yes, send it")
    case_id = case_ids(runtime, iin)[0]
    with runtime.context(REVIEWER) as ctx:
        documents.review(
            ctx, cases.get_case(ctx, case_id), DocumentCode.MEDICAL_CARD, accept=False, reason="the photo is blurred"
        )
        documents.review(ctx, cases.get_case(ctx, case_id), DocumentCode.APPLICATION, accept=True)
    listing = chat.press("Documents")
    assert "❗ medical card: not accepted: the photo is blurred" in listing
    assert "✅ application: accepted" in listing
    assert "Send the application" not in chat.options()  # already sent
    chat.press("Replace: medical card")
    replaced = chat.upload()
    assert "Thank you! Received: medical card.\nThe department will check it again." in replaced
    assert "✅ medical card: received, the department will check it" in replaced


def test_ask_staff_sends_the_question_with_the_case(engine, runtime, area):
    chat = Chat(engine)
    reach_forms(chat, date(1950, 1, 1), "older person")
    chat.press("Home care")
    chat.press("Main menu")
    question = chat.press("Ask staff")
    assert "Staff of the department will answer here, in this chat." in question
    assert "I can pass only text to staff." in chat.upload()
    sent = chat.send("When will the specialist visit us?")
    assert sent.startswith("Sent. The answer will come here, in this chat.")
    with runtime.context() as ctx:
        message = ctx.session.scalars(sa.select(InboxMessage)).one()
        assert (message.body, message.direction, message.case_id is not None) == (
            "When will the specialist visit us?",
            Direction.IN,
            True,
        )
