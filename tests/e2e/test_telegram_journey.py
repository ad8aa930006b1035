"""Telegram end to end: updates posted to the webhook of `create_app`, the real aiogram bot answering through the
fake Bot API, the real dialogue over SQLite. A whole residential-care application (App.1) in Russian, from /start
to the queue, the offer of a freed place, the arrival moved once for illness and a second request refused; the same
up to the queue in Kazakh; and a redelivered update answered once, even by a restarted app."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import sqlalchemy as sa

from bot.dialogue import render, texts
from bot.dialogue.flows import apply_person, choose, documents, onboarding, postpone, status
from bot.vocabulary import POSTPONEMENT_REFUSALS
from core.db.enums import PostponementStatus
from core.db.models import Document, Postponement
from core.rules.codes import Category, DocumentCode, Form, Status
from core.services import cases, placement
from qamqor.runtime import Runtime
from tests.dialogue.conftest import JPEG, case_ids, decide_and_notify, queue_someone
from tests.e2e.conftest import TelegramChat, TelegramWebhookApp, said, serve_telegram
from tests.services.conftest import ORGANISATION, add_organisation, make_iin

RU_DEPARTMENT = "Отдел занятости и социальных программ Алмалинского района"
# What the checklist asks an older person to send for residential care (App.1 p.4), with distinct bytes each, so
# the test can tell which file landed on which item.
RU_UPLOADS = {
    DocumentCode.APPLICATION: "заявление",
    DocumentCode.IDENTITY_DOCUMENT: "документ, удостоверяющий личность",
    DocumentCode.MEDICAL_CARD: "медицинская карта",
    DocumentCode.OUTPATIENT_EXTRACT: "выписка из амбулаторной карты или истории болезни",
}
KK_UPLOAD_PREFIX = "Жіберу:"


def pdf(code: DocumentCode) -> bytes:
    return b"%PDF-1.4\n% " + code.value.encode() + b"\n%%EOF\n"


def stored_documents(runtime: Runtime, case_id: int) -> dict[DocumentCode, tuple[str | None, str | None]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(sa.select(Document).where(Document.case_id == case_id, Document.sha256.isnot(None)))
        return {row.code: (row.original_name, row.sha256) for row in rows}


def case_state(runtime: Runtime, case_id: int) -> tuple[Status, date | None]:
    with runtime.context() as ctx:
        case = cases.get_case(ctx, case_id)
        return case.status, case.arrival_due_on


def postponements(runtime: Runtime, case_id: int) -> list[tuple[PostponementStatus | None, date | None]]:
    with runtime.context() as ctx:
        rows = ctx.session.scalars(
            sa.select(Postponement).where(Postponement.case_id == case_id).order_by(Postponement.id)
        )
        return [(row.status, row.new_due_on) for row in rows]


def onboard_in_russian(chat: TelegramChat) -> None:
    first = chat.send("/start")
    assert first == onboarding.LANGUAGE_QUESTION  # before a language is chosen: all three at once
    assert chat.buttons() == ["Қазақша", "Русский", "English"]
    consent = chat.press("Русский")
    assert said("ru", onboarding.ABOUT) in consent
    assert said("ru", onboarding.CONSENT) in consent
    assert "№ 94-V «О персональных данных и их защите»" in consent
    assert chat.buttons() == ["Даю согласие", "Не даю согласия"]
    menu = chat.press("Даю согласие")
    assert menu == f"{said('ru', onboarding.THANKS)}\n{said('ru', texts.MENU_TITLE)}"
    # The pressed question now reads as answered and its buttons are gone (it cannot be pressed twice).
    answered = next(sent for sent in chat.messages() if sent.text and "Вы согласны?" in sent.text)
    assert answered.text is not None and answered.text.endswith("\n\n✓ Даю согласие")
    assert answered.buttons == []
    assert chat.buttons()[:2] == ["Новое заявление", "Мой статус"]


def apply_in_russian(chat: TelegramChat, iin: str) -> None:
    """From the main menu to the submitted application: for myself, an older woman, Almaly, residential care."""
    assert "Шаг 1 из 6\nДля кого это заявление?" in chat.press("Новое заявление")
    assert said("ru", apply_person.IIN_SELF) in chat.press("Для себя")
    confirm = chat.send(iin)
    assert said("ru", apply_person.CONFIRM, birth="09.05.1941", sex="женский") in confirm
    assert chat.buttons() == ["Да", "Нет"]
    assert said("ru", apply_person.NAME_SELF) in chat.press("Да")
    categories = chat.send("Абенова Айгуль Сериковна")
    assert "Шаг 4 из 6" in categories and "Пожилой человек, не способный к самообслуживанию" in chat.buttons()
    chat.press("Пожилой человек")
    assert chat.buttons() == ["город Алматы", "Назад"]
    chat.press("город Алматы")
    forms = chat.press("Алмалинский район")
    assert "Шаг 6 из 6\nПодходят такие формы услуг. Выберите одну:" in forms
    checklist = chat.press("В условиях стационара (дом-интернат)")
    assert "Заявление создано: в условиях стационара (дом-интернат). Пока это черновик." in checklist
    assert "Документы: 0 из 4." in checklist
    assert "Это мы проверяем сами по ИИН, приносить не нужно:" in checklist

    for done, (code, name) in enumerate(RU_UPLOADS.items(), start=1):
        request = chat.press(f"Отправить: {name}")
        assert f"Пожалуйста, отправьте фото или PDF: {name}.\nJPEG, PNG или PDF, до 10 МБ." in request
        received = chat.send_document(f"{code.value}.pdf", pdf(code))
        assert said("ru", documents.RECEIVED, document=name) in received
        assert said("ru", documents.PROGRESS, done=done, total=4) in received
    assert said("ru", documents.COMPLETE) in received
    assert chat.buttons()[0] == "Отправить заявление"

    assert f"Получатель: {RU_DEPARTMENT}." in chat.press("Отправить заявление")
    sent = chat.press("Да, отправить")
    assert said("ru", documents.SUBMITTED, department=RU_DEPARTMENT) in sent
    assert "не позднее чем через 2 рабочих дня после решения (прил. 1, п. 7)" in sent


def test_app1_stationary_journey_in_russian_from_start_to_queue_offer_and_postponement(
    telegram: TelegramWebhookApp, runtime, area, clock
):
    home = add_organisation(runtime, area, Form.STATIONARY, [Category.ELDERLY], name="Дом-интернат Мейірім")
    chat = telegram.chat(7100001, language_code="ru")
    onboard_in_russian(chat)
    iin = make_iin(date(1941, 5, 9), female=True)
    apply_in_russian(chat, iin)
    case_id = case_ids(runtime, iin)[0]
    assert case_state(runtime, case_id)[0] == Status.SUBMITTED
    # Every file went Telegram -> getFile -> download -> the right checklist item, byte for byte.
    assert stored_documents(runtime, case_id) == {
        code: (f"{code.value}.pdf", hashlib.sha256(pdf(code)).hexdigest()) for code in RU_UPLOADS
    }

    # Staff: positive decision and notification on Mon 23.11.2026 -> choose within 10 working days (App.1 p.7).
    assert decide_and_notify(runtime, case_id, date(2026, 11, 23)) == date(2026, 12, 7)
    notified = chat.send("/status")
    assert said("ru", status.NEXT_CHOOSE, due="07.12.2026") in notified
    listing = chat.press("Выбрать организацию")
    assert "Пожалуйста, выберите организацию до 07.12.2026 (прил. 1, п. 7)." in listing
    assert "• Дом-интернат Мейірім: свободных мест сейчас нет, в очереди: 0. Можно встать в очередь." in listing
    assert said("ru", choose.CONFIRM_QUEUE, name="Дом-интернат Мейірім") in chat.press("Дом-интернат Мейірім")
    queued = chat.press("Да, выбрать")
    assert said("ru", choose.QUEUED, name="Дом-интернат Мейірім", position=1, total=1) in queued
    assert case_state(runtime, case_id)[0] == Status.QUEUED

    # Wed 02.12.2026 the home frees a place: the first in the queue arrives within 10 working days (App.1 p.7);
    # Independence Day (16.12) is not one of them -> Thu 17.12.2026. The person reads it with /status.
    clock.advance_to(date(2026, 12, 2))
    with runtime.context(ORGANISATION) as ctx:
        assert len(placement.free_places(ctx, home)) == 1
    offered = chat.send("/status")
    assert "Этап: предложено свободное место." in offered
    assert said("ru", status.NEXT_ARRIVE, organisation="Дом-интернат Мейірім", due="17.12.2026") in offered
    assert "Не могу прибыть вовремя" in chat.buttons()

    # Illness: the date moves once, by up to 30 calendar days (App.1 p.7): at the latest 16.01.2027.
    assert said("ru", postpone.REASON, due="17.12.2026") in chat.press("Не могу прибыть вовремя")
    assert chat.buttons() == ["Болезнь", "Госпитализация", "Главное меню"]
    question = chat.press("Болезнь")
    assert said("ru", postpone.NEW_DATE, latest="16.01.2027", ref="прил. 1, п. 7") in question
    late = chat.send("18.01.2027")
    assert said("ru", POSTPONEMENT_REFUSALS["beyond_limit"], latest="16.01.2027", ref="прил. 1, п. 7") in late
    certificate = chat.send("28.12.2026")
    assert said("ru", postpone.CERTIFICATE, limit="10 МБ") in certificate
    moved = chat.send_photo(JPEG)  # the certificate, photographed
    assert said("ru", postpone.CERTIFICATE_KEPT) in moved
    assert said("ru", postpone.MOVED, due="28.12.2026", organisation="Дом-интернат Мейірім") in moved
    assert case_state(runtime, case_id) == (Status.OFFERED, date(2026, 12, 28))
    assert said("ru", status.NEXT_ARRIVE, organisation="Дом-интернат Мейірім", due="28.12.2026") in chat.send("/status")

    # A second request: refused at once with the reason, and recorded for staff.
    chat.press("Не могу прибыть вовремя")
    refused = chat.press("Госпитализация")
    reason = said("ru", POSTPONEMENT_REFUSALS["already_postponed"], ref="прил. 1, п. 7", due="28.12.2026")
    assert f"{reason}\n{said('ru', postpone.NOT_MOVED)}" in refused
    assert said("ru", texts.MENU_TITLE) in refused
    assert postponements(runtime, case_id) == [
        (PostponementStatus.APPROVED, date(2026, 12, 28)),
        (PostponementStatus.DECLINED, None),
    ]
    assert case_state(runtime, case_id) == (Status.OFFERED, date(2026, 12, 28))


def test_app1_stationary_to_the_queue_in_kazakh_behind_someone_already_waiting(
    telegram: TelegramWebhookApp, runtime, area
):
    home = add_organisation(runtime, area, Form.STATIONARY, [Category.ELDERLY], name="Мейірім қарттар үйі")
    queue_someone(runtime, area, home, date(1936, 2, 2), veteran=False, serial=5)
    chat = telegram.chat(7100002, language_code="kk")

    chat.send("/start")
    consent = chat.press("Қазақша")
    assert said("kk", onboarding.CONSENT) in consent
    assert "Басты мәзір" in chat.press("Келісемін")
    chat.press("Жаңа өтініш")
    assert said("kk", apply_person.IIN_SELF) in chat.press("Өзім үшін")
    iin = make_iin(date(1944, 4, 4))
    wrong = iin[:-1] + str((int(iin[-1]) + 1) % 10)
    explained = chat.send(wrong)
    assert said("kk", apply_person.IIN_WRONG) in explained
    assert "Бұл ЖСН-де қате бар сияқты:" in explained
    assert said("kk", apply_person.CONFIRM, birth="04.04.1944", sex="ер") in chat.send(iin)
    chat.press("Иә")
    chat.send("Бекұлы Нұрлан Серікұлы")
    chat.press("Егде жасына байланысты")
    chat.press("Алматы қаласы")
    chat.press("Алмалы ауданы")
    checklist = chat.press("Стационарлық жағдайда (стационарлық үлгідегі ұйым)")
    assert "Өтініш жасалды: стационарлық жағдайда (стационарлық үлгідегі ұйым)." in checklist
    assert said("kk", documents.PROGRESS, done=0, total=4) in checklist
    for code in RU_UPLOADS:  # the same four items, pressed by their Kazakh labels in checklist order
        upload = next(label for label in chat.buttons() if label.startswith(KK_UPLOAD_PREFIX))
        chat.press(upload)
        received = chat.send_document("scan.pdf", pdf(code))
    assert said("kk", documents.PROGRESS, done=4, total=4) in received
    chat.press("Өтінішті жіберу")
    assert "Өтінішіңіз жіберілді. Бөлім: Алмалы ауданының жұмыспен қамту" in chat.press("Иә, жіберу")

    case_id = case_ids(runtime, iin)[0]
    decide_and_notify(runtime, case_id, date(2026, 11, 23))
    chat.send("/start")
    listing = chat.press("Ұйымды таңдау")
    assert "Ұйымды 07.12.2026 дейін таңдаңызшы (1-қосымша, 7-тармақ)." in listing
    chat.press("Мейірім қарттар үйі")
    queued = chat.press("Иә, таңдаймын")
    assert said("kk", choose.QUEUED, name="Мейірім қарттар үйі", position=2, total=2) in queued
    assert "Орныңыз: 2 (кезекте барлығы 2)." in queued
    assert "Кезек (Мейірім қарттар үйі): орныңыз 2, барлығы 2." in chat.send("/status")
    assert case_state(runtime, case_id)[0] == Status.QUEUED


@pytest.mark.parametrize("redelivered", ["button", "text"], ids=["button_press", "typed_iin"])
def test_an_update_delivered_twice_is_answered_once_even_by_a_restarted_app(
    telegram: TelegramWebhookApp, telegram_settings, runtime, fake_telegram, clock, redelivered: str
):
    chat = telegram.chat(7100003, language_code="ru")
    chat.send("/start")
    chat.press("Русский")
    chat.press("Даю согласие")
    chat.press("Новое заявление")
    chat.press("Для себя")
    if redelivered == "button":
        update = chat.press_update("Главное меню")  # stops the application: the draft is kept
        answer = [said("ru", texts.CANCELLED), said("ru", texts.MENU_TITLE)]
    else:
        iin = make_iin(date(1950, 1, 15))
        update = fake_telegram.text_update(chat.chat_id, iin, language_code="ru")
        confirm = said("ru", apply_person.CONFIRM, birth="15.01.1950", sex="мужской")
        answer = [f"{said('ru', render.PROGRESS, n=2, total=6)}\n{confirm}"]
    before = len(chat.messages())

    telegram.deliver(update)
    telegram.deliver(update)  # Telegram re-sends when our 200 was slow or lost
    answered = [sent.text for sent in chat.messages()[before:]]
    assert answered == answer

    # A restarted process (new runtime, same database) gets it once more: the ledger in the database remembers.
    with serve_telegram(telegram_settings, Runtime(telegram_settings, clock=clock), fake_telegram) as restarted:
        restarted.deliver(update)
    assert [sent.text for sent in chat.messages()[before:]] == answer
