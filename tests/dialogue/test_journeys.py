"""Whole applications read as the family reads them: residential care (App.1) from /start to the queue in Russian
(for oneself) and in Kazakh (a parent for a child), with the staff steps done through the services."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from core.db.enums import Relationship
from core.db.models import Document, Representation
from core.rules.codes import Category, DocumentCode, Form, Status
from core.services import cases
from tests.dialogue.conftest import (
    JPEG,
    Chat,
    add_organisation,
    case_ids,
    decide_and_notify,
    make_iin,
    queue_someone,
    upload_everything,
)


def status_of(runtime, case_id: int) -> Status:
    with runtime.context() as ctx:
        return cases.get_case(ctx, case_id).status


def test_app1_stationary_from_start_to_queue_in_russian(engine, runtime, area, clock):
    sunny = add_organisation(runtime, area, Form.STATIONARY, [Category.ELDERLY], name="Дом-интернат Мейірім")
    paused = add_organisation(
        runtime, area, Form.STATIONARY, [Category.ELDERLY], free_places=2, accepting=False, name="Дом-интернат Шапағат"
    )
    chat = Chat(engine)

    first = chat.send("/start")
    assert list(chat.options()) == ["Қазақша", "Русский", "English"]
    assert "Выберите язык" in first
    consent = chat.press("Русский")
    assert "№ 94-V «О персональных данных и их защите»" in consent
    assert "Qamqor помогает подать заявление" in consent
    assert "Главное меню" in chat.press("Даю согласие")

    assert "Шаг 1 из 6\nДля кого это заявление?" in chat.press("Новое заявление")
    assert "Шаг 2 из 6" in chat.press("Для себя")
    iin = make_iin(date(1940, 3, 2), female=True)
    assert "дата рождения 02.03.1940, пол: женский. Верно?" in chat.send(iin)
    assert "фамилию, имя и отчество" in chat.press("Да")
    categories = chat.send("Абенова Айгуль Сериковна")
    assert "Шаг 4 из 6" in categories and "Ребёнок с инвалидностью" not in categories
    chat.press("Пожилой человек")
    chat.press("город Алматы")
    forms = chat.press("Алмалинский район")
    assert "Шаг 6 из 6\nПодходят такие формы услуг" in forms
    assert (
        "В условиях временного пребывания (приют): эти услуги не предназначены для этой категории лиц (прил. 4, п. 2)"
    ) in forms

    checklist = chat.press("В условиях стационара")
    assert "Заявление создано: в условиях стационара (дом-интернат). Пока это черновик." in checklist
    assert "Документы: 0 из 4." in checklist
    assert "Это мы проверяем сами по ИИН, приносить не нужно:\n• личность\n• инвалидность" in checklist
    assert "При поступлении принесите оригиналы:" in checklist
    upload_everything(chat, "Отправить:", skip=("решение суда",))
    assert "Документы: 4 из 4." in chat.read()
    assert "Все документы на месте. Можно отправить заявление в отдел." in chat.read()

    confirm = chat.press("Отправить заявление")
    assert "Получатель: Отдел занятости и социальных программ Алмалинского района." in confirm
    sent = chat.press("Да, отправить")
    assert "Ваше заявление отправлено. Отдел: Отдел занятости и социальных программ Алмалинского района." in sent
    assert "не позднее чем через 2 рабочих дня после решения (прил. 1, п. 7)" in sent
    assert "Затем у вас будет 10 рабочих дней, чтобы выбрать организацию." in sent
    case_id = case_ids(runtime, iin)[0]
    assert status_of(runtime, case_id) == Status.SUBMITTED

    # App.1 p.7: notified on Mon 23.11.2026 -> choose within 10 working days, by Mon 07.12.2026.
    assert decide_and_notify(runtime, case_id, date(2026, 11, 23)) == date(2026, 12, 7)
    status = chat.send("/status")
    assert "Этап: ожидается ваш выбор организации.\nПожалуйста, выберите организацию до 07.12.2026." in status

    listing = chat.press("Выбрать организацию")
    assert "Пожалуйста, выберите организацию до 07.12.2026 (прил. 1, п. 7)." in listing
    assert "• Дом-интернат Шапағат: сейчас не принимает. Причина: организация не указала причину" in listing
    assert "• Дом-интернат Мейірім: свободных мест сейчас нет, в очереди: 0." in listing
    assert "Дом-интернат Шапағат" not in chat.options()  # shown, never selectable
    assert "вы встанете в очередь" in chat.press("Мейірім")
    assert "Вы в очереди: Дом-интернат Мейірім. Ваше место: 1 из 1." in chat.press("Да, выбрать")
    assert status_of(runtime, case_id) == Status.QUEUED

    # App.1 p.10: a veteran joins with first priority and goes ahead; /status says why the place moved.
    clock.tick(60)
    queue_someone(runtime, area, sunny, date(1930, 1, 1), veteran=True, serial=7)
    moved = chat.send("/status")
    assert "Очередь (Дом-интернат Мейірім): ваше место 2 из 2." in moved
    assert "1 человек с правом первоочередности (например, ветеран) встал в очередь перед вами" in moved
    assert paused is not None


def test_app1_stationary_parent_for_child_to_queue_in_kazakh(engine, runtime, area, clock):
    home = add_organisation(
        runtime, area, Form.STATIONARY, [Category.CHILD_PSYCHONEURO], name="Балаларға арналған Шаңырақ үйі"
    )
    chat = Chat(engine, external_id="kz-1")
    chat.send("/start")
    consent = chat.press("Қазақша")
    assert "«Дербес деректер және оларды қорғау туралы» Қазақстан Республикасының № 94-V Заңы" in consent
    assert "Басты мәзір" in chat.press("Келісемін")

    chat.press("Жаңа өтініш")
    assert "Бұл адамға кім боласыз?" in chat.press("Өкілі болып отырған адам үшін")
    assert "Өз ЖСН-іңізді теріңізші" in chat.press("Ата-ана")
    parent_iin, child_iin = make_iin(date(1990, 5, 5), female=True), make_iin(date(2021, 6, 1))
    assert "Өкілі болып отырған адамның ЖСН-ін" in chat.send(parent_iin)
    assert "туған күні 01.06.2021, жынысы: ер. Дұрыс па?" in chat.send(child_iin)
    chat.press("Иә")
    categories = chat.send("Серіков Алан Ерланұлы")
    assert "Психоневрологиялық ауытқулары бар мүгедектігі бар бала" in chat.options()
    assert "Егде жасына" not in categories  # a child sees the children's categories
    chat.press("Психоневрологиялық")
    chat.press("Алматы қаласы")
    forms = chat.press("Алмалы ауданы")
    assert "Уақытша болу жағдайында (уақытша болу ұйымы): бұл қызметтер осы санаттағы адамдарға арналмаған" in forms

    checklist = chat.press("Стационарлық жағдайда (стационарлық")
    assert "Өтініш жасалды: стационарлық жағдайда (стационарлық үлгідегі ұйым)." in checklist
    assert "⬜ заңды өкіл екеніңізді растайтын құжат (мысалы, туу туралы куәлік" in checklist
    assert "туу туралы куәлік\n• профилактикалық егу картасы" in checklist  # originals at admission (App.1 p.9)
    upload_everything(chat, "Жіберу:", data=JPEG, name="photo.jpg", mime="image/jpeg")
    assert "Дайын құжаттар: 5, барлығы 5." in chat.read()
    chat.press("Өтінішті жіберу")
    sent = chat.press("Иә, жіберу")
    assert "Өтінішіңіз жіберілді. Бөлім: Алмалы ауданының жұмыспен қамту" in sent
    assert "Шешімнен кейін 2 жұмыс күні ішінде осында хабарлама келеді (1-қосымша, 7-тармақ)" in sent

    case_id = case_ids(runtime, child_iin)[0]
    with runtime.context() as ctx:  # App.1 p.5.1: the parent acts for the child, with the proof uploaded
        link = ctx.session.scalars(sa.select(Representation)).one()
        proof = ctx.session.get(Document, link.proof_document_id)
        assert (link.relationship, proof.code) == (Relationship.PARENT, DocumentCode.REPRESENTATIVE_PROOF)
    decide_and_notify(runtime, case_id, date(2026, 11, 23))
    menu = chat.send("/start")
    assert "Ұйымды таңдау" in chat.options() and "Басты мәзір" in menu
    listing = chat.press("Ұйымды таңдау")
    assert "Ұйымды 07.12.2026 дейін таңдаңызшы (1-қосымша, 7-тармақ)." in listing
    chat.press("Шаңырақ")
    queued = chat.press("Иә, таңдаймын")
    assert "Сіз кезекке тұрдыңыз: Балаларға арналған Шаңырақ үйі. Орныңыз: 1 (кезекте барлығы 1)." in queued
    status = chat.send("/status")
    assert "Өтініш: Серіков Алан Ерланұлы, стационарлық жағдайда (стационарлық үлгідегі ұйым)." in status
    assert "Кезеңі: кезекте." in status
    assert "Кезек (Балаларға арналған Шаңырақ үйі): орныңыз 1, барлығы 1." in status
    assert status_of(runtime, case_id) == Status.QUEUED
    assert home is not None
