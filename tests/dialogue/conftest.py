"""The dialogue over a migrated database (SQLite and PostgreSQL), driven like a person would: typing, pressing
buttons by the label they read, sending files. Staff steps go through the services directly."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest

from bot.dialogue import DialogueEngine
from bot.messages import Attachment, Choice, DocumentOut, IncomingMessage, Reply, RequestFile, Text
from core.db.models import Department, DepartmentDistrict, District, Region
from core.rules.codes import Category, Form
from core.services import cases
from qamqor.runtime import Runtime
from tests.services import conftest as services
from tests.services.conftest import DEPARTMENT, PDF, PNG, Clock, Places, add_organisation, make_iin

# The services' fixtures: a migrated database (SQLite and PostgreSQL) and a clock the test moves.
clock = services.clock
runtime = services.runtime

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture
def area(runtime: Runtime) -> Places:
    """Almaty city with two districts; the Almaly department serves Almaly (the second district has none)."""
    with runtime.context() as ctx:
        region = Region(code="almaty_city", name_kk="Алматы қаласы", name_ru="город Алматы", name_en="Almaty city")
        ctx.session.add(region)
        ctx.session.flush()
        almaly = District(
            region_id=region.id,
            code="almaly",
            name_kk="Алмалы ауданы",
            name_ru="Алмалинский район",
            name_en="Almaly district",
        )
        auezov = District(
            region_id=region.id,
            code="auezov",
            name_kk="Әуезов ауданы",
            name_ru="Ауэзовский район",
            name_en="Auezov district",
        )
        department = Department(
            region_id=region.id,
            name_kk="Алмалы ауданының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
            name_ru="Отдел занятости и социальных программ Алмалинского района",
            name_en="Almaly district employment and social programmes department",
        )
        ctx.session.add_all([almaly, auezov, department])
        ctx.session.flush()
        ctx.session.add(DepartmentDistrict(department_id=department.id, district_id=almaly.id))
        return Places(region.id, almaly.id, department.id)


@pytest.fixture
def engine(runtime: Runtime) -> DialogueEngine:
    return DialogueEngine(runtime)


def reply_text(reply: Reply) -> str:
    if isinstance(reply, Choice):
        buttons = " ".join(f"[{option.label}]" for option in reply.options)
        return f"{reply.text}\n{buttons}"
    if isinstance(reply, RequestFile):
        return f"{reply.text}\n(file: {', '.join(reply.accept)}, up to {reply.max_bytes} bytes)"
    if isinstance(reply, DocumentOut):
        return f"(document {reply.file_name}) {reply.caption}"
    assert isinstance(reply, Text)
    return reply.text


class Chat:
    """One person in one chat. Every reply is kept in `transcript`, as the person would read it."""

    opened: list[Chat] = []  # every chat of the running test, for QAMQOR_PRINT_TRANSCRIPTS

    def __init__(
        self, engine: DialogueEngine, external_id: str = "1001", channel: str = "telegram", hint: str | None = None
    ) -> None:
        self.engine, self.external_id, self.channel, self.hint = engine, external_id, channel, hint
        self.replies: list[Reply] = []
        self.transcript: list[str] = []
        Chat.opened.append(self)

    def send(
        self, text: str | None = None, *, choice: str | None = None, file: tuple[str, str, bytes] | None = None
    ) -> str:
        attachment = Attachment(*file) if file else None
        message = IncomingMessage(
            self.channel, self.external_id, text=text, choice=choice, attachment=attachment, language_hint=self.hint
        )
        shown = text if text is not None else f"<{choice}>" if choice else f"<file {file[0]}>" if file else "<sticker>"
        self.transcript.append(f">>> {shown}")
        self.replies = self.engine.handle_sync(message)
        assert self.replies, "the dialogue must always answer"
        read = "\n".join(reply_text(reply) for reply in self.replies)
        self.transcript.append(read)
        return read

    def options(self) -> dict[str, str]:
        """label -> id of the buttons of the last question."""
        choices = [reply for reply in self.replies if isinstance(reply, Choice)]
        assert choices, f"no buttons in the last answer:\n{self.read()}"
        return {option.label: option.id for option in choices[-1].options}

    def press(self, label: str) -> str:
        """Press the button labelled `label`, or else the one whose label contains it (exactly one must)."""
        exact = [(text, id_) for text, id_ in self.options().items() if label.casefold() == text.casefold()]
        found = exact or [(text, id_) for text, id_ in self.options().items() if label.casefold() in text.casefold()]
        assert len(found) == 1, f"{len(found)} buttons match {label!r}: {list(self.options())}"
        self.transcript[-1] += f"\n(pressed [{found[0][0]}])"
        return self.send(choice=found[0][1])

    def upload(self, name: str = "scan.pdf", data: bytes = PDF, mime: str = "application/pdf") -> str:
        return self.send(file=(name, mime, data))

    def read(self) -> str:
        return "\n".join(reply_text(reply) for reply in self.replies)

    def print(self) -> None:
        print("\n".join(self.transcript))


def onboard(chat: Chat, language: str) -> str:
    chat.send("/start")
    chat.press(language)
    return chat.press({"Қазақша": "Келісемін", "Русский": "Даю согласие", "English": "I agree"}[language])


def case_ids(runtime: Runtime, person_iin: str) -> list[int]:
    from core.services import people

    with runtime.context() as ctx:
        person = people.person_by_iin(ctx, person_iin)
        assert person is not None
        return [case.id for case in cases.cases_of(ctx, [person.id])]


def decide_and_notify(runtime: Runtime, case_id: int, on: date) -> date:
    from core.services import decisions

    with runtime.context(DEPARTMENT) as ctx:
        case = cases.get_case(ctx, case_id)
        decisions.decide(ctx, case, positive=True, number="D-1", decided_on=on)
        return decisions.notify_recipient(ctx, case)


@pytest.fixture(autouse=True)
def print_transcripts() -> Iterator[None]:
    """QAMQOR_PRINT_TRANSCRIPTS=1 pytest -s tests/dialogue: read every conversation as the person saw it."""
    Chat.opened.clear()
    yield
    if os.environ.get("QAMQOR_PRINT_TRANSCRIPTS"):
        for chat in Chat.opened:
            print(f"\n===== {chat.channel}:{chat.external_id} =====")
            chat.print()
    Chat.opened.clear()


__all__ = ["JPEG", "PDF", "PNG", "Category", "Chat", "Clock", "Form", "add_organisation", "make_iin"]


def apply_for_myself(
    chat: Chat,
    iin: str,
    name: str,
    category_label: str,
    form_label: str,
    *,
    region: str = "Almaty",
    district: str = "Almaly",
) -> None:
    """New application from the main menu, in English, up to the draft case (the checklist is shown)."""
    chat.press("New application")
    chat.press("For myself")
    chat.send(iin)
    chat.press("Yes")
    chat.send(name)
    chat.press(category_label)
    chat.press(region)
    chat.press(district)
    chat.press(form_label)


def upload_everything(
    chat: Chat,
    send_prefix: str,
    data: bytes = PDF,
    name: str = "scan.pdf",
    mime: str = "application/pdf",
    skip: tuple[str, ...] = (),
) -> None:
    """Press every "Send: ..." button of the checklist in turn and send a file for it."""
    done: set[str] = set()
    while True:
        left = [
            label
            for label in chat.options()
            if label.startswith(send_prefix) and label not in done and not any(word in label for word in skip)
        ]
        if not left:
            return
        done.add(left[0])
        chat.press(left[0])
        chat.upload(name, data, mime)


def queue_someone(
    runtime: Runtime, area: Places, organisation_id: int, birth: date, *, veteran: bool, serial: int
) -> int:
    """Another applicant, handled at the department, joins the organisation's queue (services only)."""
    from core.rules.codes import DocumentCode
    from core.services import decisions, documents, people, placement

    with runtime.context(DEPARTMENT) as ctx:
        person = people.register_person(
            ctx, make_iin(birth, serial=serial), full_name="Other Person", category=Category.ELDERLY, is_veteran=veteran
        )
        case = cases.open_case(ctx, person, person, Form.STATIONARY, Category.ELDERLY, department_id=area.department_id)
        for code in (
            DocumentCode.APPLICATION,
            DocumentCode.IDENTITY_DOCUMENT,
            DocumentCode.MEDICAL_CARD,
            DocumentCode.OUTPATIENT_EXTRACT,
        ):
            documents.attach(ctx, case, code, "scan.pdf", PDF)
        decisions.submit(ctx, case)
        decisions.decide(ctx, case, positive=True, number="D-2", decided_on=ctx.today)
        decisions.notify_recipient(ctx, case)
        placement.choose_organisation(ctx, case, organisation_id)
        return int(case.id)
