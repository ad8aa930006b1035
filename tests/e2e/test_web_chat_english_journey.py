"""The web chat end to end in English, over real HTTP: `create_app` served by uvicorn on loopback, the real dialogue
over SQLite, spoken to through the page's JSON API exactly as chat.js calls it (the cookie session, the page's Origin,
{"text": ...} and {"choice": <option id>} bodies, multipart uploads and inbox polls with X-Qamqor-Chat, acks on the
next poll). A whole residential-care application (App.1) from /start to the queue, the offer of a freed place, the
arrival moved once for illness and a second request refused; the notices Qamqor writes meanwhile (the delivery
worker's passes, as the scheduler runs them) reach the page through its inbox, in English, each until acknowledged."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import col

from bot.dialogue import texts
from bot.dialogue.flows import apply_person, choose, documents, onboarding, postpone, status
from bot.notice_texts import (
    APPROVED,
    APPROVED_NEXT,
    CHOOSE_ORGANISATION,
    HEADING,
    LATE_HINT,
    OFFER_ARRIVE,
)
from bot.vocabulary import POSTPONEMENT_REFUSALS
from core.db.enums import OutboxStatus, PostponementStatus
from core.db.models import Outbox
from core.rules.codes import Category, DocumentCode, Form, Status
from core.services import placement
from qamqor.delivery import DeliveryWorker, build_channels
from qamqor.runtime import Runtime
from tests.conftest import LiveServer
from tests.dialogue.conftest import JPEG, case_ids, decide_and_notify
from tests.e2e.conftest import said
from tests.e2e.test_telegram_journey import case_state, pdf, postponements, stored_documents
from tests.services.conftest import ORGANISATION, Clock, Places, add_organisation, make_iin

HOME = "Meiirim care home"
NAME = "Abenova Aigul Serikovna"
DEPARTMENT = "Almaly district employment and social programmes department"
RESIDENTIAL = "residential care (a care home)"
REF = "App.1 p.7"  # how the English page cites the standard's paragraph
PAGE_HEADER = {"X-Qamqor-Chat": "1"}  # chat.js sends it with uploads and inbox polls (the API's CSRF guard)
# The four items the checklist asks an older person to send for residential care (App.1 p.4), as the English page
# names them on its "Send: ..." buttons.
EN_UPLOADS = {
    DocumentCode.APPLICATION: "application",
    DocumentCode.IDENTITY_DOCUMENT: "identity document",
    DocumentCode.MEDICAL_CARD: "medical card",
    DocumentCode.OUTPATIENT_EXTRACT: "extract from the outpatient record or case history",
}


def drawn(reply: dict[str, Any]) -> str:
    """The text chat.js draws for one reply: its paragraph (a document: its caption)."""
    return str(reply["caption"] if reply["type"] == "document" else reply["text"])


class WebChatPage:
    """One person at /chat, doing over HTTP what chat.js does; every action returns the text of the answer.

    As on the page, buttons work only on what came since the person last wrote (the answer, and notices the inbox
    poll added after it); a press posts the option's id, the newest reply showing that label winning."""

    def __init__(self, url: str) -> None:
        # A browser names the page's origin on every POST the page makes; the API refuses other sites.
        self.http = httpx.Client(base_url=url, headers={"Origin": url}, timeout=10)
        self.since_written: list[dict[str, Any]] = []
        self.body: dict[str, Any] = {}
        self.to_acknowledge: list[str] = []
        self.transcript: list[str] = []

    def open(self) -> str:
        assert self.http.get("/chat").status_code == 200
        assert "qamqor_chat" in self.http.cookies  # the chat session: an HttpOnly cookie, nothing else
        return self.send("/start")  # a new visitor's page sends /start itself

    def send(self, text: str) -> str:
        return self.exchange(text, self.http.post("/chat/api/messages", json={"text": text}))

    def press(self, label: str) -> str:
        for reply in reversed(self.since_written):
            found = [option["id"] for option in reply.get("options", []) if option["label"] == label]
            if found:
                body = {"choice": found[0]}
                return self.exchange(f"[{label}]", self.http.post("/chat/api/messages", json=body))
        raise AssertionError(f"no button {label!r} on the page; it shows {self.buttons()}")

    def upload(self, file_name: str, data: bytes, mime: str) -> str:
        files = {"file": (file_name, data, mime)}
        return self.exchange(f"<{file_name}>", self.http.post("/chat/api/files", files=files, headers=PAGE_HEADER))

    def exchange(self, written: str, response: httpx.Response) -> str:
        assert response.status_code == 200, response.text
        self.body = response.json()
        self.since_written = list(self.body["replies"])
        read = "\n".join(drawn(reply) for reply in self.since_written)
        self.transcript += [f">>> {written}", read]
        return read

    def buttons(self) -> list[str]:
        choices = [reply for reply in self.since_written if reply["type"] == "choice"]
        return [option["label"] for option in choices[-1]["options"]] if choices else []

    def poll_inbox(self) -> list[str]:
        """One poll of the inbox: acknowledges what the previous poll brought and returns the texts of the rest."""
        params = {"ack": ",".join(self.to_acknowledge)} if self.to_acknowledge else {}
        response = self.http.get("/chat/api/inbox", params=params, headers=PAGE_HEADER)
        assert response.status_code == 200, response.text
        body = response.json()
        self.to_acknowledge = body["ack"]
        self.since_written += body["replies"]
        fresh = [drawn(reply) for reply in body["replies"]]
        self.transcript += ["<<< (inbox)", *fresh]
        return fresh


@pytest.fixture
def page(web_app: LiveServer) -> Iterator[WebChatPage]:
    person = WebChatPage(web_app.url)
    yield person
    person.http.close()
    if os.environ.get("QAMQOR_PRINT_TRANSCRIPTS"):
        print("\n===== web chat (en) =====\n" + "\n".join(person.transcript))


def deliver_notices(runtime: Runtime) -> int:
    """One pass of the delivery worker over the app's channels (the web chat's is always there), as the scheduler
    runs it every few seconds; returns how many notices went out."""
    worker = DeliveryWorker(runtime, build_channels(runtime.settings))
    return asyncio.run(worker.deliver_outbox()).sent


def notices_sent(runtime: Runtime, case_id: int) -> list[tuple[str, str | None]]:
    with runtime.context() as ctx:
        sent = sa.select(Outbox).where(col(Outbox.case_id) == case_id, col(Outbox.status) == OutboxStatus.SENT)
        rows = ctx.session.scalars(sent.order_by(col(Outbox.id)))
        return [(row.kind, row.delivery_status) for row in rows]


def notice(*lines: str) -> str:
    """A notice about this application as the inbox renders it: the heading, then its lines."""
    return "\n".join([said("en", HEADING, name=NAME, form=RESIDENTIAL), *lines])


def onboard_in_english(page: WebChatPage) -> None:
    assert page.open() == onboarding.LANGUAGE_QUESTION  # before a language is chosen: all three at once
    assert page.buttons() == ["Қазақша", "Русский", "English"]
    consent = page.press("English")
    assert said("en", onboarding.ABOUT) in consent and said("en", onboarding.CONSENT) in consent
    assert 'No. 94-V "On personal data and their protection"' in consent
    assert page.body["lang"] == "en" and page.body["labels"]["send"] == "Send"  # the page relabels itself
    assert page.http.cookies.get("qamqor_lang") == "en"
    assert page.buttons() == ["I agree", "I do not agree"]
    assert page.press("I agree") == f"{said('en', onboarding.THANKS)}\n{said('en', texts.MENU_TITLE)}"
    assert page.buttons()[:2] == ["New application", "My status"]


def apply_in_english(page: WebChatPage, iin: str) -> None:
    """From the main menu to the submitted application: for myself, an older woman, Almaly, residential care."""
    assert page.press("New application") == "Step 1 of 6\nWho is the application for?"
    assert said("en", apply_person.IIN_SELF) in page.press("For myself")
    assert said("en", apply_person.CONFIRM, birth="09.05.1941", sex="female") in page.send(iin)
    assert page.buttons() == ["Yes", "No"]
    assert said("en", apply_person.NAME_SELF) in page.press("Yes")
    assert "Step 4 of 6" in page.send(NAME)
    page.press("An older person who cannot care for themselves")
    assert page.buttons() == ["Almaty city", "Back"]
    page.press("Almaty city")
    assert "Step 6 of 6\nThese forms of service fit. Choose one:" in page.press("Almaly district")
    checklist = page.press("Residential care (a care home)")
    assert f"Your application is created: {RESIDENTIAL}. It is a draft for now." in checklist
    assert said("en", documents.PROGRESS, done=0, total=4) in checklist
    assert said("en", documents.STATE_CHECKS) in checklist

    for done, (code, name) in enumerate(EN_UPLOADS.items(), start=1):
        request = page.press(f"Send: {name}")
        assert request.startswith(f"Please send a photo or a PDF of: {name}.\nJPEG, PNG or PDF, up to 10 MB.")
        assert page.since_written[0]["type"] == "request_file"  # the page opens its file picker for it
        received = page.upload(f"{code.value}.pdf", pdf(code), "application/pdf")
        assert said("en", documents.RECEIVED, document=name) in received
        assert said("en", documents.PROGRESS, done=done, total=4) in received
    assert said("en", documents.COMPLETE) in received
    assert page.buttons()[0] == "Send the application"

    assert f"It goes to: {DEPARTMENT}." in page.press("Send the application")
    sent = page.press("Yes, send it")
    assert said("en", documents.SUBMITTED, department=DEPARTMENT) in sent
    assert f"You will be notified here within 2 working days of the decision ({REF})." in sent


def test_app1_stationary_journey_in_english_through_the_web_chat_from_start_to_offer_and_postponement(
    page: WebChatPage, runtime: Runtime, area: Places, clock: Clock
) -> None:
    home = add_organisation(runtime, area, Form.STATIONARY, [Category.ELDERLY], name=HOME)
    onboard_in_english(page)
    iin = make_iin(date(1941, 5, 9), female=True)
    apply_in_english(page, iin)
    case_id = case_ids(runtime, iin)[0]
    assert case_state(runtime, case_id)[0] == Status.SUBMITTED
    # Every file went multipart -> the web chat -> the dialogue -> the right checklist item, byte for byte.
    assert stored_documents(runtime, case_id) == {
        code: (f"{code.value}.pdf", hashlib.sha256(pdf(code)).hexdigest()) for code in EN_UPLOADS
    }

    # Staff: positive decision and notification on Mon 23.11.2026 -> choose within 10 working days (App.1 p.7).
    assert decide_and_notify(runtime, case_id, date(2026, 11, 23)) == date(2026, 12, 7)
    # The submission was confirmed in the chat as it happened; only staff's news comes as notices.
    assert deliver_notices(runtime) == 2
    assert page.poll_inbox() == [
        notice(said("en", APPROVED), said("en", APPROVED_NEXT)),
        notice(said("en", CHOOSE_ORGANISATION, due="07.12.2026")),
    ]
    assert page.poll_inbox() == []  # acknowledged: shown once
    notified = page.send("/status")
    assert f"Application for {NAME}: {RESIDENTIAL}.\nStage: waiting for you to choose an organisation." in notified
    assert said("en", status.NEXT_CHOOSE, due="07.12.2026") in notified
    listing = page.press("Choose an organisation")
    assert said("en", choose.INTRO, due="07.12.2026", ref=REF) in listing
    assert f"• {said('en', choose.QUEUE, name=HOME, queue=0)}" in listing
    assert said("en", choose.CONFIRM_QUEUE, name=HOME) in page.press(HOME)
    queued = page.press("Yes, choose")
    assert said("en", choose.QUEUED, name=HOME, position=1, total=1) in queued
    assert case_state(runtime, case_id)[0] == Status.QUEUED
    assert deliver_notices(runtime) == 0  # the place in the queue was just said: no notice repeats it
    assert page.poll_inbox() == []

    # Wed 02.12.2026 the home frees a place: the first in the queue arrives within 10 working days (App.1 p.7);
    # Independence Day (16.12) is not one of them -> Thu 17.12.2026.
    clock.advance_to(date(2026, 12, 2))
    with runtime.context(ORGANISATION) as ctx:
        assert len(placement.free_places(ctx, home)) == 1
    assert deliver_notices(runtime) == 1
    offered = page.send("/status")
    assert "Stage: a free place is offered." in offered
    assert said("en", status.NEXT_ARRIVE, organisation=HOME, due="17.12.2026") in offered
    assert "I can't come on time" in page.buttons()
    # The offer pops into the page on its next poll, with its own "I can't come on time" button: pressing that one
    # (the newest) opens the same flow.
    offer = notice(said("en", OFFER_ARRIVE, organisation=HOME, due="17.12.2026"), said("en", LATE_HINT))
    assert page.poll_inbox() == [offer]
    assert page.buttons() == ["My status", "I can't come on time", "Main menu"]

    # Illness: the date moves once, by up to 30 calendar days (App.1 p.7): at the latest 16.01.2027.
    assert page.press("I can't come on time") == said("en", postpone.REASON, due="17.12.2026")
    assert page.buttons() == ["Illness", "Hospitalisation", "Main menu"]
    assert page.press("Illness") == said("en", postpone.NEW_DATE, latest="16.01.2027", ref=REF)
    late = page.send("18.01.2027")
    assert late.startswith(said("en", POSTPONEMENT_REFUSALS["beyond_limit"], latest="16.01.2027", ref=REF))
    assert late.endswith(said("en", postpone.NEW_DATE, latest="16.01.2027", ref=REF))  # and asked again
    certificate = page.send("28.12.2026")
    assert said("en", postpone.CERTIFICATE, limit="10 MB") in certificate
    assert page.buttons() == ["I will bring it later", "Main menu"]
    moved = page.upload("certificate.jpg", JPEG, "image/jpeg")  # the certificate, photographed
    assert moved == "\n".join(
        [
            said("en", postpone.CERTIFICATE_KEPT),
            said("en", postpone.MOVED, due="28.12.2026", organisation=HOME),
            said("en", texts.MENU_TITLE),
        ]
    )
    assert case_state(runtime, case_id) == (Status.OFFERED, date(2026, 12, 28))
    assert said("en", status.NEXT_ARRIVE, organisation=HOME, due="28.12.2026") in page.send("/status")

    # A second request: refused at once with the reason, and recorded for staff.
    page.press("I can't come on time")
    refused = page.press("Hospitalisation")
    reason = said("en", POSTPONEMENT_REFUSALS["already_postponed"], ref=REF, due="28.12.2026")
    assert refused == f"{reason}\n{said('en', postpone.NOT_MOVED)}\n{said('en', texts.MENU_TITLE)}"
    assert postponements(runtime, case_id) == [
        (PostponementStatus.APPROVED, date(2026, 12, 28)),
        (PostponementStatus.DECLINED, None),
    ]
    assert case_state(runtime, case_id) == (Status.OFFERED, date(2026, 12, 28))

    # The move and the refusal were both answered in the chat: no notice repeats them, nothing is left unread.
    assert deliver_notices(runtime) == 0
    assert page.poll_inbox() == []
    kinds = ["approved", "choose_organisation", "offer"]
    assert notices_sent(runtime, case_id) == [(kind, "delivered") for kind in kinds]
