"""WhatsApp end to end: signed notifications posted to the webhook of `create_app`, pywa answering through the fake
Graph API, the real dialogue over SQLite. The same residential-care application (App.1) as on Telegram, in
Russian: from the first "hello" through consent, the IIN, a photo and PDFs for the checklist, submission, the
decision, the queue, the offer of a freed place and the arrival moved once for illness; and in Kazakh up to the
queue. Options arrive as reply buttons, lists or numbered text, whichever WhatsApp can show."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from datetime import date

import pytest

from bot.dialogue import texts
from bot.dialogue.flows import apply_person, choose, documents, onboarding, postpone, status
from bot.vocabulary import POSTPONEMENT_REFUSALS
from bot.whatsapp import texts as wa_texts
from core.db.enums import PostponementStatus
from core.rules.codes import Category, DocumentCode, Form, Status
from core.services import placement
from qamqor.app import create_app
from qamqor.runtime import Runtime
from qamqor.settings import Settings
from tests.dialogue.conftest import JPEG, case_ids, decide_and_notify, queue_someone
from tests.e2e.conftest import said
from tests.e2e.test_telegram_journey import RU_DEPARTMENT, RU_UPLOADS, case_state, pdf, postponements, stored_documents
from tests.fakes.graph_api import FakeGraphApi
from tests.services.conftest import ORGANISATION, add_organisation, make_iin
from tests.whatsapp import chat as wa_chat
from tests.whatsapp.chat import WhatsAppChat, WhatsAppWebhookApp, serve_whatsapp, whatsapp_settings

# The fake Graph API's fixtures: one server for the session, a clean slate for each test.
fake_graph_server = wa_chat.fake_graph_server
fake_graph = wa_chat.fake_graph

PHOTOGRAPHED = DocumentCode.IDENTITY_DOCUMENT  # the identity card goes as a photo, the rest as PDFs


@pytest.fixture
def wa_settings(e2e_settings: Settings, fake_graph: FakeGraphApi) -> Settings:
    return e2e_settings.model_copy(update={"whatsapp": whatsapp_settings(fake_graph)})


@pytest.fixture
def whatsapp(wa_settings: Settings, runtime: Runtime, fake_graph: FakeGraphApi) -> Iterator[WhatsAppWebhookApp]:
    with serve_whatsapp(create_app(wa_settings, runtime=runtime), fake_graph) as served:
        yield served


@pytest.fixture(autouse=True)
def print_whatsapp_transcripts() -> Iterator[None]:
    """QAMQOR_PRINT_TRANSCRIPTS=1 pytest -s tests/e2e prints every WhatsApp chat as the person saw it."""
    WhatsAppChat.opened.clear()
    yield
    if os.environ.get("QAMQOR_PRINT_TRANSCRIPTS"):
        for chat in WhatsAppChat.opened:
            print(f"\n===== whatsapp:{chat.wa_id} =====\n" + "\n".join(chat.transcript))
    WhatsAppChat.opened.clear()


def onboard_in_russian(chat: WhatsAppChat) -> None:
    first = chat.send("Здравствуйте")  # no /start on WhatsApp: any first message opens the conversation
    assert first == onboarding.LANGUAGE_QUESTION  # before a language is chosen: all three at once
    assert chat.options() == ["Қазақша", "Русский", "English"]
    assert chat.messages()[-1].buttons  # three short options: reply buttons
    consent = chat.press("Русский")
    assert said("ru", onboarding.CONSENT) in consent
    assert "№ 94-V «О персональных данных и их защите»" in consent
    assert chat.options() == ["Даю согласие", "Не даю согласия"]
    menu = chat.press("Даю согласие")
    assert menu == f"{said('ru', onboarding.THANKS)}\n{said('ru', texts.MENU_TITLE)}"
    assert chat.options()[:2] == ["Новое заявление", "Мой статус"]
    assert chat.messages()[-1].list_button == "Выбрать вариант"  # seven options: a list


def apply_in_russian(chat: WhatsAppChat, iin: str) -> None:
    """From the main menu to the submitted application: for myself, an older woman, Almaly, residential care."""
    assert "Шаг 1 из 6\nДля кого это заявление?" in chat.press("Новое заявление")
    assert said("ru", apply_person.IIN_SELF) in chat.press("Для себя")
    assert said("ru", apply_person.CONFIRM, birth="09.05.1941", sex="женский") in chat.send(iin)
    assert said("ru", apply_person.NAME_SELF) in chat.press("Да")
    categories = chat.send("Абенова Айгуль Сериковна")
    # One category's name is longer than a list row can show: the options come as numbered text.
    assert "Шаг 4 из 6" in categories and "\n1. Пожилой человек, не способный к самообслуживанию\n" in categories
    assert categories.endswith(said("ru", wa_texts.REPLY_WITH_NUMBER))
    assert "Шаг 5 из 6" in chat.send("1")  # the person types the number of their choice
    assert chat.options() == ["город Алматы", "Назад"]
    chat.press("город Алматы")
    forms = chat.press("Алмалинский район")
    assert "Шаг 6 из 6\nПодходят такие формы услуг. Выберите одну:" in forms
    assert "В условиях стационара…" in [title for _, title, _ in chat.messages()[-1].rows]  # shortened, whole below
    checklist = chat.press("В условиях стационара (дом-интернат)")
    assert "Заявление создано: в условиях стационара (дом-интернат). Пока это черновик." in checklist
    assert "Документы: 0 из 4." in checklist

    for done, (code, name) in enumerate(RU_UPLOADS.items(), start=1):
        request = chat.press(f"Отправить: {name}")
        assert f"Пожалуйста, отправьте фото или PDF: {name}.\nJPEG, PNG или PDF, до 10 МБ." in request
        received = chat.send_photo(JPEG) if code == PHOTOGRAPHED else chat.send_document(f"{code.value}.pdf", pdf(code))
        assert said("ru", documents.RECEIVED, document=name) in received
        assert said("ru", documents.PROGRESS, done=done, total=4) in received
    assert said("ru", documents.COMPLETE) in received
    assert chat.options()[0] == "Отправить заявление"

    assert f"Получатель: {RU_DEPARTMENT}." in chat.press("Отправить заявление")
    sent = chat.press("Да, отправить")
    assert said("ru", documents.SUBMITTED, department=RU_DEPARTMENT) in sent


def test_app1_stationary_journey_on_whatsapp_in_russian_from_hello_to_queue_offer_and_postponement(
    whatsapp: WhatsAppWebhookApp, fake_graph: FakeGraphApi, runtime: Runtime, area, clock
):
    home = add_organisation(runtime, area, Form.STATIONARY, [Category.ELDERLY], name="Дом-интернат Мейірім")
    chat = whatsapp.chat("77015550001", name="Айгуль")
    onboard_in_russian(chat)
    iin = make_iin(date(1941, 5, 9), female=True)
    apply_in_russian(chat, iin)
    case_id = case_ids(runtime, iin)[0]
    assert case_state(runtime, case_id)[0] == Status.SUBMITTED
    # Every file went WhatsApp -> media URL -> download (with the token) -> the right checklist item, byte for byte.
    stored = stored_documents(runtime, case_id)
    assert {code: digest for code, (_, digest) in stored.items()} == {
        code: hashlib.sha256(JPEG if code == PHOTOGRAPHED else pdf(code)).hexdigest() for code in RU_UPLOADS
    }
    assert stored[DocumentCode.MEDICAL_CARD][0] == "medical_card.pdf"
    assert str(stored[PHOTOGRAPHED][0]).startswith("photo_") and len(fake_graph.downloads) == 4

    # Staff: positive decision and notification on Mon 23.11.2026 -> choose within 10 working days (App.1 p.7).
    assert decide_and_notify(runtime, case_id, date(2026, 11, 23)) == date(2026, 12, 7)
    assert said("ru", status.NEXT_CHOOSE, due="07.12.2026") in chat.send("статус")
    listing = chat.press("Выбрать организацию")
    assert "Пожалуйста, выберите организацию до 07.12.2026 (прил. 1, п. 7)." in listing
    assert said("ru", choose.CONFIRM_QUEUE, name="Дом-интернат Мейірім") in chat.press("Дом-интернат Мейірім")
    queued = chat.press("Да, выбрать")
    assert said("ru", choose.QUEUED, name="Дом-интернат Мейірім", position=1, total=1) in queued
    assert case_state(runtime, case_id)[0] == Status.QUEUED

    # Wed 02.12.2026 the home frees a place: arrival within 10 working days (App.1 p.7), 16.12 not counted -> 17.12.
    clock.advance_to(date(2026, 12, 2))
    with runtime.context(ORGANISATION) as ctx:
        assert len(placement.free_places(ctx, home)) == 1
    offered = chat.send("/status")
    assert said("ru", status.NEXT_ARRIVE, organisation="Дом-интернат Мейірім", due="17.12.2026") in offered
    assert "Не могу прибыть вовремя" in chat.options()

    # Illness: the date moves once, by up to 30 calendar days (App.1 p.7): at the latest 16.01.2027.
    assert said("ru", postpone.REASON, due="17.12.2026") in chat.press("Не могу прибыть вовремя")
    assert chat.options() == ["Болезнь", "Госпитализация", "Главное меню"]
    question = chat.press("Болезнь")
    assert said("ru", postpone.NEW_DATE, latest="16.01.2027", ref="прил. 1, п. 7") in question
    late = chat.send("18.01.2027")
    assert said("ru", POSTPONEMENT_REFUSALS["beyond_limit"], latest="16.01.2027", ref="прил. 1, п. 7") in late
    assert said("ru", postpone.CERTIFICATE, limit="10 МБ") in chat.send("28.12.2026")
    moved = chat.send_photo(JPEG)  # the medical certificate, photographed
    assert said("ru", postpone.CERTIFICATE_KEPT) in moved
    assert said("ru", postpone.MOVED, due="28.12.2026", organisation="Дом-интернат Мейірім") in moved
    assert case_state(runtime, case_id) == (Status.OFFERED, date(2026, 12, 28))
    assert postponements(runtime, case_id) == [(PostponementStatus.APPROVED, date(2026, 12, 28))]

    # A second request: refused at once with the reason.
    chat.press("Не могу прибыть вовремя")
    reason = said("ru", POSTPONEMENT_REFUSALS["already_postponed"], ref="прил. 1, п. 7", due="28.12.2026")
    assert f"{reason}\n{said('ru', postpone.NOT_MOVED)}" in chat.press("Госпитализация")
    assert case_state(runtime, case_id) == (Status.OFFERED, date(2026, 12, 28))


def test_app1_stationary_on_whatsapp_to_the_queue_in_kazakh_behind_someone_already_waiting(
    whatsapp: WhatsAppWebhookApp, runtime: Runtime, area
):
    home = add_organisation(runtime, area, Form.STATIONARY, [Category.ELDERLY], name="Мейірім қарттар үйі")
    queue_someone(runtime, area, home, date(1936, 2, 2), veteran=False, serial=5)
    chat = whatsapp.chat("77015550002", name="Нұрлан")

    chat.send("Сәлеметсіз бе")
    assert said("kk", onboarding.CONSENT) in chat.press("Қазақша")
    assert "Басты мәзір" in chat.press("Келісемін")
    assert chat.messages()[-1].list_button == "Нұсқаны таңдау"
    chat.press("Жаңа өтініш")
    assert said("kk", apply_person.IIN_SELF) in chat.press("Өзім үшін")
    iin = make_iin(date(1944, 4, 4))
    wrong = iin[:-1] + str((int(iin[-1]) + 1) % 10)
    assert said("kk", apply_person.IIN_WRONG) in chat.send(wrong)
    assert said("kk", apply_person.CONFIRM, birth="04.04.1944", sex="ер") in chat.send(iin)
    chat.press("Иә")
    categories = chat.send("Бекұлы Нұрлан Серікұлы")
    assert categories.endswith(said("kk", wa_texts.REPLY_WITH_NUMBER))
    chat.press("Егде жасына байланысты")  # a numbered option: its number is typed
    chat.press("Алматы қаласы")
    chat.press("Алмалы ауданы")
    checklist = chat.press("Стационарлық жағдайда (стационарлық үлгідегі ұйым)")
    assert said("kk", documents.PROGRESS, done=0, total=4) in checklist
    for code in RU_UPLOADS:  # the same four items, chosen by their Kazakh labels in checklist order
        upload = next(label for label in chat.options() if label.startswith("Жіберу:"))
        chat.press(upload)
        received = chat.send_photo(JPEG) if code == PHOTOGRAPHED else chat.send_document("scan.pdf", pdf(code))
    assert said("kk", documents.PROGRESS, done=4, total=4) in received
    chat.press("Өтінішті жіберу")
    assert "Өтінішіңіз жіберілді. Бөлім: Алмалы ауданының жұмыспен қамту" in chat.press("Иә, жіберу")

    case_id = case_ids(runtime, iin)[0]
    decide_and_notify(runtime, case_id, date(2026, 11, 23))
    chat.send("мәзір")
    listing = chat.press("Ұйымды таңдау")
    assert "Ұйымды 07.12.2026 дейін таңдаңызшы (1-қосымша, 7-тармақ)." in listing
    chat.press("Мейірім қарттар үйі")
    queued = chat.press("Иә, таңдаймын")
    assert said("kk", choose.QUEUED, name="Мейірім қарттар үйі", position=2, total=2) in queued
    assert "Кезек (Мейірім қарттар үйі): орныңыз 2, барлығы 2." in chat.send("статус")
    assert case_state(runtime, case_id)[0] == Status.QUEUED
